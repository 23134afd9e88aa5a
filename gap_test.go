package cwlens_test

import (
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

func TestGapCovers(t *testing.T) {
	t0 := time.Date(2025, 10, 30, 0, 0, 0, 0, time.UTC)
	t1 := t0.Add(6 * time.Hour)
	bounded := cwlens.Gap{API: "cloudwatch:GetMetricData", Subject: "/ecs/a", Start: t0, End: t1}
	tests := []struct {
		name    string
		gap     cwlens.Gap
		subject string
		at      time.Time
		want    bool
	}{
		{"inside", bounded, "/ecs/a", t0.Add(time.Hour), true},
		{"at start", bounded, "/ecs/a", t0, true},
		{"at end (half-open)", bounded, "/ecs/a", t1, false},
		{"before", bounded, "/ecs/a", t0.Add(-time.Hour), false},
		{"other subject", bounded, "/ecs/b", t0.Add(time.Hour), false},
		{"a filter is not its group", bounded, cwlens.FilterSubject("/ecs/a", "errors"), t0.Add(time.Hour), false},
		{"unbounded", cwlens.Gap{API: "x", Subject: "/ecs/a"}, "/ecs/a", t0.AddDate(-1, 0, 0), true},
		{"open end", cwlens.Gap{API: "x", Subject: "/ecs/a", Start: t0}, "/ecs/a", t1.AddDate(1, 0, 0), true},
		{"everything", cwlens.Gap{API: "*", Subject: cwlens.SubjectAll}, "cluster/svc", t0, true},
		{"no subject covers nothing", cwlens.Gap{API: "logs:DescribeLogGroups", Resource: "*"}, "", t0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.gap.Covers(tt.subject, tt.at); got != tt.want {
				t.Errorf("Covers(%q, %s) = %v, want %v", tt.subject, tt.at, got, tt.want)
			}
		})
	}
}
