package service

import (
	"encoding/base64"
	"testing"
)

func TestPageTokenRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		tok  pageToken
	}{
		{"small", pageToken{offset: 1, fingerprint: 7}},
		{"large", pageToken{offset: 1 << 30, fingerprint: 0xFFFFFFFF}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := decodePageToken(tc.tok.encode())
			if err != nil || got != tc.tok {
				t.Errorf("decode(encode(%v)) = %v, %v", tc.tok, got, err)
			}
		})
	}
}

func TestDecodePageTokenRejectsGarbage(t *testing.T) {
	t.Parallel()
	valid := pageToken{offset: 5, fingerprint: 9}.encode()
	raw, _ := base64.RawURLEncoding.DecodeString(valid)
	other := append([]byte{2}, raw[1:]...)
	for _, tc := range []struct {
		name, token string
	}{
		{"not base64", "!!!"},
		{"empty payload", ""},
		{"truncated", valid[:len(valid)-2]},
		{"trailing bytes", base64.RawURLEncoding.EncodeToString(append(raw, 0))},
		{"other version", base64.RawURLEncoding.EncodeToString(other)},
		{"too long", valid + valid + valid + valid + valid + valid + valid + valid + valid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tok, err := decodePageToken(tc.token); err == nil {
				t.Errorf("decodePageToken(%q) = %v, want an error", tc.token, tok)
			}
		})
	}
}

func TestFilterFingerprintsDiffer(t *testing.T) {
	t.Parallel()
	seen := make(map[uint32]string)
	for _, tc := range []struct {
		name             string
		family, grpcCode int32
		hasCode          bool
		size             int
	}{
		{"all", 0, 0, false, 80},
		{"REST", 1, 0, false, 80},
		{"OK only", 0, 0, true, 80},
		{"NOT_FOUND only", 0, 5, true, 80},
		{"another catalogue", 0, 0, false, 81},
	} {
		fp := filterFingerprint(tc.family, tc.grpcCode, tc.hasCode, tc.size)
		if prev, dup := seen[fp]; dup {
			t.Errorf("filters %q and %q share a fingerprint", prev, tc.name)
		}
		seen[fp] = tc.name
	}
}
