package report

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
)

func TestSparkline(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		in    []float64
		width int
		want  string
	}{
		{[]float64{0, 1, 2, 3, 4, 5, 6, 7}, 0, "▁▂▃▄▅▆▇█"},
		{[]float64{2, nan, 9}, 0, "▁ █"},            // a missing day is a gap, not a low bar
		{[]float64{5, 5, 5}, 0, "▁▁▁"},              // flat
		{[]float64{nan, nan}, 0, "  "},              // nothing known
		{nil, 0, ""},                                //
		{[]float64{0, 9, 0, 0, nan, nan}, 3, "█▁ "}, // bucket max keeps the spike
	}
	for _, c := range cases {
		if got := Sparkline(c.in, c.width); got != c.want {
			t.Errorf("Sparkline(%v, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	cases := map[float64]string{
		0: "0 B", 512: "512 B", 999: "999 B", 1000: "1.00 kB", 3_910_000: "3.91 MB", 500_000: "500.0 kB",
		202_400_000: "202.4 MB", 555e6: "555.0 MB", 2_886e6: "2.89 GB", 999_960: "1.00 MB", 3.6e9: "3.60 GB",
		math.NaN(): "—",
	}
	for in, want := range cases {
		if got := FormatBytes(in); got != want {
			t.Errorf("FormatBytes(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatUSD(t *testing.T) {
	cases := map[string]string{
		"0": "$0.00", "1.622425": "$1.62", "1234567.891": "$1,234,567.89", "-0.5": "-$0.50", "-0.001": "$0.00", "999.995": "$1,000.00",
	}
	for in, want := range cases {
		if got := FormatUSD(decimal.RequireFromString(in)); got != want {
			t.Errorf("FormatUSD(%s) = %q, want %q", in, got, want)
		}
	}
	if got := FormatDeltaUSD(decimal.RequireFromString("2")); got != "+$2.00" {
		t.Errorf("FormatDeltaUSD(2) = %q", got)
	}
	if got := FormatUSDPtr(nil); got != "unknown" {
		t.Errorf("FormatUSDPtr(nil) = %q, want unknown (never $0)", got)
	}
}

func TestFormatTaskSize(t *testing.T) {
	cases := []struct {
		cpu, mem int
		want     string
	}{
		{2048, 4096, "2 vCPU / 4 GiB (2048/4096)"},
		{256, 512, "0.25 vCPU / 0.5 GiB (256/512)"},
		{512, 1024, "0.5 vCPU / 1 GiB (512/1024)"},
	}
	for _, c := range cases {
		if got := FormatTaskSize(c.cpu, c.mem); got != c.want {
			t.Errorf("FormatTaskSize(%d, %d) = %q, want %q", c.cpu, c.mem, got, c.want)
		}
	}
}

func TestFormatPercentAndRetention(t *testing.T) {
	p := func(v float64) *float64 { return &v }
	for in, want := range map[*float64]string{nil: "—", p(3.6): "3.6 %", p(0.38): "0.38 %", p(71.5): "71.5 %"} {
		if got := FormatPercent(in); got != want {
			t.Errorf("FormatPercent(%v) = %q, want %q", in, got, want)
		}
	}
	seven := 7
	if FormatRetention(&seven) != "7 d" || FormatRetention(nil) != "never" {
		t.Errorf("FormatRetention = %q, %q", FormatRetention(&seven), FormatRetention(nil))
	}
}
