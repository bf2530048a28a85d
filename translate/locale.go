package translate

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"golang.org/x/text/language"
)

// locale is one of the locales errbridge has texts for.
type locale uint8

const (
	localeEnUS locale = iota
	localeZhCN
	numLocales
)

// String returns the locale's BCP-47 tag.
func (l locale) String() string {
	if l == localeZhCN {
		return "zh-CN"
	}
	return "en-US"
}

// maxLocaleBytes bounds the length of a locale tag.
const maxLocaleBytes = 64

// parseLocale resolves a BCP-47 tag (or its POSIX spelling, zh_CN) to a
// served locale by its language: any Chinese tag gets zh-CN, any other valid
// tag en-US. It reports false for a tag that is not valid BCP-47 as
// golang.org/x/text/language parses it (well-formed, and every subtag
// registered); [CheckLocale] says why.
func parseLocale(tag string) (locale, bool) {
	// The common tags, without the parser.
	switch {
	case asciiEqualFold(tag, "zh-CN"), asciiEqualFold(tag, "zh"), asciiEqualFold(tag, "zh_CN"):
		return localeZhCN, true
	case asciiEqualFold(tag, "en-US"), asciiEqualFold(tag, "en"), asciiEqualFold(tag, "en_US"):
		return localeEnUS, true
	case tag == "" || len(tag) > maxLocaleBytes:
		return localeEnUS, false
	}
	if v, ok := parsedLocales.Load(tag); ok {
		r := v.(parsedLocale)
		return r.locale, r.valid
	}
	r := parsedLocale{locale: localeEnUS}
	if t, err := language.Parse(tag); err == nil {
		r.valid = true
		if base, _ := t.Base(); base == chinese {
			r.locale = localeZhCN
		} else if macro, err := language.Macro.Canonicalize(t); err == nil {
			if b, _ := macro.Base(); b == chinese {
				r.locale = localeZhCN // cmn (Mandarin) and other members of the Chinese macrolanguage
			}
		}
	}
	if numParsedLocales.Load() < maxParsedLocales && numParsedLocales.Add(1) <= maxParsedLocales {
		parsedLocales.Store(tag, r)
	}
	return r.locale, r.valid
}

// parsedLocale is the outcome of parsing one tag.
type parsedLocale struct {
	locale locale
	valid  bool
}

// parsedLocales remembers the outcome of the first maxParsedLocales distinct
// tags that needed the parser (which allocates), so that callers who send
// the same few tags pay for each once. The bound keeps hostile input from
// growing it.
var (
	parsedLocales    sync.Map // string -> parsedLocale
	numParsedLocales atomic.Int64
)

const maxParsedLocales = 1024

// chinese is the base language of every tag served in zh-CN.
var chinese = language.MustParseBase("zh")

// asciiEqualFold reports whether a equals b, ignoring the case of ASCII
// letters.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// ParseLocale reports whether tag is a valid BCP-47 locale errbridge can
// serve (every valid tag can: Chinese ones get zh-CN, others en-US), and
// which one it resolves to.
func ParseLocale(tag string) (resolved string, ok bool) {
	l, ok := parseLocale(tag)
	return l.String(), ok
}

// CheckLocale returns nil for a tag [ParseLocale] accepts, and otherwise an
// error that says what is wrong with it, for a caller's field violation.
func CheckLocale(tag string) error {
	if _, ok := parseLocale(tag); ok {
		return nil
	}
	switch {
	case tag == "":
		return errors.New("the locale is empty")
	case len(tag) > maxLocaleBytes:
		return fmt.Errorf("the locale is %d bytes long; at most %d are accepted", len(tag), maxLocaleBytes)
	}
	_, err := language.Parse(tag)
	return fmt.Errorf("%q is not a valid BCP-47 language tag (%v)", tag, err)
}
