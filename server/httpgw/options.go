package httpgw

import "errors"

// config is what the options set.
type config struct {
	maxMessageBytes uint32
}

// Option configures the handler of [New].
type Option func(*config) error

// WithMaxMessageBytes bounds the bytes of one request or response message
// as the caller sends or receives it (JSON or binary), which the handler
// buffers while it transcodes; a larger one fails with RESOURCE_EXHAUSTED.
// The default is vanguard's, 4 GiB: set it.
func WithMaxMessageBytes(n uint32) Option {
	return func(c *config) error {
		if n == 0 {
			return errors.New("httpgw: max message bytes must be positive")
		}
		c.maxMessageBytes = n
		return nil
	}
}
