package main

import (
	"runtime/debug"

	"google.golang.org/grpc/experimental"
	"google.golang.org/grpc/mem"
)

// Memory defaults of `errbridge serve`, applied unless GOGC or GOMEMLIMIT
// is set in the environment.
const (
	// defaultGCPercent lets the heap grow 4× its live size between
	// collections. errbridge's live heap is about 2 MiB, so at Go's default of
	// 100 the collector ran some 65 times a second under load and cost more
	// CPU per call than the translation itself (bench/load).
	defaultGCPercent = 400
	// defaultMemoryLimit is the soft limit at which the collector runs
	// regardless of defaultGCPercent, so the larger percentage never lets
	// the process grow past the 64 MiB it is sized for.
	defaultMemoryLimit = 48 << 20
)

// tuneMemory applies the memory defaults where the environment leaves them
// unset. lookupEnv is os.LookupEnv, or a test's stand-in.
func tuneMemory(lookupEnv func(string) (string, bool)) {
	if _, set := lookupEnv("GOGC"); !set {
		debug.SetGCPercent(defaultGCPercent)
	}
	if _, set := lookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
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
