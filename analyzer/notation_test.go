package analyzer

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// series parses the compact notation the tests write series in, after
// Prometheus's promqltest: numbers separated by spaces, `_` for a missing
// point, `VxN` for N copies of V (`_x3` for three missing points), and
// `[a b c]xN` for N copies of a group.
func series(t testing.TB, s string) []float64 {
	t.Helper()
	var out []float64
	toks := strings.Fields(strings.NewReplacer("[", " [ ", "]", " ] ").Replace(s))
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		if tok == "[" {
			depth, j := 1, i+1
			for ; j < len(toks) && depth > 0; j++ {
				switch toks[j] {
				case "[":
					depth++
				case "]":
					depth--
				}
			}
			if depth != 0 || j >= len(toks) || !strings.HasPrefix(toks[j], "x") {
				t.Fatalf("series %q: a group needs a closing ] and xN", s)
			}
			group := series(t, strings.Join(toks[i+1:j-1], " "))
			n, err := strconv.Atoi(toks[j][1:])
			if err != nil {
				t.Fatalf("series %q: bad repeat %q", s, toks[j])
			}
			for range n {
				out = append(out, group...)
			}
			i = j
			continue
		}
		val, rep := tok, 1
		if k := strings.IndexByte(tok, 'x'); k >= 0 {
			n, err := strconv.Atoi(tok[k+1:])
			if err != nil {
				t.Fatalf("series %q: bad repeat %q", s, tok)
			}
			val, rep = tok[:k], n
		}
		v := math.NaN()
		if val != "_" {
			var err error
			if v, err = strconv.ParseFloat(val, 64); err != nil {
				t.Fatalf("series %q: bad value %q", s, val)
			}
		}
		for range rep {
			out = append(out, v)
		}
	}
	return out
}

func TestSeriesNotation(t *testing.T) {
	got := series(t, "5 _ 2x3 [1 _]x2 7")
	want := []float64{5, math.NaN(), 2, 2, 2, 1, math.NaN(), 1, math.NaN(), 7}
	if len(got) != len(want) {
		t.Fatalf("len %d, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Fatalf("point %d = %v, want %v (%v)", i, got[i], want[i], got)
		}
	}
}
