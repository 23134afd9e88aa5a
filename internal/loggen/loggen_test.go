package loggen

import (
	"slices"
	"testing"
)

func TestMix(t *testing.T) {
	a, b := Mix(5000, 1), Mix(5000, 1)
	if len(a) != 5000 || !slices.Equal(a, b) {
		t.Fatal("Mix is not deterministic for one seed")
	}
	if slices.Equal(a, Mix(5000, 2)) {
		t.Fatal("two seeds gave the same lines")
	}
	stmts := map[string]int{}
	for _, l := range a {
		if l.Text == "" || l.Truth == "" {
			t.Fatalf("empty line %+v", l)
		}
		stmts[l.Truth]++
	}
	// Every statement the generator knows shows up in 5,000 lines.
	if len(stmts) != 28 {
		t.Errorf("%d statements, want 28: %v", len(stmts), stmts)
	}
}
