package proxy

import "testing"

// TestObjectScan feeds bodies whole and byte by byte and checks the
// verdict: only one JSON object followed by white space (so far) is held
// as a possible error envelope.
func TestObjectScan(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body string
		want objectVerdict
	}{
		{``, objectUndecided},
		{` `, objectUndecided},
		{`{"a":`, objectUndecided},
		{`{"a":"}"`, objectUndecided},
		{`{"a":"\"}"`, objectUndecided},
		{`{"a":[1,{"b":2}]`, objectUndecided},
		{`{}`, objectWhole},
		{" \r\n\t{\"code\":1005}\n ", objectWhole},
		{"\xef\xbb\xbf{\"code\":1005}", objectWhole},
		{`{"a":"}{\\"}`, objectWhole},
		{`{"a":"\\"}`, objectWhole},
		{`[`, objectNot},
		{`"text"`, objectNot},
		{`123`, objectNot},
		{`{"a":1}{"a":2}`, objectNot},
		{"{\"a\":1}\n{", objectNot},
		{`{"a":1},`, objectNot},
		{`{"a":1}]`, objectNot},
	} {
		whole := (&objectScan{}).feed([]byte(tc.body))
		s := &objectScan{}
		var piecewise objectVerdict
		for i := 0; i <= len(tc.body); i++ {
			if piecewise = s.feed([]byte(tc.body[:i])); piecewise == objectNot {
				break
			}
		}
		if whole != tc.want || piecewise != tc.want {
			t.Errorf("%q: verdict %d whole, %d byte by byte; want %d", tc.body, whole, piecewise, tc.want)
		}
	}
}
