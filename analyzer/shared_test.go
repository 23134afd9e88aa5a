package analyzer

import (
	"slices"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
)

// TestSharedMetricIsNotOneGroups: when the surging count is a metric two
// groups' filters publish (the scan gives both the sum), one error_surge
// is reported, about the metric, listing both publishers, and no error
// rate is computed against one group's requests.
func TestSharedMetricIsNotOneGroups(t *testing.T) {
	snap := errorSnapshot(t, 150, 1000)
	other := snap.LogGroups[0]
	other.Name = "/test/other"
	other.MetricFilters = []cwlens.MetricFilter{snap.LogGroups[0].MetricFilters[0]}
	snap.LogGroups = append(snap.LogGroups, other)
	shared := []string{"/test/group:errors", "/test/other:errors"}
	for i := range snap.LogGroups {
		f := &snap.LogGroups[i].MetricFilters[0]
		f.MetricNamespace, f.SharedWith = "App", shared
	}
	fs, err := Analyze(snap, evalAt, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var surges []cwlens.Finding
	for _, f := range fs {
		switch f.Kind {
		case cwlens.KindErrorSurge:
			surges = append(surges, f)
		case cwlens.KindErrorRate:
			t.Errorf("error rate from a shared count: %s", f.Summary)
		}
	}
	if len(surges) != 1 {
		t.Fatalf("%d error surges, want 1: %+v", len(surges), surges)
	}
	s := surges[0]
	if s.Subject != "App/ErrorCount" || !strings.Contains(s.Summary, "metric App/ErrorCount (published by 2 filters)") {
		t.Errorf("subject %q, summary %q: want the metric", s.Subject, s.Summary)
	}
	if !slices.ContainsFunc(s.Evidence.Notes, func(n string) bool {
		return strings.Contains(n, "/test/group:errors") && strings.Contains(n, "/test/other:errors")
	}) {
		t.Errorf("notes %q do not list both publishers", s.Evidence.Notes)
	}
}
