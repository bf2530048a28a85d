package main

import (
	"log/slog"
	"os"
	"syscall"
)

// startPPID is the parent at start-up, read as early as the package allows.
var startPPID = os.Getppid()

// stopWithGoRun makes a server started by `go run` drain when the go command
// ends. go run does not pass SIGTERM on to the program it started, and
// without this a SIGTERM to the go command would leave the server running,
// orphaned. The kernel sends SIGTERM when the parent dies
// (PR_SET_PDEATHSIG); a parent that died before the request was made is
// seen by the change of parent, and the process then signals itself. The
// caller must already be handling SIGTERM. Other parents (a shell, systemd,
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
	if os.Getppid() != startPPID {
		_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
	}
}

// setParentDeathSignal asks the kernel for sig when the parent dies.
func setParentDeathSignal(sig syscall.Signal) error {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(sig), 0); errno != 0 {
		return errno
	}
	return nil
}
