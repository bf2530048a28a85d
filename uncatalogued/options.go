package uncatalogued

import (
	"errors"
	"fmt"
	"log/slog"
)

var errNilOption = errors.New("uncatalogued: nil option")

// Option configures a [Tracker].
type Option func(*Tracker) error

// WithLogger sets the logger of the first-seen lines (default
// slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(t *Tracker) error {
		if l == nil {
			return errors.New("uncatalogued: nil logger")
		}
		t.logger = l
		return nil
	}
}

// WithMaxCodes sets how many distinct codes get a series of their own
// (default [DefaultMaxCodes]); the rest share the "other" series.
func WithMaxCodes(n int) Option {
	return func(t *Tracker) error {
		if n < 1 || n > MaxMaxCodes {
			return fmt.Errorf("uncatalogued: max codes must be 1 to %d, got %d", MaxMaxCodes, n)
		}
		t.max = n
		return nil
	}
}
