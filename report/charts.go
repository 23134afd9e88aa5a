package report

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/cwlens/cwlens"
	"github.com/montanaflynn/stats"
)

// chartRole is what a colour means in a chart. gonum writes colours as hex
// literals; each role is drawn in a sentinel colour that svgBody then swaps
// for a CSS custom property, so one chart follows the page's light, dark and
// print themes instead of baking in one palette.
type chartRole uint8

// Chart roles. Their CSS names are the --c-* properties of html.tmpl.
const (
	roleInk      chartRole = iota // axis lines, tick labels, text
	roleMuted                     // tick marks, secondary text
	roleGrid                      // grid lines
	roleSeries                    // the measured series, ordinary bars
	roleBand                      // the baseline's usual range
	roleBaseline                  // the baseline value
	roleFlag                      // the flagged span's fill
	roleFlagEdge                  // the flagged span's start line, flagged points
	roleCurrent                   // "now" bars of the projection
	roleProposed                  // "after the scenario" bars
	roleCount
)

var chartRoleNames = [roleCount]string{
	"ink", "muted", "grid", "series", "band", "baseline", "flag", "flag-edge", "current", "proposed",
}

// color returns the role's sentinel colour, #FE01xx. No chart draws a real
// colour, so every sentinel in gonum's output is one of these.
func (r chartRole) color() color.Color { return color.RGBA{R: 0xFE, G: 0x01, B: uint8(r) + 1, A: 0xFF} }

func (r chartRole) hex() string { return fmt.Sprintf("#FE01%02X", uint8(r)+1) }

var (
	sentinelReplacer = func() *strings.Replacer {
		var pairs []string
		for r := chartRole(0); r < roleCount; r++ {
			pairs = append(pairs, r.hex(), "var(--c-"+chartRoleNames[r]+")")
		}
		return strings.NewReplacer(pairs...)
	}()
	// literalColour finds a colour that escaped the sentinel scheme, which
	// would not follow dark mode or print.
	literalColour = regexp.MustCompile(`(?:fill|stroke):#[0-9A-Fa-f]{6}`)
)

// svgChart is one chart ready for html.tmpl: the drawing and its text
// alternative, which the template escapes.
type svgChart struct {
	ID     string // unique in the page, for aria-labelledby
	Title  string
	Desc   string
	Width  float64 // viewBox size, in points
	Height float64
	Body   template.HTML // gonum's drawing, without its <svg> element
	// LogScale says the value axis is logarithmic, which the caption tells.
	LogScale bool
	// Parts are the marks of a finding's chart, which its caption explains.
	Parts chartParts
}

// Chart sizes in points; the page scales them to its width.
const (
	chartWide   = 640
	chartTall   = 220
	chartSmallW = 300
	chartSmallH = 120
)

// chartFont is the charts' font. gonum measures text with the embedded
// Liberation fonts, whose metrics match Arial and Helvetica, so the page
// asks for those (no font is embedded or downloaded).
func chartFont(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

// newChartPlot returns a plot with every colour a role and every font sans.
func newChartPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // transparent: the page's background shows
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Color = roleInk.color()
		a.LineStyle.Color = roleMuted.color()
		a.Tick.Color = roleMuted.color()
		a.Tick.LineStyle.Color = roleMuted.color()
		a.Tick.Label.Color = roleInk.color()
		a.Tick.Label.Font = chartFont(9)
		a.Label.TextStyle.Color = roleInk.color()
		a.Label.TextStyle.Font = chartFont(10)
		a.Padding = 2
	}
	p.Title.TextStyle.Color = roleInk.color()
	p.Title.TextStyle.Font = chartFont(11)
	p.Legend.TextStyle.Color = roleInk.color()
	p.Legend.TextStyle.Font = chartFont(9)
	return p
}

// svgBody draws p at w×h points and returns the inside of gonum's <svg>
// element with its colours turned into CSS custom properties. gonum escapes
// the text it draws (html.EscapeString), so names of log groups passed as
// tick labels come out inert.
func svgBody(p *plot.Plot, w, h vg.Length) (template.HTML, error) {
	c := vgsvg.New(w, h)
	// A small margin keeps the outermost labels inside the viewBox when the
	// reader's font is a little wider than Liberation Sans.
	p.Draw(draw.Crop(draw.New(c), vg.Points(6), -vg.Points(6), vg.Points(2), -vg.Points(4)))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", fmt.Errorf("draw chart: %w", err)
	}
	s := buf.String()
	open := strings.Index(s, "<svg")
	if open < 0 {
		return "", fmt.Errorf("draw chart: no <svg> element in gonum's output")
	}
	end := strings.IndexByte(s[open:], '>')
	closing := strings.LastIndex(s, "</svg>")
	if end < 0 || closing < open+end {
		return "", fmt.Errorf("draw chart: malformed <svg> element in gonum's output")
	}
	body := strings.TrimSpace(s[open+end+1 : closing])
	body = sentinelReplacer.Replace(body)
	if m := literalColour.FindString(body); m != "" {
		return "", fmt.Errorf("draw chart: colour %q is not a chart role", m)
	}
	//nolint:gosec // gonum's markup, its text escaped by gonum; see svgBody's doc.
	return template.HTML(body), nil
}

// dayTicks marks UTC midnights, a label every step days so that no more than
// about seven labels fit on a chart.
type dayTicks struct{}

func (dayTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return nil
	}
	days := (hi - lo) / 86400
	step := 1
	for _, s := range []int{1, 2, 7, 14, 28, 56} {
		step = s
		if days/float64(s) <= 7 {
			break
		}
	}
	first := time.Unix(int64(lo), 0).UTC().Truncate(24 * time.Hour)
	if float64(first.Unix()) < lo {
		first = first.Add(24 * time.Hour)
	}
	// Anchor weekly labels on a fixed weekday so that charts line up.
	var ticks []plot.Tick
	for i, t := 0, first; float64(t.Unix()) <= hi; i, t = i+1, t.Add(24*time.Hour) {
		tick := plot.Tick{Value: float64(t.Unix())}
		if i%step == 0 {
			tick.Label = t.Format("Jan 2")
		}
		if tick.Label == "" && days > 60 {
			continue // minor ticks every day would be a smear
		}
		ticks = append(ticks, tick)
	}
	return ticks
}

// unitTicks labels a value axis in the series' unit.
type unitTicks struct {
	unit string
	log  bool
}

func (u unitTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	if u.log {
		ticks = plot.LogTicks{}.Ticks(lo, hi)
	} else {
		ticks = plot.DefaultTicks{}.Ticks(lo, hi)
	}
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = compactLabel(formatValue(ticks[i].Value, u.unit))
		}
	}
	return ticks
}

// compactLabel drops the zeros a tick does not need: "1.00 GB" → "1 GB".
func compactLabel(s string) string {
	num, unit, ok := strings.Cut(s, " ")
	if !ok {
		return trimZeros(s)
	}
	return trimZeros(num) + " " + unit
}

// moneyTicks labels a dollar axis.
type moneyTicks struct{}

func (moneyTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = "$" + trimZeros(fmt.Sprintf("%.2f", ticks[i].Value))
		}
	}
	return ticks
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// spanMarker marks the flagged span [from, to) of a finding over the whole
// height of the data area: with fill, the shaded span (drawn first, under
// everything); without, its start as a dashed line with a label (drawn over
// the grid).
type spanMarker struct {
	from, to float64
	label    string
	fill     bool
}

func (m spanMarker) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	x0, x1 := max(tx(m.from), c.Min.X), min(tx(m.to), c.Max.X)
	if m.fill {
		if x1 > x0 {
			c.SetColor(roleFlag.color())
			c.Fill(vg.Rectangle{Min: vg.Point{X: x0, Y: c.Min.Y}, Max: vg.Point{X: x1, Y: c.Max.Y}}.Path())
		}
		return
	}
	c.StrokeLine2(draw.LineStyle{Color: roleFlagEdge.color(), Width: vg.Points(1.25), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}},
		x0, c.Min.Y, x0, c.Max.Y)
	if m.label != "" {
		sty := text.Style{Color: roleFlagEdge.color(), Font: chartFont(9), Handler: p.TextHandler, XAlign: draw.XLeft, YAlign: draw.YTop}
		// Past the middle the label goes left of the line, so it stays inside.
		at := vg.Point{X: x0 + vg.Points(3), Y: c.Max.Y - vg.Points(2)}
		if x0 > (c.Min.X+c.Max.X)/2 {
			sty.XAlign = draw.XRight
			at.X = x0 - vg.Points(3)
		}
		c.FillText(sty, at, m.label)
	}
}

// hBand shades a horizontal band [lo, hi] across the data area: the range
// the series usually kept before the finding.
type hBand struct{ lo, hi float64 }

func (b hBand) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	y0, y1 := ty(b.lo), ty(b.hi)
	if y0 < c.Min.Y {
		y0 = c.Min.Y
	}
	if y1 > c.Max.Y {
		y1 = c.Max.Y
	}
	if y1 <= y0 {
		y1 = y0 + vg.Points(1) // a flat baseline still shows
	}
	c.SetColor(roleBand.color())
	c.Fill(vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: y0}, Max: vg.Point{X: c.Max.X, Y: y1}}.Path())
}

// hLine draws a dashed horizontal line at y across the data area.
type hLine struct {
	y    float64
	role chartRole
}

func (l hLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	y := ty(l.y)
	if y < c.Min.Y || y > c.Max.Y {
		return
	}
	c.StrokeLine2(draw.LineStyle{Color: l.role.color(), Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}},
		c.Min.X, y, c.Max.X, y)
}

// seriesLines returns one line per run of present points, so that a missing
// point shows as a gap and never as a zero, and a scatter of the points when
// they are few enough to tell apart.
func seriesLines(s cwlens.Series, role chartRole) ([]plot.Plotter, error) {
	var out []plot.Plotter
	var run plotter.XYs
	flush := func() error {
		if len(run) == 0 {
			return nil
		}
		l, err := plotter.NewLine(run)
		if err != nil {
			return err
		}
		l.Color = role.color()
		l.Width = vg.Points(1.5)
		out = append(out, l)
		if s.Len() <= 62 {
			sc, err := plotter.NewScatter(run)
			if err != nil {
				return err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: role.color(), Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}
			out = append(out, sc)
		}
		run = nil
		return nil
	}
	for i, v := range s.Values {
		if cwlens.IsMissing(v) || math.IsInf(v, 0) {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		run = append(run, plotter.XY{X: float64(s.Time(i).Unix()), Y: v})
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
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
func findingChart(id string, f cwlens.Finding) (*svgChart, error) {
	s := f.Evidence.Series
	if s == nil || s.Present() == 0 || s.Period <= 0 {
		return nil, nil
	}
	p := newChartPlot()
	p.X.Tick.Marker = dayTicks{}
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
	if logScale {
		p.Y.Scale = plot.LogScale{}
		p.Y.Min = minPos / 1.5
		p.Y.Max = top * 1.5
	} else {
		p.Y.Min = 0
		p.Y.Max = top * 1.08
		if s.Unit == cwlens.UnitPercent {
			// Utilisation of a task: the whole of the task is the honest scale.
			p.Y.Max = math.Max(top*1.02, 100)
		}
		if p.Y.Max <= 0 {
			p.Y.Max = 1
		}
	}
	p.Y.Tick.Marker = unitTicks{unit: s.Unit, log: logScale}
	p.X.Min = float64(s.Start.Unix())
	p.X.Max = float64(s.End().Add(-s.Period).Unix())
	if p.X.Max <= p.X.Min {
		p.X.Max = p.X.Min + s.Period.Seconds()
	}

	span := spanMarker{from: float64(from.Unix()), to: float64(s.End().Unix()), label: "flagged from " + shortTime(from), fill: true}
	if parts.Span {
		p.Add(span)
	}
	if parts.Band {
		lo := bandLo
		if logScale && lo <= 0 {
			lo = p.Y.Min
		}
		p.Add(hBand{lo: lo, hi: bandHi})
	}
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal.Color = roleGrid.color()
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g)
	if parts.Span {
		span.fill = false
		p.Add(span)
	}
	if parts.Baseline {
		p.Add(hLine{y: baseline, role: roleBaseline})
	}
	lines, err := seriesLines(*s, roleSeries)
	if err != nil {
		return nil, fmt.Errorf("chart of %s: %w", f.Subject, err)
	}
	p.Add(lines...)
	var pts plotter.XYs
	for _, pt := range f.Evidence.Points {
		if cwlens.IsMissing(pt.Value) || math.IsInf(pt.Value, 0) || (logScale && pt.Value <= 0) {
			continue
		}
		pts = append(pts, plotter.XY{X: float64(pt.Time.Unix()), Y: pt.Value})
	}
	if len(pts) > 0 {
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("chart of %s: %w", f.Subject, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: roleFlagEdge.color(), Radius: vg.Points(2.6), Shape: draw.RingGlyph{}}
		p.Add(sc)
		parts.Points = true
	}

	body, err := svgBody(p, chartWide, chartTall)
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
	if n := len(pts); n > 0 {
		fmt.Fprintf(&d, " %d flagged %s marked.", n, map[bool]string{true: "point", false: "points"}[n == 1])
	}
	return &svgChart{
		ID:       id,
		Title:    fmt.Sprintf("%s: %s", f.Kind, f.Subject),
		Desc:     d.String(),
		Width:    chartWide,
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

// maxBarLabel bounds a bar's label so that one long log group name does not
// squeeze the bars; the full name is in the table beside the chart.
const maxBarLabel = 44

func shortLabel(s string) string {
	r := []rune(s)
	if len(r) <= maxBarLabel {
		return s
	}
	return "…" + string(r[len(r)-maxBarLabel+1:])
}

// barChart draws items as horizontal bars, the first on top, each labelled
// with its Text, on a dollar axis when money is set and a bytes axis if not.
func barChart(id, title, desc string, items []barItem, role chartRole, money bool) (*svgChart, error) {
	if len(items) == 0 {
		return nil, nil
	}
	p := newChartPlot()
	n := len(items)
	vals := make(plotter.Values, n)
	names := make([]string, n)
	var labels plotter.XYLabels
	maxV := 0.0
	for i, it := range items {
		j := n - 1 - i // NominalY puts index 0 at the bottom
		vals[j] = math.Max(it.Value, 0)
		names[j] = shortLabel(it.Label)
		maxV = math.Max(maxV, it.Value)
	}
	labels.XYs = make(plotter.XYs, n)
	labels.Labels = make([]string, n)
	for i, it := range items {
		j := n - 1 - i
		labels.XYs[j] = plotter.XY{X: math.Max(it.Value, 0), Y: float64(j)}
		labels.Labels[j] = it.Text
	}
	barW := vg.Points(14)
	bc, err := plotter.NewBarChart(vals, barW)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", title, err)
	}
	bc.Horizontal = true
	bc.Color = role.color()
	bc.LineStyle.Width = 0
	g := plotter.NewGrid()
	g.Horizontal.Color = nil
	g.Vertical.Color = roleGrid.color()
	g.Vertical.Width = vg.Points(0.5)
	p.Add(g, bc)
	lb, err := plotter.NewLabels(labels)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", title, err)
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].Color = roleInk.color()
		lb.TextStyle[i].Font = chartFont(9)
		lb.TextStyle[i].YAlign = draw.YCenter
	}
	lb.Offset = vg.Point{X: vg.Points(4)}
	p.Add(lb)
	p.NominalY(names...)
	p.Y.Tick.Label.Font = chartFont(9)
	p.X.Min = 0
	// Room on the right for the longest value label.
	p.X.Max = math.Max(maxV*1.22, 1e-9)
	if money {
		p.X.Tick.Marker = moneyTicks{}
	} else {
		p.X.Tick.Marker = unitTicks{unit: cwlens.UnitBytes}
	}
	h := vg.Points(float64(28 + 22*n))
	body, err := svgBody(p, chartWide, h)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", title, err)
	}
	return &svgChart{ID: id, Title: title, Desc: desc, Width: chartWide, Height: h.Points(), Body: body}, nil
}

// pairItem is one subject of the projection chart.
type pairItem struct {
	Label                     string
	Current, Proposed         float64
	CurrentText, ProposedText string
}

// pairChart draws current against proposed per subject as paired horizontal
// bars, with a legend.
func pairChart(id, title, desc string, items []pairItem) (*svgChart, error) {
	if len(items) == 0 {
		return nil, nil
	}
	p := newChartPlot()
	n := len(items)
	cur := make(plotter.Values, n)
	prop := make(plotter.Values, n)
	names := make([]string, n)
	maxV := 0.0
	for i, it := range items {
		j := n - 1 - i
		cur[j] = math.Max(it.Current, 0)
		prop[j] = math.Max(it.Proposed, 0)
		names[j] = shortLabel(it.Label)
		maxV = math.Max(maxV, math.Max(it.Current, it.Proposed))
	}
	barW := vg.Points(9)
	bcCur, err := plotter.NewBarChart(cur, barW)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", title, err)
	}
	bcProp, err := plotter.NewBarChart(prop, barW)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", title, err)
	}
	for _, b := range []*plotter.BarChart{bcCur, bcProp} {
		b.Horizontal = true
		b.LineStyle.Width = 0
	}
	bcCur.Color = roleCurrent.color()
	bcProp.Color = roleProposed.color()
	// Horizontal bars stack upward with index; "now" above "after".
	bcCur.Offset = barW / 2
	bcProp.Offset = -barW / 2
	g := plotter.NewGrid()
	g.Horizontal.Color = nil
	g.Vertical.Color = roleGrid.color()
	g.Vertical.Width = vg.Points(0.5)
	p.Add(g, bcCur, bcProp)
	// The legend is the figure's caption, in HTML; gonum's would sit on the
	// bars. Each bar carries its amount.
	for _, side := range []struct {
		vals plotter.Values
		text func(pairItem) string
		dy   vg.Length
	}{
		{cur, func(it pairItem) string { return it.CurrentText }, barW / 2},
		{prop, func(it pairItem) string { return it.ProposedText }, -barW / 2},
	} {
		var l plotter.XYLabels
		for i, it := range items {
			j := n - 1 - i
			l.XYs = append(l.XYs, plotter.XY{X: side.vals[j], Y: float64(j)})
			l.Labels = append(l.Labels, side.text(it))
		}
		lb, err := plotter.NewLabels(l)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", title, err)
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Color = roleInk.color()
			lb.TextStyle[i].Font = chartFont(8)
			lb.TextStyle[i].YAlign = draw.YCenter
		}
		lb.Offset = vg.Point{X: vg.Points(3), Y: side.dy}
		p.Add(lb)
	}
	p.NominalY(names...)
	p.Y.Tick.Label.Font = chartFont(9)
	p.X.Min = 0
	p.X.Max = math.Max(maxV*1.18, 1e-9)
	p.X.Tick.Marker = moneyTicks{}
	h := vg.Points(float64(30 + 26*n))
	body, err := svgBody(p, chartWide, h)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", title, err)
	}
	return &svgChart{ID: id, Title: title, Desc: desc, Width: chartWide, Height: h.Points(), Body: body}, nil
}

// smallChart draws one panel of the small multiples: a series on its own
// scale, no band or markers.
func smallChart(id, title string, s cwlens.Series) (*svgChart, error) {
	if s.Present() == 0 || s.Period <= 0 {
		return nil, nil
	}
	p := newChartPlot()
	p.X.Tick.Marker = dayTicks{}
	maxV := 0.0
	var maxT time.Time
	for i, v := range s.Values {
		if !cwlens.IsMissing(v) && v >= maxV {
			maxV, maxT = v, s.Time(i)
		}
	}
	p.Y.Min = 0
	p.Y.Max = math.Max(maxV*1.08, 1)
	p.Y.Tick.Marker = unitTicks{unit: s.Unit}
	p.X.Min = float64(s.Start.Unix())
	p.X.Max = float64(s.End().Add(-s.Period).Unix())
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Tick.Label.Font = chartFont(9)
	}
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal.Color = roleGrid.color()
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g)
	lines, err := seriesLines(s, roleSeries)
	if err != nil {
		return nil, fmt.Errorf("chart of %s: %w", title, err)
	}
	p.Add(lines...)
	body, err := svgBody(p, chartSmallW, chartSmallH)
	if err != nil {
		return nil, fmt.Errorf("chart of %s: %w", title, err)
	}
	sum, n := s.Sum()
	desc := fmt.Sprintf("%s of %s from %s to %s: %d of %d days reported, total %s, peak %s on %s.",
		seriesNoun(s), title, s.Start.UTC().Format("Jan 2"), s.End().Add(-s.Period).UTC().Format("Jan 2 2006"),
		n, s.Len(), formatValue(sum, s.Unit), formatValue(maxV, s.Unit), maxT.UTC().Format("Jan 2"))
	return &svgChart{ID: id, Title: title, Desc: desc, Width: chartSmallW, Height: chartSmallH, Body: body}, nil
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
