package ingest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/ingest"
	"github.com/cwlens/cwlens/internal/awsemu"
)

// dimensionedAccount is the small synthetic account with dimensions on
// some of its metric filters: one, two and three dimensions, names that
// need quoting in Metrics Insights, and two filters publishing the same
// dimensioned metric.
func dimensionedAccount() (*cwlens.Snapshot, []string) {
	snap := smallAccount()
	dims := []map[string]string{
		{"service": "$.service"},
		{"service": "$.service", "level": "$.level"},
		{"service": "$.service", "az zone": "$.az", `odd"name\`: "$.odd"},
		{"service": "$.service", "@aws.account": "@aws.account", "@aws.region": "@aws.region"}, // emitSystemFieldDimensions
	}
	var names []string
	k := 0
	for gi := range snap.LogGroups {
		for fi := range snap.LogGroups[gi].MetricFilters {
			f := &snap.LogGroups[gi].MetricFilters[fi]
			if k%7 == 0 {
				f.Dimensions = dims[(k/7)%len(dims)]
				f.MetricNamespace = "Synthetic/Dimensioned"
				names = append(names, snap.LogGroups[gi].Name+":"+f.Name)
			}
			k++
		}
	}
	return snap, names
}

// TestScanDimensionedFilters: filters whose metric has dimensions are read
// through Metrics Insights, which sums every combination the emulator
// splits their counts into, and come back equal to the snapshot, with
// their dimensions.
func TestScanDimensionedFilters(t *testing.T) {
	for _, faults := range []string{"", "throttle=0.3,5xx=0.05,seed=5"} {
		t.Run(faults, func(t *testing.T) {
			want, names := dimensionedAccount()
			if len(names) < 3 {
				t.Fatalf("only %d dimensioned filters", len(names))
			}
			got, srv := scan(t, want, faults)
			if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
				t.Fatal(d)
			}
			t.Logf("calls: %+v", srv.Calls())
		})
	}
}

// TestScanDimensionedFiltersTooOld: Metrics Insights reads only the last
// two weeks. When the hourly range starts earlier, the older hours stay
// missing and each dimensioned filter gets a gap naming its dimensions,
// instead of a series that looks like silence; the recent hours are read.
func TestScanDimensionedFiltersTooOld(t *testing.T) {
	for _, tc := range []struct {
		name   string
		after  time.Duration // from the window's end to now
		reason string
	}{
		{"straddling", 10 * cwlens.Day, "its counts before "},
		{"all older", 15 * cwlens.Day, "its counts were not read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, names := dimensionedAccount()
			now := want.Window.End.Add(tc.after)
			srv := awsemu.NewServer(t, want, awsemu.Options{TimeScale: timeScale, Now: now})
			o := testOptions(want.Window.End, int(want.Window.Duration()/cwlens.Day))
			o.Now = func() time.Time { return now }
			got, err := ingest.New(testConfig(srv.URL), o).Scan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			gaps := map[string]cwlens.Gap{}
			for _, g := range got.Gaps {
				gaps[g.Resource] = g
			}
			cutoff := now.Add(-14 * cwlens.Day)
			for _, n := range names {
				g, ok := gaps[n]
				if !ok {
					t.Errorf("no gap for %s; gaps: %+v", n, got.Gaps)
					continue
				}
				// The gap covers the filter's hours older than the
				// cutoff, and only them.
				if !g.Covers(n, got.Window.End.Add(-7*cwlens.Day)) || g.Covers(n, cutoff) && cutoff.Before(got.Window.End) {
					t.Errorf("gap for %s: subject %q, %s to %s: does not cover exactly the hours before %s", n, g.Subject, g.Start, g.End, cutoff)
				}
				r := g.Reason
				if !strings.Contains(r, "publishes Synthetic/Dimensioned/") || !strings.Contains(r, "with dimensions ") || !strings.Contains(r, tc.reason) {
					t.Errorf("gap for %s: %q, want it to say %q", n, r, tc.reason)
				}
			}
			if len(got.Gaps) != len(names) {
				t.Errorf("%d gaps, want %d: %+v", len(got.Gaps), len(names), got.Gaps)
			}
			// The counts are what AWS serves of the snapshot from the
			// cutoff on (zero where no datapoint came), missing before it.
			served := awsemu.Expected(want, now)
			for gi, g := range got.LogGroups {
				for fi, f := range g.MetricFilters {
					if len(f.Dimensions) == 0 {
						continue
					}
					w := served.LogGroups[gi].MetricFilters[fi].Counts
					for i, v := range f.Counts.Values {
						tm := f.Counts.Time(i)
						j, ok := w.Index(tm)
						switch {
						case tm.Before(cutoff) && !cwlens.IsMissing(v):
							t.Fatalf("%s %s at %s = %v, want missing (older than two weeks)", g.Name, f.Name, tm, v)
						case !tm.Before(cutoff) && (!ok || !sameValue(w.Values[j], v)):
							t.Fatalf("%s %s at %s = %v, want %v", g.Name, f.Name, tm, v, w.Values[j])
						}
					}
				}
			}
		})
	}
}

func sameValue(a, b float64) bool {
	return a == b || cwlens.IsMissing(a) && cwlens.IsMissing(b)
}
