package cwlens

import (
	"slices"
	"time"
)

// AsOf returns the snapshot as an analysis evaluated at at sees it (the end
// of the window when at is zero). It is the one reading of a snapshot that
// the analyzer, pricing and the report share:
//
//   - Every series ends with its last period that ended by at; deployments
//     created after at and sampled events at or after at are dropped. A
//     later point cannot change what was known at at.
//   - The series CloudWatch publishes only when there is data (AWS/Logs
//     IncomingBytes and IncomingLogEvents, a metric filter's counts and
//     values) read a missing point as 0 when the scan read the period: the
//     period overlaps the resource's life (from its creation time; nothing
//     is filled when that is unknown), it had ended when the scan ran, and
//     no gap (Gap.Covers) covers any of it. Anywhere else a missing point
//     stays unknown. docs/snapshot.md, "Missing and zero", cites the AWS
//     pages.
//
// The result shares unchanged data with s, which is never modified; treat
// both as read-only. Reading the result again at the same time returns it.
func (s *Snapshot) AsOf(at time.Time) *Snapshot {
	if at.IsZero() {
		at = s.Window.End
	}
	at = at.UTC()
	if s.readAt.Equal(at) && !at.IsZero() {
		return s
	}
	out := *s
	out.readAt = at
	closed := s.CapturedAt
	if closed.IsZero() {
		closed = s.Window.End
	}
	out.LogGroups = make([]LogGroup, len(s.LogGroups))
	for i := range s.LogGroups {
		out.LogGroups[i] = s.logGroupAsOf(&s.LogGroups[i], at, closed)
	}
	out.Services = make([]Service, len(s.Services))
	for i := range s.Services {
		out.Services[i] = serviceAsOf(s.Services[i], at)
	}
	return &out
}

func (s *Snapshot) logGroupAsOf(g *LogGroup, at, closed time.Time) LogGroup {
	out := *g
	life := lifetime{born: g.CreationTime, closed: closed, gaps: s.Gaps, subject: g.Name}
	out.DailyIncomingBytes = life.read(g.DailyIncomingBytes, at)
	out.DailyIncomingEvents = life.read(g.DailyIncomingEvents, at)
	out.HourlyIncomingBytes = life.read(g.HourlyIncomingBytes, at)
	out.HourlyIncomingEvents = life.read(g.HourlyIncomingEvents, at)
	if len(g.MetricFilters) > 0 {
		out.MetricFilters = make([]MetricFilter, len(g.MetricFilters))
		for j := range g.MetricFilters {
			f := g.MetricFilters[j]
			fl := lifetime{born: f.CreationTime, closed: closed, gaps: s.Gaps, subject: FilterSubject(g.Name, f.Name)}
			f.Counts = fl.read(f.Counts, at)
			f.Values = fl.read(f.Values, at)
			out.MetricFilters[j] = f
		}
	}
	late := func(e LogEvent) bool { return !e.Timestamp.Before(at) }
	if slices.ContainsFunc(g.Sample, late) {
		out.Sample = slices.DeleteFunc(slices.Clone(g.Sample), late)
	}
	return out
}

func serviceAsOf(s Service, at time.Time) Service {
	s.CPUAverage = cut(s.CPUAverage, at)
	s.CPUMaximum = cut(s.CPUMaximum, at)
	s.MemoryAverage = cut(s.MemoryAverage, at)
	s.MemoryMaximum = cut(s.MemoryMaximum, at)
	s.TaskHours = cut(s.TaskHours, at)
	late := func(d Deployment) bool { return d.CreatedAt.After(at) }
	if slices.ContainsFunc(s.Deployments, late) {
		s.Deployments = slices.DeleteFunc(slices.Clone(s.Deployments), late)
	}
	return s
}

// cut returns the periods of x that ended by at. The result's capacity ends
// with it, so appending to it cannot write into the snapshot.
func cut(x Series, at time.Time) Series {
	if x.Period <= 0 || len(x.Values) == 0 {
		return x
	}
	n := 0
	if at.After(x.Start) {
		n = min(len(x.Values), int(at.Sub(x.Start)/x.Period))
	}
	x.Values = x.Values[:n:n]
	return x
}

// lifetime is what decides whether a missing point of a resource's series
// was read as nothing: the resource's creation, when the scan ran, and the
// ranges gaps say were not read.
type lifetime struct {
	born    time.Time // zero: unknown, nothing is filled
	closed  time.Time // a period ending after this was still open
	gaps    []Gap
	subject string // the series' Gap.Subject
}

// read cuts x at at and fills the missing points the scan read with 0,
// copying the values only when there is one to fill.
func (l lifetime) read(x Series, at time.Time) Series {
	x = cut(x, at)
	if l.born.IsZero() || x.Period <= 0 {
		return x
	}
	copied := false
	for i, v := range x.Values {
		if !IsMissing(v) {
			continue
		}
		from := x.Time(i)
		to := from.Add(x.Period)
		if !to.After(l.born) || to.After(l.closed) || l.covered(from, to) {
			continue
		}
		if !copied {
			x.Values = slices.Clip(slices.Clone(x.Values))
			copied = true
		}
		x.Values[i] = 0
	}
	return x
}

// covered reports whether a gap leaves any of [from, to) unread.
func (l lifetime) covered(from, to time.Time) bool {
	for _, g := range l.gaps {
		t := from
		if g.Start.After(t) {
			t = g.Start
		}
		if t.Before(to) && g.Covers(l.subject, t) {
			return true
		}
	}
	return false
}
