package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
)

// TestPastEpisodeEveryFormat: the reference account with a spike on the
// validator two weeks before the window's end (300 MB on 2025-10-17) has no
// finding about it, but every format lists it as a past episode, with its
// start, end, peak and cost; --at before it ended sees nothing of it.
func TestPastEpisodeEveryFormat(t *testing.T) {
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	const group = "/ecs/karmacadabra-prod/validator"
	d := snap.LogGroup(group).DailyIncomingBytes
	i, _ := d.Index(time.Date(2025, 10, 17, 0, 0, 0, 0, time.UTC))
	d.Values[i] = 300e6
	path := filepath.Join(t.TempDir(), "spiked.json")
	if err := cwlens.WriteSnapshot(path, snap); err != nil {
		t.Fatal(err)
	}

	r := run(t, "report", path, "--format", "json")
	var doc struct {
		Findings []struct {
			Subject string `json:"subject"`
		} `json:"findings"`
		Past []struct {
			Kind    string  `json:"kind"`
			Subject string  `json:"subject"`
			Start   string  `json:"start"`
			End     string  `json:"end"`
			Peak    float64 `json:"peak"`
			Cost    *string `json:"cost_usd"`
		} `json:"past_episodes"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	for _, f := range doc.Findings {
		if f.Subject == group {
			t.Errorf("a finding about %s: the spike is two weeks old", group)
		}
	}
	if len(doc.Past) != 1 {
		t.Fatalf("past episodes %+v, want the validator's", doc.Past)
	}
	p := doc.Past[0]
	if p.Kind != "ingestion_spike" || p.Subject != group || p.Start != "2025-10-17T00:00:00Z" || p.End != "2025-10-18T00:00:00Z" ||
		p.Peak != 300e6 || p.Cost == nil || *p.Cost != "0.15" {
		t.Errorf("past episode %+v", p)
	}

	for _, c := range []struct {
		format string
		want   []string
	}{
		{"table", []string{"Past episodes (1)", group, "2025-10-17", "2025-10-18", "300.0 MB/day on 2025-10-17", "$0.15"}},
		{"markdown", []string{"Past episodes (1)", group, "2025-10-17", "2025-10-18", "300.0 MB/day on 2025-10-17", "$0.15"}},
		{"html", []string{`id="past"`, "Past episodes (1)", group, "2025-10-17", "300.0 MB/day on 2025-10-17", `data-json="/past_episodes/0/cost_usd"`, "$0.15"}},
	} {
		out := run(t, "report", path, "--format", c.format).stdout
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q", c.format, w)
			}
		}
	}

	found := false
	for _, row := range csvRows(t, run(t, "report", path, "--format", "csv").stdout) {
		if row["section"] == "past_episodes" {
			found = true
			if row["kind"] != "ingestion_spike" || row["subject"] != group || row["start"] != "2025-10-17T00:00:00Z" ||
				row["end"] != "2025-10-18T00:00:00Z" || row["peak"] != "300000000" || row["cost_usd"] != "0.15" {
				t.Errorf("csv past episode %v", row)
			}
		}
	}
	if !found {
		t.Error("csv lacks the past episode")
	}

	// --at sees nothing after it: on the day itself, nothing is past.
	r = run(t, "report", path, "--at", "2025-10-17T12:00:00Z", "--format", "json")
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Past) != 0 {
		t.Errorf("--at 2025-10-17T12:00 lists %+v", doc.Past)
	}
}
