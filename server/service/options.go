package service

import "fmt"

// Defaults of the configurable limits.
const (
	// DefaultMaxBodyBytes is the default bound of TranslateRequest.body: 64 KiB.
	DefaultMaxBodyBytes = 64 << 10
	// DefaultMaxBatch is the default bound of TranslateBatchRequest.requests.
	DefaultMaxBatch = 1000
)

// Fixed bounds of a TranslateRequest.
const (
	// MaxHeaders is how many entries TranslateRequest.headers may hold.
	MaxHeaders = 64
	// MaxHeaderNameBytes bounds the length of one header name.
	MaxHeaderNameBytes = 256
	// MaxHeaderValueBytes bounds the length of one header value.
	MaxHeaderValueBytes = 8 << 10
	// MaxMethodBytes bounds TranslateRequest.method.
	MaxMethodBytes = 32
)

// Limits are the configurable bounds of what a request may hold.
type Limits struct {
	// MaxBodyBytes bounds TranslateRequest.body.
	MaxBodyBytes int
	// MaxBatch bounds the number of requests of a TranslateBatchRequest.
	MaxBatch int
}

// DefaultLimits returns the limits a [Service] has unless configured.
func DefaultLimits() Limits {
	return Limits{MaxBodyBytes: DefaultMaxBodyBytes, MaxBatch: DefaultMaxBatch}
}

// Option configures a [Service].
type Option func(*Service) error

// WithMaxBodyBytes sets the largest body a TranslateRequest may carry
// (default [DefaultMaxBodyBytes]).
func WithMaxBodyBytes(n int) Option {
	return func(s *Service) error {
		if n <= 0 {
			return fmt.Errorf("service: max body bytes must be positive, got %d", n)
		}
		s.limits.MaxBodyBytes = n
		return nil
	}
}

// WithMaxBatch sets how many requests a TranslateBatchRequest may hold
// (default [DefaultMaxBatch]).
func WithMaxBatch(n int) Option {
	return func(s *Service) error {
		if n <= 0 {
			return fmt.Errorf("service: max batch must be positive, got %d", n)
		}
		s.limits.MaxBatch = n
		return nil
	}
}
