package analyzer

import (
	"fmt"
	"math"

	"github.com/cwlens/cwlens"
)

// retention reports a group that keeps its events forever.
func (a *analysis) retention(g *cwlens.LogGroup) {
	if !g.NeverExpires() || g.StoredBytes <= 0 {
		return
	}
	f := cwlens.Finding{
		Kind:    cwlens.KindNoRetention,
		Subject: g.Name,
		Start:   g.CreationTime,
		Summary: fmt.Sprintf("never expires its events: %s stored and growing with every byte ingested", humanBytes(float64(g.StoredBytes))),
		Evidence: cwlens.Evidence{
			Observed: float64(g.StoredBytes),
			Unit:     cwlens.UnitBytes,
			Score:    1,
			Notes:    []string{"storedBytes is compressed; a retention policy (e.g. 30 days) caps it"},
		},
		Impact: &cwlens.Impact{StoredBytes: g.StoredBytes},
	}
	// stored bytes cost a month each month, so grade them like monthly bytes
	f.Severity = a.bytesSeverity(float64(g.StoredBytes))
	if f.Severity > cwlens.SeverityMedium {
		f.Severity = cwlens.SeverityMedium // it costs, it does not break anything
	}
	a.add(f)
}

// concentration reports the group that carried most of the account's
// ingested bytes over the lookback.
func (a *analysis) concentration() {
	type share struct {
		g      *cwlens.LogGroup
		recent float64
		before float64
	}
	var all []share
	var total, totalBefore float64
	for i := range a.snap.LogGroups {
		g := &a.snap.LogGroups[i]
		s := g.DailyIncomingBytes
		if s.Period <= 0 {
			continue
		}
		from := a.at.Add(-a.cfg.Lookback)
		recent, _ := s.Slice(from, a.at).Sum()
		before, _ := s.Slice(from.Add(-a.cfg.BaselineSpan), from).Sum()
		all = append(all, share{g, recent, before})
		total += recent
		totalBefore += before
	}
	days := a.cfg.Lookback.Hours() / 24
	if len(all) < 2 || total < a.cfg.ConcentrationMinBytes*days {
		return
	}
	top := all[0]
	for _, s := range all[1:] {
		if s.recent > top.recent {
			top = s
		}
	}
	sh := top.recent / total
	if sh < a.cfg.ConcentrationShare {
		return
	}
	var shBefore float64
	if totalBefore > 0 {
		shBefore = top.before / totalBefore
	}
	perMonth := top.recent / days * DaysPerMonth
	notes := []string{fmt.Sprintf("at this rate the group ingests %s a month; it is where a log-level change pays off first", humanBytes(perMonth))}
	if totalBefore > 0 {
		notes = append(notes, fmt.Sprintf("its share in the %.0f days before was %.0f%%", a.cfg.BaselineSpan.Hours()/24, 100*shBefore))
	}
	f := cwlens.Finding{
		Kind:    cwlens.KindVolumeConcentration,
		Subject: top.g.Name,
		Start:   a.at.Add(-a.cfg.Lookback),
		Summary: fmt.Sprintf("carried %.0f%% of the account's ingested bytes in the last %.0f days (%s of %s)",
			100*sh, days, humanBytes(top.recent), humanBytes(total)),
		Evidence: cwlens.Evidence{
			Baseline: shBefore,
			Observed: sh,
			Ratio:    ratio(sh, shBefore),
			Unit:     "ratio",
			Score:    1,
			Series:   seriesCopy(top.g.DailyIncomingBytes),
			Notes:    notes,
		},
	}
	f.Severity = a.bytesSeverity(perMonth)
	if f.Severity > cwlens.SeverityMedium {
		f.Severity = cwlens.SeverityMedium
	}
	if f.Severity < cwlens.SeverityLow {
		f.Severity = cwlens.SeverityLow
	}
	// A group that always carried most of the bytes is a fact, not news:
	// only a share that moved is worth more than info.
	if totalBefore > 0 && math.Abs(sh-shBefore) < a.cfg.ConcentrationShift {
		f.Severity = cwlens.SeverityInfo
		f.Evidence.Notes = append(f.Evidence.Notes, fmt.Sprintf("its share moved less than %.0f points: info, not news", 100*a.cfg.ConcentrationShift))
	}
	a.add(f)
}
