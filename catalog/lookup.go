package catalog

import errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"

// Entries returns every entry, ordered by family and then code. The slice is
// shared: do not modify it.
func (c *Catalog) Entries() []*Entry { return c.entries }

// Lookup returns the entry of an upstream code in a family.
func (c *Catalog) Lookup(family errbridgev1.ApiFamily, code int64) (*Entry, bool) {
	e, ok := c.byFamily[family][code]
	return e, ok
}

// LookupReason returns the entry whose ErrorInfo reason is reason.
func (c *Catalog) LookupReason(reason string) (*Entry, bool) {
	e, ok := c.byReason[reason]
	return e, ok
}

// Fallback returns the entry of one of errbridge's own fallback reasons.
func (c *Catalog) Fallback(r errbridgev1.FallbackReason) *Entry {
	return c.byFamily[errbridgev1.ApiFamily_API_FAMILY_FALLBACK][int64(r)]
}
