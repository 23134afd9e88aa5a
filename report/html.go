package report

import (
	"bufio"
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

//go:embed html.tmpl
var htmlSource string

// htmlTemplate is parsed once; html/template escapes every value it inserts
// by context, so log group names, filter patterns and service names (user
// data) come out as text. Only chart bodies are template.HTML: see svgBody.
var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"sevClass": func(s cwlens.Severity) string { return "sev-" + s.String() },
	"pastNote": func() string { return strings.ToUpper(PastEpisodesNote[:1]) + PastEpisodesNote[1:] },
}).Parse(htmlSource))

// Small multiples show the daily ingestion of this many top log groups, and
// the bar charts at most maxBars rows.
const (
	smallMultiples = 6
	maxBars        = 12
)

// figure is one number shown in the page. JSON is the RFC 6901 pointer of
// the value in the report's JSON (several, space-separated, when the figure
// is their sum), Value its exact value as the JSON writes it ("" when the
// JSON has null) and Text how the page shows it. Tests compare the three.
type figure struct {
	JSON  string
	Value string
	Text  string
	Class string // extra CSS class of its cell: delta-up, delta-down
	// Unknown follows a total that leaves out usages without a price:
	// "+ unknown (3 lines)".
	Unknown string
}

func usdFigure(ptr string, d decimal.Decimal) figure {
	return figure{JSON: ptr, Value: d.String(), Text: FormatUSD(d)}
}

func usdPtrFigure(ptr string, d *decimal.Decimal) figure {
	if d == nil {
		return figure{JSON: ptr, Text: "unknown"}
	}
	return usdFigure(ptr, *d)
}

// findingCostFigure shows a finding's monthly cost as the table does
// (findingCost): "—" when the finding has no usage of its own to price (an
// error surge), "unknown" only when its usage has no price.
func findingCostFigure(ptr string, f cwlens.Finding) figure {
	if f.MonthlyCostUSD == nil && f.Impact == nil {
		return figure{JSON: ptr, Text: Missing}
	}
	return usdPtrFigure(ptr, f.MonthlyCostUSD)
}

// totalFigure shows a total of p: with "+ unknown (N lines)" when some
// usage has no price, and as unknown (no value) when none has.
func totalFigure(p *Projection, ptr string, d decimal.Decimal) figure {
	return withUnknown(p, usdFigure(ptr, d))
}

// totalDeltaFigure is totalFigure for a change of cost.
func totalDeltaFigure(p *Projection, ptr string, d decimal.Decimal) figure {
	return withUnknown(p, deltaFigure(ptr, d))
}

func withUnknown(p *Projection, f figure) figure {
	switch {
	case p.Complete():
	case !p.priced():
		f.Value, f.Class, f.Text = "", "", p.TotalUSD(decimal.Zero)
	default:
		f.Unknown = "+ unknown (" + unknownLines(len(p.Unknown)) + ")"
	}
	return f
}

// deltaFigure shows a change of cost, coloured (and signed, for readers
// who cannot tell the colours apart) by its direction.
func deltaFigure(ptr string, d decimal.Decimal) figure {
	f := figure{JSON: ptr, Value: d.String(), Text: FormatDeltaUSD(d)}
	switch d.Round(2).Sign() {
	case -1:
		f.Class = "delta-down"
	case 1:
		f.Class = "delta-up"
	}
	return f
}

func floatString(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func bytesFigure(ptr string, v float64) figure {
	return figure{JSON: ptr, Value: floatString(v), Text: FormatBytes(v)}
}

func bytesPtrFigure(ptr string, v *float64) figure {
	if v == nil {
		return figure{JSON: ptr, Text: Missing}
	}
	return bytesFigure(ptr, *v)
}

// valueFigure shows a value in unit (a CloudWatch unit name).
func valueFigure(ptr string, v float64, unit string) figure {
	if cwlens.IsMissing(v) {
		return figure{JSON: ptr, Text: Missing}
	}
	return figure{JSON: ptr, Value: floatString(v), Text: formatValue(v, unit)}
}

// ratioFigure shows a ratio; 0 means the finding has none (a resize or a
// retention finding), shown as a dash rather than "0×".
func ratioFigure(ptr string, v float64) figure {
	if v == 0 {
		return figure{JSON: ptr, Value: "0", Text: Missing}
	}
	return figure{JSON: ptr, Value: floatString(v), Text: formatRatio(v)}
}

func quantityFigure(ptr string, d decimal.Decimal) figure {
	return figure{JSON: ptr, Value: d.String(), Text: formatQuantity(d)}
}

// formatQuantity shows a usage quantity to at most four decimals, with
// thousands separators: "1,460", "0.5", "2,920.0004".
func formatQuantity(d decimal.Decimal) string {
	s := d.Round(4).String()
	whole, frac, hasFrac := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if hasFrac {
		whole += "." + frac
	}
	if strings.HasPrefix(s, "-") {
		whole = "-" + whole
	}
	return whole
}

// htmlView is what html.tmpl renders: everything formatted, every chart
// drawn.
type htmlView struct {
	Title       string
	Account     Account
	Region      string
	Window      string
	Days        int
	EvaluatedAt string
	PricesAsOf  string
	Partial     bool
	Gaps        []cwlens.Gap

	Now, After, Delta *figure
	// NowBasis says what "monthly cost now" rests on, with the run-rate
	// beside it, as the table and Markdown summaries say it.
	NowBasis string
	Flood    *floodView

	Findings     []findingView
	PastEpisodes []pastView
	// Since is set when the report compares with a previous run (Lambda or
	// --state): how many findings are new, ongoing and resolved, and the
	// resolved ones.
	Since *sinceView

	TopGroups      []groupView
	TopGroupsBy    string // what ranks the top groups: cost or bytes
	TopGroupsChart *svgChart
	Multiples      []*svgChart

	Projection     *projectionView
	Reconciliation *reconciliationView
	Forecast       *forecastView

	ShowFindings, ShowGroups bool
}

// pastView is one past episode's row.
type pastView struct {
	Subject, Kind, Start, End, Peak, Extra string
	Cost                                   figure
}

type floodView struct {
	Subject string
	Since   string
	Rate    string // the observed rate the cost assumes, e.g. "2.89 GB a day"
	Monthly figure
}

type findingView struct {
	Index   int
	Anchor  string
	Finding cwlens.Finding
	// FirstSeen is when a run first reported an ongoing finding, formatted.
	FirstSeen      string
	Start          string
	Baseline       figure
	Observed       figure
	Ratio          figure
	Score          figure
	Monthly        figure
	Recommendation string
	Interval       string
	Chart          *svgChart
	Points         []pointView
	Templates      []templateView
}

// sinceView is what a report that compares with the previous run adds.
type sinceView struct {
	New, Ongoing int
	Resolved     []resolvedView
}

// resolvedView is one finding the previous run reported and this one does
// not.
type resolvedView struct {
	Finding   cwlens.Finding
	FirstSeen string
	Monthly   *figure // the cost it had, nil when it had none
}

type templateView struct {
	Template string
	Events   figure
	Share    figure
}

type pointView struct {
	Time  string
	Value figure
}

type groupView struct {
	Name        string
	Class       string
	Retention   string
	Stored      figure
	LastDay     figure
	Monthly     *figure // nil when the report has no ingestion price for it
	monthlySort decimal.Decimal
	index       int
	totalBytes  float64
}

type projectionView struct {
	Groups   []lineGroup // lines by subject, in order of first appearance
	Current  figure
	Proposed figure
	Delta    figure
	// Yearly figures: twelve times the monthly totals.
	CurrentYear, ProposedYear, DeltaYear figure
	Chart                                *svgChart
	Rejected                             []rejectedView
	Unknown                              []cwlens.UnknownPrice
	Assumptions                          []string
}

// lineGroup is one subject's lines of the projection table. It keeps
// where the lines are, not their formatted views: Body formats each line as
// it writes it, so that the page of 100,000 lines holds one view at a time.
type lineGroup struct {
	Subject string
	lines   []int // indexes in proj.Lines
	proj    *Projection
}

// newLineView formats the i-th line of the projection.
func newLineView(i int, l *ProjectionLine) lineView {
	ptr := "/projection/lines/" + strconv.Itoa(i)
	return lineView{
		Line:             *l,
		CurrentQuantity:  quantityFigure(ptr+"/current_quantity", l.CurrentQuantity),
		ProposedQuantity: quantityFigure(ptr+"/proposed_quantity", l.ProposedQuantity),
		CurrentMonthly:   usdFigure(ptr+"/current_monthly_usd", l.CurrentMonthly),
		ProposedMonthly:  usdFigure(ptr+"/proposed_monthly_usd", l.ProposedMonthly),
		Delta:            deltaFigure(ptr+"/delta_monthly_usd", l.Delta),
		Moves:            l.ProposedUsageType != "" && l.ProposedUsageType != l.UsageType,
	}
}

type lineView struct {
	Line             ProjectionLine
	CurrentQuantity  figure
	ProposedQuantity figure
	CurrentMonthly   figure
	ProposedMonthly  figure
	Delta            figure
	Moves            bool // the proposal moves the usage to another usage type
}

type rejectedView struct {
	Change      cwlens.RejectedChange
	Alternative figure
}

// isIngestion reports whether a projection line prices the ingestion of a
// log group. The pricing package names the component; the usage type is
// AWS's, so both are accepted.
func isIngestion(l cwlens.ProjectionLine) bool {
	return strings.Contains(strings.ToLower(l.Component), "ingest") ||
		strings.Contains(l.UsageType, "DataProcessing-Bytes")
}

// isFlood reports whether a finding is a flood: ingestion well above normal.
func isFlood(k cwlens.Kind) bool {
	return k == cwlens.KindIngestionSpike || k == cwlens.KindIngestionLevelShift
}

func newHTMLView(r *Report) (*htmlView, error) {
	name := r.Account.ID
	if r.Account.Name != "" {
		name = r.Account.Name + " (" + r.Account.ID + ")"
	}
	v := &htmlView{
		Title:       fmt.Sprintf("cwlens report: %s, %s", name, r.Region),
		Account:     r.Account,
		Region:      r.Region,
		Window:      FormatTime(r.Window.Start) + " to " + FormatTime(r.Window.End),
		Days:        int(math.Round(r.Window.Duration().Hours() / 24)),
		EvaluatedAt: FormatTime(r.EvaluatedAt),
		Partial:     r.Partial,
		Gaps:        r.Gaps,
	}
	// The header shows the figures the table and Markdown summaries open
	// with, taken from the same Summary.
	sum := r.Summary()
	if p := sum.Projection; p != nil {
		v.PricesAsOf = FormatDay(p.PricesAsOf)
		now := totalFigure(p, "/projection/current_monthly_usd", p.CurrentMonthly)
		after := totalFigure(p, "/projection/proposed_monthly_usd", p.ProposedMonthly)
		delta := totalDeltaFigure(p, "/projection/delta_monthly_usd", p.DeltaMonthly)
		v.Now, v.After, v.Delta = &now, &after, &delta
		v.NowBasis = p.NowBasis()
	}
	// The flood's cost is the analyzer's monthly impact at the observed rate.
	if i := sum.Flood; i >= 0 {
		f := r.Findings[i]
		v.Flood = &floodView{
			Subject: f.Subject,
			Since:   FormatTime(f.Start),
			Monthly: usdPtrFigure(fmt.Sprintf("/findings/%d/monthly_cost_impact_usd", i), f.MonthlyCostUSD),
		}
		if s := f.Evidence.Series; s != nil && s.Period == cwlens.Day && f.Evidence.Observed > 0 {
			v.Flood.Rate = formatValue(f.Evidence.Observed, f.Evidence.Unit) + " a day"
		}
	}

	for i, f := range r.Findings {
		fv, err := newFindingView(i, f)
		if err != nil {
			return nil, err
		}
		v.Findings = append(v.Findings, fv)
	}
	v.Since = newSinceView(r)
	for i, e := range r.PastEpisodes {
		v.PastEpisodes = append(v.PastEpisodes, pastView{Subject: pastSubject(e), Kind: string(e.Kind),
			Start: FormatTime(e.Start), End: FormatTime(e.End), Peak: PastPeak(e), Extra: formatValue(e.Extra, e.Unit),
			Cost: usdPtrFigure(fmt.Sprintf("/past_episodes/%d/cost_usd", i), e.CostUSD)})
		if e.Unit != cwlens.UnitBytes {
			v.PastEpisodes[i].Cost = figure{JSON: fmt.Sprintf("/past_episodes/%d/cost_usd", i), Text: Missing}
		}
	}

	if err := v.addTopGroups(r); err != nil {
		return nil, err
	}
	if r.Projection != nil {
		pv, err := newProjectionView(r.Projection)
		if err != nil {
			return nil, err
		}
		v.Projection = pv
	}
	if r.Reconciliation != nil {
		v.Reconciliation = newReconciliationView(r.Reconciliation)
	}
	if r.Forecast != nil {
		v.Forecast = newForecastView(r.Forecast)
	}
	return v, nil
}

func newFindingView(i int, f cwlens.Finding) (findingView, error) {
	ptr := fmt.Sprintf("/findings/%d", i)
	ev := f.Evidence
	fv := findingView{
		Index:    i + 1,
		Anchor:   fmt.Sprintf("finding-%d", i+1),
		Finding:  f,
		Start:    FormatTime(f.Start),
		Baseline: valueFigure(ptr+"/evidence/baseline", ev.Baseline, ev.Unit),
		Observed: valueFigure(ptr+"/evidence/observed", ev.Observed, ev.Unit),
		Ratio:    ratioFigure(ptr+"/evidence/ratio", ev.Ratio),
		Score:    figure{JSON: ptr + "/evidence/score", Value: floatString(ev.Score), Text: strconv.FormatFloat(ev.Score, 'f', 2, 64)},
		Monthly:  findingCostFigure(ptr+"/monthly_cost_impact_usd", f),
	}
	if f.FirstSeen != nil {
		fv.FirstSeen = FormatTime(*f.FirstSeen)
	}
	if rec := f.Recommendation; rec != nil {
		fv.Recommendation = FormatTaskSize(rec.CPUUnits, rec.MemoryMiB)
		if rec.Reason != "" {
			fv.Recommendation += ": " + rec.Reason
		}
	}
	if in := ev.Interval; in != nil {
		fv.Interval = fmt.Sprintf("%s to %s (%s confidence)", formatValue(in.Low, ev.Unit), formatValue(in.High, ev.Unit),
			trimZeros(strconv.FormatFloat(in.Confidence*100, 'f', 1, 64))+" %")
	}
	for j, p := range ev.Points {
		fv.Points = append(fv.Points, pointView{
			Time:  FormatTime(p.Time),
			Value: valueFigure(fmt.Sprintf("%s/evidence/points/%d/value", ptr, j), p.Value, ev.Unit),
		})
	}
	for j, t := range f.Templates {
		tp := fmt.Sprintf("%s/templates/%d", ptr, j)
		fv.Templates = append(fv.Templates, templateView{
			Template: t.Template,
			Events:   figure{JSON: tp + "/events", Value: strconv.FormatInt(t.Events, 10), Text: humanCount(float64(t.Events))},
			Share: figure{JSON: tp + "/byte_share", Value: floatString(t.ByteShare),
				Text: strconv.FormatFloat(t.ByteShare*100, 'f', 1, 64) + " %"},
		})
	}
	chart, err := findingChart(fv.Anchor+"-chart", f, wideLayout)
	if err != nil {
		return fv, err
	}
	narrow, err := findingChart(narrowID(fv.Anchor+"-chart"), f, narrowLayout)
	if err != nil {
		return fv, err
	}
	fv.Chart = withNarrow(chart, narrow)
	return fv, nil
}

// newSinceView counts and lists the findings' labels against the previous
// run; nil for a one-off report, whose findings have no status and which has
// no resolved list.
func newSinceView(r *Report) *sinceView {
	s := &sinceView{}
	labelled := r.Resolved != nil
	for _, f := range r.Findings {
		switch f.Status {
		case cwlens.StatusNew:
			s.New++
		case cwlens.StatusOngoing:
			s.Ongoing++
		default:
			continue
		}
		labelled = true
	}
	if !labelled {
		return nil
	}
	for i, f := range r.Resolved {
		rv := resolvedView{Finding: f}
		if f.FirstSeen != nil {
			rv.FirstSeen = FormatTime(*f.FirstSeen)
		}
		if f.MonthlyCostUSD != nil {
			m := usdFigure(fmt.Sprintf("/resolved/%d/monthly_cost_impact_usd", i), *f.MonthlyCostUSD)
			rv.Monthly = &m
		}
		s.Resolved = append(s.Resolved, rv)
	}
	return s
}

// addTopGroups ranks the log groups by their monthly ingestion cost when the
// report is priced, else by the bytes they ingested over the window.
func (v *htmlView) addTopGroups(r *Report) error {
	groups := make([]groupView, len(r.Inventory.LogGroups))
	byName := make(map[string]int, len(groups))
	for i, g := range r.Inventory.LogGroups {
		ptr := fmt.Sprintf("/inventory/log_groups/%d", i)
		total, _ := g.DailyIngestedBytes.Sum()
		groups[i] = groupView{
			Name:       g.Name,
			Class:      g.Class,
			Retention:  FormatRetention(g.RetentionDays),
			Stored:     figure{JSON: ptr + "/stored_bytes", Value: strconv.FormatInt(g.StoredBytes, 10), Text: FormatBytes(float64(g.StoredBytes))},
			LastDay:    bytesPtrFigure(ptr+"/last_day_ingested_bytes", g.LastDayIngestedBytes),
			index:      i,
			totalBytes: total,
		}
		byName[g.Name] = i
	}
	priced := false
	if p := r.Projection; p != nil {
		ptrs := make(map[int][]string)
		for li, l := range p.Lines {
			gi, ok := byName[l.Subject]
			if !ok || !isIngestion(l.ProjectionLine) {
				continue
			}
			priced = true
			ptrs[gi] = append(ptrs[gi], fmt.Sprintf("/projection/lines/%d/current_monthly_usd", li))
			groups[gi].monthlySort = groups[gi].monthlySort.Add(l.CurrentMonthly)
		}
		for gi, ps := range ptrs {
			f := usdFigure(strings.Join(ps, " "), groups[gi].monthlySort)
			groups[gi].Monthly = &f
		}
	}
	slices.SortStableFunc(groups, func(a, b groupView) int {
		if priced {
			if c := b.monthlySort.Cmp(a.monthlySort); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(b.totalBytes, a.totalBytes), strings.Compare(a.Name, b.Name))
	})
	v.TopGroups = groups
	if len(groups) == 0 {
		return nil
	}

	var items []barItem
	var desc strings.Builder
	if priced {
		v.TopGroupsBy = "monthly ingestion cost"
		desc.WriteString("Monthly ingestion cost by log group, highest first: ")
	} else {
		v.TopGroupsBy = fmt.Sprintf("bytes ingested over the %d-day window", v.Days)
		desc.WriteString("Bytes ingested over the window by log group, highest first: ")
	}
	for i, g := range groups[:min(len(groups), maxBars)] {
		it := barItem{Label: g.Name}
		if priced {
			if g.Monthly == nil {
				continue // unpriced: no bar rather than a $0 bar
			}
			it.Value = g.monthlySort.InexactFloat64()
			it.Text = g.Monthly.Text
		} else {
			it.Value = g.totalBytes
			it.Text = FormatBytes(g.totalBytes)
		}
		items = append(items, it)
		if i > 0 {
			desc.WriteString("; ")
		}
		desc.WriteString(g.Name + " " + it.Text)
	}
	desc.WriteString(".")
	title := "Top log groups by " + v.TopGroupsBy
	chart, err := barChart("top-groups-chart", title, desc.String(), items, roleSeries, priced, wideLayout)
	if err != nil {
		return err
	}
	narrow, err := barChart(narrowID("top-groups-chart"), title, desc.String(), items, roleSeries, priced, narrowLayout)
	if err != nil {
		return err
	}
	v.TopGroupsChart = withNarrow(chart, narrow)

	for i, g := range groups[:min(len(groups), smallMultiples)] {
		s := r.Inventory.LogGroups[g.index].DailyIngestedBytes
		c, err := smallChart(fmt.Sprintf("daily-%d-chart", i+1), g.Name, s)
		if err != nil {
			return err
		}
		if c != nil {
			v.Multiples = append(v.Multiples, c)
		}
	}
	return nil
}

func newProjectionView(p *Projection) (*projectionView, error) {
	pv := &projectionView{
		Current:      totalFigure(p, "/projection/current_monthly_usd", p.CurrentMonthly),
		Proposed:     totalFigure(p, "/projection/proposed_monthly_usd", p.ProposedMonthly),
		Delta:        totalDeltaFigure(p, "/projection/delta_monthly_usd", p.DeltaMonthly),
		CurrentYear:  totalFigure(p, "/projection/current_yearly_usd", p.CurrentYearly),
		ProposedYear: totalFigure(p, "/projection/proposed_yearly_usd", p.ProposedYearly),
		DeltaYear:    totalDeltaFigure(p, "/projection/delta_yearly_usd", p.DeltaYearly),
		Unknown:      p.Unknown,
		Assumptions:  p.Assumptions,
	}
	type subjectSum struct {
		name              string
		current, proposed decimal.Decimal
	}
	var subjects []*subjectSum
	bySubject := map[string]*subjectSum{}
	groupOf := map[string]int{}
	for i, l := range p.Lines {
		gi, ok := groupOf[l.Subject]
		if !ok {
			gi = len(pv.Groups)
			groupOf[l.Subject] = gi
			pv.Groups = append(pv.Groups, lineGroup{Subject: l.Subject, proj: p})
		}
		pv.Groups[gi].lines = append(pv.Groups[gi].lines, i)
		s := bySubject[l.Subject]
		if s == nil {
			s = &subjectSum{name: l.Subject}
			bySubject[l.Subject] = s
			subjects = append(subjects, s)
		}
		s.current = s.current.Add(l.CurrentMonthly)
		s.proposed = s.proposed.Add(l.ProposedMonthly)
	}
	for i, rc := range p.Rejected {
		rv := rejectedView{Change: rc}
		if rc.AlternativeMonthly != nil {
			rv.Alternative = usdFigure(fmt.Sprintf("/projection/rejected/%d/alternative_monthly_usd", i), *rc.AlternativeMonthly)
		}
		pv.Rejected = append(pv.Rejected, rv)
	}

	slices.SortStableFunc(subjects, func(a, b *subjectSum) int {
		return cmp.Or(b.current.Cmp(a.current), b.proposed.Cmp(a.proposed))
	})
	// Past maxBars subjects, the rest are summed into one bar so the chart
	// still adds up to the totals.
	if len(subjects) > maxBars {
		rest := &subjectSum{name: fmt.Sprintf("%d others", len(subjects)-maxBars+1)}
		for _, s := range subjects[maxBars-1:] {
			rest.current = rest.current.Add(s.current)
			rest.proposed = rest.proposed.Add(s.proposed)
		}
		subjects = append(subjects[:maxBars-1], rest)
	}
	var items []pairItem
	var desc strings.Builder
	fmt.Fprintf(&desc, "Monthly cost now and after the scenario, by subject. Total %s now, %s after. ",
		p.TotalUSD(p.CurrentMonthly), p.TotalUSD(p.ProposedMonthly))
	for i, s := range subjects {
		items = append(items, pairItem{
			Label: s.name, Current: s.current.InexactFloat64(), Proposed: s.proposed.InexactFloat64(),
			CurrentText: FormatUSD(s.current), ProposedText: FormatUSD(s.proposed),
		})
		if i > 0 {
			desc.WriteString("; ")
		}
		fmt.Fprintf(&desc, "%s: %s now, %s after", s.name, FormatUSD(s.current), FormatUSD(s.proposed))
	}
	desc.WriteString(".")
	const title = "Monthly cost now and after the scenario"
	chart, err := pairChart("projection-chart", title, desc.String(), items, wideLayout)
	if err != nil {
		return nil, err
	}
	narrow, err := pairChart(narrowID("projection-chart"), title, desc.String(), items, narrowLayout)
	if err != nil {
		return nil, err
	}
	pv.Chart = withNarrow(chart, narrow)
	return pv, nil
}

// writeHTML writes r as one self-contained HTML page: inline CSS, inline
// SVG charts, no script and no external reference. The header, its headline
// figures and the scan's gaps are always there; sections selects the rest.
func writeHTML(w io.Writer, r *Report, sections Sections) error {
	v, err := newHTMLView(r)
	if err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	v.ShowFindings = sections.has(SectionFindings)
	v.ShowGroups = sections.has(SectionInventory)
	if !sections.has(SectionProjection) {
		v.Projection, v.Forecast = nil, nil
	}
	if !sections.has(SectionProjection | SectionReconciliation) {
		v.Reconciliation = nil
	}
	// The template writes each piece of text and each escaped value on its
	// own: for 10,000 log groups, two million writes straight to a file.
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := htmlTemplate.Execute(bw, v); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}
