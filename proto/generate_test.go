package proto

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// root is the repository root, relative to this package.
const root = ".."

// buf runs the buf pinned in tools/go.mod from the repository root.
func buf(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("go", append([]string{"tool", "-modfile=tools/go.mod", "buf"}, args...)...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("buf %v: %v\n%s%s", args, err, out, stderr.Bytes())
	}
	return out
}

// workspace lays out a buf workspace of its own in a temporary folder (a
// copy of buf.yaml and proto/, and the google/rpc imports printed by
// tools/protoimports) and returns its path. Each test that runs buf makes
// its own, so none depends on scripts/generate or another test having
// written build/protoimports first.
func workspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyFile(t, filepath.Join(root, "buf.yaml"), filepath.Join(dir, "buf.yaml"))
	src := filepath.Join(root, "proto")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".proto" {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		copyFile(t, path, filepath.Join(dir, "proto", rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	imports := exec.Command("go", "run", "./protoimports", filepath.Join(dir, "build", "protoimports"))
	imports.Dir = filepath.Join(root, "tools")
	if out, err := imports.CombinedOutput(); err != nil {
		t.Fatalf("tools/protoimports: %v\n%s", err, out)
	}
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// missing fails the test when CI is set and skips it otherwise, with why.
func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why + " (this fails instead of skipping when CI is set)")
}

// TestGeneratedCodeIsCurrent regenerates gen/ into a temporary folder with
// scripts/generate and fails if anything differs from the committed gen/.
// It needs Node.js and Debian's protoc and grpc_python_plugin: when
// scripts/generate reports one missing (exit status 3), the test skips
// with the install command, or fails when CI is set.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating takes a while; run without -short")
	}
	out := t.TempDir()
	cmd := exec.Command("bash", "scripts/generate", out)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 3 {
			missing(t, strings.TrimSpace(string(b)))
		}
		t.Fatalf("scripts/generate: %v\n%s", err, b)
	}
	want := readTree(t, filepath.Join(root, "gen"))
	got := readTree(t, filepath.Join(out, "gen"))
	for path, w := range want {
		g, ok := got[path]
		switch {
		case !ok:
			t.Errorf("gen/%s is committed but no longer generated", path)
		case !bytes.Equal(g, w):
			t.Errorf("gen/%s differs from what scripts/generate makes: run scripts/generate and commit", path)
		}
	}
	for path := range got {
		if _, ok := want[path]; !ok {
			t.Errorf("gen/%s is generated but not committed: run scripts/generate and commit", path)
		}
	}
}

// TestLint runs buf lint (STANDARD, from buf.yaml).
func TestLint(t *testing.T) {
	if testing.Short() {
		t.Skip("needs buf; run without -short")
	}
	t.Parallel()
	buf(t, "lint", workspace(t))
}

// TestFormat fails when buf format would change a .proto file.
func TestFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("needs buf; run without -short")
	}
	t.Parallel()
	if diff := buf(t, "format", "-d", filepath.Join(workspace(t), "proto")); len(diff) != 0 {
		t.Errorf("buf format -d proto is not empty:\n%s", diff)
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
