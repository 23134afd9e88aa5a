package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDetectBlankForMissing checks that `cwlens detect` echoes every row,
// scores every present point in [0, 1], leaves the score of a missing point
// empty, and alarms on the spike.
func TestDetectBlankForMissing(t *testing.T) {
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	const n, spike = 400, 300
	for i := range n {
		v := fmt.Sprint(50 + 5*math.Sin(float64(i)/7) + float64(i%3))
		switch {
		case i%50 == 7:
			v = ""
		case i == spike:
			v = "400"
		}
		fmt.Fprintf(&b, "%s,%s\n", start.Add(time.Duration(i)*time.Minute).Format("2006-01-02 15:04:05"), v)
	}
	path := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, "detect", path)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if lines[0] != "timestamp,value,anomaly_score" || len(lines) != n+1 {
		t.Fatalf("header %q, %d lines; want %d rows", lines[0], len(lines), n+1)
	}
	for i, line := range lines[1:] {
		f := strings.Split(line, ",")
		if len(f) != 3 {
			t.Fatalf("row %d: %q", i, line)
		}
		if f[1] == "" {
			if f[2] != "" {
				t.Errorf("row %d has no value but the score %q, want empty", i, f[2])
			}
			continue
		}
		s, err := strconv.ParseFloat(f[2], 64)
		if err != nil || s < 0 || s > 1 {
			t.Fatalf("row %d: score %q, want a number in [0, 1]", i, f[2])
		}
		if i == spike && s < 0.5 {
			t.Errorf("the spike at row %d scores %v, want ≥ 0.5", i, s)
		}
	}
}

// TestDetectRepeatedTimes checks that a repeated and an earlier timestamp,
// as NAB's files have at daylight-saving changes, are scored as the next
// points: one score per row, exit 0.
func TestDetectRepeatedTimes(t *testing.T) {
	in := "timestamp,value\n" +
		"2014-03-09 01:00:00,5\n2014-03-09 02:00:00,6\n2014-03-09 02:00:00,5\n" +
		"2014-03-09 01:30:00,6\n2014-03-09 03:00:00,5\n"
	path := filepath.Join(t.TempDir(), "dst.csv")
	if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, "detect", path)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if got := strings.Count(r.stdout, "\n"); got != 6 {
		t.Fatalf("%d lines, want a header and 5 rows:\n%s", got, r.stdout)
	}
}
