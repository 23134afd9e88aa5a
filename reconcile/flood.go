package reconcile

import (
	"fmt"
	"slices"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/analyzer"
	"github.com/shopspring/decimal"
)

// flood is a log group's ingestion that rose inside the month and stayed
// in the month's bill: the day it started and what the group ingested from
// that day to the month's end.
type flood struct {
	group string
	start time.Time
	gb    decimal.Decimal
}

// findFlood finds the first day of month (a group's daily IncomingBytes,
// sliced to the billed month, so nothing after it is read) whose level
// departs from the median of the month's earlier days as the analyzer's
// defaults call a flood: at least MinRatio times that median and
// DailyBytesFloor above it, after at least MinHistory of earlier days. A
// flood that started before the month sets the month's median itself and
// is not one that started in it.
func findFlood(group string, month cwlens.Series) (flood, bool) {
	cfg := analyzer.DefaultConfig()
	minDays := int(cfg.MinHistory / cwlens.Day)
	var earlier []float64
	for i, v := range month.Values {
		if cwlens.IsMissing(v) {
			continue
		}
		if len(earlier) >= minDays {
			med := median(earlier)
			if v >= cfg.MinRatio*med && v-med >= cfg.DailyBytesFloor {
				start := month.Time(i)
				sum, _ := month.Slice(start, month.End()).Sum()
				return flood{group: group, start: start, gb: decimal.NewFromFloat(sum).Shift(-9)}, true
			}
		}
		earlier = append(earlier, v)
	}
	return flood{}, false
}

func median(vs []float64) float64 {
	s := slices.Sorted(slices.Values(vs))
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// floodNotes says, for each flood in the usage type's month, that the
// month's bill (and its difference from a steady-state projection) carries
// it.
func (m *modelled) floodNotes() []string {
	var out []string
	for _, f := range m.floods {
		out = append(out, fmt.Sprintf("a flood from %s (%s, %s GB of the month's %s GB)",
			f.start.Format(time.DateOnly), f.group, f.gb.StringFixed(2), m.quantity.StringFixed(2)))
	}
	return out
}
