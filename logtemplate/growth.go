package logtemplate

import (
	"cmp"
	"slices"
	"strings"
)

// Growth is how one template changed from the Baseline window to the
// Current one.
type Growth struct {
	Template
	// Share and BaselineShare are the template's shares of its window's
	// bytes.
	Share         float64 `json:"share"`
	BaselineShare float64 `json:"baseline_share"`
	// Expected is the Current bytes the baseline rate predicts: Baseline
	// bytes times the scale given to Grown.
	Expected float64 `json:"expected_bytes"`
	// Added is Bytes - Expected: what the template added.
	Added float64 `json:"added_bytes"`
	// Ratio is Bytes / Expected; 0 for a template the baseline lacks.
	Ratio float64 `json:"ratio,omitempty"`
	// New marks a template the baseline lacks.
	New bool `json:"new,omitempty"`
	// AddedShare is this template's part of all the bytes that grown
	// templates added: "74 % of the new bytes".
	AddedShare float64 `json:"added_share"`
}

// Grown returns the templates whose bytes grew, most added bytes first.
// scale turns baseline counts into what the current window would hold at
// the baseline rate: the current window's length over the baseline's, or
// 1 to compare raw counts.
func (r *Result) Grown(scale float64) []Growth {
	var out []Growth
	var added float64
	for _, t := range r.Templates {
		g := Growth{Template: t, Expected: float64(t.Baseline.Bytes) * scale}
		g.Added = float64(t.Bytes) - g.Expected
		if g.Added <= 0 {
			continue
		}
		g.Share = share(t.Bytes, r.Total.Bytes)
		g.BaselineShare = share(t.Baseline.Bytes, r.Baseline.Bytes)
		if g.Expected > 0 {
			g.Ratio = float64(t.Bytes) / g.Expected
		} else {
			g.New = true
		}
		added += g.Added
		out = append(out, g)
	}
	for i := range out {
		out[i].AddedShare = out[i].Added / added
	}
	slices.SortStableFunc(out, func(a, b Growth) int {
		return cmp.Or(cmp.Compare(b.Added, a.Added), strings.Compare(a.Text, b.Text))
	})
	return out
}

func share(n, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(n) / float64(total)
}
