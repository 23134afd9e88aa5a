package main

import (
	"runtime/debug"
	"testing"
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
