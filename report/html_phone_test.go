package report

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// phoneColumn is the narrowest column a chart gets on a 390-px phone under
// the page's narrow-screen rules: 390 less the body's and a finding's
// .75rem padding on each side and a finding's 7 px of border, rounded down.
// TestHTMLOnAPhone (e2e) measures the same in Chromium.
const phoneColumn = 330

// svgLabel is a <text> of a chart.
type svgLabel struct {
	text     string
	x, y     float64
	size     float64
	anchor   string
	baseline string
}

func chartLabels(t *testing.T, svg *html.Node) []svgLabel {
	t.Helper()
	var out []svgLabel
	for el := range svg.Descendants() {
		if el.Type != html.ElementNode || el.Data != "text" {
			continue
		}
		l := svgLabel{text: textOf(el)}
		for key, dst := range map[string]*float64{"x": &l.x, "y": &l.y, "font-size": &l.size} {
			v, _ := attr(el, key)
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("chart label %q: %s=%q: %v", l.text, key, v, err)
			}
			*dst = f
		}
		l.anchor, _ = attr(el, "text-anchor")
		l.baseline, _ = attr(el, "dominant-baseline")
		out = append(out, l)
	}
	return out
}

// viewBoxWidth is the width of an <svg>'s viewBox "0 0 W H".
func viewBoxWidth(t *testing.T, svg *html.Node) float64 {
	t.Helper()
	vb, _ := attr(svg, "viewBox")
	f := strings.Fields(vb)
	if len(f) != 4 {
		t.Fatalf("viewBox %q", vb)
	}
	w, err := strconv.ParseFloat(f[2], 64)
	if err != nil || w <= 0 {
		t.Fatalf("viewBox %q: width %v", vb, err)
	}
	return w
}

// TestHTMLPhone: on a phone the page shows each wide chart's narrow drawing,
// whose labels scaled to a phone's column are still 9 px or more and stay
// apart and inside the chart; the stylesheet has the rules that switch the
// drawings and leave the lesser columns out. TestHTMLOnAPhone checks the
// rendering in Chromium.
func TestHTMLPhone(t *testing.T) {
	page := renderHTML(t, htmlFixtureReport())
	for _, rule := range []string{
		"svg.chart-narrow { display: none; }",
		"@media (max-width: 40rem) {",
		"svg.chart.has-narrow { display: none; }",
		"svg.chart-narrow { display: block;",
		"table.figures :is(th, td):is(:nth-child(4), :nth-child(5)),",
	} {
		if !bytes.Contains(page, []byte(rule)) {
			t.Errorf("the stylesheet lacks %q", rule)
		}
	}
	var shown, narrow int
	for el := range parseHTML(t, page).Descendants() {
		if el.Type != html.ElementNode || el.Data != "svg" {
			continue
		}
		cls, _ := attr(el, "class")
		classes := strings.Fields(cls)
		switch {
		case !hasClass(classes, "chart") || hasClass(classes, "has-narrow"):
			if hasClass(classes, "has-narrow") {
				next := el.NextSibling
				nc := ""
				if next != nil {
					nc, _ = attr(next, "class")
				}
				if next == nil || next.Data != "svg" || !hasClass(strings.Fields(nc), "chart-narrow") {
					t.Errorf("a chart marked has-narrow is not followed by its narrow drawing")
				}
			}
			continue
		case hasClass(classes, "chart-narrow"):
			narrow++
		}
		shown++
		w := viewBoxWidth(t, el)
		scale := min(1, phoneColumn/w)
		labels := chartLabels(t, el)
		if len(labels) == 0 {
			t.Errorf("a chart shown on a phone has no labels")
		}
		var axis []svgLabel // the x axis's labels, in order
		for _, l := range labels {
			if px := l.size * scale; px < 9 {
				t.Errorf("chart %s: label %q is %.1f px on a phone, want 9 or more", cls, l.text, px)
			}
			lo, hi := labelSpan(l)
			if lo < 0 || hi > w {
				t.Errorf("chart %s (%g wide): label %q runs from %.0f to %.0f, outside it", cls, w, l.text, lo, hi)
			}
			if l.baseline == "hanging" && l.anchor != "" && !strings.HasPrefix(l.text, "flagged") {
				axis = append(axis, l)
			}
		}
		for i := 1; i < len(axis); i++ {
			if _, prevHi := labelSpan(axis[i-1]); axis[i].y == axis[i-1].y {
				if lo, _ := labelSpan(axis[i]); lo < prevHi {
					t.Errorf("chart %s: axis labels %q and %q overlap", cls, axis[i-1].text, axis[i].text)
				}
			}
		}
	}
	// Two finding charts, the top groups and the projection drawn narrow;
	// four small multiples serve both screens.
	if narrow != 4 || shown != 8 {
		t.Errorf("%d charts shown on a phone, %d of them narrow drawings; want 8 and 4", shown, narrow)
	}
}

func hasClass(classes []string, c string) bool {
	for _, x := range classes {
		if x == c {
			return true
		}
	}
	return false
}

// labelSpan is where a label's text runs on the x axis, estimated as the
// charts lay it out (textWidth).
func labelSpan(l svgLabel) (lo, hi float64) {
	w := textWidth(l.text, l.size)
	switch l.anchor {
	case "end":
		return l.x - w, l.x
	case "middle":
		return l.x - w/2, l.x + w/2
	}
	return l.x, l.x + w
}
