// Package analyzer turns a Snapshot into Findings: ingestion spikes, level
// shifts and drops, error surges and error rates, over-provisioned and
// near-capacity services, deployment churn, log groups that never expire and
// one group carrying most of the bytes.
//
// Every series goes through one engine, the Detector, which the CLI also
// exposes as `cwlens detect`. The analyzer measures impact in AWS's units
// (bytes a month, task sizes); the pricing package turns that into dollars.
// Time is a parameter: nothing here reads the clock.
package analyzer

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/cwlens/cwlens"
)

// Analyze returns the findings of snap as of the evaluation time at (the end
// of the snapshot's window when at is zero), read as snap.AsOf(at) reads it,
// ordered by severity, then by the monthly bytes at stake, then by subject,
// kind and filter.
func Analyze(snap *cwlens.Snapshot, at time.Time, cfg Config) ([]cwlens.Finding, error) {
	a, err := newAnalysis(snap, at, cfg)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	snap = a.snap
	for i := range snap.LogGroups {
		g := &snap.LogGroups[i]
		a.ingestion(g)
		a.errorFilters(g)
		a.retention(g)
	}
	a.concentration()
	for i := range snap.Services {
		s := &snap.Services[i]
		a.capacity(s)
		a.churn(s)
	}
	a.attachTemplates()
	SortFindings(a.out)
	return a.out, nil
}

// newAnalysis starts an analysis of snap at at (the end of its window when
// at is zero), reading it as snap.AsOf(at).
func newAnalysis(snap *cwlens.Snapshot, at time.Time, cfg Config) (*analysis, error) {
	if snap == nil {
		return nil, errors.New("no snapshot")
	}
	if at.IsZero() {
		at = snap.Window.End
	}
	if at.IsZero() {
		return nil, errors.New("no evaluation time and the snapshot has no window end")
	}
	return &analysis{cfg: cfg, at: at.UTC(), snap: snap.AsOf(at)}, nil
}

// analysis carries one Analyze call's state: the configuration, the
// evaluation time, and one reusable detector per sampling period.
type analysis struct {
	cfg  Config
	at   time.Time
	snap *cwlens.Snapshot
	dets map[time.Duration]*Detector
	jbuf []Judgement // judge's result, reused: valid until the next call
	out  []cwlens.Finding
}

func (a *analysis) add(f cwlens.Finding) { a.out = append(a.out, f) }

// judge runs the engine for s's sampling period, with the given absolute
// floor, over s. The result is valid until the next call.
func (a *analysis) judge(s cwlens.Series, floor float64) []Judgement {
	if a.dets == nil {
		a.dets = map[time.Duration]*Detector{}
	}
	d := a.dets[s.Period]
	if d == nil {
		c := a.cfg.Detector
		c.Step = s.Period
		d = NewDetector(c)
		a.dets[s.Period] = d
	}
	d.cfg.AbsFloor = floor
	d.Reset()
	out := a.jbuf[:0]
	for _, v := range s.Values {
		out = append(out, d.Judge(v))
	}
	a.jbuf = out
	return out
}

// complete returns how many leading points of s ended at or before the
// evaluation time.
func (a *analysis) complete(s cwlens.Series) int {
	if s.Period <= 0 {
		return 0
	}
	n := int(a.at.Sub(s.Start) / s.Period)
	if n < 0 {
		return 0
	}
	if n > len(s.Values) {
		n = len(s.Values)
	}
	return n
}

// SortFindings orders findings by severity (most severe first), then by the
// monthly bytes at stake, then by subject, kind and filter, so that a report
// is the same from one run to the next.
func SortFindings(fs []cwlens.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if ia, ib := stake(a), stake(b); ia != ib {
			return ia > ib
		}
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Filter < b.Filter
	})
}

// stake is the cost-relevant size of a finding: the bytes a month it adds
// or removes, or the bytes it keeps forever.
func stake(f *cwlens.Finding) float64 {
	if f.Impact == nil {
		return 0
	}
	return math.Abs(f.Impact.IngestedBytesPerMonth) + float64(f.Impact.StoredBytes)
}

// bytesSeverity grades a volume a month: tiny volumes never page anyone.
func (a *analysis) bytesSeverity(bytesPerMonth float64) cwlens.Severity {
	b := math.Abs(bytesPerMonth)
	switch {
	case b >= a.cfg.CriticalBytesPerMonth:
		return cwlens.SeverityCritical
	case b >= a.cfg.HighBytesPerMonth:
		return cwlens.SeverityHigh
	case b >= a.cfg.PageBytesPerMonth:
		return cwlens.SeverityMedium
	case b >= a.cfg.PageBytesPerMonth/10:
		return cwlens.SeverityLow
	}
	return cwlens.SeverityInfo
}

// weaken lowers a severity by one step when the statistical evidence is
// weak (an engine score under 0.5), never below info.
func weaken(s cwlens.Severity, score float64) cwlens.Severity {
	if score < 0.5 && s > cwlens.SeverityInfo {
		return s - 1
	}
	return s
}

// seriesCopy returns a copy of s for a finding's evidence, so that the
// finding does not alias the snapshot.
func seriesCopy(s cwlens.Series) *cwlens.Series {
	c := s
	c.Values = append([]float64(nil), s.Values...)
	return &c
}

// finite replaces NaN and ±Inf, which JSON cannot carry, with 0.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
