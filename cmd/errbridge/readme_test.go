package main

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEOverlayExample runs the README's catalogue overlay example:
// the README must show the example file exactly, and the output it shows
// must be what `errbridge translate` prints for the body it shows.
func TestREADMEOverlayExample(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(exampleOverlay)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, append([]byte("```textproto\n"), file...)) {
		t.Error("the README does not show examples/overlay/9007.textproto as it is")
	}
	cmd := regexp.MustCompile(`(?s)echo '([^']*)' \|\n  errbridge translate (--http-status 400 --catalog-overlay examples/overlay/9007\.textproto)\n`).FindSubmatch(readme)
	if cmd == nil {
		t.Fatal("the README lacks the example's command")
	}
	const marker = "<!-- overlay example output: checked by TestREADMEOverlayExample (cmd/errbridge) -->\n```json\n"
	i := bytes.Index(readme, []byte(marker))
	if i < 0 {
		t.Fatalf("the README lacks %q", marker)
	}
	shown := readme[i+len(marker):]
	shown = shown[:bytes.Index(shown, []byte("```"))]

	args := append([]string{"translate"}, strings.Fields(strings.Replace(string(cmd[2]), "examples/overlay/9007.textproto", exampleOverlay, 1))...)
	a := newTestApp(nil, string(cmd[1]))
	if code := a.run(testCtx(t), args); code != exitOK {
		t.Fatalf("exit %d: %s", code, a.stderr)
	}
	// protojson varies its spacing on purpose: compare compact forms.
	var want, got bytes.Buffer
	if err := json.Compact(&want, shown); err != nil {
		t.Fatalf("the README's output is not JSON: %v", err)
	}
	if err := json.Compact(&got, []byte(a.stdout.String())); err != nil {
		t.Fatal(err)
	}
	if want.String() != got.String() {
		t.Errorf("the README shows\n%s\nerrbridge translate prints\n%s", want.String(), got.String())
	}
}
