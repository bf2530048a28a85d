package translate

import (
	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/internal/wire"
)

// compiled is a catalogue entry with the parts of its Status that do not
// depend on the response already encoded, built once per translator.
type compiled struct {
	entry *catalog.Entry
	// errorInfoHead is ErrorInfo's reason and domain fields; the metadata
	// entries are appended per response.
	errorInfoHead []byte
	localized     [numLocales][]byte // LocalizedMessage per locale
	text          [numLocales]string // the LocalizedMessage text per locale
	help          []byte             // Help, or nil
	quota         []byte             // QuotaFailure, or nil
	fixedRetry    []byte             // RetryInfo for a fixed delay, or nil
	window        errbridgev1.QuotaWindow
}

func compile(e *catalog.Entry, domain string) *compiled {
	s := e.Spec
	c := &compiled{entry: e, window: s.GetQuota().GetWindow()}
	c.errorInfoHead = wire.AppendStringField(wire.AppendStringField(nil, 1, e.Reason), 2, domain)
	c.text[localeEnUS], c.text[localeZhCN] = s.GetEnUs(), s.GetZhCn()
	for l := locale(0); l < numLocales; l++ {
		c.localized[l] = wire.AppendStringField(wire.AppendStringField(nil, 1, l.String()), 2, c.text[l])
	}
	if s.GetHelpUrl() != "" {
		link := wire.AppendStringField(wire.AppendStringField(nil, 1, s.GetHelpDescription()), 2, s.GetHelpUrl())
		c.help = wire.AppendBytesField(nil, 1, link)
	}
	if q := s.GetQuota(); q != nil {
		v := wire.AppendStringField(nil, 1, q.GetSubject())
		v = wire.AppendStringField(v, 2, q.GetDescription())
		v = wire.AppendStringField(v, 4, q.GetMetric())
		v = wire.AppendVarintField(v, 7, uint64(q.GetLimit()))
		c.quota = wire.AppendBytesField(nil, 1, v)
	}
	if d := s.GetRetryDelay(); d != nil {
		c.fixedRetry = appendDuration(nil, 1, d.GetSeconds(), d.GetNanos())
	}
	return c
}
