package logtemplate

import (
	"fmt"
	"math"
	"testing"
)

func TestGrown(t *testing.T) {
	m, _ := New(DefaultConfig())
	// Baseline: one hour of steady traffic. Current: the same rate plus a
	// new retry storm and a tripled health check.
	for i := 0; i < 100; i++ {
		m.AddTo(Baseline, fmt.Sprintf("GET /health 200 %dms", i%9))
		m.AddTo(Baseline, fmt.Sprintf("order %d placed", i))
	}
	for i := 0; i < 300; i++ {
		m.AddTo(Current, fmt.Sprintf("GET /health 200 %dms", i%9))
	}
	for i := 0; i < 100; i++ {
		m.AddTo(Current, fmt.Sprintf("order %d placed", i))
		m.AddTo(Current, fmt.Sprintf("retrying connection to db-%d.internal.example.com after %dms", i%3, i))
	}
	g := m.Result().Grown(1)
	if len(g) != 2 {
		t.Fatalf("grown %+v", g)
	}
	if g[0].Text != "retrying connection to <*> after <*>" || !g[0].New || g[0].Ratio != 0 {
		t.Errorf("first %q ratio %v", g[0].Text, g[0].Ratio)
	}
	if g[1].Text != "GET /health <*> <*>" || g[1].Ratio != 3 || g[1].New {
		t.Errorf("second %q ratio %v", g[1].Text, g[1].Ratio)
	}
	if s := g[0].AddedShare + g[1].AddedShare; math.Abs(s-1) > 1e-9 {
		t.Errorf("added shares sum to %v", s)
	}
	// Scaled: a baseline window three times longer predicts three times less.
	if g := m.Result().Grown(1.0 / 3); len(g) != 3 {
		t.Errorf("scaled: %d grown, want all 3", len(g))
	}
}
