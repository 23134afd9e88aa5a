package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/analyzer"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/pricing"
)

func renderHTML(t *testing.T, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, r, FormatHTML, Options{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func renderJSON(t *testing.T, r *Report) any {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, r, FormatJSON, Options{}); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&b)
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// htmlReferenceReport is the reference account through the whole pipeline
// (as internal/batch.Analyze runs it): the analyzer's findings, priced, and
// the projection under the fixture's scenario.
func htmlReferenceReport(t testing.TB) *Report {
	t.Helper()
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(fixtures.FS(), "karmacadabra-prod/scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := pricing.ParseScenario(data, "fixtures/karmacadabra-prod/scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	findings, err := analyzer.Analyze(snap, snap.Window.End, analyzer.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	book := pricing.Default()
	pricing.PriceFindings(findings, snap, book, pricing.Options{})
	proj, err := pricing.Project(snap, sc, book, pricing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return New(snap, snap.Window.End, findings, proj)
}

// TestWriteReferenceHTML writes the reference page to $CWLENS_HTML_OUT, for
// a person to look at; without it the test has nothing to do.
func TestWriteReferenceHTML(t *testing.T) {
	out := os.Getenv("CWLENS_HTML_OUT")
	if out == "" {
		t.Skip("set CWLENS_HTML_OUT=FILE to write the reference account's HTML report")
	}
	if err := os.WriteFile(out, renderHTML(t, htmlReferenceReport(t)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestHTMLGolden(t *testing.T) {
	golden(t, "small.html.golden", renderHTML(t, htmlFixtureReport()))
}

func parseHTML(t *testing.T, page []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// unknownSuffix is what follows a total with unknown lines.
var unknownSuffix = regexp.MustCompile(` \+ unknown \(\d+ lines?\)`)

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := range n.ChildNodes() {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

func findData(n *html.Node) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.DataAtom == atom.Data {
			return d
		}
	}
	return nil
}

// jsonAt resolves an RFC 6901 pointer.
func jsonAt(doc any, ptr string) (any, error) {
	if ptr == "" || ptr[0] != '/' {
		return nil, fmt.Errorf("bad pointer %q", ptr)
	}
	v := doc
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil, fmt.Errorf("%s: no member %q", ptr, tok)
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("%s: no element %q", ptr, tok)
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("%s: %q is inside a scalar", ptr, tok)
		}
	}
	return v, nil
}

var shownNumber = regexp.MustCompile(`^([+-]?)\$?([0-9][0-9,]*(?:\.[0-9]+)?)\s*(B|kB|MB|GB|TB|PB|k|M|×|%)?$`)

// shown parses a figure as the page shows it ("$1,234.56", "2.89 GB",
// "48.2k", "566×", "81.2 %") into its value and half its last digit: how far
// from the exact value the rounding may have moved it.
func shown(text string) (v, tolerance float64, unit string, ok bool) {
	m := shownNumber.FindStringSubmatch(text)
	if m == nil {
		return 0, 0, "", false
	}
	num := strings.ReplaceAll(m[2], ",", "")
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, 0, "", false
	}
	decimals := 0
	if _, frac, found := strings.Cut(num, "."); found {
		decimals = len(frac)
	}
	scale := map[string]float64{"kB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15, "k": 1e3, "M": 1e6}[m[3]]
	if scale == 0 {
		scale = 1
	}
	if m[1] == "-" {
		v = -v
	}
	return v * scale, 0.5 * math.Pow(10, -float64(decimals)) * scale * (1 + 1e-9), m[3], true
}

// checkFiguresMatchJSON asserts that every figure in page is the value the
// JSON holds at the figure's pointer (the sum, for several), and that the
// text shown is that value rounded. It also asserts that no number in a
// table escapes the check. It returns how many figures it compared.
func checkFiguresMatchJSON(t *testing.T, page []byte, doc any) int {
	t.Helper()
	root := parseHTML(t, page)
	n := 0
	for el := range root.Descendants() {
		if el.Type != html.ElementNode {
			continue
		}
		ptrs, hasPtr := attr(el, "data-json")
		if cls, _ := attr(el, "class"); el.DataAtom == atom.Td && strings.Contains(cls, "num") && !hasPtr {
			if strings.ContainsAny(textOf(el), "0123456789") {
				t.Errorf("table figure %q has no data-json pointer", textOf(el))
			}
			continue
		}
		if !hasPtr || ptrs == "" {
			continue
		}
		n++
		text := textOf(el)
		// A total that leaves out usages without a price says so, and only
		// then (the number before it is checked below).
		if m := unknownSuffix.FindString(text); m != "" {
			if c, _ := jsonAt(doc, "/projection/totals/complete"); c != false {
				t.Errorf("figure %q at %s: says unknown lines, but totals.complete is %v", text, ptrs, c)
			}
			text = strings.TrimSpace(strings.Replace(text, m, "", 1))
		} else if strings.HasPrefix(ptrs, "/projection/") && strings.Contains(ptrs, "_usd") && !strings.Contains(ptrs, "/lines/") && !strings.Contains(ptrs, "/rejected/") {
			if c, _ := jsonAt(doc, "/projection/totals/complete"); c == false {
				t.Errorf("total %q at %s: totals.complete is false, but the page does not say + unknown", text, ptrs)
			}
		}
		var sum decimal.Decimal
		null := false
		for _, p := range strings.Fields(ptrs) {
			v, err := jsonAt(doc, p)
			if err != nil {
				t.Errorf("figure %q: %v", text, err)
				continue
			}
			switch x := v.(type) {
			case nil:
				null = true
			case json.Number:
				sum = sum.Add(decimal.RequireFromString(x.String()))
			case string:
				d, err := decimal.NewFromString(x)
				if err != nil {
					t.Errorf("figure %q: JSON %s is %q, not a number", text, p, x)
				}
				sum = sum.Add(d)
			default:
				t.Errorf("figure %q: JSON %s is %T", text, p, v)
			}
		}
		data := findData(el)
		if null {
			if data != nil {
				t.Errorf("figure %q at %s: JSON has null, the page has a value", text, ptrs)
			}
			if text != Missing && text != "unknown" {
				t.Errorf("figure at %s: JSON has null, the page shows %q, want %q or unknown", ptrs, text, Missing)
			}
			continue
		}
		if data == nil {
			t.Errorf("figure %q at %s: no <data value>", text, ptrs)
			continue
		}
		val, _ := attr(data, "value")
		got, err := decimal.NewFromString(val)
		if err != nil {
			t.Errorf("figure %q at %s: <data value=%q>: %v", text, ptrs, val, err)
			continue
		}
		if !got.Equal(sum) {
			t.Errorf("figure %q at %s: page value %s, JSON %s", text, ptrs, got, sum)
		}
		want := sum.InexactFloat64()
		if want == 0 && text == Missing {
			continue // a ratio of 0: the finding has none
		}
		v, tol, unit, ok := shown(strings.TrimSuffix(text, " a month"))
		switch {
		case !ok:
			t.Errorf("figure at %s: cannot read the shown %q", ptrs, text)
		case unit == "%" && math.Abs(v/100-want) <= tol/100:
			// a share (0.812) shown as a percentage (81.2 %)
		case math.Abs(v-want) > tol:
			t.Errorf("figure at %s: shows %q, but the value is %v", ptrs, text, want)
		}
	}
	return n
}

func TestHTMLFiguresMatchJSON(t *testing.T) {
	for _, c := range []struct {
		name    string
		report  *Report
		atLeast int
	}{
		{"hand-built", htmlFixtureReport(), 40},
		{"reference", htmlReferenceReport(t), 60},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := renderHTML(t, c.report)
			n := checkFiguresMatchJSON(t, page, renderJSON(t, c.report))
			if n < c.atLeast {
				t.Errorf("compared %d figures, want at least %d: the page lost its tables", n, c.atLeast)
			}
			t.Logf("%d figures equal the JSON's; page %d bytes", n, len(page))
		})
	}
}

// TestHTMLEscapesUserData: names, summaries, notes and gaps are user data;
// none of them may become markup, in HTML or inside the SVG charts.
func TestHTMLEscapesUserData(t *testing.T) {
	page := renderHTML(t, htmlFixtureReport())
	if !bytes.Contains(page, []byte("/x/&lt;script&gt;alert(1)&lt;/script&gt;")) {
		t.Error("the escaped log group name is not in the page")
	}
	lower := bytes.ToLower(page)
	// Event handlers may appear as escaped text; the parse below checks
	// that none became an attribute.
	for _, bad := range []string{"<script", "<img", "<svg onload", "<b>other"} {
		if bytes.Contains(lower, []byte(bad)) {
			t.Errorf("the page contains %q", bad)
		}
	}
	root := parseHTML(t, page)
	inSVG, inHTML := 0, 0
	for el := range root.Descendants() {
		if el.Type == html.ElementNode {
			switch el.Data {
			case "script", "img", "iframe", "object", "embed", "b":
				t.Errorf("user data became a <%s> element", el.Data)
			}
			for _, a := range el.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("<%s> has an event handler %s=%q", el.Data, a.Key, a.Val)
				}
			}
		}
		if el.Type == html.TextNode && strings.Contains(el.Data, xssName) {
			inHTML++
			for p := el.Parent; p != nil; p = p.Parent {
				if p.Data == "svg" {
					inSVG++
					inHTML--
					break
				}
			}
		}
	}
	if inHTML < 3 {
		t.Errorf("the name is text in %d HTML places, want it in the log group table, the finding and the projection", inHTML)
	}
	if inSVG < 2 {
		t.Errorf("the name is text in %d SVG places, want it in the bar charts' labels", inSVG)
	}
}

// TestHTMLSelfContained: the page refers to nothing outside itself, so it
// can be mailed, stored and opened offline. Text may mention a URL (a health
// check's command does); markup and styles may not load one.
func TestHTMLSelfContained(t *testing.T) {
	for name, r := range map[string]*Report{"hand-built": htmlFixtureReport(), "reference": htmlReferenceReport(t)} {
		t.Run(name, func(t *testing.T) {
			root := parseHTML(t, renderHTML(t, r))
			styles := 0
			for el := range root.Descendants() {
				if el.Type != html.ElementNode {
					continue
				}
				switch el.Data {
				case "script", "link", "iframe", "object", "embed", "img", "image", "use", "base", "meta":
					if v, _ := attr(el, "http-equiv"); el.Data == "meta" && v == "" {
						break // charset, viewport, color-scheme, generator
					}
					t.Errorf("the page has a <%s> element", el.Data)
				case "style":
					styles++
					css := strings.ToLower(textOf(el))
					for _, bad := range []string{"url(", "@import", "@font-face", "http:", "https:", "//"} {
						if strings.Contains(css, bad) {
							t.Errorf("the style sheet contains %q", bad)
						}
					}
				}
				for _, a := range el.Attr {
					v := strings.ToLower(a.Val)
					switch {
					case a.Key == "href" || a.Namespace != "":
						if !strings.HasPrefix(a.Val, "#") {
							t.Errorf("<%s %s=%q> leaves the page", el.Data, a.Key, a.Val)
						}
					case a.Key == "src" || a.Key == "srcset" || a.Key == "action" || a.Key == "formaction" || a.Key == "poster":
						t.Errorf("<%s %s=%q>", el.Data, a.Key, a.Val)
					case strings.Contains(v, "url(") || strings.Contains(v, "http:") || strings.Contains(v, "https:"):
						t.Errorf("<%s %s=%q> refers outside the page", el.Data, a.Key, a.Val)
					}
				}
			}
			if styles != 1 {
				t.Errorf("%d <style> elements, want the one inline sheet", styles)
			}
		})
	}
}

// TestHTMLCharts: every chart is an image with a text alternative, and its
// colours are the theme's properties, so dark mode and print apply to it.
func TestHTMLCharts(t *testing.T) {
	page := renderHTML(t, htmlFixtureReport())
	root := parseHTML(t, page)
	charts, narrow := 0, 0
	ids := map[string]bool{}
	for el := range root.Descendants() {
		if el.Type != html.ElementNode || el.Data != "svg" {
			continue
		}
		if cls, _ := attr(el, "class"); strings.Contains(cls, "chart-narrow") {
			narrow++
		}
		if cls, _ := attr(el, "class"); cls == "key" {
			// A legend's key is decoration; the caption's words carry it.
			if hidden, _ := attr(el, "aria-hidden"); hidden != "true" {
				t.Error("a legend key <svg> is not aria-hidden")
			}
			continue
		}
		charts++
		if role, _ := attr(el, "role"); role != "img" {
			t.Errorf("an <svg> has role %q, want img", role)
		}
		labelled, _ := attr(el, "aria-labelledby")
		for _, id := range strings.Fields(labelled) {
			ids[id] = true
		}
		var title, desc string
		for c := range el.ChildNodes() {
			switch c.Data {
			case "title":
				title = textOf(c)
			case "desc":
				desc = textOf(c)
			}
		}
		if title == "" || len(desc) < 40 {
			t.Errorf("chart %q lacks a title or a description (%q)", title, desc)
		}
	}
	// Two findings have series; the top groups and the projection have
	// bar charts; four groups have small multiples. The first four are
	// drawn again for a phone (TestHTMLPhone).
	if charts != 2+2+4+4 || narrow != 4 {
		t.Errorf("%d charts, %d of them narrow, want 12 and 4", charts, narrow)
	}
	for el := range root.Descendants() {
		if id, ok := attr(el, "id"); ok {
			delete(ids, id)
		}
	}
	if len(ids) != 0 {
		t.Errorf("aria-labelledby names missing ids: %v", ids)
	}
	if m := regexp.MustCompile(`(?:fill|stroke):#`).Find(page); m != nil {
		t.Errorf("a chart has a literal colour %q", m)
	}
	if !bytes.Contains(page, []byte("stroke:var(--c-series)")) || !bytes.Contains(page, []byte("fill:var(--c-flag)")) {
		t.Error("the charts do not use the theme's colour properties")
	}
}

// TestHTMLSections: like the table, the page of "cwlens project" shows the
// projection and "cwlens analyze" the findings; the headline is always there.
func TestHTMLSections(t *testing.T) {
	for _, c := range []struct {
		sections Sections
		want     map[string]bool
	}{
		{SectionProjection, map[string]bool{"findings": false, "resolved": false, "log-groups": false, "projection": true, "gaps": true}},
		{SectionFindings, map[string]bool{"findings": true, "resolved": true, "log-groups": false, "projection": false, "gaps": true}},
		{SectionAll, map[string]bool{"findings": true, "resolved": true, "log-groups": true, "projection": true, "gaps": true}},
	} {
		var b bytes.Buffer
		if err := Write(&b, htmlFixtureReport(), FormatHTML, Options{Sections: c.sections}); err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for el := range parseHTML(t, b.Bytes()).Descendants() {
			if id, ok := attr(el, "id"); ok && el.Data == "section" {
				ids[id] = true
			}
		}
		for id, want := range c.want {
			if ids[id] != want {
				t.Errorf("sections %b: section #%s present = %v, want %v", c.sections, id, ids[id], want)
			}
		}
		if !bytes.Contains(b.Bytes(), []byte("Monthly cost now")) {
			t.Errorf("sections %b: no headline", c.sections)
		}
	}
}

// TestHTMLStatus: a report that compares with the previous run labels each
// finding new or "ongoing since" in words, counts them, and lists the
// resolved ones; a one-off report shows none of it.
func TestHTMLStatus(t *testing.T) {
	r := htmlFixtureReport()
	page := renderHTML(t, r)
	root := parseHTML(t, page)
	byID := map[string]*html.Node{}
	for el := range root.Descendants() {
		if id, ok := attr(el, "id"); ok && el.Type == html.ElementNode {
			byID[id] = el
		}
	}
	// badges returns the text of the status badges under n: the label is
	// text, so it does not rest on the badge's colour.
	badges := func(n *html.Node) []string {
		var out []string
		for el := range n.Descendants() {
			if cls, _ := attr(el, "class"); el.Type == html.ElementNode && slices.Contains(strings.Fields(cls), "status") {
				out = append(out, textOf(el))
			}
		}
		return out
	}
	for i, f := range r.Findings {
		h := byID[fmt.Sprintf("finding-%d-h", i+1)]
		if h == nil {
			t.Fatalf("no heading of finding %d", i+1)
		}
		want := "new"
		if f.Status == cwlens.StatusOngoing {
			want = "ongoing since " + FormatTime(*f.FirstSeen)
		}
		if got := badges(h); !slices.Equal(got, []string{want}) {
			t.Errorf("finding %d (%s %s): status badges %q, want %q", i+1, f.Kind, f.Status, got, want)
		}
	}
	if got := textOf(byID["findings"]); !strings.Contains(got, "Since the last run: 2 new, 2 ongoing, 2 resolved.") {
		t.Errorf("the findings section does not count the labels:\n%s", got)
	}

	sec := byID["resolved"]
	if sec == nil {
		t.Fatal("no resolved section")
	}
	var items []*html.Node
	for el := range sec.Descendants() {
		if el.Type == html.ElementNode && el.DataAtom == atom.Li {
			items = append(items, el)
		}
	}
	if len(items) != len(r.Resolved) {
		t.Fatalf("%d resolved items, want %d", len(items), len(r.Resolved))
	}
	for i, f := range r.Resolved {
		text := textOf(items[i])
		for _, want := range []string{f.Severity.String(), "resolved", f.Subject, string(f.Kind), "first reported " + FormatTime(*f.FirstSeen), f.Summary} {
			if !strings.Contains(text, want) {
				t.Errorf("resolved item %d %q lacks %q", i, text, want)
			}
		}
	}
	if !strings.Contains(textOf(items[0]), "monthly cost impact then $0.60") || !strings.Contains(textOf(items[1]), "[<b>errors</b>]") {
		t.Errorf("resolved items: %q, %q", textOf(items[0]), textOf(items[1]))
	}
	if !bytes.Contains(page, []byte(`<a href="#resolved">Resolved since the last run (2)</a>`)) {
		t.Error("the contents do not link to the resolved list")
	}

	// Compared, nothing resolved: the labels and counts, no empty list.
	r.Resolved = []cwlens.Finding{}
	page = renderHTML(t, r)
	if bytes.Contains(page, []byte(`id="resolved"`)) || !bytes.Contains(page, []byte("2 ongoing, none resolved.")) {
		t.Error("a run that resolved nothing: want no resolved section and \"none resolved\"")
	}

	// A one-off report: no labels at all.
	r = htmlFixtureReport()
	r.Resolved = nil
	for i := range r.Findings {
		r.Findings[i].Status, r.Findings[i].FirstSeen = "", nil
	}
	page = renderHTML(t, r)
	if got := badges(parseHTML(t, page)); len(got) != 0 || bytes.Contains(page, []byte("Since the last run")) || bytes.Contains(page, []byte(`id="resolved"`)) {
		t.Errorf("a one-off report shows labels: %q", got)
	}
}

func TestShown(t *testing.T) {
	for _, c := range []struct {
		text string
		v    float64
		ok   bool
	}{
		{"$1,234.56", 1234.56, true},
		{"-$44.33", -44.33, true},
		{"+$0.50", 0.5, true},
		{"2.89 GB", 2.89e9, true},
		{"48.2k", 48200, true},
		{"566×", 566, true},
		{"81.2 %", 81.2, true},
		{"unknown", 0, false},
	} {
		v, _, _, ok := shown(c.text)
		if ok != c.ok || (ok && math.Abs(v-c.v) > 1e-6*math.Abs(c.v)) {
			t.Errorf("shown(%q) = %v, %v; want %v, %v", c.text, v, ok, c.v, c.ok)
		}
	}
}

// FuzzHTMLNames renders a report whose log group name, finding summary and
// projection subject are arbitrary text, and asserts that none of it becomes
// markup: no element or event handler appears, and the name reads back as
// the table's text.
func FuzzHTMLNames(f *testing.F) {
	for _, s := range []string{xssName, `"><svg onload=alert(1)>`, `</title><script>x</script>`, `]]><!--`, `{{.}}`, "a&amp;b", "/ecs/é/ü", `javascript:alert(1)`, `</style><style>*{}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		r := htmlFixtureReport()
		r.Inventory.LogGroups[0].Name = name
		r.Findings[0].Subject = name
		r.Findings[0].Summary = name
		r.Findings[0].Evidence.Notes = []string{name}
		r.Projection.Lines[0].Subject = name
		r.Projection.Lines[0].Note = name
		r.Gaps[0].Resource = name
		var b bytes.Buffer
		if err := Write(&b, r, FormatHTML, Options{}); err != nil {
			t.Fatal(err)
		}
		root := parseHTML(t, b.Bytes())
		var names []string
		for el := range root.Descendants() {
			if el.Type != html.ElementNode {
				continue
			}
			switch el.Data {
			case "script", "img", "iframe", "object", "embed", "link", "base", "form", "input", "a":
				if href, _ := attr(el, "href"); el.Data == "a" && strings.HasPrefix(href, "#") {
					break // the page's own contents links
				}
				t.Fatalf("name %q became a <%s>", name, el.Data)
			case "style":
				if el.Parent == nil || el.Parent.Data != "head" {
					t.Fatalf("name %q became a <style> in <%s>", name, el.Parent.Data)
				}
			case "th":
				if cls, _ := attr(el, "class"); cls == "name" {
					names = append(names, textOf(el))
				}
			}
			for _, a := range el.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Fatalf("name %q became an event handler %s=%q", name, a.Key, a.Val)
				}
			}
		}
		// The parser rewrites NUL and line ends and trims nothing else; where
		// the name is plain text it must read back exactly.
		plain := utf8.ValidString(name) && strings.TrimSpace(name) == name &&
			!strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f || r == utf8.RuneError })
		if plain && !slices.Contains(names, name) {
			t.Errorf("name %q does not read back from the table (names %q)", name, names)
		}
	})
}

// BenchmarkHTMLReference renders the reference account's page, charts and all.
func BenchmarkHTMLReference(b *testing.B) {
	r := htmlReferenceReport(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, r, FormatHTML, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/page")
}
