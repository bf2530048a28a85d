// Package memtune holds errbridge serve's memory settings of the Go runtime
// and grpc-go: a GC percentage and soft memory limit for its small heap, and
// a tiered message-buffer pool. cmd/errbridge applies them, and so does the
// load harness's canned baseline server, which must run as errbridge does.
package memtune

import (
	"runtime/debug"

	"google.golang.org/grpc/experimental"
	"google.golang.org/grpc/mem"
)

// Memory defaults of `errbridge serve`, applied unless GOGC or GOMEMLIMIT
// is set in the environment.
const (
	// DefaultGCPercent lets the heap grow 4× its live size between
	// collections. errbridge's live heap is about 2 MiB, so at Go's default of
	// 100 the collector ran some 65 times a second under load and cost more
	// CPU per call than the translation itself (bench/load).
	DefaultGCPercent = 400
	// DefaultMemoryLimit is the soft limit at which the collector runs
	// regardless of DefaultGCPercent, so the larger percentage never lets
	// the process grow past the 64 MiB it is sized for.
	DefaultMemoryLimit = 48 << 20
)

// Apply applies the memory defaults where the environment leaves them
// unset, and the tiered buffer pool. lookupEnv is os.LookupEnv, or a test's
// stand-in. Call it once, before any gRPC server or client starts.
func Apply(lookupEnv func(string) (string, bool)) {
	applyGC(lookupEnv)
	useTieredBuffers()
}

// applyGC applies the GC percentage and the soft limit where the
// environment leaves them unset.
func applyGC(lookupEnv func(string) (string, bool)) {
	if _, set := lookupEnv("GOGC"); !set {
		debug.SetGCPercent(DefaultGCPercent)
	}
	if _, set := lookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(DefaultMemoryLimit)
	}
}

// useTieredBuffers makes grpc-go take message buffers from a pool with tiers
// between 32 KiB and 1 MiB. Its default pool jumps from one to the other, so
// the proto codec encoded every TranslateBatch response (about 60 KiB for
// 100 bodies) into a 1 MiB buffer, and a batch load pinned over 120 MiB
// (bench/load). The codec reads the process-wide default, hence a global.
func useTieredBuffers() {
	pool, err := mem.NewBinaryTieredBufferPool(8, 12, 14, 15, 16, 17, 18, 20)
	if err != nil {
		panic(err) // the exponents are constants
	}
	experimental.SetDefaultBufferPool(pool)
}
