package memtune

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestApplyRespectsTheEnvironment(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	applyGC(func(string) (string, bool) { return "", false })
	if got := debug.SetGCPercent(100); got != DefaultGCPercent {
		t.Errorf("GC percent = %d, want %d", got, DefaultGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != DefaultMemoryLimit {
		t.Errorf("memory limit = %d, want %d", got, DefaultMemoryLimit)
	}

	debug.SetMemoryLimit(math.MaxInt64)
	applyGC(func(string) (string, bool) { return "100", true })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set: GC percent = %d, want it left at 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT set: memory limit = %d, want it left alone", got)
	}
}
