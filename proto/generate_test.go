package proto

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
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

// TestGeneratedCodeIsCurrent regenerates gen/ into a temporary folder with
// scripts/generate and fails if anything differs from the committed gen/.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating takes a while; run without -short")
	}
	out := t.TempDir()
	cmd := exec.Command("bash", "scripts/generate", out)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
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
	buf(t, "lint")
}

// TestFormat fails when buf format would change a .proto file.
func TestFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("needs buf; run without -short")
	}
	if diff := buf(t, "format", "-d", "proto"); len(diff) != 0 {
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
