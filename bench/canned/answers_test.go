package main

import (
	"bytes"
	"encoding/json"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/service"
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
	svc, err := service.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := translateAnswers(data, svc)
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

// TestBatchAnswers looks batches up by their digest: a batch whose header
// entries come in the other order gets the same answer, a batch not in the
// file gets none, and a file holding two batches of one digest is refused.
func TestBatchAnswers(t *testing.T) {
	t.Parallel()
	svc, err := service.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	one := &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(`{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`),
		Headers: map[string]string{"X-TC-Trace": "abc", "Content-Type": "application/json"}}
	two := &errbridgev1.TranslateRequest{HttpStatus: 500, Body: []byte(`{"error_info":{"error_code":190300,"message":"rate limited"}}`)}
	file := func(batches ...*errbridgev1.TranslateBatchRequest) []byte {
		msgs := make([]json.RawMessage, len(batches))
		for i, b := range batches {
			js, err := protojson.Marshal(b)
			if err != nil {
				t.Fatal(err)
			}
			msgs[i] = js
		}
		data, err := json.Marshal(msgs)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	batch := &errbridgev1.TranslateBatchRequest{Requests: []*errbridgev1.TranslateRequest{one, two}}
	a, err := batchAnswers(file(batch, &errbridgev1.TranslateBatchRequest{Requests: []*errbridgev1.TranslateRequest{two}}), svc)
	if err != nil {
		t.Fatal(err)
	}
	// The batch with one's header entries written in the other order.
	entry := func(k, v string) []byte {
		var e []byte
		e = protowire.AppendTag(e, 1, protowire.BytesType)
		e = protowire.AppendString(e, k)
		e = protowire.AppendTag(e, 2, protowire.BytesType)
		return protowire.AppendString(e, v)
	}
	var first []byte
	first = protowire.AppendTag(first, 1, protowire.VarintType)
	first = protowire.AppendVarint(first, 400)
	first = protowire.AppendTag(first, 2, protowire.BytesType)
	first = protowire.AppendBytes(first, one.GetBody())
	for _, k := range []string{"X-TC-Trace", "Content-Type"} { // deterministic order is the reverse
		first = protowire.AppendTag(first, 3, protowire.BytesType)
		first = protowire.AppendBytes(first, entry(k, one.GetHeaders()[k]))
	}
	second, err := proto.Marshal(two)
	if err != nil {
		t.Fatal(err)
	}
	var reordered []byte
	for _, r := range [][]byte{first, second} {
		reordered = protowire.AppendTag(reordered, 1, protowire.BytesType)
		reordered = protowire.AppendBytes(reordered, r)
	}
	key, err := proto.MarshalOptions{Deterministic: true}.Marshal(batch)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(key, reordered) {
		t.Fatal("the reordered encoding is the deterministic one")
	}
	var check errbridgev1.TranslateBatchRequest
	if err := proto.Unmarshal(reordered, &check); err != nil || !proto.Equal(&check, batch) {
		t.Fatalf("the reordered encoding is not the same batch: %v", err)
	}
	for name, req := range map[string][]byte{"deterministic encoding": key, "headers reordered": reordered} {
		var resp errbridgev1.TranslateBatchResponse
		if err := proto.Unmarshal(a.lookup(req), &resp); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := len(resp.GetResults()); n != 2 || resp.GetResults()[0].GetResponse().GetReason() != "MEETING_NOT_FOUND" {
			t.Errorf("%s: %d results, the first %v; want 2, MEETING_NOT_FOUND", name, n, resp.GetResults())
		}
	}
	if got := a.lookup(second); got != nil {
		t.Errorf("a request not in the file got an answer: %x", got)
	}
	swapped := &errbridgev1.TranslateBatchRequest{Requests: []*errbridgev1.TranslateRequest{two, one}} // the same bytes
	if _, err := batchAnswers(file(batch, swapped), svc); err == nil {
		t.Error("a file with two batches of one digest was accepted")
	}
}
