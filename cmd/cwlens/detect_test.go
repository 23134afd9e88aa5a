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

// TestDetectRepeatedTimes checks that a few repeated and earlier
// timestamps, as NAB's files have at daylight-saving changes, are scored as
// the next points (one score per row, exit 0), while a file mostly out of
// order is refused naming the first bad row.
func TestDetectRepeatedTimes(t *testing.T) {
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	start := time.Date(2014, 3, 9, 0, 0, 0, 0, time.UTC)
	const n = 100
	for i := range n {
		at := start.Add(time.Duration(i) * 5 * time.Minute)
		switch i {
		case 40, 41: // an hour exported twice: the same time repeated
			at = start.Add(39 * 5 * time.Minute)
		case 70: // a step back
			at = start.Add(60 * 5 * time.Minute)
		}
		fmt.Fprintf(&b, "%s,%d\n", at.Format("2006-01-02 15:04:05"), 5+i%3)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "dst.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, "detect", path)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if got := strings.Count(r.stdout, "\n"); got != n+1 {
		t.Fatalf("%d lines, want a header and %d rows", got, n)
	}

	shuffled := "timestamp,value\n2014-04-01 00:10:00,1\n2014-04-01 00:00:00,2\n2014-04-01 00:05:00,3\n2014-04-01 00:01:00,4\n"
	path = filepath.Join(dir, "shuffled.csv")
	if err := os.WriteFile(path, []byte(shuffled), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, "detect", path)
	if want := "shuffled.csv: row 2 timestamp: 2014-04-01 00:00:00: not after"; r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Fatalf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, want)
	}
}
