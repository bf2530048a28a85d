package translate

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/grpc/codes"
)

// DefaultDomain is the ErrorInfo domain of errbridge's reasons unless
// [WithDomain] says otherwise: the error space of Tencent Meeting errors as
// catalogued by errbridge.
const DefaultDomain = "tencentmeeting.errbridge.dev"

// MaxStatusBytes bounds the encoded size of every Status the engine builds,
// so that it fits the grpc-status-details-bin trailer of strict peers.
const MaxStatusBytes = 4096

// chinaStandardTime is the default quota time zone: the upstream service runs
// in China, which has no daylight saving time.
var chinaStandardTime = time.FixedZone("UTC+8", 8*60*60)

// Translator translates upstream responses with one configuration. It is
// immutable and safe for concurrent use.
type Translator struct {
	cat      *catalog.Catalog
	domain   string
	locale   locale
	quotaLoc *time.Location
	now      func() time.Time
	families map[errbridgev1.ApiFamily]map[int64]*compiled
	unknown  *compiled
	badBody  *compiled
}

// Option configures a [Translator].
type Option func(*Translator) error

// WithDomain sets the ErrorInfo domain (default [DefaultDomain]).
func WithDomain(domain string) Option {
	return func(t *Translator) error {
		if domain == "" || len(domain) > 253 || strings.ContainsAny(domain, " \t\r\n/") {
			return fmt.Errorf("translate: invalid domain %q: want a DNS-style name of at most 253 characters", domain)
		}
		t.domain = domain
		return nil
	}
}

// WithDefaultLocale sets the locale of the LocalizedMessage detail when a call
// names none (default en-US). It must be one errbridge serves: zh-CN or en-US
// (or a tag that resolves to one, such as "zh" or "en-GB").
func WithDefaultLocale(tag string) Option {
	return func(t *Translator) error {
		l, ok := parseLocale(tag)
		if !ok {
			return fmt.Errorf("translate: invalid default locale: %v: want a BCP-47 tag such as zh-CN or en-US", CheckLocale(tag))
		}
		t.locale = l
		return nil
	}
}

// WithQuotaLocation sets the time zone in which daily and monthly upstream
// quotas reset (default UTC+8, China Standard Time).
func WithQuotaLocation(loc *time.Location) Option {
	return func(t *Translator) error {
		if loc == nil {
			return errors.New("translate: nil quota location")
		}
		t.quotaLoc = loc
		return nil
	}
}

// WithClock sets the clock used to compute the delay until a quota window
// turns over (default time.Now). Tests use it to fix the time.
func WithClock(now func() time.Time) Option {
	return func(t *Translator) error {
		if now == nil {
			return errors.New("translate: nil clock")
		}
		t.now = now
		return nil
	}
}

// WithCatalog sets the catalogue (default [catalog.Default]).
func WithCatalog(c *catalog.Catalog) Option {
	return func(t *Translator) error {
		if c == nil {
			return errors.New("translate: nil catalog")
		}
		t.cat = c
		return nil
	}
}

// New returns a translator configured by opts.
func New(opts ...Option) (*Translator, error) {
	t := &Translator{
		domain:   DefaultDomain,
		locale:   localeEnUS,
		quotaLoc: chinaStandardTime,
		now:      time.Now,
	}
	for _, opt := range opts {
		if err := opt(t); err != nil {
			return nil, err
		}
	}
	if t.cat == nil {
		t.cat = catalog.Default()
	}
	t.families = make(map[errbridgev1.ApiFamily]map[int64]*compiled)
	for _, e := range t.cat.Entries() {
		m := t.families[e.Family]
		if m == nil {
			m = make(map[int64]*compiled)
			t.families[e.Family] = m
		}
		m[e.Code] = compile(e, t.domain)
	}
	t.unknown = t.families[errbridgev1.ApiFamily_API_FAMILY_FALLBACK][int64(errbridgev1.FallbackReason_FALLBACK_REASON_UNKNOWN_ERROR_CODE)]
	t.badBody = t.families[errbridgev1.ApiFamily_API_FAMILY_FALLBACK][int64(errbridgev1.FallbackReason_FALLBACK_REASON_UNPARSEABLE_BODY)]
	if t.unknown == nil || t.badBody == nil {
		return nil, errors.New("translate: the catalogue lacks the fallback reasons")
	}
	return t, nil
}

// Domain returns the ErrorInfo domain of the translator's statuses.
func (t *Translator) Domain() string { return t.domain }

// Catalog returns the catalogue the translator reads.
func (t *Translator) Catalog() *catalog.Catalog { return t.cat }

// codeFor is the gRPC code of a compiled entry for an HTTP status.
func codeFor(c *compiled, httpStatus int) codes.Code {
	if !c.entry.Spec.GetCodeFromHttpStatus() {
		return c.entry.GRPCCode()
	}
	code := CodeForHTTPStatus(httpStatus)
	if code == codes.OK {
		return codes.Unknown // an error in a 2xx response
	}
	return code
}
