package catalog

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"sync"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Catalog indexes every catalogued code. It is immutable and safe for
// concurrent use.
type Catalog struct {
	entries  []*Entry // by family, then code
	byFamily map[errbridgev1.ApiFamily]map[int64]*Entry
	byReason map[string]*Entry
	overlay  overlayInfo
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
	defaultErr  error
)

// Default returns the catalogue compiled into this binary. It panics if the
// catalogue is malformed, which the package's tests rule out for every build.
func Default() *Catalog {
	defaultOnce.Do(func() { defaultCat, defaultErr = Load() })
	if defaultErr != nil {
		panic(defaultErr)
	}
	return defaultCat
}

// families pairs each catalogue enum with the family its values belong to.
var families = []struct {
	family errbridgev1.ApiFamily
	enum   protoreflect.EnumDescriptor
}{
	{errbridgev1.ApiFamily_API_FAMILY_REST, errbridgev1.RestErrorCode(0).Descriptor()},
	{errbridgev1.ApiFamily_API_FAMILY_OAUTH, errbridgev1.OauthErrorCode(0).Descriptor()},
	{errbridgev1.ApiFamily_API_FAMILY_FALLBACK, errbridgev1.FallbackReason(0).Descriptor()},
}

// reasonPattern is AIP-193's shape of an ErrorInfo reason.
var reasonPattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]+[A-Z0-9]$`)

// Load reads the catalogue from the enum descriptors and checks it: every
// value has a spec with both texts and a retry policy, reasons are unique and
// well-formed, and quota, retry and code agree with each other.
func Load() (*Catalog, error) {
	c := &Catalog{
		byFamily: make(map[errbridgev1.ApiFamily]map[int64]*Entry),
		byReason: make(map[string]*Entry),
	}
	var errs []error
	for _, f := range families {
		byCode := make(map[int64]*Entry)
		c.byFamily[f.family] = byCode
		prefix := enumPrefix(f.enum)
		values := f.enum.Values()
		for i := 0; i < values.Len(); i++ {
			vd := values.Get(i)
			e, err := newEntry(f.family, prefix, vd)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			byCode[e.Code] = e
			c.entries = append(c.entries, e)
			if e.IsSuccess() {
				continue // every family's success value shares the empty reason
			}
			if prev, dup := c.byReason[e.Reason]; dup {
				errs = append(errs, fmt.Errorf("catalog: %s and %s share reason %s", prev.Name, e.Name, e.Reason))
			}
			c.byReason[e.Reason] = e
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c.sortEntries()
	return c, nil
}

// sortEntries orders the entries by family, then code.
func (c *Catalog) sortEntries() {
	sort.SliceStable(c.entries, func(i, j int) bool {
		a, b := c.entries[i], c.entries[j]
		if a.Family != b.Family {
			return a.Family < b.Family
		}
		return a.Code < b.Code
	})
}

func newEntry(family errbridgev1.ApiFamily, prefix string, vd protoreflect.EnumValueDescriptor) (*Entry, error) {
	name := string(vd.Name())
	opts := vd.Options()
	if opts == nil || !proto.HasExtension(opts, errbridgev1.E_Spec) {
		return nil, fmt.Errorf("catalog: %s has no spec option", name)
	}
	spec, ok := proto.GetExtension(opts, errbridgev1.E_Spec).(*errbridgev1.ErrorSpec)
	if !ok || spec == nil {
		return nil, fmt.Errorf("catalog: %s has a malformed spec option", name)
	}
	if len(name) <= len(prefix) || name[:len(prefix)] != prefix {
		return nil, fmt.Errorf("catalog: %s lacks the prefix %s", name, prefix)
	}
	e := &Entry{
		Family: family,
		Code:   int64(vd.Number()),
		Name:   name,
		Reason: name[len(prefix):],
		Spec:   spec,
		Value:  vd,
		Source: errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_BUILTIN,
	}
	if err := check(e); err != nil {
		return nil, fmt.Errorf("catalog: %s: %w", name, err)
	}
	if e.IsSuccess() {
		e.Reason = ""
	}
	return e, nil
}
