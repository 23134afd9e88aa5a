package ingest_test

import (
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/internal/awsemu"
)

// TestScanRetriesInternalError: results answered with StatusCode
// InternalError are retried with their NextToken, as the API reference
// says, and the reference account comes back whole: identical to a clean
// scan, with no gap.
func TestScanRetriesInternalError(t *testing.T) {
	for _, faults := range []string{"gmd-internal=0.3,seed=2", "gmd-internal=0.3,throttle=0.3,5xx=0.05,seed=9"} {
		t.Run(faults, func(t *testing.T) {
			want, err := fixtures.Reference()
			if err != nil {
				t.Fatal(err)
			}
			got, _ := scanSampling(t, want, faults, 2000, billAt(want.CapturedAt))
			want.AccountName = ""
			if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
				t.Fatal(d)
			}
		})
	}
}

// TestScanGapsWhatWasNotRead: a final PartialData, a message on a result
// or on a call, and Metrics Insights stopping at its metric cap each leave
// the series they touch unread: a gap with the series' subject (or "*"
// for a whole call) and time range, and no zero written for a period that
// came back empty. Everything a gap does not cover is read as a clean scan
// reads it.
func TestScanGapsWhatWasNotRead(t *testing.T) {
	for _, tc := range []struct {
		faults, reason string
		account        func() *cwlens.Snapshot
	}{
		{"gmd-partial=0.2,seed=4", "StatusCode PartialData", smallAccount},
		{"gmd-message=0.2,seed=5", "message: EmulatedNotice", smallAccount},
		{"gmd-call-message=0.5,seed=6", "GetMetricData message: EmulatedNotice", smallAccount},
		{"insights-cap=1", "MaxMetricsExceeded: Maximum number of allowed metrics exceeded", func() *cwlens.Snapshot { s, _ := dimensionedAccount(); return s }},
	} {
		t.Run(tc.faults, func(t *testing.T) {
			want := tc.account()
			got, _ := scan(t, want, tc.faults)
			if len(got.Gaps) == 0 {
				t.Fatal("no gap")
			}
			for _, g := range got.Gaps {
				if g.API != "cloudwatch:GetMetricData" || g.Subject == "" || g.Start.IsZero() || !g.End.After(g.Start) || !strings.Contains(g.Reason, tc.reason) {
					t.Errorf("gap %+v: want GetMetricData, a subject, a range and %q", g, tc.reason)
				}
			}
			checkCoveredOrRead(t, awsemu.Expected(want, want.Window.End), got)
		})
	}
}

// checkCoveredOrRead checks every series point of got: equal to a clean
// scan's (want) unless a gap covers it, and never 0 under a gap where want
// has a value.
func checkCoveredOrRead(t *testing.T, want, got *cwlens.Snapshot) {
	t.Helper()
	covered := func(subject string, tm cwlens.Series, i int) bool {
		for _, g := range got.Gaps {
			if g.Covers(subject, tm.Time(i)) {
				return true
			}
		}
		return false
	}
	check := func(what, subject string, w, g cwlens.Series) {
		for i, v := range g.Values {
			wv := w.Values[i]
			switch {
			case covered(subject, g, i):
				if v == 0 && wv != 0 && !cwlens.IsMissing(wv) {
					t.Fatalf("%s %s[%d]: 0 under a gap, where AWS had %v", subject, what, i, wv)
				}
			case !(v == wv || cwlens.IsMissing(v) && cwlens.IsMissing(wv)):
				t.Fatalf("%s %s[%d] = %v, want %v: not covered by a gap", subject, what, i, v, wv)
			}
		}
	}
	for gi, g := range got.LogGroups {
		w := want.LogGroups[gi]
		check("daily bytes", g.Name, w.DailyIncomingBytes, g.DailyIncomingBytes)
		check("hourly events", g.Name, w.HourlyIncomingEvents, g.HourlyIncomingEvents)
		for fi, f := range g.MetricFilters {
			check("counts", cwlens.FilterSubject(g.Name, f.Name), w.MetricFilters[fi].Counts, f.Counts)
		}
	}
}
