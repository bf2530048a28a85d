package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is the release, set at build time with
// -ldflags "-X main.version=v1.2.3"; otherwise the module's version.
var version = ""

// versionString is the version to print.
func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// version prints the version.
func (a *app) version(_ context.Context, args []string) int {
	f := newFlagSet("version", "errbridge version")
	if code, ok := a.parseFlags(f, args); !ok {
		return code
	}
	fmt.Fprintf(a.stdout, "errbridge %s %s %s/%s\n", versionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}
