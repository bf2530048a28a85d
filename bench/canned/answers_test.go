package main

import (
	"encoding/json"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// TestAnswers computes the answers of a small data file and looks them up
// by the request's deterministic encoding, by another encoding of the same
// request (fields in reverse order), and for a request not in the file.
func TestAnswers(t *testing.T) {
	t.Parallel()
	req := &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(`{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`), Locale: "zh-CN"}
	js, err := protojson.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal([]json.RawMessage{js})
	if err != nil {
		t.Fatal(err)
	}
	a, err := newAnswers(data)
	if err != nil {
		t.Fatal(err)
	}
	key, err := proto.MarshalOptions{Deterministic: true}.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	// The same fields, last first.
	var reversed []byte
	reversed = protowire.AppendTag(reversed, 4, protowire.BytesType)
	reversed = protowire.AppendString(reversed, req.GetLocale())
	reversed = protowire.AppendTag(reversed, 2, protowire.BytesType)
	reversed = protowire.AppendBytes(reversed, req.GetBody())
	reversed = protowire.AppendTag(reversed, 1, protowire.VarintType)
	reversed = protowire.AppendVarint(reversed, 400)
	var check errbridgev1.TranslateRequest
	if err := proto.Unmarshal(reversed, &check); err != nil || !proto.Equal(&check, req) {
		t.Fatalf("the reversed encoding is not the same request: %v, %v", &check, err)
	}
	for _, tc := range []struct {
		name string
		req  []byte
	}{{"deterministic encoding", key}, {"another encoding", reversed}, {"another encoding, remembered", reversed}} {
		out := a.lookup(tc.req)
		var resp errbridgev1.TranslateResponse
		if err := proto.Unmarshal(out, &resp); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if resp.GetReason() != "MEETING_NOT_FOUND" {
			t.Errorf("%s: reason %q, want MEETING_NOT_FOUND", tc.name, resp.GetReason())
		}
	}
	if got := a.lookup([]byte{0x08, 0x01}); got != nil {
		t.Errorf("a request not in the file got an answer: %x", got)
	}
	if diff := cmp.Diff(a.lookup(key), a.lookup(reversed)); diff != "" {
		t.Errorf("two encodings of one request got different answers (-+):\n%s", diff)
	}
}
