package analyzer

import (
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/logtemplate"
)

// maxTemplates is how many templates an ingestion finding lists: the few
// that explain most of a flood.
const maxTemplates = 5

// attachTemplates gives each ingestion spike or level shift whose log
// group carries a sample the templates that hold most of the sampled bytes
// since the finding's start. Events before the start, if the sample has
// any, are the baseline: a template's GrowthRate is its share of the bytes
// since the start over its share before (left 0 when it is new or there is
// no baseline). Shares, not counts, are compared, because a sample's size
// says nothing about the group's volume.
func (a *analysis) attachTemplates() {
	groups := make(map[string]*cwlens.LogGroup, len(a.snap.LogGroups))
	for i := range a.snap.LogGroups {
		if g := &a.snap.LogGroups[i]; len(g.Sample) > 0 {
			groups[g.Name] = g
		}
	}
	for i := range a.out {
		f := &a.out[i]
		if f.Kind != cwlens.KindIngestionSpike && f.Kind != cwlens.KindIngestionLevelShift {
			continue
		}
		if g := groups[f.Subject]; g != nil {
			f.Templates = topTemplates(g.Sample, f)
		}
	}
}

func topTemplates(sample []cwlens.LogEvent, f *cwlens.Finding) []cwlens.TemplateShare {
	m, err := logtemplate.New(logtemplate.DefaultConfig())
	if err != nil {
		return nil
	}
	for _, e := range sample {
		w := logtemplate.Current
		if e.Timestamp.Before(f.Start) {
			w = logtemplate.Baseline
		}
		m.AddTo(w, e.Message)
	}
	r := m.Result()
	if r.Total.Bytes == 0 {
		return nil
	}
	var out []cwlens.TemplateShare
	for _, t := range r.Templates {
		if len(out) == maxTemplates || t.Bytes == 0 {
			break
		}
		ts := cwlens.TemplateShare{
			Template:  t.Text,
			Events:    t.Events,
			Bytes:     t.Bytes,
			ByteShare: float64(t.Bytes) / float64(r.Total.Bytes),
		}
		if t.Baseline.Bytes > 0 && r.Baseline.Bytes > 0 {
			ts.GrowthRate = ts.ByteShare / (float64(t.Baseline.Bytes) / float64(r.Baseline.Bytes))
		}
		out = append(out, ts)
	}
	return out
}
