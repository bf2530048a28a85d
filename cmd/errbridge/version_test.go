package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

func TestBuildVersion(t *testing.T) {
	t.Parallel()
	rev := "749b7d5026fc9eaf5a1917ba4d25382e8b671850"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "(devel)"},
		{"go install at a release", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"pseudo-version from a clone", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261126052806-749b7d5026fc"}, Settings: vcs("false")}, "v0.0.0-20261126052806-749b7d5026fc"},
		{"revision only", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("false")}, "(devel) 749b7d5026fc"},
		{"revision, modified", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("true")}, "(devel) 749b7d5026fc-dirty"},
		{"nothing stamped", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "(devel)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := buildVersion(tt.bi); got != tt.want {
				t.Errorf("buildVersion = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestVersionOfBuiltBinary copies the module's sources into a new git
// repository, builds the command there with `go build` as a user of a clone
// would (VCS stamping on), and checks what `errbridge version` prints: the
// pseudo-version naming the commit, the tag once the commit has one, and
// +dirty once a file changes.
func TestVersionOfBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary three times")
	}
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git not found")
		}
		t.Skip("git not found: apt-get install git (this fails instead of skipping when CI is set)")
	}
	// Three builds and links: minutes on a busy machine.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	moduleRoot := filepath.Join("..", "..")
	dir := t.TempDir()
	gitEnv := append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=errbridge", "GIT_AUTHOR_EMAIL=test@errbridge.invalid",
		"GIT_COMMITTER_NAME=errbridge", "GIT_COMMITTER_EMAIL=test@errbridge.invalid",
		"GIT_AUTHOR_DATE=2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2026-01-02T03:04:05Z")
	run := func(dir string, name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		// GOPRIVATE: the go command reads the module itself from the local
		// repository, never from a proxy (GOPROXY=off would hide its tags).
		cmd.Env = append(gitEnv, "GOFLAGS=-buildvcs=true", "GOPRIVATE=github.com/errbridge/errbridge", "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}

	// The sources as they are in the work tree, committed or not: the Go
	// module and the files its packages embed, without tests and test data,
	// and without the generated code of other languages.
	files := strings.Fields(run(moduleRoot, "git", "ls-files", "--cached", "--others", "--exclude-standard", "--",
		".", ":!gen/es", ":!gen/java", ":!gen/python", ":!deploy", ":!examples", ":!**/testdata/**"))
	copied := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(moduleRoot, f))
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
		copied++
	}
	if copied == 0 {
		t.Fatal("no sources found")
	}
	run(dir, "git", "init", "-q", "-b", "main")
	run(dir, "git", "add", ".")
	run(dir, "git", "commit", "-q", "-m", "sources")
	rev := run(dir, "git", "rev-parse", "HEAD")

	versionOf := func() string {
		t.Helper()
		bin := filepath.Join(t.TempDir(), "errbridge")
		run(dir, "go", "build", "-buildvcs=true", "-o", bin, "./cmd/errbridge")
		out := run(dir, bin, "version")
		fields := strings.Fields(out)
		if len(fields) != 4 || fields[0] != "errbridge" {
			t.Fatalf("errbridge version printed %q, want four fields", out)
		}
		return fields[1]
	}

	if got, want := versionOf(), "v0.0.0-20260102030405-"+rev[:12]; got != want {
		t.Errorf("untagged commit: version %q, want %q", got, want)
	}
	run(dir, "git", "tag", "v0.9.0")
	if got := versionOf(); got != "v0.9.0" {
		t.Errorf("tagged commit: version %q, want v0.9.0", got)
	}
	doc := filepath.Join(dir, "cmd", "errbridge", "doc.go")
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(doc, append(b, "\n// A change not yet committed.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := versionOf(); got != "v0.9.0+dirty" {
		t.Errorf("modified work tree: version %q, want v0.9.0+dirty", got)
	}
}
