package report

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/montanaflynn/stats"
)

// svgChart is one chart ready for html.tmpl: the drawing and its text
// alternative, which the template escapes.
type svgChart struct {
	ID     string // unique in the page, for aria-labelledby
	Title  string
	Desc   string
	Width  float64 // viewBox size, in points
	Height float64
	Body   template.HTML // the drawing, without its <svg> element (chartsvg.go)
	// LogScale says the value axis is logarithmic, which the caption tells.
	LogScale bool
	// Parts are the marks of a finding's chart, which its caption explains.
	Parts chartParts
	// Class is the <svg>'s class beside "chart": has-narrow on a wide
	// drawing that Narrow redraws for a phone, chart-narrow on that drawing.
	Class string
	// Narrow is the same chart drawn at narrowLayout, or nil.
	Narrow *svgChart
}

// chartLayout is a chart's width and lettering. The page scales a chart to
// its column, and its labels with it: the wide layout's 9-point labels,
// drawn 640 wide, would be 4 px high in a phone's 310-px column. So the page
// carries a wide chart twice, wide and narrow, and its stylesheet shows the
// narrow one on a narrow screen, where its labels are 10 px or more.
type chartLayout struct {
	W         float64 // viewBox width
	Font      float64 // label size, in viewBox units
	DayLabels int     // at most about this many dates labelled on a time axis
	MaxLabel  int     // a bar's label is cut to this many characters
}

var (
	wideLayout   = chartLayout{W: 640, Font: 9, DayLabels: 7, MaxLabel: 44}
	narrowLayout = chartLayout{W: 340, Font: 11, DayLabels: 4, MaxLabel: 24}
	// The small multiples are a grid of 18rem cells, one column on a
	// phone, so one layout serves every screen.
	smallLayout = chartLayout{W: 300, Font: 9, DayLabels: 7}
)

// Chart heights in points.
const (
	chartTall   = 220
	chartSmallH = 120
)

// narrowID is the id of a chart's narrow drawing.
func narrowID(id string) string { return id + "-narrow" }

// withNarrow returns wide with narrow as its phone drawing.
func withNarrow(wide, narrow *svgChart) *svgChart {
	if wide == nil || narrow == nil {
		return wide
	}
	wide.Class, narrow.Class = "has-narrow", "chart-narrow"
	wide.Narrow = narrow
	return wide
}

// unitLabel labels a value axis tick in the series' unit.
func unitLabel(unit string) func(float64) string {
	return func(v float64) string { return compactLabel(formatValue(v, unit)) }
}

// moneyLabel labels a dollar axis tick.
func moneyLabel(v float64) string { return "$" + trimZeros(fmt.Sprintf("%.2f", v)) }

// compactLabel drops the zeros a tick does not need: "1.00 GB" → "1 GB".
func compactLabel(s string) string {
	num, unit, ok := strings.Cut(s, " ")
	if !ok {
		return trimZeros(s)
	}
	return trimZeros(num) + " " + unit
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// seriesMarks draws s as one line per run of present points, so that a
// missing point shows as a gap and never as a zero, with a dot per point
// when they are few enough to tell apart.
func (p *plotArea) seriesMarks(s cwlens.Series, role chartRole) {
	var run []float64
	flush := func() {
		if len(run) >= 4 {
			p.c.line(role, 1.5, "", run...)
		}
		if s.Len() <= 62 {
			for i := 0; i+1 < len(run); i += 2 {
				p.c.dot(run[i], run[i+1], 1.6, role, false)
			}
		}
		run = run[:0]
	}
	for i, v := range s.Values {
		if cwlens.IsMissing(v) || math.IsInf(v, 0) || (p.y.log && v <= 0) {
			flush()
			continue
		}
		run = append(run, p.x.at(float64(s.Time(i).Unix())), p.y.clamp(p.y.at(v)))
	}
	flush()
}

// baselineRange is the 10th to 90th percentile of the series before the
// finding started: what "normal" looked like, drawn as the band.
func baselineRange(s cwlens.Series, start time.Time) (lo, hi float64, ok bool) {
	var pre []float64
	for i, v := range s.Values {
		if !cwlens.IsMissing(v) && s.Time(i).Before(start) {
			pre = append(pre, v)
		}
	}
	if len(pre) < 3 {
		return 0, 0, false
	}
	lo, errLo := stats.Percentile(pre, 10)
	hi, errHi := stats.Percentile(pre, 90)
	return lo, hi, errLo == nil && errHi == nil
}

// flaggedFrom is where the chart's flagged span starts: the finding's start,
// or its earliest evidence point if that is earlier. The span runs to the end
// of the series, since a finding is about the latest data.
func flaggedFrom(f cwlens.Finding) time.Time {
	from := f.Start
	for _, pt := range f.Evidence.Points {
		if from.IsZero() || pt.Time.Before(from) {
			from = pt.Time
		}
	}
	return from
}

// chartParts says which marks a finding's chart has, so that its caption
// explains only those.
type chartParts struct {
	Band, Baseline, Span, Points bool
}

// findingChart draws a finding's series with its baseline band, baseline
// value, flagged span and flagged points. It returns nil when the finding has
// no series. A finding that starts with its series (a resize judged over the
// whole window) has no "before": no band and no span, only its points and
// its baseline (for a resize, the target utilisation).
func findingChart(id string, f cwlens.Finding, l chartLayout) (*svgChart, error) {
	s := f.Evidence.Series
	if s == nil || s.Present() == 0 || s.Period <= 0 {
		return nil, nil
	}
	from := flaggedFrom(f)
	var parts chartParts
	parts.Span = from.After(s.Start) && from.Before(s.End())

	maxV, minPos := math.Inf(-1), math.Inf(1)
	var maxT time.Time
	for i, v := range s.Values {
		if cwlens.IsMissing(v) {
			continue
		}
		if v > maxV {
			maxV, maxT = v, s.Time(i)
		}
		if v > 0 && v < minPos {
			minPos = v
		}
	}
	var bandLo, bandHi float64
	if parts.Span {
		bandLo, bandHi, parts.Band = baselineRange(*s, from)
	}
	baseline := f.Evidence.Baseline
	// The baseline is in the evidence's unit, which for a share of volume is
	// not the series' unit; only draw it where they agree.
	parts.Baseline = baseline > 0 && (f.Evidence.Unit == "" || strings.EqualFold(f.Evidence.Unit, s.Unit))

	// A flood of 500x its baseline flattens the baseline into the axis on a
	// linear scale; a log scale keeps both readable, and the caption says so.
	ref := 0.0
	switch {
	case parts.Baseline:
		ref = baseline
	case parts.Band:
		ref = bandHi
	}
	top := maxV
	if parts.Baseline {
		top = math.Max(top, baseline)
	}
	logScale := ref > 0 && maxV/ref >= 20 && !math.IsInf(minPos, 1) && s.Present() == countPositive(*s)
	y := scale{log: logScale}
	var yTicks []tick
	if logScale {
		y.lo, y.hi = minPos/1.5, top*1.5
		yTicks = logTicks(y.lo, y.hi, unitLabel(s.Unit))
	} else {
		y.lo, y.hi = 0, top*1.08
		if s.Unit == cwlens.UnitPercent {
			// Utilisation of a task: the whole of the task is the honest scale.
			y.hi = math.Max(top*1.02, 100)
		}
		if y.hi <= 0 {
			y.hi = 1
		}
		yTicks = niceTicks(y.lo, y.hi, 4, unitLabel(s.Unit))
	}
	x := scale{lo: float64(s.Start.Unix()), hi: float64(s.End().Add(-s.Period).Unix())}
	if x.hi <= x.lo {
		x.hi = x.lo + s.Period.Seconds()
	}
	p := newPlotArea(l, chartTall, x, y, dayTicks(x.lo, x.hi, l.DayLabels), yTicks)
	c := p.c

	// The flagged span runs over the whole height, under everything.
	spanX := p.x.clamp(p.x.at(float64(from.Unix())))
	if parts.Span {
		c.rect(spanX, p.top(), p.right()-spanX, p.bottom()-p.top(), roleFlag)
	}
	if parts.Band {
		lo := bandLo
		if logScale && lo <= 0 {
			lo = y.lo
		}
		y0, y1 := p.y.clamp(p.y.at(lo)), p.y.clamp(p.y.at(bandHi))
		if y0-y1 < 1 {
			y1 = y0 - 1 // a flat baseline still shows
		}
		c.rect(p.left(), y1, p.right()-p.left(), y0-y1, roleBand)
	}
	p.hGrid()
	if parts.Span {
		c.line(roleFlagEdge, 1.25, "3 2", spanX, p.top(), spanX, p.bottom())
		// Past the middle the label goes left of the line, so it stays inside.
		label, lx, anchor := "flagged from "+shortTime(from), spanX+3, "start"
		if spanX > (p.left()+p.right())/2 {
			lx, anchor = spanX-3, "end"
		}
		c.text(lx, p.top()+2, label, anchor, "hanging", l.Font, roleFlagEdge)
	}
	if yb := p.y.at(baseline); parts.Baseline && yb >= p.top() && yb <= p.bottom() {
		c.line(roleBaseline, 1, "4 3", p.left(), yb, p.right(), yb)
	}
	p.seriesMarks(*s, roleSeries)
	pts := 0
	for _, pt := range f.Evidence.Points {
		if cwlens.IsMissing(pt.Value) || math.IsInf(pt.Value, 0) || (logScale && pt.Value <= 0) {
			continue
		}
		c.dot(p.x.at(float64(pt.Time.Unix())), p.y.clamp(p.y.at(pt.Value)), 2.6, roleFlagEdge, true)
		pts++
	}
	parts.Points = pts > 0
	p.axes(true)
	body, err := c.body()
	if err != nil {
		return nil, fmt.Errorf("chart of %s: %w", f.Subject, err)
	}

	var d strings.Builder
	fmt.Fprintf(&d, "%s of %s from %s to %s", seriesNoun(*s), f.Subject,
		s.Start.UTC().Format("Jan 2"), s.End().Add(-s.Period).UTC().Format("Jan 2 2006"))
	if logScale {
		d.WriteString(", on a logarithmic scale")
	}
	d.WriteString(". ")
	if parts.Band {
		fmt.Fprintf(&d, "Usual range before %s: %s to %s. ", shortTime(from),
			formatValue(bandLo, s.Unit), formatValue(bandHi, s.Unit))
	}
	if parts.Baseline {
		fmt.Fprintf(&d, "Baseline %s. ", formatValue(baseline, s.Unit))
	}
	if parts.Span {
		fmt.Fprintf(&d, "Flagged from %s. ", FormatTime(from))
	}
	fmt.Fprintf(&d, "Peak %s at %s", formatValue(maxV, s.Unit), FormatTime(maxT))
	if parts.Baseline {
		fmt.Fprintf(&d, ", %s the baseline", formatRatio(maxV/baseline))
	}
	d.WriteString(".")
	if n := pts; n > 0 {
		fmt.Fprintf(&d, " %d flagged %s marked.", n, map[bool]string{true: "point", false: "points"}[n == 1])
	}
	return &svgChart{
		ID:       id,
		Title:    fmt.Sprintf("%s: %s", f.Kind, f.Subject),
		Desc:     d.String(),
		Width:    l.W,
		Height:   chartTall,
		Body:     body,
		LogScale: logScale,
		Parts:    parts,
	}, nil
}

// shortTime is a chart's label of a time: "Oct 29", or "Oct 29 12:00" when
// it is not midnight UTC.
func shortTime(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format("Jan 2")
	}
	return t.Format("Jan 2 15:04")
}

func countPositive(s cwlens.Series) int {
	n := 0
	for _, v := range s.Values {
		if !cwlens.IsMissing(v) && v > 0 {
			n++
		}
	}
	return n
}

// seriesNoun names a series for a text alternative: "Daily bytes".
func seriesNoun(s cwlens.Series) string {
	period := s.Period.String()
	switch s.Period {
	case cwlens.Day:
		period = "Daily"
	case cwlens.Hour:
		period = "Hourly"
	}
	unit := strings.ToLower(s.Unit)
	switch s.Unit {
	case cwlens.UnitCount:
		unit = "counts"
	case cwlens.UnitPercent:
		unit = "percentages"
	case "":
		unit = "values"
	}
	return period + " " + unit
}

// barItem is one bar of a bar chart.
type barItem struct {
	Label string
	Value float64
	Text  string // the value as shown beside the bar
}

// shortLabel cuts a bar's label to max characters, keeping its end, so that
// one long log group name does not squeeze the bars; the full name is in the
// table beside the chart.
func shortLabel(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return "…" + string(r[len(r)-max+1:])
}

// rowChart lays out a chart of n labelled rows of rowH each, the labels on
// the left, over an amount axis from 0 to hi.
func rowChart(names []string, rowH, hi float64, label func(float64) string, l chartLayout) *plotArea {
	labelW := 0.0
	for _, n := range names {
		labelW = max(labelW, textWidth(n, l.Font))
	}
	const top = 8
	bottom := bottomMargin(l.Font)
	h := top + rowH*float64(len(names)) + bottom
	x := scale{lo: 0, hi: hi, from: labelW + 12, to: l.W - 10}
	y := scale{lo: 0, hi: 1, from: h - bottom, to: top}
	p := &plotArea{c: &canvas{W: l.W, H: h}, x: x, y: y, xTicks: niceTicks(0, hi, 5, label), font: l.Font}
	for i, n := range names {
		p.c.text(x.from-6, top+rowH*(float64(i)+0.5), n, "end", "middle", l.Font, roleInk)
	}
	return p
}

// roomRight widens a row chart's amount axis, and ticks it again with
// label, so that a bar of value v leaves room for a label w wide between
// its end and the chart's right edge.
func (p *plotArea) roomRight(v, w float64, label func(float64) string) {
	span := p.c.W - 2 - w - p.left() // the widest bar that leaves the room
	if v <= 0 || span <= 0 || p.x.at(v) <= p.left()+span {
		return
	}
	p.x.hi = v * (p.right() - p.left()) / span
	p.xTicks = niceTicks(0, p.x.hi, 5, label)
}

// barChart draws items as horizontal bars, the first on top, each labelled
// with its Text, on a dollar axis when money is set and a bytes axis if not.
func barChart(id, title, desc string, items []barItem, role chartRole, money bool, l chartLayout) (*svgChart, error) {
	if len(items) == 0 {
		return nil, nil
	}
	names := make([]string, len(items))
	maxV := 0.0
	for i, it := range items {
		names[i] = shortLabel(it.Label, l.MaxLabel)
		maxV = math.Max(maxV, it.Value)
	}
	label := unitLabel(cwlens.UnitBytes)
	if money {
		label = moneyLabel
	}
	// Room on the right for the longest value label.
	rowH, barH := 2*l.Font+4, l.Font+5 // 22 and 14 at 9 points
	p := rowChart(names, rowH, math.Max(maxV*1.22, 1e-9), label, l)
	for _, it := range items {
		p.roomRight(it.Value, textWidth(it.Text, l.Font)+4, label)
	}
	p.vGrid()
	for i, it := range items {
		mid := p.top() + rowH*(float64(i)+0.5)
		x1 := p.x.clamp(p.x.at(math.Max(it.Value, 0)))
		p.c.rect(p.left(), mid-barH/2, x1-p.left(), barH, role)
		p.c.text(x1+4, mid, it.Text, "start", "middle", l.Font, roleInk)
	}
	p.axes(false)
	body, err := p.c.body()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", title, err)
	}
	return &svgChart{ID: id, Title: title, Desc: desc, Width: l.W, Height: p.c.H, Body: body}, nil
}

// pairItem is one subject of the projection chart.
type pairItem struct {
	Label                     string
	Current, Proposed         float64
	CurrentText, ProposedText string
}

// pairChart draws current against proposed per subject as paired horizontal
// bars, "now" above "after"; the legend is the figure's caption, in HTML.
func pairChart(id, title, desc string, items []pairItem, l chartLayout) (*svgChart, error) {
	if len(items) == 0 {
		return nil, nil
	}
	names := make([]string, len(items))
	maxV := 0.0
	for i, it := range items {
		names[i] = shortLabel(it.Label, l.MaxLabel)
		maxV = math.Max(maxV, math.Max(it.Current, it.Proposed))
	}
	// Each bar is as high as its value's label, one point under the axis's.
	barH := l.Font
	rowH := 2*barH + 8 // 26 at 9 points
	p := rowChart(names, rowH, math.Max(maxV*1.18, 1e-9), moneyLabel, l)
	for _, it := range items {
		p.roomRight(it.Current, textWidth(it.CurrentText, l.Font-1)+3, moneyLabel)
		p.roomRight(it.Proposed, textWidth(it.ProposedText, l.Font-1)+3, moneyLabel)
	}
	p.vGrid()
	for i, it := range items {
		mid := p.top() + rowH*(float64(i)+0.5)
		for _, bar := range []struct {
			v    float64
			text string
			y    float64
			role chartRole
		}{
			{it.Current, it.CurrentText, mid - barH, roleCurrent},
			{it.Proposed, it.ProposedText, mid, roleProposed},
		} {
			x1 := p.x.clamp(p.x.at(math.Max(bar.v, 0)))
			p.c.rect(p.left(), bar.y, x1-p.left(), barH, bar.role)
			p.c.text(x1+3, bar.y+barH/2, bar.text, "start", "middle", l.Font-1, roleInk)
		}
	}
	p.axes(false)
	body, err := p.c.body()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", title, err)
	}
	return &svgChart{ID: id, Title: title, Desc: desc, Width: l.W, Height: p.c.H, Body: body}, nil
}

// smallChart draws one panel of the small multiples: a series on its own
// scale, no band or markers.
func smallChart(id, title string, s cwlens.Series) (*svgChart, error) {
	if s.Present() == 0 || s.Period <= 0 {
		return nil, nil
	}
	maxV := 0.0
	var maxT time.Time
	for i, v := range s.Values {
		if !cwlens.IsMissing(v) && v >= maxV {
			maxV, maxT = v, s.Time(i)
		}
	}
	y := scale{lo: 0, hi: math.Max(maxV*1.08, 1)}
	x := scale{lo: float64(s.Start.Unix()), hi: float64(s.End().Add(-s.Period).Unix())}
	if x.hi <= x.lo {
		x.hi = x.lo + s.Period.Seconds()
	}
	l := smallLayout
	p := newPlotArea(l, chartSmallH, x, y, dayTicks(x.lo, x.hi, l.DayLabels), niceTicks(y.lo, y.hi, 3, unitLabel(s.Unit)))
	p.hGrid()
	p.seriesMarks(s, roleSeries)
	p.axes(true)
	body, err := p.c.body()
	if err != nil {
		return nil, fmt.Errorf("chart of %s: %w", title, err)
	}
	sum, n := s.Sum()
	desc := fmt.Sprintf("%s of %s from %s to %s: %d of %d days reported, total %s, peak %s on %s.",
		seriesNoun(s), title, s.Start.UTC().Format("Jan 2"), s.End().Add(-s.Period).UTC().Format("Jan 2 2006"),
		n, s.Len(), formatValue(sum, s.Unit), formatValue(maxV, s.Unit), maxT.UTC().Format("Jan 2"))
	return &svgChart{ID: id, Title: title, Desc: desc, Width: l.W, Height: chartSmallH, Body: body}, nil
}

// unitRatio is the analyzer's unit of a share such as errors per request
// (0.152), which people read as a percentage (15.2 %).
const unitRatio = "ratio"

// formatValue shows a value in its series unit: bytes in decimal units as
// CloudWatch bills them, counts and percentages plainly.
func formatValue(v float64, unit string) string {
	switch unit {
	case cwlens.UnitBytes:
		return FormatBytes(v)
	case cwlens.UnitPercent:
		return trimZeros(fmt.Sprintf("%.1f", v)) + " %"
	case unitRatio:
		return trimZeros(fmt.Sprintf("%.1f", v*100)) + " %"
	default:
		return humanCount(v)
	}
}

func formatRatio(r float64) string {
	switch {
	case r >= 10:
		return fmt.Sprintf("%.0f×", r)
	case r >= 1:
		return fmt.Sprintf("%.1f×", r)
	default:
		return strconv.FormatFloat(r, 'f', 2, 64) + "×"
	}
}

// humanCount writes a count with a k/M suffix past ten thousand.
func humanCount(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return trimZeros(fmt.Sprintf("%.1f", v/1e6)) + "M"
	case a >= 1e4:
		return trimZeros(fmt.Sprintf("%.1f", v/1e3)) + "k"
	case a == math.Trunc(a):
		return fmt.Sprintf("%.0f", v)
	default:
		return trimZeros(fmt.Sprintf("%.2f", v))
	}
}
