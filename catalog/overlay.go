package catalog

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/protobuf/proto"
)

// MaxOverlayEntries bounds the entries of a catalogue overlay. Every reason
// is a label value of errbridge's metrics, so the label set stays the
// built-in reasons plus at most this many.
const MaxOverlayEntries = 128

// overlayInfo records the overlay a catalogue was built with.
type overlayInfo struct {
	file    string // as given to WithOverlay
	added   int
	replace int
}

// OverlayFile returns the overlay file a catalogue was built with, as given
// to [Catalog.WithOverlay], and how many codes it added and replaced. The
// file is empty for the built-in catalogue.
func (c *Catalog) OverlayFile() (file string, added, replaced int) {
	return c.overlay.file, c.overlay.added, c.overlay.replace
}

// OverlayError is one fault of a catalogue overlay: the file, the entry (its
// index, family and code) and the field at fault.
type OverlayError struct {
	// File is the overlay file, as given.
	File string
	// Index is the entry's index in CatalogOverlay.entries, or -1 when the
	// file as a whole is at fault (it cannot be read or decoded, or it holds
	// too many entries).
	Index int
	// Family and Code are the entry's key, as written in the file.
	Family errbridgev1.ApiFamily
	Code   int64
	// Field is the field at fault within the entry, e.g. "spec.retry_delay"
	// or "reason"; empty when the file as a whole is at fault.
	Field string
	// Err says what is wrong.
	Err error
}

// Error implements error, e.g. `catalog overlay overlay.textproto:
// entries[2] (rest 9007): spec.retry_delay: this retry policy needs a
// positive retry_delay`.
func (e *OverlayError) Error() string {
	s := "catalog overlay " + e.File + ": "
	if e.Index >= 0 {
		s += "entries[" + strconv.Itoa(e.Index) + "] (" + FamilyName(e.Family) + " " + strconv.FormatInt(e.Code, 10) + "): "
	}
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *OverlayError) Unwrap() error { return e.Err }

// prefixOf is the enum-value prefix of an overlayable family: REST or OAuth.
func prefixOf(f errbridgev1.ApiFamily) (string, bool) {
	if f != errbridgev1.ApiFamily_API_FAMILY_REST && f != errbridgev1.ApiFamily_API_FAMILY_OAUTH {
		return "", false
	}
	for _, fe := range families {
		if fe.family == f {
			return enumPrefix(fe.enum), true
		}
	}
	return "", false
}

// WithOverlay returns a new catalogue: c with the entries of ov, which add
// codes that c lacks or replace the spec of codes that it has. c itself is
// unchanged, and file names the overlay in errors and, by its base name, in
// each overlay entry's [Entry.OverlayFile].
//
// Every entry passes the checks of the built-in catalogue. An entry that adds
// a code names its reason, which no entry of c and no other entry of ov may
// have; its [Entry.Value] is nil and its [Entry.Name] is the name the code
// would have as an enum value. An entry that replaces a code keeps the code's
// name and reason: its own reason is empty or that reason, since reasons are
// a contract with callers. Only REST and OAuth codes from 1 to 2147483647 can
// be overlaid, at most [MaxOverlayEntries] of them, each once.
//
// The error, when there is one, joins an [*OverlayError] per fault.
func (c *Catalog) WithOverlay(ov *errbridgev1.CatalogOverlay, file string) (*Catalog, error) {
	entries := ov.GetEntries()
	if len(entries) > MaxOverlayEntries {
		return nil, &OverlayError{File: file, Index: -1, Field: "entries",
			Err: fmt.Errorf("holds %d entries; at most %d are allowed", len(entries), MaxOverlayEntries)}
	}
	type key struct {
		family errbridgev1.ApiFamily
		code   int64
	}
	var errs []error
	byKey := make(map[key]int, len(entries))
	byReason := make(map[string]int, len(entries))
	made := make([]*Entry, 0, len(entries))
	base := filepath.Base(file)
	for i, oe := range entries {
		fail := func(field string, err error) {
			errs = append(errs, &OverlayError{File: file, Index: i, Family: oe.GetFamily(), Code: oe.GetCode(), Field: field, Err: err})
		}
		e, field, err := c.overlayEntry(oe, base)
		if err != nil {
			fail(field, err)
			continue
		}
		k := key{e.Family, e.Code}
		if j, dup := byKey[k]; dup {
			fail("code", fmt.Errorf("entries[%d] has the same family and code", j))
			continue
		}
		byKey[k] = i
		if e.Source == errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY {
			if j, dup := byReason[e.Reason]; dup {
				fail("reason", fmt.Errorf("%s is also the reason of entries[%d]", e.Reason, j))
				continue
			}
			byReason[e.Reason] = i
		}
		made = append(made, e)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c.merge(made, file), nil
}

// overlayEntry makes the entry of one overlay entry, or says which field is
// at fault.
func (c *Catalog) overlayEntry(oe *errbridgev1.OverlayEntry, file string) (e *Entry, field string, err error) {
	prefix, ok := prefixOf(oe.GetFamily())
	if !ok {
		return nil, "family", fmt.Errorf("%s cannot be overlaid: want API_FAMILY_REST or API_FAMILY_OAUTH", oe.GetFamily())
	}
	if oe.GetCode() < 1 || oe.GetCode() > math.MaxInt32 {
		return nil, "code", fmt.Errorf("%d is out of range: want 1 to %d", oe.GetCode(), math.MaxInt32)
	}
	if oe.GetSpec() == nil {
		return nil, "spec", errors.New("is required")
	}
	e = &Entry{
		Family:      oe.GetFamily(),
		Code:        oe.GetCode(),
		Spec:        proto.Clone(oe.GetSpec()).(*errbridgev1.ErrorSpec),
		OverlayFile: file,
	}
	if builtin, ok := c.Lookup(e.Family, e.Code); ok {
		if r := oe.GetReason(); r != "" && r != builtin.Reason {
			return nil, "reason", fmt.Errorf("%s replaces %s, whose reason %s stays: leave reason empty or write %s",
				r, builtin.Name, builtin.Reason, builtin.Reason)
		}
		e.Name, e.Reason, e.Value = builtin.Name, builtin.Reason, builtin.Value
		e.Source = errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY_REPLACEMENT
	} else {
		e.Reason = oe.GetReason()
		if e.Reason == "" {
			return nil, "reason", errors.New("is required for a code the built-in catalogue lacks")
		}
		if prev, dup := c.LookupReason(e.Reason); dup {
			return nil, "reason", fmt.Errorf("%s is already the reason of %s", e.Reason, prev.Name)
		}
		if l, retired := retiredReasons()[e.Reason]; retired {
			return nil, "reason", fmt.Errorf("%s was retired (it meant %s %d until a release renamed it): a shipped reason never comes back", e.Reason, l.family, l.code)
		}
		e.Name = prefix + e.Reason
		e.Source = errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY
	}
	if err := check(e); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			if fe.Field == "reason" {
				return nil, "reason", errors.New(fe.Msg)
			}
			return nil, "spec." + fe.Field, errors.New(fe.Msg)
		}
		return nil, "spec", err
	}
	return e, "", nil
}

// merge returns c with the checked overlay entries added or in place of
// c's.
func (c *Catalog) merge(made []*Entry, file string) *Catalog {
	n := &Catalog{
		byFamily: make(map[errbridgev1.ApiFamily]map[int64]*Entry, len(c.byFamily)),
		byReason: make(map[string]*Entry, len(c.byReason)+len(made)),
		overlay:  overlayInfo{file: file},
	}
	for f, m := range c.byFamily {
		cp := make(map[int64]*Entry, len(m))
		for code, e := range m {
			cp[code] = e
		}
		n.byFamily[f] = cp
	}
	for r, e := range c.byReason {
		n.byReason[r] = e
	}
	for _, e := range made {
		if e.Source == errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY {
			n.overlay.added++
		} else {
			n.overlay.replace++
		}
		n.byFamily[e.Family][e.Code] = e
		n.byReason[e.Reason] = e
	}
	for _, m := range n.byFamily {
		for _, e := range m {
			n.entries = append(n.entries, e)
		}
	}
	n.sortEntries()
	return n
}
