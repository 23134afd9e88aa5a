package ingest

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/montanaflynn/stats"
	"golang.org/x/sync/errgroup"
)

// A scan with Options.SampleEvents reads a sample of the events of the log
// groups whose ingestion jumped, so that the analyzer can say which lines
// flood. Which groups, and over which windows:
const (
	// SampleRatio: a group is sampled when a day of the window's last
	// HourlyDays days ingested at least SampleRatio times its median day
	// over the whole window. The median of 35 days is not moved by a few
	// days of flood, and 3× is well beyond a weekday/weekend swing.
	SampleRatio = 3
	// SampleMinExcessBytes: ... and at least this many bytes above the
	// median: a group going from 10 kB to 40 kB a day is not worth the calls.
	SampleMinExcessBytes = 1e6
	// SampleMaxGroups bounds the groups sampled (those with the largest
	// excess first), so that --sample costs at most SampleMaxGroups ×
	// 2 × DefaultSampleSlices FilterLogEvents pages of a bounded size.
	SampleMaxGroups = 10
	// SampleBaselineDays is the length of the baseline window before the
	// onset: a week, so that every weekday is in it.
	SampleBaselineDays = 7
)

// sampleTarget is a log group to sample and where its jump began.
type sampleTarget struct {
	group  string
	onset  time.Time
	excess float64 // peak day over the median, in bytes
}

// sampleTargets picks the groups of a scan worth sampling (see SampleRatio)
// over the window w whose last recentDays days are the recent part. The
// onset is the first hour of the first jumped day whose ingestion is at
// least SampleRatio times the median day's hourly average, or that day's
// start when its hours are not known.
func sampleTargets(groups []*cwlens.LogGroup, w cwlens.Window, recentDays int) []sampleTarget {
	recent := w.End.Add(-time.Duration(recentDays) * cwlens.Day)
	var out []sampleTarget
	for _, g := range groups {
		if g.Class == cwlens.ClassDelivery {
			// Delivery keeps events in CloudWatch Logs for one day and
			// offers none of its rich capabilities (SDK
			// CreateLogGroupInput.LogGroupClass): no baseline to read.
			continue
		}
		d := g.DailyIncomingBytes
		var present []float64
		for _, v := range d.Values {
			if !cwlens.IsMissing(v) {
				present = append(present, v)
			}
		}
		med, err := stats.Median(present)
		if err != nil {
			continue // no datapoint at all
		}
		t := sampleTarget{group: g.Name}
		for i, v := range d.Values {
			day := d.Time(i)
			if day.Before(recent) || cwlens.IsMissing(v) || v < SampleRatio*med || v-med < SampleMinExcessBytes {
				continue
			}
			if t.onset.IsZero() {
				t.onset = onsetHour(g.HourlyIncomingBytes, day, SampleRatio*med/24)
			}
			t.excess = math.Max(t.excess, v-med)
		}
		if !t.onset.IsZero() {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b sampleTarget) int {
		return cmp.Or(cmp.Compare(b.excess, a.excess), cmp.Compare(a.group, b.group))
	})
	return out[:min(len(out), SampleMaxGroups)]
}

// onsetHour returns the first hour of day whose bytes reach threshold, or
// day itself.
func onsetHour(hourly cwlens.Series, day time.Time, threshold float64) time.Time {
	for h := day; h.Before(day.Add(cwlens.Day)); h = h.Add(time.Hour) {
		if i, ok := hourly.Index(h); ok && !cwlens.IsMissing(hourly.Values[i]) && hourly.Values[i] >= threshold {
			return h
		}
	}
	return day
}

// sampleGroups reads up to SampleEvents events of each target group: half
// over the baseline week before its onset, half from the onset to the
// window's end, each spread over DefaultSampleSlices slices. A group whose
// sample cannot be read gets a gap and no sample.
func (r *run) sampleGroups(ctx context.Context) {
	n := r.s.opts.SampleEvents
	r.mu.Lock()
	groups := make([]*cwlens.LogGroup, 0, len(r.groups))
	for _, g := range r.groups {
		groups = append(groups, g)
	}
	r.mu.Unlock()
	targets := sampleTargets(groups, r.w, r.s.opts.HourlyDays)
	if len(targets) == 0 {
		return
	}
	api, ok := r.s.c.Logs.(EventsAPI)
	if !ok {
		r.gap("logs:FilterLogEvents", "*", "the Logs client given to the scanner cannot read events")
		return
	}
	r.update(func(p *Progress) { p.SampleGroups = len(targets) })
	ev := NewEventsWithClients(api, r.s.c.CloudWatch)
	var eg errgroup.Group
	eg.SetLimit(r.s.opts.Concurrency)
	for _, t := range targets {
		eg.Go(func() error {
			defer r.update(func(p *Progress) { p.SampledGroups++ })
			base := SampleOptions{Group: t.group, Start: t.onset.Add(-SampleBaselineDays * cwlens.Day), End: t.onset, MaxEvents: n / 2}
			base.Start = maxTime(base.Start, r.w.Start)
			cur := SampleOptions{Group: t.group, Start: t.onset, End: r.w.End, MaxEvents: n - base.MaxEvents}
			if !base.End.After(base.Start) || base.MaxEvents == 0 {
				cur.MaxEvents = n
				base.MaxEvents = 0
			}
			var events []cwlens.LogEvent
			for _, o := range []SampleOptions{base, cur} {
				if o.MaxEvents == 0 {
					continue
				}
				s, err := ev.Sample(ctx, o)
				if err != nil {
					r.fail(ctx, "logs:FilterLogEvents", t.group, err)
					return nil
				}
				r.reads.Add(int64(s.Calls))
				events = append(events, s.Events...)
			}
			r.log.Info("log group sampled", "log_group", t.group, "onset", t.onset, "events", len(events))
			r.mu.Lock()
			r.groups[t.group].Sample = events
			r.mu.Unlock()
			return nil
		})
	}
	eg.Wait()
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
