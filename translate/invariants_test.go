package translate

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
)

// checkInvariants returns the first way in which r breaks the package's
// invariants: the code range, exactly one ErrorInfo on errors and no details
// on success, details that decode, are valid UTF-8 and are encoded exactly as
// deterministic proto.Marshal would, the size bound, and a Status that
// AppendStatus encodes exactly as proto.Marshal does.
func checkInvariants(r *Result) error {
	if r == nil {
		return fmt.Errorf("nil result")
	}
	st := r.Proto()
	if size := proto.Size(st); size >= MaxStatusBytes {
		return fmt.Errorf("status is %d bytes, want < %d", size, MaxStatusBytes)
	}
	if err := compareStatusEncoders(st); err != nil {
		return err
	}
	if !utf8.ValidString(st.GetMessage()) {
		return fmt.Errorf("message is not valid UTF-8")
	}
	code := codes.Code(st.GetCode())
	if code == codes.OK {
		if len(st.GetDetails()) != 0 || r.Err() != nil {
			return fmt.Errorf("OK status with details or an error")
		}
		return nil
	}
	if code < 1 || code > 16 {
		return fmt.Errorf("code %d is outside 1..16", code)
	}
	if st.GetMessage() == "" {
		return fmt.Errorf("error status without a message")
	}
	infos := 0
	seen := map[string]bool{}
	for _, a := range st.GetDetails() {
		if seen[a.GetTypeUrl()] {
			return fmt.Errorf("detail %s appears twice", a.GetTypeUrl())
		}
		seen[a.GetTypeUrl()] = true
		m, err := a.UnmarshalNew() // fails on invalid UTF-8 in a string field
		if err != nil {
			return fmt.Errorf("detail %s does not decode: %v", a.GetTypeUrl(), err)
		}
		canonical, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
		if err != nil {
			return fmt.Errorf("detail %s does not re-encode: %v", a.GetTypeUrl(), err)
		}
		if !bytes.Equal(canonical, a.GetValue()) {
			return fmt.Errorf("detail %s is not canonically encoded:\n got %x\nwant %x", a.GetTypeUrl(), a.GetValue(), canonical)
		}
		switch d := m.(type) {
		case *errdetails.ErrorInfo:
			infos++
			if d.GetReason() != r.Reason() || d.GetReason() == "" || d.GetDomain() == "" {
				return fmt.Errorf("ErrorInfo reason %q / domain %q do not match the result", d.GetReason(), d.GetDomain())
			}
			if d.GetMetadata()[keyHTTPStatus] == "" {
				return fmt.Errorf("ErrorInfo lacks httpStatus")
			}
		case *errdetails.LocalizedMessage:
			if d.GetLocale() == "" || d.GetMessage() == "" {
				return fmt.Errorf("LocalizedMessage needs both locale and message")
			}
		}
	}
	if infos != 1 {
		return fmt.Errorf("%d ErrorInfo details, want exactly 1", infos)
	}
	if _, retryable := r.RetryDelay(); retryable != seen[typeRetryInfo] {
		return fmt.Errorf("RetryDelay says retryable=%v, RetryInfo present=%v", retryable, seen[typeRetryInfo])
	}
	return nil
}
