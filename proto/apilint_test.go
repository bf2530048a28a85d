package proto

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// linterConfig is the file of rules that do not apply to errbridge, one entry
// per rule, each with the reason api-linter itself ignores.
const linterConfig = "api-linter.json"

// linterException is one entry of linterConfig.
type linterException struct {
	IncludedPaths []string `json:"included_paths"`
	DisabledRules []string `json:"disabled_rules"`
	Reason        string   `json:"reason"`
}

// linterFile is api-linter's JSON report for one file.
type linterFile struct {
	FilePath string `json:"file_path"`
	Problems []struct {
		Message  string `json:"message"`
		RuleID   string `json:"rule_id"`
		Location struct {
			Start struct {
				Line int `json:"line_number"`
			} `json:"start_position"`
		} `json:"location"`
	} `json:"problems"`
}

// TestAPILinter runs googleapis' api-linter (pinned in tools/go.mod) over
// errbridge/v1 with api-linter.json and fails on every finding. It also
// fails when an exception is malformed (not exactly one rule and one path, no
// reason) or stale: its rule finds nothing in its file without the config, so
// the list only ever names rules that would fire.
func TestAPILinter(t *testing.T) {
	if testing.Short() {
		t.Skip("builds api-linter; run without -short")
	}
	exceptions := readExceptions(t)
	imports := t.TempDir()
	print := exec.Command("go", "run", "./protoimports", imports)
	print.Dir = filepath.Join(root, "tools")
	if out, err := print.CombinedOutput(); err != nil {
		t.Fatalf("tools/protoimports: %v\n%s", err, out)
	}
	files, err := filepath.Glob("errbridge/v1/*.proto")
	if err != nil || len(files) == 0 {
		t.Fatalf("no .proto files under errbridge/v1: %v", err)
	}

	for _, f := range apiLinter(t, imports, files, "--config", linterConfig) {
		for _, p := range f.Problems {
			t.Errorf("%s:%d: %s: %s (fix it, or add an entry with a reason to proto/%s)",
				f.FilePath, p.Location.Start.Line, p.RuleID, p.Message, linterConfig)
		}
	}

	fired := map[[2]string]bool{} // file path, rule
	for _, f := range apiLinter(t, imports, files) {
		for _, p := range f.Problems {
			fired[[2]string{f.FilePath, p.RuleID}] = true
		}
	}
	for i, e := range exceptions {
		if len(e.IncludedPaths) != 1 || len(e.DisabledRules) != 1 || e.Reason == "" {
			t.Errorf("proto/%s entry %d: want one included path, one disabled rule and a reason, got %+v", linterConfig, i, e)
			continue
		}
		if !fired[[2]string{e.IncludedPaths[0], e.DisabledRules[0]}] {
			t.Errorf("proto/%s: %s no longer fires in %s: delete its entry",
				linterConfig, e.DisabledRules[0], e.IncludedPaths[0])
		}
	}
}

func readExceptions(t *testing.T) []linterException {
	t.Helper()
	b, err := os.ReadFile(linterConfig)
	if err != nil {
		t.Fatal(err)
	}
	var exceptions []linterException
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&exceptions); err != nil {
		t.Fatalf("proto/%s: %v", linterConfig, err)
	}
	return exceptions
}

// apiLinter runs the pinned api-linter from this folder, so that file paths
// read errbridge/v1/..., with the printed google/ imports beside it.
func apiLinter(t *testing.T, imports string, files []string, args ...string) []linterFile {
	t.Helper()
	args = append([]string{"tool", "-modfile=../tools/go.mod", "api-linter",
		"--proto-path", imports, "--output-format", "json"}, args...)
	cmd := exec.Command("go", append(args, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("api-linter: %v\n%s", err, stderr.Bytes())
	}
	var report []linterFile
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("api-linter printed %q: %v", out, err)
	}
	linted := make([]string, 0, len(report))
	for _, f := range report {
		linted = append(linted, f.FilePath)
	}
	slices.Sort(linted)
	if !slices.Equal(linted, files) {
		t.Fatalf("api-linter reported on %v, want %v", linted, files)
	}
	return report
}
