package service

import (
	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
)

// errorCodes is the catalogue's error codes as ErrorCode messages, built
// once. The code-0 values (the REST and OAuth successes and the
// never-reported FALLBACK_REASON_UNSPECIFIED) are not error codes and are
// left out. The messages are shared between calls and must not be modified.
type errorCodes struct {
	cat     *catalog.Catalog
	entries []*catalog.Entry         // catalogue order: family, then code
	all     []*errbridgev1.ErrorCode // all[i] is entries[i]
	byEntry map[*catalog.Entry]*errbridgev1.ErrorCode
}

func newErrorCodes(c *catalog.Catalog) errorCodes {
	var entries []*catalog.Entry
	for _, e := range c.Entries() {
		if !e.IsSuccess() {
			entries = append(entries, e)
		}
	}
	ec := errorCodes{
		cat:     c,
		entries: entries,
		all:     make([]*errbridgev1.ErrorCode, len(entries)),
		byEntry: make(map[*catalog.Entry]*errbridgev1.ErrorCode, len(entries)),
	}
	for i, e := range entries {
		m := &errbridgev1.ErrorCode{
			Family: e.Family,
			Code:   e.Code,
			Name:   e.Name,
			Reason: e.Reason,
			Spec:   e.Spec,
			Source: e.Source,
			// The base name only: the server's file layout stays private.
			OverlayFile: e.OverlayFile,
		}
		ec.all[i] = m
		ec.byEntry[e] = m
	}
	return ec
}
