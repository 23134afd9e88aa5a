package reconcile_test

import (
	"slices"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/pricing"
	"github.com/cwlens/cwlens/reconcile"
)

// daily is a daily IncomingBytes series from start, n days, each day's
// bytes given by level.
func daily(start time.Time, n int, level func(day time.Time) float64) cwlens.Series {
	s := cwlens.Series{Start: start, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: make([]float64, n)}
	for i := range s.Values {
		s.Values[i] = level(s.Time(i))
	}
	return s
}

// from is a level of low bytes a day before t and high from t on.
func from(t time.Time, low, high float64) func(time.Time) float64 {
	return func(day time.Time) float64 {
		if day.Before(t) {
			return low
		}
		return high
	}
}

// TestFloodInTheMonth: an ingestion line whose month holds a flood that
// started inside it says so, with the day, the group and its share of the
// month's bytes; a flood that started before the month, one after it, a
// busy weekday and a tiny group's jump are none. Every line is billed at
// its model (the model of October at $0.50 a GB), so the explanations are
// "matches the model" and the flood's note after it.
func TestFloodInTheMonth(t *testing.T) {
	sep := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	oct20 := time.Date(2025, 10, 20, 0, 0, 0, 0, time.UTC)
	weekly := func(day time.Time) float64 {
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			return 1e9
		}
		return 2e9 // 2× on weekdays: busy, not a flood
	}
	for _, c := range []struct {
		name   string
		series cwlens.Series
		gb     string // the month's ingestion in the model and the bill
		notes  []string
	}{
		{"flood mid-month", daily(oct, 31, from(oct20, 1e9, 10e9)), "139",
			[]string{"a flood from 2025-10-20 (/ecs/api, 120.00 GB of the month's 139.00 GB)"}},
		// Missing days are no level: the median and the flood's bytes skip
		// them.
		{"flood mid-month, a day missing", daily(oct, 31, func(day time.Time) float64 {
			if day.Day() == 25 {
				return cwlens.Missing()
			}
			return from(oct20, 1e9, 10e9)(day)
		}), "129", []string{"a flood from 2025-10-20 (/ecs/api, 110.00 GB of the month's 129.00 GB)"}},
		// It started on Sep 20 and never stopped: October is its level.
		{"flood before the month", daily(sep, 61, from(sep.AddDate(0, 0, 19), 1e9, 10e9)), "310", nil},
		{"flood after the month", daily(oct, 40, from(nov, 1e9, 50e9)), "31", nil},
		{"no flood", daily(oct, 31, weekly), "54", nil},
		// 100× a day, but 99 KB more: below the analyzer's daily floor.
		{"a tiny group's jump", daily(oct, 31, from(oct20, 1e3, 1e5)), "0.0012", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			snap := account(line(cw, "DataProcessing-Bytes", d(c.gb).Div(d("2")).String(), d(c.gb).Div(d("2")).String(), c.gb, "GB"))
			snap.LogGroups[0].DailyIncomingBytes = c.series
			rec, err := reconcile.Month(snap, book())
			if err != nil {
				t.Fatal(err)
			}
			r := row(t, rec, "DataProcessing-Bytes")
			if !r.ModelQuantity.Equal(d(c.gb)) {
				t.Fatalf("modelled %s GB, want %s", r.ModelQuantity, c.gb)
			}
			want := append([]string{reconcile.Matches}, c.notes...)
			if !slices.Equal(r.Explanations, want) {
				t.Errorf("explanations %q, want %q", r.Explanations, want)
			}
		})
	}
}

// TestFloodOnEachIngestionLine: the note goes on the line of the group's
// own usage type (Infrequent Access here), and on no other line.
func TestFloodOnEachIngestionLine(t *testing.T) {
	oct20 := time.Date(2025, 10, 20, 0, 0, 0, 0, time.UTC)
	ia := pricing.BillUsageTypes("us-east-1", pricing.UsageLogsIngestionIA)[0]
	b := pricing.NewBook(oct, "test", nil,
		pricing.Price{Region: "us-east-1", UsageType: pricing.UsageType("us-east-1", pricing.UsageLogsIngestion), Unit: "GB", USD: d("0.50"), Effective: oct},
		pricing.Price{Region: "us-east-1", UsageType: pricing.UsageType("us-east-1", pricing.UsageLogsIngestionIA), Unit: "GB", USD: d("0.25"), Effective: oct})
	snap := account(line(cw, "DataProcessing-Bytes", "15.50", "15.50", "31", "GB"), line(cw, ia, "34.75", "34.75", "139", "GB"))
	snap.LogGroups = append(snap.LogGroups, cwlens.LogGroup{Name: "/ecs/audit", Class: cwlens.ClassInfrequentAccess,
		DailyIncomingBytes: daily(oct, 31, from(oct20, 1e9, 10e9))})
	rec, err := reconcile.Month(snap, b)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := row(t, rec, "DataProcessing-Bytes").Explanations, []string{reconcile.Matches}; !slices.Equal(got, want) {
		t.Errorf("Standard: %q, want %q", got, want)
	}
	want := []string{reconcile.Matches, "a flood from 2025-10-20 (/ecs/audit, 120.00 GB of the month's 139.00 GB)"}
	if got := row(t, rec, ia).Explanations; !slices.Equal(got, want) {
		t.Errorf("IA: %q, want %q", got, want)
	}
}

func row(t *testing.T, rec *reconcile.Reconciliation, ut string) reconcile.Row {
	t.Helper()
	for _, r := range rec.Rows {
		if r.UsageType == ut {
			return r
		}
	}
	t.Fatalf("no row %s in %+v", ut, rec.Rows)
	return reconcile.Row{}
}

// TestFloodInTheReference: the reference account's facilitator flooded
// from Oct 29 (555 MB, 2,886 MB, 150 MB against about 5 MB a day): its
// October ingestion line, free under the free tier, says the month carries
// it. The same account with the flood calmed in its series (the bill kept)
// says nothing of a flood: the bill's extra bytes are usage that differs.
func TestFloodInTheReference(t *testing.T) {
	const free = "free tier: the first 5 GB of Logs ingestion a month are not billed (-$2.38)"
	for _, c := range []struct {
		name string
		snap func() (*cwlens.Snapshot, error)
		want []string
	}{
		{"reference", fixtures.Reference, []string{free,
			"a flood from 2025-10-29 (/ecs/karmacadabra-prod/facilitator, 3.59 GB of the month's 4.76 GB)"}},
		{"calmed", fixtures.AfterFlood, []string{"usage differs: billed 4.7649 GB, modelled 1.186 (+$1.79)", free}},
	} {
		t.Run(c.name, func(t *testing.T) {
			snap, err := c.snap()
			if err != nil {
				t.Fatal(err)
			}
			rec, err := reconcile.Month(snap, pricing.Default())
			if err != nil {
				t.Fatal(err)
			}
			if got := row(t, rec, "DataProcessing-Bytes").Explanations; !slices.Equal(got, c.want) {
				t.Errorf("explanations %q, want %q", got, c.want)
			}
		})
	}
}
