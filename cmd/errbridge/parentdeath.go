package main

import (
	"os"
	"path/filepath"
	"strings"
)

// startedByGoRun reports whether the executable is one that `go run` built:
// it lives in the go command's work folder, $TMPDIR/go-build…/b…/exe/.
func startedByGoRun(exe string) bool {
	dir := filepath.Dir(exe)
	if filepath.Base(dir) != "exe" {
		return false
	}
	for d := filepath.Dir(dir); d != filepath.Dir(d); d = filepath.Dir(d) {
		if strings.HasPrefix(filepath.Base(d), "go-build") {
			return true
		}
	}
	return false
}

// runByGoRun reports whether this process is a `go run` build.
func runByGoRun() bool {
	exe, err := os.Executable()
	return err == nil && startedByGoRun(exe)
}
