package runstate

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

var (
	day1 = time.Date(2025, 10, 29, 6, 0, 0, 0, time.UTC)
	day2 = day1.Add(24 * time.Hour)
	day3 = day2.Add(24 * time.Hour)
)

const facilitator = "/ecs/karmacadabra-prod/facilitator"

func finding(kind cwlens.Kind, subject, filter string, sev cwlens.Severity) cwlens.Finding {
	return cwlens.Finding{Kind: kind, Subject: subject, Filter: filter, Severity: sev, Summary: string(kind) + " on " + subject}
}

var (
	flood     = finding(cwlens.KindIngestionLevelShift, facilitator, "", cwlens.SeverityHigh)
	surgeErr  = finding(cwlens.KindErrorSurge, facilitator, "ERROR", cwlens.SeverityHigh)
	surgeSig  = finding(cwlens.KindErrorSurge, facilitator, "invalid-signature", cwlens.SeverityMedium)
	churn     = finding(cwlens.KindDeploymentChurn, "karmacadabra-prod/facilitator", "", cwlens.SeverityMedium)
	retention = finding(cwlens.KindNoRetention, "/aws/lambda/old", "", cwlens.SeverityLow)
)

func TestCompare(t *testing.T) {
	type want struct {
		status   []cwlens.Status // per current finding, in order
		first    []time.Time     // FirstSeen per current finding
		resolved []Key
		unseen   []Key
		next     int // open findings kept for the next run
	}
	tests := []struct {
		name       string
		prev       []cwlens.Finding // labelled by a run at day1; nil = first run
		cur        []cwlens.Finding // at day2
		notScanned func(Record) bool
		want       want
	}{
		{
			name: "first run: everything new",
			cur:  []cwlens.Finding{flood, surgeErr},
			want: want{status: []cwlens.Status{"new", "new"}, first: []time.Time{day2, day2}, next: 2},
		},
		{
			name: "same findings again: all ongoing, first seen kept",
			prev: []cwlens.Finding{flood, surgeErr},
			cur:  []cwlens.Finding{surgeErr, flood},
			want: want{status: []cwlens.Status{"ongoing", "ongoing"}, first: []time.Time{day1, day1}, next: 2},
		},
		{
			name: "severity and numbers change: still ongoing",
			prev: []cwlens.Finding{flood},
			cur: []cwlens.Finding{func() cwlens.Finding {
				f := flood
				f.Severity = cwlens.SeverityCritical
				f.Evidence.Observed = 2886e6
				f.Start = day1.Add(-24 * time.Hour)
				f.Summary = "grew"
				return f
			}()},
			want: want{status: []cwlens.Status{"ongoing"}, first: []time.Time{day1}, next: 1},
		},
		{
			name: "flood gone: resolved once",
			prev: []cwlens.Finding{flood, churn},
			cur:  []cwlens.Finding{churn},
			want: want{status: []cwlens.Status{"ongoing"}, first: []time.Time{day1},
				resolved: []Key{KeyOf(flood)}, next: 1},
		},
		{
			name: "filter is part of the identity",
			prev: []cwlens.Finding{surgeErr},
			cur:  []cwlens.Finding{surgeErr, surgeSig},
			want: want{status: []cwlens.Status{"ongoing", "new"}, first: []time.Time{day1, day2}, next: 2},
		},
		{
			name: "another filter on the same group is not the old one",
			prev: []cwlens.Finding{surgeErr},
			cur:  []cwlens.Finding{surgeSig},
			want: want{status: []cwlens.Status{"new"}, first: []time.Time{day2},
				resolved: []Key{KeyOf(surgeErr)}, next: 1},
		},
		{
			name: "kind is part of the identity",
			prev: []cwlens.Finding{finding(cwlens.KindIngestionSpike, facilitator, "", cwlens.SeverityHigh)},
			cur:  []cwlens.Finding{flood},
			want: want{status: []cwlens.Status{"new"}, first: []time.Time{day2},
				resolved: []Key{{cwlens.KindIngestionSpike, facilitator, ""}}, next: 1},
		},
		{
			name:       "partial scan: unscanned subjects carried over, not resolved",
			prev:       []cwlens.Finding{flood, retention},
			cur:        []cwlens.Finding{},
			notScanned: func(r Record) bool { return r.Subject == "/aws/lambda/old" },
			want:       want{status: []cwlens.Status{}, first: []time.Time{}, resolved: []Key{KeyOf(flood)}, unseen: []Key{KeyOf(retention)}, next: 1},
		},
		{
			name: "duplicate keys in one run: one record",
			cur:  []cwlens.Finding{flood, flood},
			want: want{status: []cwlens.Status{"new", "new"}, first: []time.Time{day2, day2}, next: 1},
		},
		{
			name: "nothing at all",
			want: want{status: []cwlens.Status{}, first: []time.Time{}, next: 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var prev *State
			if tt.prev != nil {
				st := Compare(nil, tt.prev, Options{At: day1}).Next
				prev = &st
			}
			// Compare must not modify its input.
			before := slices.Clone(tt.cur)
			res := Compare(prev, tt.cur, Options{At: day2, NotScanned: tt.notScanned})
			if !slices.EqualFunc(before, tt.cur, func(a, b cwlens.Finding) bool { return a.Status == b.Status && a.FirstSeen == b.FirstSeen }) {
				t.Error("Compare modified its input")
			}
			var status []cwlens.Status
			var first []time.Time
			for _, f := range res.Findings {
				status = append(status, f.Status)
				first = append(first, *f.FirstSeen)
			}
			if !slices.Equal(status, tt.want.status) && !(len(status) == 0 && len(tt.want.status) == 0) {
				t.Errorf("status = %v, want %v", status, tt.want.status)
			}
			if !slices.EqualFunc(first, tt.want.first, time.Time.Equal) {
				t.Errorf("first seen = %v, want %v", first, tt.want.first)
			}
			keys := func(rs []Record) []Key {
				var out []Key
				for _, r := range rs {
					out = append(out, r.Key())
				}
				return out
			}
			if got := keys(res.Resolved); !slices.Equal(got, tt.want.resolved) {
				t.Errorf("resolved = %v, want %v", got, tt.want.resolved)
			}
			if got := keys(res.Unseen); !slices.Equal(got, tt.want.unseen) {
				t.Errorf("unseen = %v, want %v", got, tt.want.unseen)
			}
			if len(res.Next.Findings) != tt.want.next {
				t.Errorf("next state has %d findings, want %d: %v", len(res.Next.Findings), tt.want.next, keys(res.Next.Findings))
			}
			if !res.Next.RunAt.Equal(day2) {
				t.Errorf("next run at %v, want %v", res.Next.RunAt, day2)
			}
		})
	}
}

// TestThreeRuns follows the scheduled run of the issue: a flood appears, stays,
// then goes; it is resolved exactly once.
func TestThreeRuns(t *testing.T) {
	r1 := Compare(nil, []cwlens.Finding{flood, churn}, Options{At: day1})
	if got := len(r1.New()); got != 2 {
		t.Fatalf("run 1: %d new, want 2", got)
	}
	r2 := Compare(&r1.Next, []cwlens.Finding{flood, churn}, Options{At: day2})
	if got := r2.String(); got != "0 new, 2 ongoing, 0 resolved" {
		t.Fatalf("run 2: %s", got)
	}
	r3 := Compare(&r2.Next, []cwlens.Finding{churn}, Options{At: day3})
	if got := r3.String(); got != "0 new, 1 ongoing, 1 resolved" {
		t.Fatalf("run 3: %s", got)
	}
	if r3.Resolved[0].Key() != KeyOf(flood) || !r3.Resolved[0].FirstSeen.Equal(day1) || !r3.Resolved[0].LastSeen.Equal(day2) {
		t.Errorf("run 3 resolved %+v", r3.Resolved[0])
	}
	r4 := Compare(&r3.Next, []cwlens.Finding{churn}, Options{At: day3.Add(24 * time.Hour)})
	if got := r4.String(); got != "0 new, 1 ongoing, 0 resolved" {
		t.Errorf("run 4 lists the flood again: %s", got)
	}
}

func TestAtLeast(t *testing.T) {
	got := AtLeast([]cwlens.Finding{retention, flood, churn, surgeErr}, cwlens.SeverityMedium)
	var names []string
	for _, f := range got {
		names = append(names, KeyOf(f).String())
	}
	want := "ingestion_level_shift " + facilitator + "|deployment_churn karmacadabra-prod/facilitator|error_surge " + facilitator + " [ERROR]"
	if strings.Join(names, "|") != want {
		t.Errorf("AtLeast = %q, want %q", strings.Join(names, "|"), want)
	}
}

func TestNotScannedIn(t *testing.T) {
	snap := &cwlens.Snapshot{
		LogGroups: []cwlens.LogGroup{{Name: facilitator}},
		Services:  []cwlens.Service{{Cluster: "karmacadabra-prod", Name: "facilitator"}},
	}
	rec := func(f cwlens.Finding) Record { return FromFindings(day1, []cwlens.Finding{f}).Findings[0] }
	complete := NotScannedIn(snap)
	if complete(rec(retention)) {
		t.Error("a complete scan without the group did not see it go: it is gone, so resolved")
	}
	snap.Gaps = []cwlens.Gap{{API: "logs:DescribeMetricFilters", Resource: "/ecs/other", Reason: "AccessDenied"}}
	partial := NotScannedIn(snap)
	tests := []struct {
		f    cwlens.Finding
		want bool
	}{
		{flood, false},    // present in the snapshot
		{churn, false},    // the service is present
		{retention, true}, // absent from a partial snapshot
		{finding(cwlens.KindErrorSurge, "/ecs/other", "", cwlens.SeverityHigh), true}, // named by a gap
	}
	for _, tt := range tests {
		if got := partial(rec(tt.f)); got != tt.want {
			t.Errorf("NotScanned(%s) = %v, want %v", KeyOf(tt.f), got, tt.want)
		}
	}
	snap.Gaps = append(snap.Gaps, cwlens.Gap{API: "cwlens:scan", Resource: "*", Reason: "deadline"})
	if !NotScannedIn(snap)(rec(flood)) {
		t.Error("a gap on everything covers every subject")
	}
	if !NotScannedIn(nil)(rec(flood)) {
		t.Error("no snapshot saw nothing")
	}
}
