package translate

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

// parseLocale resolves a BCP-47 tag (or its POSIX spelling, zh_CN) to a
// served locale by its primary language: any Chinese tag gets zh-CN, any
// other well-formed tag en-US. It reports false for a malformed tag.
func parseLocale(tag string) (locale, bool) {
	if tag == "" || len(tag) > 64 {
		return localeEnUS, false
	}
	primary := -1 // length of the primary subtag
	sub := 0
	for i := 0; i <= len(tag); i++ {
		if i == len(tag) || tag[i] == '-' || tag[i] == '_' {
			if sub == 0 || sub > 8 {
				return localeEnUS, false
			}
			if primary < 0 {
				primary = sub
			}
			sub = 0
			continue
		}
		c := tag[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return localeEnUS, false
		}
		sub++
	}
	if primary == 2 && (tag[0]|0x20) == 'z' && (tag[1]|0x20) == 'h' {
		return localeZhCN, true
	}
	return localeEnUS, true
}

// ParseLocale reports whether tag is a well-formed locale errbridge can serve
// (every well-formed tag can: Chinese ones get zh-CN, others en-US), and
// which one it resolves to.
func ParseLocale(tag string) (resolved string, ok bool) {
	l, ok := parseLocale(tag)
	return l.String(), ok
}
