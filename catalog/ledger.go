package catalog

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// ledgerText is the ledger of every reason errbridge has shipped, one
// "family code REASON [retired]" line each. The catalogue test checks the
// compiled catalogue against it, and overlays may not use a retired reason.
//
//go:embed reasons.txt
var ledgerText string

// ledgerLine is one line of reasons.txt.
type ledgerLine struct {
	line    int
	family  string
	code    int64
	reason  string
	retired bool
}

func (l ledgerLine) String() string { return fmt.Sprintf("%s %d %s", l.family, l.code, l.reason) }

// parseLedger parses the ledger of every shipped reason, reasons.txt.
func parseLedger(text string) ([]ledgerLine, error) {
	var lines []ledgerLine
	for n, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 3 || len(fields) > 4 || (len(fields) == 4 && fields[3] != "retired") {
			return nil, fmt.Errorf("line %d: want \"family code REASON\" or \"family code REASON retired\", got %q", n+1, line)
		}
		code, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: code %q: %v", n+1, fields[1], err)
		}
		lines = append(lines, ledgerLine{line: n + 1, family: fields[0], code: code, reason: fields[2], retired: len(fields) == 4})
	}
	return lines, nil
}

// retiredReasons returns the ledger's retired reasons, each with its line.
var retiredReasons = sync.OnceValue(func() map[string]ledgerLine {
	lines, err := parseLedger(ledgerText)
	if err != nil {
		panic("catalog: reasons.txt: " + err.Error()) // ruled out by TestReasonLedger
	}
	retired := make(map[string]ledgerLine)
	for _, l := range lines {
		if l.retired {
			retired[l.reason] = l
		}
	}
	return retired
})
