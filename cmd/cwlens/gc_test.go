package main

import (
	"errors"
	"math"
	"os"
	"runtime/debug"
	"testing"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	tuneGC(env(nil))
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("GOGC unset: collector at %d %%, want %d", got, gcPercent)
	}
	tuneGC(env(map[string]string{"GOGC": "100"}))
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC=100: collector at %d %%, want the user's 100", got)
	}
}

func TestLimitMemory(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	for _, k := range []string{"GOMEMLIMIT", "AUTOMEMLIMIT"} {
		if v, ok := os.LookupEnv(k); ok {
			os.Unsetenv(k)
			t.Cleanup(func() { os.Setenv(k, v) })
		}
	}
	const unlimited = math.MaxInt64
	noLimit := func() (uint64, error) { return 0, memlimit.ErrNoLimit }
	broken := func() (uint64, error) { return 0, errors.New("no cgroup") }
	tests := []struct {
		name     string
		env      map[string]string
		provider memlimit.Provider
		want     int64
	}{
		{"a container of 1,000 MiB", nil, memlimit.Limit(1000 << 20), 900 << 20},
		{"a container of 512 MB", nil, memlimit.Limit(512_000_000), 460_800_000},
		{"GOMEMLIMIT set by the user", map[string]string{"GOMEMLIMIT": "300MiB"}, memlimit.Limit(1000 << 20), unlimited},
		{"AUTOMEMLIMIT=off", map[string]string{"AUTOMEMLIMIT": "off"}, memlimit.Limit(1000 << 20), unlimited},
		{"memory not limited", nil, noLimit, unlimited},
		{"limit unreadable", nil, broken, unlimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			debug.SetMemoryLimit(unlimited)
			limitMemory(tt.provider)
			if got := debug.SetMemoryLimit(-1); got != tt.want {
				t.Errorf("soft limit %d, want %d", got, tt.want)
			}
		})
	}
}
