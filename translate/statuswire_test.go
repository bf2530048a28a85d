package translate

import (
	"bytes"
	"fmt"
	"testing"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
)

// compareStatusEncoders checks that AppendStatus and SizeStatus agree with
// proto.Marshal on st, which protobuf-go can encode.
func compareStatusEncoders(st *spb.Status) error {
	want, err := proto.Marshal(st)
	if err != nil {
		return fmt.Errorf("proto.Marshal: %v", err)
	}
	n, ok := SizeStatus(st, nil)
	if !ok {
		return fmt.Errorf("SizeStatus declines a status the engine built")
	}
	got, ok := AppendStatus([]byte("prefix"), st)
	if !ok || !bytes.Equal(got[len("prefix"):], want) || n != len(want) {
		return fmt.Errorf("AppendStatus = %x, %v (size %d), want %x (size %d)", got, ok, n, want, len(want))
	}
	field := AppendStatusField(nil, 7, st, n)
	wantField := protowire.AppendBytes(protowire.AppendTag(nil, 7, protowire.BytesType), want)
	if !bytes.Equal(field, wantField) {
		return fmt.Errorf("AppendStatusField = %x, want %x", field, wantField)
	}
	return nil
}

// TestStatusEncoderMatchesProtobuf checks the encoder on statuses the
// engine never builds, and that it declines what it would not encode as
// protobuf-go does.
func TestStatusEncoderMatchesProtobuf(t *testing.T) {
	if !statusFields.ok {
		t.Fatal("the Status encoder does not recognise google.rpc.Status's descriptor")
	}
	withUnknown := &spb.Status{Code: 3}
	withUnknown.ProtoReflect().SetUnknown(protowire.AppendVarint(protowire.AppendTag(nil, 99, protowire.VarintType), 1))
	anyUnknown := &anypb.Any{TypeUrl: "t"}
	anyUnknown.ProtoReflect().SetUnknown(protowire.AppendVarint(protowire.AppendTag(nil, 99, protowire.VarintType), 1))
	for _, tc := range []struct {
		name    string
		st      *spb.Status
		encodes bool
	}{
		{"empty", &spb.Status{}, true},
		{"negative code", &spb.Status{Code: -1, Message: "m"}, true},
		{"large code", &spb.Status{Code: 1 << 30}, true},
		{"empty details", &spb.Status{Code: 5, Details: []*anypb.Any{{}, {TypeUrl: "u"}, {Value: []byte{0}}}}, true},
		{"long message", &spb.Status{Code: 2, Message: string(bytes.Repeat([]byte("é"), 300))}, true},
		{"invalid UTF-8 message", &spb.Status{Code: 2, Message: "\xff"}, false},
		{"invalid UTF-8 type URL", &spb.Status{Code: 2, Details: []*anypb.Any{{TypeUrl: "\xc3"}}}, false},
		{"nil detail", &spb.Status{Code: 2, Details: []*anypb.Any{nil}}, false},
		{"unknown fields", withUnknown, false},
		{"unknown fields in a detail", &spb.Status{Details: []*anypb.Any{anyUnknown}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ok := SizeStatus(tc.st, nil)
			out, appended := AppendStatus([]byte("x"), tc.st)
			if ok != tc.encodes || appended != tc.encodes {
				t.Fatalf("SizeStatus ok %v, AppendStatus ok %v; want %v", ok, appended, tc.encodes)
			}
			if !tc.encodes {
				if string(out) != "x" {
					t.Fatalf("a declined status appended %x", out)
				}
				return
			}
			if err := compareStatusEncoders(tc.st); err != nil {
				t.Fatal(err)
			}
		})
	}
	if n, ok := SizeStatus(nil, nil); n != 0 || !ok {
		t.Fatalf("SizeStatus(nil, nil) = %d, %v", n, ok)
	}
}
