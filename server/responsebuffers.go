package server

import (
	"math/bits"
	"sync"
)

// Tiers of [responseBuffers]: powers of two from 2 KiB (above grpc-go's
// pooling threshold of 1 KiB) to 1 MiB (a full batch of typical answers is
// about 630 KB). A larger response gets a buffer of its own, never pooled.
const (
	minResponseTier = 11
	maxResponseTier = 20
)

// responseBuffers is the pool the codec encodes large responses into. It
// is grpc-go's [mem.BufferPool] interface, but unlike grpc-go's pools it
// does not clear a buffer before handing it out: the response encoder
// writes every byte of the message it returns, and grpc-go sends that
// message's bytes only, so what a buffer held before is never read.
// Clearing a batch's 64 KiB buffer was a fifth of encoding the batch.
type responseBuffers struct {
	tiers [maxResponseTier - minResponseTier + 1]sync.Pool
}

// tier returns the index of the smallest tier that holds n bytes, or -1
// when n is larger than the largest.
func tier(n int) int {
	if n > 1<<maxResponseTier {
		return -1
	}
	t := bits.Len(uint(max(n, 1) - 1)) // the smallest t with 1<<t >= n
	return max(t, minResponseTier) - minResponseTier
}

// Get returns a buffer of length n, its content undefined.
func (p *responseBuffers) Get(n int) *[]byte {
	t := tier(n)
	if t < 0 {
		b := make([]byte, n)
		return &b
	}
	if b, ok := p.tiers[t].Get().(*[]byte); ok {
		*b = (*b)[:n]
		return b
	}
	b := make([]byte, n, 1<<(t+minResponseTier))
	return &b
}

// Put returns a buffer that Get gave to the pool. A buffer whose capacity
// is not exactly one of the tiers' is dropped.
func (p *responseBuffers) Put(b *[]byte) {
	c := cap(*b)
	if t := tier(c); t >= 0 && c == 1<<(t+minResponseTier) {
		p.tiers[t].Put(b)
	}
}
