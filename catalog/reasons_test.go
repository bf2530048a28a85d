package catalog

import (
	"fmt"
	"os"
	"strings"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
)

// ledgerProblems returns every way in which a catalogue breaks the rule that
// a shipped reason is never reused: every reason of the catalogue is in the
// ledger under its own family and code and not retired, every reason the
// ledger lists as current is still in the catalogue at the same place, no
// reason appears in the ledger twice, and every retired reason is recorded in
// the changelog.
func ledgerProblems(ledger []ledgerLine, entries []*Entry, changelog string) []string {
	var problems []string
	byReason := make(map[string]ledgerLine, len(ledger))
	for _, l := range ledger {
		if prev, dup := byReason[l.reason]; dup {
			problems = append(problems, fmt.Sprintf("reasons.txt:%d: %s is already on line %d: a reason has one line, forever", l.line, l.reason, prev.line))
		}
		byReason[l.reason] = l
	}
	current := make(map[string]bool)
	for _, e := range entries {
		if e.IsSuccess() {
			continue
		}
		current[e.Reason] = true
		here := ledgerLine{family: FamilyName(e.Family), code: e.Code, reason: e.Reason}
		l, ok := byReason[e.Reason]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s is a new reason: add the line %q to reasons.txt and the code to CHANGELOG.md", e.Name, here.String()))
		case l.retired:
			problems = append(problems, fmt.Sprintf("%s reuses %s, retired on reasons.txt:%d (%s): a shipped reason never comes back; choose a new one",
				e.Name, e.Reason, l.line, l))
		case l.family != here.family || l.code != here.code:
			problems = append(problems, fmt.Sprintf("%s gives reason %s to %s %d, but it shipped for %s (reasons.txt:%d): a shipped reason never changes meaning",
				e.Name, e.Reason, here.family, here.code, l, l.line))
		}
	}
	for _, l := range ledger {
		if !current[l.reason] && !l.retired {
			problems = append(problems, fmt.Sprintf("reasons.txt:%d: %s is no longer in the catalogue: mark it retired there and record the change in CHANGELOG.md", l.line, l))
		}
		if l.retired && !strings.Contains(changelog, "`"+l.reason+"`") {
			problems = append(problems, fmt.Sprintf("retired reason %s (reasons.txt:%d) is not in CHANGELOG.md", l.reason, l.line))
		}
	}
	return problems
}

// TestReasonLedger checks the compiled catalogue against the ledger of
// shipped reasons and the changelog.
func TestReasonLedger(t *testing.T) {
	ledger, err := parseLedger(ledgerText)
	if err != nil {
		t.Fatalf("reasons.txt: %v", err)
	}
	changelog, err := os.ReadFile("../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ledgerProblems(ledger, Default().Entries(), string(changelog)) {
		t.Error(p)
	}
}

// TestLedgerProblemsCatchReuse shows that the ledger check fails for each way
// of breaking the rule.
func TestLedgerProblemsCatchReuse(t *testing.T) {
	rest := errbridgev1.ApiFamily_API_FAMILY_REST
	ledger, err := parseLedger("# comment\nrest 41 INTERNAL_ERROR retired\nrest 41 INTERNAL_NETWORK_ERROR\nrest 9003 MEETING_NOT_FOUND\n")
	if err != nil {
		t.Fatal(err)
	}
	const changelog = "- `INTERNAL_ERROR` → `INTERNAL_NETWORK_ERROR` (41)"
	entry := func(code int64, reason string) *Entry {
		return &Entry{Family: rest, Code: code, Name: "REST_ERROR_CODE_" + reason, Reason: reason}
	}
	valid := []*Entry{entry(0, ""), entry(41, "INTERNAL_NETWORK_ERROR"), entry(9003, "MEETING_NOT_FOUND")}
	if p := ledgerProblems(ledger, valid, changelog); len(p) != 0 {
		t.Fatalf("a catalogue that keeps the rule is rejected: %v", p)
	}
	for _, tc := range []struct {
		name      string
		entries   []*Entry
		changelog string
		want      string
	}{
		{"retired reason reused", []*Entry{entry(41, "INTERNAL_NETWORK_ERROR"), entry(9003, "MEETING_NOT_FOUND"), entry(5108, "INTERNAL_ERROR")}, changelog, "never comes back"},
		{"reason moved to another code", []*Entry{entry(41, "INTERNAL_NETWORK_ERROR"), entry(9004, "MEETING_NOT_FOUND")}, changelog, "never changes meaning"},
		{"reason dropped without retiring it", []*Entry{entry(41, "INTERNAL_NETWORK_ERROR")}, changelog, "no longer in the catalogue"},
		{"new reason not in the ledger", append(valid[1:], entry(9007, "MEETING_CANCELLED")), changelog, "is a new reason"},
		{"retirement not in the changelog", valid, "", "not in CHANGELOG.md"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := ledgerProblems(ledger, tc.entries, tc.changelog)
			if !strings.Contains(strings.Join(p, "\n"), tc.want) {
				t.Errorf("problems %q do not say %q", p, tc.want)
			}
		})
	}
	if _, err := parseLedger("rest x REASON\n"); err == nil {
		t.Error("a ledger line with a non-numeric code is accepted")
	}
	if _, err := parseLedger("rest 1 REASON gone\n"); err == nil {
		t.Error("a ledger line with an unknown marker is accepted")
	}
}
