package main

import (
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
)

// startPPID is the parent at start-up, read as early as the package allows.
var startPPID = os.Getppid()

// parentDeathSet records that stopWithGoRun asked for the parent-death
// signal.
var parentDeathSet atomic.Bool

// isGoCommand reports whether parentExe, the executable of the parent
// process as /proc shows it, is the go command (a release's bin/go, or a
// toolchain's that GOTOOLCHAIN downloaded). The program's own path says
// nothing reliable: go run caches what it builds, and runs it from the
// build cache or from its work folder.
func isGoCommand(parentExe string) bool {
	return filepath.Base(strings.TrimSuffix(parentExe, " (deleted)")) == "go"
}

// runByGoRun reports whether the go command started this process.
func runByGoRun() bool {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", startPPID))
	return err == nil && isGoCommand(exe)
}

// stopWithGoRun makes a server started by `go run` drain when the go command
// ends. go run does not pass SIGTERM on to the program it started, and
// without this a SIGTERM to the go command would leave the server running,
// orphaned. The kernel sends SIGTERM when the parent dies
// (PR_SET_PDEATHSIG); a parent that died before the request was made is
// seen by the change of parent, and the process then signals itself. The
// caller must already be handling SIGTERM. (The kernel's "parent" is the
// thread that started the process, and the go command's threads live as
// long as it does.) Other parents (a shell, systemd,
// a container runtime) are left alone: a server started in the background
// outlives its shell as before.
func stopWithGoRun(logger *slog.Logger) {
	if !runByGoRun() {
		return
	}
	if err := setParentDeathSignal(syscall.SIGTERM); err != nil {
		logger.Warn("cannot ask to be stopped with go run", "error", err.Error())
		return
	}
	parentDeathSet.Store(true)
	if os.Getppid() != startPPID {
		_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
	}
}

// ignoreRepeatedParentDeath makes later SIGTERMs do nothing once a drain
// has begun, when stopWithGoRun asked for the parent-death signal. The
// kernel sends that signal when the thread that started the process exits,
// and a dying go command's threads exit one by one, each of them the
// "parent" in turn: the one SIGTERM to go run arrives several times, and
// the second must not end the drain at once, as a second SIGTERM does
// otherwise. SIGINT (a second Ctrl-C) still ends it at once.
func ignoreRepeatedParentDeath() {
	if parentDeathSet.Load() {
		signal.Ignore(syscall.SIGTERM)
	}
}

// setParentDeathSignal asks the kernel for sig when the parent dies.
func setParentDeathSignal(sig syscall.Signal) error {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(sig), 0); errno != 0 {
		return errno
	}
	return nil
}
