//go:build !linux

package main

import "log/slog"

// stopWithGoRun does nothing outside Linux: there a server started by
// `go run` must be stopped itself, not through the go command.
func stopWithGoRun(*slog.Logger) {}

// ignoreRepeatedParentDeath does nothing outside Linux, where no
// parent-death signal is asked for.
func ignoreRepeatedParentDeath() {}
