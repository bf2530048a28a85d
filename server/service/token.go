package service

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/fnv"
)

// pageTokenVersion is the first byte of every page token; a token of
// another version is rejected.
const pageTokenVersion = 1

// pageToken is what a ListErrorCodes page token carries: where the next page
// starts, and a fingerprint of the filter and catalogue it was issued for.
type pageToken struct {
	offset      int
	fingerprint uint32
}

// encode returns the token's opaque text: URL-safe base64 of the version,
// the offset as a varint, and the fingerprint.
func (t pageToken) encode() string {
	var b [1 + binary.MaxVarintLen64 + 4]byte
	b[0] = pageTokenVersion
	n := 1 + binary.PutUvarint(b[1:], uint64(t.offset))
	binary.BigEndian.PutUint32(b[n:], t.fingerprint)
	return base64.RawURLEncoding.EncodeToString(b[:n+4])
}

var errMalformedToken = errors.New("malformed page token")

// decodePageToken parses a token made by encode.
func decodePageToken(s string) (pageToken, error) {
	if len(s) > 64 {
		return pageToken{}, errMalformedToken
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 1+1+4 || b[0] != pageTokenVersion {
		return pageToken{}, errMalformedToken
	}
	off, n := binary.Uvarint(b[1:])
	if n <= 0 || 1+n+4 != len(b) || off > 1<<31 {
		return pageToken{}, errMalformedToken
	}
	return pageToken{offset: int(off), fingerprint: binary.BigEndian.Uint32(b[1+n:])}, nil
}

// filterFingerprint identifies a ListErrorCodes filter over a catalogue of
// size entries, so that a token is honoured only with the filter it was
// issued for.
func filterFingerprint(family int32, grpcCode int32, hasCode bool, size int) uint32 {
	h := fnv.New32a()
	var b [4 * 4]byte
	binary.BigEndian.PutUint32(b[0:], uint32(family))
	binary.BigEndian.PutUint32(b[4:], uint32(grpcCode))
	if hasCode {
		b[8] = 1
	}
	binary.BigEndian.PutUint32(b[12:], uint32(size))
	_, _ = h.Write(b[:])
	return h.Sum32()
}
