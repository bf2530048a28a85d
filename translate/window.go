package translate

import (
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
)

// untilNextWindow returns how long from now until the quota window turns
// over in loc, rounded up to whole seconds and at least one second, so that
// a client honouring it never retries inside the exhausted window.
func untilNextWindow(now time.Time, w errbridgev1.QuotaWindow, loc *time.Location) time.Duration {
	t := now.In(loc)
	y, mo, d := t.Date()
	h, mi, _ := t.Clock()
	var next time.Time
	switch w {
	case errbridgev1.QuotaWindow_QUOTA_WINDOW_MINUTE:
		next = time.Date(y, mo, d, h, mi+1, 0, 0, loc)
	case errbridgev1.QuotaWindow_QUOTA_WINDOW_HOUR:
		next = time.Date(y, mo, d, h+1, 0, 0, 0, loc)
	case errbridgev1.QuotaWindow_QUOTA_WINDOW_DAY:
		next = time.Date(y, mo, d+1, 0, 0, 0, 0, loc)
	default:
		next = time.Date(y, mo+1, 1, 0, 0, 0, 0, loc)
	}
	delay := next.Sub(now)
	if r := delay % time.Second; r != 0 {
		delay += time.Second - r
	}
	if delay < time.Second {
		delay = time.Second
	}
	return delay
}
