package main

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// offsetPattern matches a fixed UTC offset: "UTC+8", "GMT-05:30", "+0800".
var offsetPattern = regexp.MustCompile(`^(?i:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$`)

// parseQuotaLocation reads a time zone: a fixed offset east of UTC such as
// "UTC+8" (unlike the inverted IANA "Etc/GMT-8"), or an IANA name such as
// "Asia/Shanghai" or "UTC".
func parseQuotaLocation(s string) (*time.Location, error) {
	if m := offsetPattern.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[2])
		mins := 0
		if m[3] != "" {
			mins, _ = strconv.Atoi(m[3])
		}
		if h > 14 || mins > 59 || h == 14 && mins > 0 {
			return nil, fmt.Errorf("invalid time zone %q: offsets run from UTC-14 to UTC+14", s)
		}
		secs := (h*60 + mins) * 60
		name := "UTC" + m[1] + strconv.Itoa(h)
		if mins != 0 {
			name += fmt.Sprintf(":%02d", mins)
		}
		if m[1] == "-" {
			secs = -secs
		}
		return time.FixedZone(name, secs), nil
	}
	if s == "" || s == "Local" {
		return nil, fmt.Errorf("invalid time zone %q: want an IANA name such as Asia/Shanghai or an offset such as UTC+8", s)
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("invalid time zone %q: want an IANA name such as Asia/Shanghai or an offset such as UTC+8", s)
	}
	return loc, nil
}
