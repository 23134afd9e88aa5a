package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file is the charts' renderer: a chart is a list of marks (rectangles,
// lines, dots, text) in the coordinates of its viewBox, written as SVG by
// chart.tmpl. html/template escapes every label, so a log group's name
// drawn in a chart is text, never markup; every colour is a role, written as
// one of html.tmpl's --c-* properties, so a chart follows the page's light,
// dark and print themes.

//go:embed chart.tmpl
var chartTemplateText string

var chartTemplate = template.Must(template.New("chart").Funcs(template.FuncMap{
	"num": num,
}).Parse(chartTemplateText))

// chartRole is what a colour means in a chart.
type chartRole uint8

// Chart roles. Their CSS names are the --c-* properties of html.tmpl.
const (
	roleInk      chartRole = iota // axis labels, text
	roleMuted                     // axis lines and tick marks
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

// colour is the role as a CSS value.
func (r chartRole) colour() string { return "var(--c-" + chartRoleNames[r] + ")" }

// mark is one thing drawn. Kind says which fields apply.
type mark struct {
	Kind  string // "rect", "path", "dot", "text"
	Style template.CSS

	X, Y, W, H float64 // rect; X, Y also a dot's centre (W its radius) and a text's anchor
	D          string  // path data
	Text       string  // text
	Anchor     string  // text-anchor: start, middle, end
	Baseline   string  // dominant-baseline: auto, middle, hanging
	Size       float64 // font size
}

// canvas collects marks in drawing order, later ones on top.
type canvas struct {
	W, H  float64
	Marks []mark
}

func (c *canvas) rect(x, y, w, h float64, role chartRole) {
	if w <= 0 || h <= 0 {
		return
	}
	c.Marks = append(c.Marks, mark{Kind: "rect", X: x, Y: y, W: w, H: h, Style: template.CSS("fill:" + role.colour())})
}

// line strokes a polyline through pts (x0, y0, x1, y1, ...); dash is the
// stroke-dasharray, "" for a solid line.
func (c *canvas) line(role chartRole, width float64, dash string, pts ...float64) {
	var d strings.Builder
	for i := 0; i+1 < len(pts); i += 2 {
		if i == 0 {
			d.WriteByte('M')
		} else {
			d.WriteByte('L')
		}
		d.WriteString(num(pts[i]) + " " + num(pts[i+1]))
	}
	style := "fill:none;stroke:" + role.colour() + ";stroke-width:" + num(width)
	if dash != "" {
		style += ";stroke-dasharray:" + dash
	}
	c.Marks = append(c.Marks, mark{Kind: "path", D: d.String(), Style: template.CSS(style)})
}

// dot draws a filled dot, or a ring when ring is set.
func (c *canvas) dot(x, y, r float64, role chartRole, ring bool) {
	style := "fill:" + role.colour()
	if ring {
		style = "fill:none;stroke:" + role.colour() + ";stroke-width:1.5"
	}
	c.Marks = append(c.Marks, mark{Kind: "dot", X: x, Y: y, W: r, Style: template.CSS(style)})
}

func (c *canvas) text(x, y float64, s, anchor, baseline string, size float64, role chartRole) {
	c.Marks = append(c.Marks, mark{Kind: "text", X: x, Y: y, Text: s, Anchor: anchor, Baseline: baseline, Size: size, Style: template.CSS("fill:" + role.colour())})
}

// body writes the marks as the inside of a chart's <svg> element.
func (c *canvas) body() (template.HTML, error) {
	var b bytes.Buffer
	if err := chartTemplate.Execute(&b, c); err != nil {
		return "", fmt.Errorf("draw chart: %w", err)
	}
	//nolint:gosec // written by html/template, which escaped every label.
	return template.HTML(b.String()), nil
}

// num writes a coordinate with at most two decimals.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// textWidth estimates the width of s at font size size: Liberation Sans,
// Arial and Helvetica average a little over half an em per character.
func textWidth(s string, size float64) float64 {
	return 0.56 * size * float64(utf8.RuneCountInString(s))
}

// tick is a position on an axis, labelled or not.
type tick struct {
	V     float64
	Label string
}

// scale maps data values to a span of the viewBox, linearly or by
// logarithm.
type scale struct {
	lo, hi   float64 // data
	from, to float64 // viewBox
	log      bool
}

func (s scale) at(v float64) float64 {
	if s.log {
		v, lo, hi := math.Log10(max(v, s.lo)), math.Log10(s.lo), math.Log10(s.hi)
		return s.from + (v-lo)/(hi-lo)*(s.to-s.from)
	}
	if s.hi == s.lo {
		return s.from
	}
	return s.from + (v-s.lo)/(s.hi-s.lo)*(s.to-s.from)
}

// clamp keeps a viewBox coordinate inside the scale's span.
func (s scale) clamp(p float64) float64 {
	return min(max(p, min(s.from, s.to)), max(s.from, s.to))
}

// niceTicks returns about n ticks at round values (1, 2 or 5 × 10^k) from lo
// to hi, each labelled by label.
func niceTicks(lo, hi float64, n int, label func(float64) string) []tick {
	if !(hi > lo) || n < 1 {
		return nil
	}
	// The round step whose number of intervals is nearest n.
	mag := math.Pow(10, math.Floor(math.Log10((hi-lo)/float64(n))))
	step, best := mag, math.Inf(1)
	for _, m := range []float64{1, 2, 5, 10} {
		if d := math.Abs((hi-lo)/(m*mag) - float64(n)); d < best {
			step, best = m*mag, d
		}
	}
	var out []tick
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0 // no "-0" from accumulated rounding
		}
		out = append(out, tick{V: v, Label: label(v)})
	}
	return out
}

// logTicks returns the powers of ten from lo to hi, labelled, and 2× and 5×
// between them unlabelled; when the range holds fewer than two powers, the
// 2× and 5× are labelled too.
func logTicks(lo, hi float64, label func(float64) string) []tick {
	if !(hi > lo) || lo <= 0 {
		return nil
	}
	var out []tick
	powers := 0
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		p := math.Pow(10, e)
		if p >= lo && p <= hi {
			powers++
		}
	}
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if v < lo || v > hi {
				continue
			}
			t := tick{V: v}
			if m == 1 || powers < 2 {
				t.Label = label(v)
			}
			out = append(out, t)
		}
	}
	return out
}

// dayTicks marks UTC midnights from lo to hi (Unix seconds), a label every
// step days so that about maxLabels labels, no more, fit on a chart.
func dayTicks(lo, hi float64, maxLabels int) []tick {
	if !(hi > lo) {
		return nil
	}
	days := (hi - lo) / 86400
	step := 1
	for _, s := range []int{1, 2, 7, 14, 28, 56} {
		step = s
		if days/float64(s) <= float64(maxLabels) {
			break
		}
	}
	first := time.Unix(int64(lo), 0).UTC().Truncate(24 * time.Hour)
	if float64(first.Unix()) < lo {
		first = first.Add(24 * time.Hour)
	}
	var out []tick
	for i, t := 0, first; float64(t.Unix()) <= hi; i, t = i+1, t.Add(24*time.Hour) {
		tk := tick{V: float64(t.Unix())}
		if i%step == 0 {
			tk.Label = t.Format("Jan 2")
		}
		if tk.Label == "" && days > 60 {
			continue // minor ticks every day would be a smear
		}
		out = append(out, tk)
	}
	return out
}

// plotArea is the data area of a chart with its two scales.
type plotArea struct {
	c      *canvas
	x, y   scale
	xTicks []tick
	yTicks []tick
	font   float64 // the axes' label size
}

// left, right, top and bottom are the data area's edges in the viewBox.
func (p *plotArea) left() float64   { return p.x.from }
func (p *plotArea) right() float64  { return p.x.to }
func (p *plotArea) top() float64    { return p.y.to }
func (p *plotArea) bottom() float64 { return p.y.from }

// newPlotArea lays out a chart of l's width and height h whose value axis
// (y) has yTicks and time or amount axis (x) xTicks: the left margin fits
// the longest y label, the bottom one the x labels.
func newPlotArea(l chartLayout, h float64, x, y scale, xTicks, yTicks []tick) *plotArea {
	labelW := 0.0
	for _, t := range yTicks {
		labelW = max(labelW, textWidth(t.Label, l.Font))
	}
	x.from, x.to = labelW+14, l.W-10
	y.from, y.to = h-bottomMargin(l.Font), 8
	return &plotArea{c: &canvas{W: l.W, H: h}, x: x, y: y, xTicks: xTicks, yTicks: yTicks, font: l.Font}
}

// bottomMargin is the room under a plot for the x axis's ticks and labels
// of the given size (20 at 9 points).
func bottomMargin(font float64) float64 { return font + 11 }

// hGrid draws a grid line at each labelled value tick.
func (p *plotArea) hGrid() {
	for _, t := range p.yTicks {
		if y := p.y.at(t.V); t.Label != "" && y >= p.top()-0.5 && y <= p.bottom()+0.5 {
			p.c.line(roleGrid, 0.5, "", p.left(), y, p.right(), y)
		}
	}
}

// vGrid draws a grid line at each labelled x tick.
func (p *plotArea) vGrid() {
	for _, t := range p.xTicks {
		if x := p.x.at(t.V); t.Label != "" && x >= p.left()-0.5 && x <= p.right()+0.5 {
			p.c.line(roleGrid, 0.5, "", x, p.top(), x, p.bottom())
		}
	}
}

// axes draws the left and bottom axis lines, their ticks and labels. The
// left axis is left out when the rows are labelled instead (bar charts).
func (p *plotArea) axes(leftAxis bool) {
	c := p.c
	c.line(roleMuted, 1, "", p.left(), p.bottom(), p.right(), p.bottom())
	for _, t := range p.xTicks {
		x := p.x.at(t.V)
		if x < p.left()-0.5 || x > p.right()+0.5 {
			continue
		}
		size := 2.5
		if t.Label != "" {
			size = 4
			anchor := "middle"
			switch {
			case x-textWidth(t.Label, p.font)/2 < 2:
				anchor = "start"
			case x+textWidth(t.Label, p.font)/2 > c.W-2:
				anchor = "end"
			}
			c.text(x, p.bottom()+7, t.Label, anchor, "hanging", p.font, roleInk)
		}
		c.line(roleMuted, 1, "", x, p.bottom(), x, p.bottom()+size)
	}
	if !leftAxis {
		return
	}
	c.line(roleMuted, 1, "", p.left(), p.top(), p.left(), p.bottom())
	for _, t := range p.yTicks {
		y := p.y.at(t.V)
		if y < p.top()-0.5 || y > p.bottom()+0.5 {
			continue
		}
		size := 2.5
		if t.Label != "" {
			size = 4
			c.text(p.left()-7, y, t.Label, "end", "middle", p.font, roleInk)
		}
		c.line(roleMuted, 1, "", p.left()-size, y, p.left(), y)
	}
}
