package ingest_test

import (
	"encoding/json"
	"io/fs"
	"sort"
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/analyzer"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/pricing"
)

// TestRoundTripFindingsAndCosts: the reference account served as AWS
// serves it (no datapoint where nothing was published, InternalError
// results, throttles and 5xx), scanned through the real SDK clients, gives
// the fixture's findings and every cost line of the reference scenario,
// at the window's end and a day earlier.
func TestRoundTripFindingsAndCosts(t *testing.T) {
	data, err := fs.ReadFile(fixtures.FS(), "karmacadabra-prod/scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := pricing.ParseScenario(data, "scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	results := func(snap *cwlens.Snapshot) map[string]string {
		out := map[string]string{}
		for _, at := range []string{"2025-11-01T00:00:00Z", "2025-10-31T00:00:00Z"} {
			var when = snap.Window.End
			if err := when.UnmarshalText([]byte(at)); err != nil {
				t.Fatal(err)
			}
			fs, err := analyzer.Analyze(snap, when, analyzer.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			p, err := pricing.Project(snap, sc, pricing.Default(), pricing.Options{At: when})
			if err != nil {
				t.Fatal(err)
			}
			// A scan lists services by name, the fixture in its own
			// order: lines are compared subject by subject.
			sort.SliceStable(p.Lines, func(i, j int) bool { return p.Lines[i].Subject < p.Lines[j].Subject })
			f, _ := json.Marshal(fs)
			l, _ := json.Marshal(p)
			out[at+" findings"], out[at+" projection"] = string(f), string(l)
		}
		return out
	}
	ref, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	want := results(ref)
	for _, faults := range []string{"", "throttle=0.3,5xx=0.05,gmd-internal=0.3,seed=11"} {
		t.Run(faults, func(t *testing.T) {
			snap, err := fixtures.Reference()
			if err != nil {
				t.Fatal(err)
			}
			got, _ := scanSampling(t, snap, faults, 2000)
			for k, w := range results(got) {
				if w != want[k] {
					t.Errorf("%s differ:\nfixture %s\nscanned %s", k, short(want[k]), short(w))
				}
			}
		})
	}
}

func short(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}
