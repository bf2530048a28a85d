package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is the release, set at build time with
// -ldflags "-X main.version=v1.2.3"; otherwise the build info says.
var version = ""

// versionString is the version to print.
func versionString() string {
	if version != "" {
		return version
	}
	bi, _ := debug.ReadBuildInfo()
	return buildVersion(bi)
}

// buildVersion reads the version from the build info: the main module's
// version (a release with `go install …@v1.2.3` or @latest, or the
// pseudo-version that `go build` in a git clone derives from the commit,
// with +dirty for uncommitted changes), else the VCS revision that the go
// command stamped (vcs.revision, and -dirty when vcs.modified), else
// "(devel)": a build without either, e.g. with -buildvcs=false.
func buildVersion(bi *debug.BuildInfo) string {
	if bi == nil {
		return "(devel)"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return "(devel)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified {
		rev += "-dirty"
	}
	return "(devel) " + rev
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
