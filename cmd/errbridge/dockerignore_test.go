package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDockerignoreLetsInEveryPackage checks that the image's build context
// (.dockerignore leaves everything out, then lets folders back in) holds
// every package of the module that the binary imports, so that the image
// builds whatever package the binary gains.
func TestDockerignoreLetsInEveryPackage(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	var allowed []string
	for line := range strings.Lines(string(b)) {
		if dir, ok := strings.CutPrefix(strings.TrimSpace(line), "!"); ok && strings.HasSuffix(dir, "/") {
			allowed = append(allowed, dir)
		}
	}
	const module = "github.com/errbridge/errbridge/"
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for pkg := range strings.Lines(string(out)) {
		dir, ok := strings.CutPrefix(strings.TrimSpace(pkg), module)
		if !ok {
			continue
		}
		in := false
		for _, a := range allowed {
			in = in || strings.HasPrefix(dir+"/", a)
		}
		if !in {
			t.Errorf("the binary imports %s%s, which .dockerignore leaves out of the image's build context: add !%s/", module, dir, strings.Split(dir, "/")[0])
		}
	}
}
