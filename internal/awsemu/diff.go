package awsemu

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/cwlens/cwlens"
)

// Diff compares two snapshots in their JSON form (where a missing point is
// null, so missing equals missing), ignoring the capture time and the order
// of log groups, metric filters and services: AWS lists log groups and
// filters by name, so a scan cannot reproduce another order, and the order
// carries no meaning. It returns "" when they are equal, else where they
// first differ.
func Diff(want, got *cwlens.Snapshot) string {
	w, g := canonical(want), canonical(got)
	g.CapturedAt = w.CapturedAt
	if eq(w, g) {
		return ""
	}
	if w.AccountID != g.AccountID || w.Region != g.Region || w.Window != g.Window {
		return fmt.Sprintf("header: want %s %s %v, got %s %s %v", w.AccountID, w.Region, w.Window, g.AccountID, g.Region, g.Window)
	}
	if !eq(w.Gaps, g.Gaps) {
		return fmt.Sprintf("gaps: want %s\ngot %s", js(w.Gaps), js(g.Gaps))
	}
	if len(w.LogGroups) != len(g.LogGroups) {
		return fmt.Sprintf("log groups: want %d, got %d", len(w.LogGroups), len(g.LogGroups))
	}
	for i := range w.LogGroups {
		if !eq(w.LogGroups[i], g.LogGroups[i]) {
			return fmt.Sprintf("log group %d (%s): %s", i, w.LogGroups[i].Name, fields(w.LogGroups[i], g.LogGroups[i]))
		}
	}
	if len(w.Services) != len(g.Services) {
		return fmt.Sprintf("services: want %d, got %d", len(w.Services), len(g.Services))
	}
	for i := range w.Services {
		if !eq(w.Services[i], g.Services[i]) {
			return fmt.Sprintf("service %d (%s): %s", i, w.Services[i].ID(), fields(w.Services[i], g.Services[i]))
		}
	}
	return fmt.Sprintf("snapshots differ:\nwant %s\ngot  %s", js(w), js(g))
}

// fields lists the JSON members that differ between a and b.
func fields(a, b any) string {
	var ma, mb map[string]json.RawMessage
	json.Unmarshal([]byte(js(a)), &ma)
	json.Unmarshal([]byte(js(b)), &mb)
	keys := map[string]bool{}
	for k := range ma {
		keys[k] = true
	}
	for k := range mb {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if string(ma[k]) != string(mb[k]) {
			out = append(out, fmt.Sprintf("%s: want %s, got %s", k, short(ma[k]), short(mb[k])))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

func short(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// canonical returns a copy of s with log groups, their filters and the
// services in name order.
func canonical(s *cwlens.Snapshot) cwlens.Snapshot {
	c := *s
	c.LogGroups = append([]cwlens.LogGroup(nil), s.LogGroups...)
	sort.SliceStable(c.LogGroups, func(i, j int) bool { return c.LogGroups[i].Name < c.LogGroups[j].Name })
	for i := range c.LogGroups {
		fs := append([]cwlens.MetricFilter(nil), c.LogGroups[i].MetricFilters...)
		sort.SliceStable(fs, func(a, b int) bool { return fs[a].Name < fs[b].Name })
		c.LogGroups[i].MetricFilters = fs
	}
	c.Services = append([]cwlens.Service(nil), s.Services...)
	sort.SliceStable(c.Services, func(i, j int) bool { return c.Services[i].ID() < c.Services[j].ID() })
	return c
}

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func eq(a, b any) bool { return js(a) == js(b) }
