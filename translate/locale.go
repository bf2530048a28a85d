package translate

import (
	"errors"
	"fmt"

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
// tag en-US. It reports an error for a tag that is not valid BCP-47, as
// golang.org/x/text/language parses it (well-formed, and every subtag
// registered).
func parseLocale(tag string) (locale, error) {
	// The common tags, without the parser.
	switch {
	case asciiEqualFold(tag, "zh-CN"), asciiEqualFold(tag, "zh"), asciiEqualFold(tag, "zh_CN"):
		return localeZhCN, nil
	case asciiEqualFold(tag, "en-US"), asciiEqualFold(tag, "en"), asciiEqualFold(tag, "en_US"):
		return localeEnUS, nil
	case tag == "":
		return localeEnUS, errors.New("the locale is empty")
	case len(tag) > maxLocaleBytes:
		return localeEnUS, fmt.Errorf("the locale is %d bytes long; at most %d are accepted", len(tag), maxLocaleBytes)
	}
	t, err := language.Parse(tag)
	if err != nil {
		return localeEnUS, fmt.Errorf("%q is not a valid BCP-47 language tag (%v)", tag, err)
	}
	if base, _ := t.Base(); base == chinese {
		return localeZhCN, nil
	}
	if macro, err := language.Macro.Canonicalize(t); err == nil {
		if b, _ := macro.Base(); b == chinese {
			return localeZhCN, nil // cmn (Mandarin) and other Chinese macrolanguage members
		}
	}
	return localeEnUS, nil
}

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
	l, err := parseLocale(tag)
	return l.String(), err == nil
}

// CheckLocale returns nil for a valid BCP-47 tag, and otherwise an error
// that says what is wrong with it, for a caller's field violation.
func CheckLocale(tag string) error {
	_, err := parseLocale(tag)
	return err
}
