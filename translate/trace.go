package translate

import "strings"

// Trace headers: the only response headers the engine reads, matched
// case-insensitively. Their value, printable characters only, becomes
// RequestInfo.request_id; the first wins when both are present. See
// [Options.Headers] for the rule when one arrives under several spellings.
const (
	HeaderTrace   = "X-TC-Trace"
	HeaderGwTrace = "Gw-Trace-Id"
)

// TraceFinder finds the upstream trace id among response headers shown to
// it one at a time, by the rule of [Options.Headers]: the value of
// X-TC-Trace, else of Gw-Trace-Id, where a value counts only when it has a
// printable character and, among the spellings of one header name, the
// name that sorts first byte by byte wins. The order headers are shown in
// does not matter. A caller that walks the headers anyway (to validate
// them, say) can find the trace id on the way and hand it to the
// translation with [Options.UseTrace], which then does not walk them
// again. The zero value has seen no header.
type TraceFinder struct {
	trace, traceKey, gw, gwKey string
}

// See shows the finder one header.
func (f *TraceFinder) See(name, value string) {
	switch {
	case len(name) == len(HeaderTrace) && strings.EqualFold(name, HeaderTrace):
		if (f.trace == "" || name < f.traceKey) && hasPrintable(value) {
			f.trace, f.traceKey = value, name
		}
	case len(name) == len(HeaderGwTrace) && strings.EqualFold(name, HeaderGwTrace):
		if (f.gw == "" || name < f.gwKey) && hasPrintable(value) {
			f.gw, f.gwKey = value, name
		}
	}
}

// ID returns the trace id among the headers seen, unfiltered, or "" when
// none has one.
func (f *TraceFinder) ID() string {
	if f.trace != "" {
		return f.trace
	}
	return f.gw
}

// traceIn returns the trace id among headers, as a [TraceFinder] shown
// each of them finds it.
func traceIn(headers map[string]string) string {
	if len(headers) == 0 {
		return ""
	}
	var f TraceFinder
	for k, v := range headers {
		f.See(k, v)
	}
	return f.ID()
}
