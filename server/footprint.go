package server

import (
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
)

// Estimates of the memory a call holds once its request is decoded, for the
// memory budget. They are upper bounds for what the engine produces: every
// Status it builds is under 4 KiB, and a response item holds that Status
// decoded, its encoding and the response's own fields.
const (
	// responseItemBytes is what one translated response holds until it is
	// sent: the Status and its details, the TranslateResponse, and their
	// share of the encoded message.
	responseItemBytes = 12 << 10
	// requestItemBytes is what one decoded TranslateRequest holds beyond
	// its body and headers.
	requestItemBytes = 512
	// otherCallBytes is the estimate of any other call once decoded (health,
	// reflection, the catalogue): small messages, small answers.
	otherCallBytes = 16 << 10
)

// footprint is the estimate of what a call holds, from its decoded request
// to its sent response.
func footprint(req any) int64 {
	switch r := req.(type) {
	case *errbridgev1.TranslateRequest:
		return requestBytes(r) + responseItemBytes
	case *errbridgev1.TranslateBatchRequest:
		var n int64
		for _, item := range r.GetRequests() {
			n += requestBytes(item) + responseItemBytes
		}
		return n + otherCallBytes
	}
	return otherCallBytes
}

// requestBytes is what a decoded TranslateRequest holds. The request
// decoder keeps one copy of the message and points every string into it,
// so this is about its encoded size.
func requestBytes(r *errbridgev1.TranslateRequest) int64 {
	n := int64(len(r.GetBody()) + len(r.GetLocale()) + len(r.GetMethod()) + requestItemBytes)
	for k, v := range r.GetHeaders() {
		n += int64(len(k) + len(v) + 64)
	}
	return n
}
