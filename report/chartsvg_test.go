package report

import (
	"math"
	"strings"
	"testing"
)

func tickValues(ts []tick) (vs []float64, labels []string) {
	for _, t := range ts {
		vs = append(vs, t.V)
		labels = append(labels, t.Label)
	}
	return vs, labels
}

func TestNiceTicks(t *testing.T) {
	money := moneyLabel
	tests := []struct {
		lo, hi float64
		n      int
		want   string
	}{
		{0, 100, 4, "$0 $20 $40 $60 $80 $100"},
		{0, 9.5, 5, "$0 $2 $4 $6 $8"},
		{0, 0.07, 3, "$0 $0.02 $0.04 $0.06"},
		{-0.3, 0.3, 3, "-$0.2 $0 $0.2"}, // never "-$0" nor "$-0"
		{5, 5, 3, ""},
	}
	for _, tt := range tests {
		_, labels := tickValues(niceTicks(tt.lo, tt.hi, tt.n, money))
		got := strings.ReplaceAll(strings.Join(labels, " "), "$-", "-$")
		if got != tt.want {
			t.Errorf("niceTicks(%v, %v, %d) = %q, want %q", tt.lo, tt.hi, tt.n, got, tt.want)
		}
	}
}

func TestLogTicks(t *testing.T) {
	vs, labels := tickValues(logTicks(3e6, 4e9, unitLabel("Bytes")))
	// Powers of ten labelled; 2x and 5x between them marked without labels.
	want := []float64{5e6, 1e7, 2e7, 5e7, 1e8, 2e8, 5e8, 1e9, 2e9}
	if len(vs) != len(want) {
		t.Fatalf("ticks %v, want %v", vs, want)
	}
	for i := range want {
		if math.Abs(vs[i]-want[i]) > want[i]*1e-9 {
			t.Errorf("tick %d = %v, want %v", i, vs[i], want[i])
		}
		if labelled := labels[i] != ""; labelled != (want[i] == 1e7 || want[i] == 1e8 || want[i] == 1e9) {
			t.Errorf("tick %v labelled %q", want[i], labels[i])
		}
	}
	if labels[1] != "10 MB" || labels[7] != "1 GB" {
		t.Errorf("labels %q", labels)
	}
	// Less than one decade: the 2x and 5x carry labels too.
	if _, l := tickValues(logTicks(15, 90, humanCountLabel)); strings.Join(l, " ") != "20 50" {
		t.Errorf("short range labels %q", l)
	}
}

func humanCountLabel(v float64) string { return humanCount(v) }

func TestScale(t *testing.T) {
	lin := scale{lo: 0, hi: 10, from: 100, to: 0}
	if got := lin.at(2.5); got != 75 {
		t.Errorf("linear at(2.5) = %v, want 75", got)
	}
	lg := scale{lo: 1, hi: 1000, from: 0, to: 300, log: true}
	for v, want := range map[float64]float64{1: 0, 10: 100, 100: 200, 1000: 300} {
		if got := lg.at(v); math.Abs(got-want) > 1e-9 {
			t.Errorf("log at(%v) = %v, want %v", v, got, want)
		}
	}
	if got := lin.clamp(-5); got != 0 {
		t.Errorf("clamp(-5) = %v, want 0", got)
	}
}

// TestChartTextEscaped: text drawn in a chart is text, whatever it holds.
func TestChartTextEscaped(t *testing.T) {
	c := &canvas{W: 100, H: 100}
	c.text(1, 2, `</text><script>alert(1)</script>`, "start", "middle", 9, roleInk)
	c.rect(0, 0, 10, 10, roleFlag)
	c.line(roleSeries, 1.5, "3 2", 0, 0, 10.004, -0.001)
	body, err := c.body()
	if err != nil {
		t.Fatal(err)
	}
	s := string(body)
	for _, want := range []string{
		`&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;</text>`,
		`<rect x="0" y="0" width="10" height="10" style="fill:var(--c-flag)"/>`,
		`<path d="M0 0L10 0" style="fill:none;stroke:var(--c-series);stroke-width:1.5;stroke-dasharray:3 2"/>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("chart body lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "<script") {
		t.Errorf("markup in a label: %s", s)
	}
}
