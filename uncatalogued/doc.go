// Package uncatalogued makes upstream error codes that the catalogue lacks
// visible to operators, so that they learn which codes to add (to codes.proto,
// or at once through a catalogue overlay).
//
// A [Tracker] is fed every translation that fell back to UNKNOWN_ERROR_CODE.
// It counts them in errbridge_unknown_error_codes_total{family,code}, with a
// series for each of the first [DefaultMaxCodes] distinct codes and one
// {family="other",code="other"} series for the rest, so that the label set
// stays bounded whatever upstream sends. The first time it sees a code it
// logs one info line with the family, the code, the HTTP status and at most
// [MaxMessageBytes] of the upstream message, reduced to printable text. It
// never sees, and so never logs, a body or a header.
//
// The gRPC server feeds one from Translate and TranslateBatch; anything else
// that translates (an egress proxy) can feed its own, or share the server's.
package uncatalogued
