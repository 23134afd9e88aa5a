package report

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/cwlens/cwlens"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/shopspring/decimal"
)

// sparkWidth bounds a sparkline cell: 35 daily points fit, a week of hourly
// evidence is folded into buckets.
const sparkWidth = 36

// evidenceWidth bounds the sparkline of a finding's evidence, a narrower
// cell than the inventory's: the findings table also carries a summary.
const evidenceWidth = 24

// summaryWidth wraps finding summaries so the table fits a wide terminal.
const summaryWidth = 56

// componentWidth wraps the components of a summed projection row.
const componentWidth = 24

// usageWidth wraps "current → proposed" usage types onto two lines.
const usageWidth = 44

// palette holds the colours of the table format; all empty without colour.
type palette struct {
	header, warn, faint text.Colors
	severity            map[cwlens.Severity]text.Colors
}

func newPalette(color bool) palette {
	if !color {
		return palette{}
	}
	return palette{
		header: text.Colors{text.Bold},
		warn:   text.Colors{text.FgYellow, text.Bold},
		faint:  text.Colors{text.Faint},
		severity: map[cwlens.Severity]text.Colors{
			cwlens.SeverityCritical: {text.FgHiRed, text.Bold},
			cwlens.SeverityHigh:     {text.FgRed},
			cwlens.SeverityMedium:   {text.FgYellow},
			cwlens.SeverityLow:      {text.FgCyan},
		},
	}
}

// style is the one table style of cwlens: light box lines, upper-case
// headers, separators only around header and footer.
func style(p palette) table.Style {
	s := table.StyleLight
	s.Color = table.ColorOptions{Header: p.header, Footer: p.header}
	s.Title.Colors = p.header
	return s
}

// writeTable writes the table format through a buffer, a table at a time
// and the tables that grow with the account a chunk of rows at a time
// (chunked): memory holds a chunk, not the page.
func writeTable(w io.Writer, r *Report, o Options) error {
	r = printableReport(r)
	p := newPalette(o.Color)
	b := bufio.NewWriterSize(w, 64<<10)
	b.WriteString(p.header.Sprint(headline(r)) + "\n")
	b.WriteString(wrapTo(windowLine(r), o.Width) + "\n")
	if o.Sections.has(SectionSummary) {
		if err := writeSummaryTable(b, r.Summary(), p, o.Width); err != nil {
			return err
		}
	} else if r.Partial {
		b.WriteString(p.warn.Sprint(partialLine(len(r.Gaps))) + "\n")
	}
	for _, t := range tables(r, o.Sections, p) {
		b.WriteString("\n")
		if t.empty != "" {
			b.WriteString(p.header.Sprint(t.title) + ": " + t.empty + "\n")
			continue
		}
		t.tab.style = style(p)
		t.tab.title = t.title
		t, l := t.forWidth(o.Width)
		if err := t.tab.render(l, lineWriter(b)); err != nil {
			return err
		}
		for _, n := range t.notes {
			b.WriteString(indentNote(n, o.Width))
		}
	}
	// The gaps are reference material: the summary (or the warning) says
	// there are some, the list closes the report.
	if r.Partial {
		b.WriteString("\n" + p.header.Sprint(gapsTitle(r)) + "\n")
		for _, g := range r.Gaps {
			fmt.Fprintf(b, "  %s  %s: %s\n", g.API, g.Resource, g.Reason)
		}
	}
	return b.Flush()
}

// writeSummaryTable writes the summary block of the table format: one
// aligned line per listed finding, then what was left out, the totals and a
// partial scan's warning.
func writeSummaryTable(b *bufio.Writer, s Summary, p palette, width int) error {
	b.WriteString("\n" + p.header.Sprint(summaryTitle(s)) + "\n")
	if s.Partial {
		b.WriteString(summaryLine(p.warn.Sprint(partialLine(s.Gaps)), width))
	}
	if len(s.Findings) > 0 {
		var rows []table.Row
		for _, sf := range s.Findings {
			f := sf.Finding
			rows = append(rows, table.Row{p.severity[f.Severity].Sprint(strings.ToUpper(f.Severity.String())), f.Subject,
				sf.What, strings.TrimSuffix(FormatTime(f.Start), " UTC"), findingCost(f)})
		}
		sec := section{tab: chunked{header: table.Row{"severity", "subject", "what", "since (UTC)", "$/month"},
			body: slices.Values(rows), style: summaryStyle(p)},
			drop: []string{"since (UTC)"}, cfg: []table.ColumnConfig{
				{Number: 3, WidthMax: summaryWidth, WidthMaxEnforcer: text.WrapSoft},
				{Number: 5, Align: text.AlignRight, AlignHeader: text.AlignRight}}}
		inner := 0
		if width > 0 {
			inner = max(width-2, 20)
		}
		err := sec.tab.render(sec.fit(inner), func(lines []string) error {
			for _, l := range lines {
				b.WriteString("  " + l + "\n")
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if m := moreLine(s); m != "" {
		b.WriteString(summaryLine(m, width))
	}
	if s.Projection != nil {
		b.WriteString(summaryLine(costLine(s.Projection), width))
	}
	return nil
}

// summaryLine indents a line of the summary, wrapped to width when one is
// set.
func summaryLine(l string, width int) string {
	if width <= 0 {
		return "  " + l + "\n"
	}
	return indentNote(l, width)
}

// summaryStyle draws the summary's lines as aligned columns without any box.
func summaryStyle(p palette) table.Style {
	s := table.StyleDefault
	s.Box.PaddingLeft, s.Box.PaddingRight = "", ""
	s.Box.MiddleVertical = "  "
	s.Options = table.Options{SeparateColumns: true}
	s.Color = table.ColorOptions{Header: p.faint}
	return s
}

func summaryTitle(s Summary) string {
	if s.Total == 0 {
		return "Summary: no findings"
	}
	return fmt.Sprintf("Summary: %d finding(s), %s", s.Total, s.BySeverity)
}

// moreLine says how many findings the summary leaves out, "" when none.
func moreLine(s Summary) string {
	if s.MoreBySeverity == "" {
		return ""
	}
	return fmt.Sprintf("… and %d more under Findings (%s)", s.Total-len(s.Findings), s.MoreBySeverity)
}

func gapsTitle(r *Report) string {
	return fmt.Sprintf("Gaps (%d): what the scan could not read", len(r.Gaps))
}

func writeMarkdown(w io.Writer, r *Report, o Options) error {
	r = markdownReport(r)
	b := bufio.NewWriterSize(w, 64<<10)
	b.WriteString("# " + headline(r) + "\n\n")
	b.WriteString(windowLine(r) + "\n")
	if o.Sections.has(SectionSummary) {
		writeSummaryMarkdown(b, r.Summary())
	} else if r.Partial {
		b.WriteString("\n> **" + partialLine(len(r.Gaps)) + "**\n")
	}
	for _, t := range tables(r, o.Sections, palette{}) {
		b.WriteString("\n## " + t.title + "\n\n")
		if t.empty != "" {
			b.WriteString(t.empty + "\n")
			continue
		}
		if err := t.tab.renderMarkdown(t.cfg, lineWriter(b)); err != nil {
			return err
		}
		if len(t.notes) > 0 {
			b.WriteString("\n")
		}
		for _, n := range t.notes {
			b.WriteString("- " + n + "\n")
		}
	}
	if r.Partial {
		b.WriteString("\n## " + gapsTitle(r) + "\n\n")
		for _, g := range r.Gaps {
			fmt.Fprintf(b, "- `%s` %s: %s\n", g.API, g.Resource, g.Reason)
		}
	}
	return b.Flush()
}

// writeSummaryMarkdown is writeSummaryTable in Markdown.
func writeSummaryMarkdown(b *bufio.Writer, s Summary) {
	b.WriteString("\n## " + summaryTitle(s) + "\n\n")
	if s.Partial {
		b.WriteString("> **" + partialLine(s.Gaps) + "**\n\n")
	}
	if len(s.Findings) > 0 {
		t := table.NewWriter()
		t.AppendHeader(table.Row{"severity", "subject", "what", "since", "$/month"})
		for _, sf := range s.Findings {
			f := sf.Finding
			t.AppendRow(table.Row{strings.ToUpper(f.Severity.String()), f.Subject, sf.What, FormatTime(f.Start), findingCost(f)})
		}
		t.SetColumnConfigs([]table.ColumnConfig{{Number: 5, Align: text.AlignRight}})
		b.WriteString(t.RenderMarkdown() + "\n")
	}
	var lines []string
	if m := moreLine(s); m != "" {
		lines = append(lines, m)
	}
	if s.Projection != nil {
		lines = append(lines, costLine(s.Projection))
	}
	if len(lines) > 0 && len(s.Findings) > 0 {
		b.WriteString("\n")
	}
	for _, l := range lines {
		b.WriteString("- " + l + "\n")
	}
}

func headline(r *Report) string {
	acct := r.Account.ID
	if r.Account.Name != "" {
		acct = r.Account.Name + " (" + r.Account.ID + ")"
	}
	return "cwlens report · " + acct + " · " + r.Region
}

func windowLine(r *Report) string {
	days := strconv.FormatFloat(r.Window.Duration().Hours()/24, 'f', -1, 64)
	return fmt.Sprintf("window %s → %s (%s d) · evaluated at %s · captured %s",
		FormatTime(r.Window.Start), FormatTime(r.Window.End), days,
		FormatTime(r.EvaluatedAt), FormatTime(r.CapturedAt))
}

func partialLine(gaps int) string {
	return fmt.Sprintf("WARNING: partial scan, %d item(s) could not be read; the figures leave them out (listed under Gaps, at the end)", gaps)
}

// noteWidth wraps the notes under a table (assumptions can be long).
const noteWidth = 120

// indentNote writes a note under a table: indented, wrapped at word
// boundaries, continuation lines indented further.
func indentNote(n string, width int) string {
	w := noteWidth
	if width > 0 {
		w = max(min(w, width-6), 20)
	}
	lines := strings.Split(text.WrapSoft(n, w), "\n")
	var b strings.Builder
	for i, l := range lines {
		if i == 0 {
			b.WriteString("  ")
		} else {
			b.WriteString("      ")
		}
		b.WriteString(strings.TrimRight(l, " ") + "\n")
	}
	return b.String()
}

// fit lays the table out within width columns (0: no limit): it hides the
// section's drop columns one by one, then narrows its wrapping columns (the
// summary, the component, the usage type), and as a last resort cuts each
// line at width. Each try is measured by drawing the table, a chunk at a
// time, without keeping it.
func (sec section) fit(width int) layout {
	l := layout{cfg: slices.Clone(sec.cfg)}
	if width <= 0 {
		return l
	}
	w := sec.width(l)
	for _, name := range sec.drop {
		if w <= width {
			return l
		}
		l.cfg = append(l.cfg, table.ColumnConfig{Name: name, Hidden: true})
		w = sec.width(l)
	}
	for range 4 {
		excess := w - width
		if excess <= 0 {
			return l
		}
		narrowed := false
		for i := range l.cfg {
			if l.cfg[i].WidthMaxEnforcer != nil && l.cfg[i].WidthMax > 16 {
				l.cfg[i].WidthMax = max(16, l.cfg[i].WidthMax-excess)
				narrowed = true
			}
		}
		if !narrowed {
			break
		}
		w = sec.width(l)
	}
	if w > width {
		l.length = width
	}
	return l
}

// width is the widest line of the table drawn as l lays it out, in
// terminal columns.
func (sec section) width(l layout) int {
	w := 0
	_ = sec.tab.render(l, widthOf(&w)) // measuring cannot fail
	return w
}

// wrapTo wraps s at word boundaries to width columns (0: no limit).
func wrapTo(s string, width int) string {
	if width <= 0 || text.RuneWidthWithoutEscSequences(s) <= width {
		return s
	}
	lines := strings.Split(text.WrapSoft(s, width), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// rowsOf yields a table row for each element of xs, made as it is asked
// for.
func rowsOf[T any](xs []T, row func(*T) table.Row) iter.Seq[table.Row] {
	return func(yield func(table.Row) bool) {
		for i := range xs {
			if !yield(row(&xs[i])) {
				return
			}
		}
	}
}

// section is one titled table of a human view, or the sentence that stands
// in for it when it has no rows.
type section struct {
	title string
	tab   chunked
	cfg   []table.ColumnConfig
	// drop names the columns a narrow terminal hides, first to last
	// (README: "Narrow terminals").
	drop  []string
	empty string
	notes []string
	// fold names a wrapping column that fit may squeeze below
	// readableWidth; folded is then the section drawn instead, with that
	// column's text moved into its notes (README: "Narrow terminals"); folded
	// is given the section as drawn (its style set), to keep it.
	fold   string
	folded func(section) section
}

// readableWidth is the narrowest a column of sentences stays readable in:
// narrower, a row becomes a column of two-word lines.
const readableWidth = 30

// forWidth is the section to draw at width, and its layout: sec itself, or
// its folded form when sec would give its fold column fewer than
// readableWidth columns, or fewer than its longest word (which a narrower
// column cuts in two: a log group's name).
func (sec section) forWidth(width int) (section, layout) {
	l := sec.fit(width)
	if sec.folded == nil || width <= 0 || sec.columnMax(l, sec.fold) >= max(readableWidth, sec.longestWord(sec.fold)) {
		return sec, l
	}
	f := sec.folded(sec)
	return f, f.fit(width)
}

// longestWord is the width of the longest word in the column named name.
func (sec section) longestWord(name string) int {
	col := slices.IndexFunc(sec.tab.header, func(h any) bool { return h == name })
	n := 0
	for row := range sec.tab.body {
		if col >= 0 && col < len(row) {
			for _, w := range strings.Fields(cellText(row[col])) {
				n = max(n, text.RuneWidthWithoutEscSequences(w))
			}
		}
	}
	return n
}

// columnMax is the WidthMax l gives the column named name (a large
// number when it has none).
func (sec section) columnMax(l layout, name string) int {
	for _, c := range sec.tab.resolve(l.cfg) {
		if sec.tab.header[c.Number-1] == name && c.WidthMax > 0 {
			return c.WidthMax
		}
	}
	return 1 << 30
}

func tables(r *Report, s Sections, p palette) []section {
	// The answer first (findings, then what they cost), the inventory last:
	// it is reference material.
	var out []section
	if s.has(SectionFindings) {
		out = append(out, findingTable(r, p))
		if rs := resolvedTable(r); rs != nil {
			out = append(out, *rs)
		}
		if len(r.PastEpisodes) > 0 {
			out = append(out, pastEpisodeTable(r))
		}
	}
	if s.has(SectionProjection) && r.Projection != nil {
		out = append(out, projectionTable(r.Projection))
	}
	if s.has(SectionProjection|SectionReconciliation) && r.Reconciliation != nil {
		out = append(out, reconciliationTable(r.Reconciliation))
	}
	if s.has(SectionProjection) && r.Forecast != nil {
		out = append(out, forecastTable(r.Forecast))
	}
	if s.has(SectionInventory) {
		out = append(out, logGroupTable(r), serviceTable(r))
	}
	return out
}

func logGroupTable(r *Report) section {
	sec := section{title: fmt.Sprintf("Log groups (%d)", len(r.Inventory.LogGroups))}
	if len(r.Inventory.LogGroups) == 0 {
		sec.empty = "none"
		return sec
	}
	sec.tab.header = table.Row{"log group", "class", "retention", "stored", "last day", "daily ingestion"}
	sec.tab.body = rowsOf(r.Inventory.LogGroups, func(g *LogGroup) table.Row {
		return table.Row{g.Name, g.Class, FormatRetention(g.RetentionDays), FormatBytes(float64(g.StoredBytes)),
			FormatBytesPtr(g.LastDayIngestedBytes), Sparkline(g.DailyIngestedBytes.Values, sparkWidth)}
	})
	var stored, lastDay float64
	lastDayKnown := true
	for _, g := range r.Inventory.LogGroups {
		stored += float64(g.StoredBytes)
		if g.LastDayIngestedBytes == nil {
			lastDayKnown = false
		} else {
			lastDay += *g.LastDayIngestedBytes
		}
	}
	lastDayTotal := Missing
	if lastDayKnown {
		lastDayTotal = FormatBytes(lastDay)
	}
	sec.tab.footer = table.Row{"total", "", "", FormatBytes(stored), lastDayTotal, ""}
	sec.cfg = ([]table.ColumnConfig{
		{Number: 4, Align: text.AlignRight, AlignFooter: text.AlignRight},
		{Number: 5, Align: text.AlignRight, AlignFooter: text.AlignRight},
	})
	if day := lastDayOf(r); day != "" {
		sec.notes = append(sec.notes, "last day = "+day+" (UTC), the last whole day before the evaluation time; sizes in decimal units (1 MB = 10^6 bytes)")
	}
	sec.drop = []string{"daily ingestion", "class", "last day"}
	return sec
}

func lastDayOf(r *Report) string {
	for _, g := range r.Inventory.LogGroups {
		if g.LastDay != nil {
			return FormatDay(*g.LastDay)
		}
	}
	return ""
}

func serviceTable(r *Report) section {
	sec := section{title: fmt.Sprintf("ECS services (%d)", len(r.Inventory.Services))}
	if len(r.Inventory.Services) == 0 {
		sec.empty = "none"
		return sec
	}
	sec.tab.header = table.Row{"service", "size", "capacity", "arch", "running/desired", "cpu avg", "cpu max", "mem avg", "mem max"}
	sec.tab.body = rowsOf(r.Inventory.Services, func(s *Service) table.Row {
		return table.Row{s.ID(), FormatTaskSize(s.CPUUnits, s.MemoryMiB), s.Capacity, s.Architecture,
			fmt.Sprintf("%d/%d", s.RunningCount, s.DesiredCount),
			FormatPercent(s.CPUAvgPercent), FormatPercent(s.CPUMaxPercent),
			FormatPercent(s.MemoryAvgPercent), FormatPercent(s.MemoryMaxPercent)}
	})
	cfg := []table.ColumnConfig{{Number: 5, Align: text.AlignRight}}
	for n := 6; n <= 9; n++ {
		cfg = append(cfg, table.ColumnConfig{Number: n, Align: text.AlignRight})
	}
	sec.cfg = (cfg)
	sec.drop = []string{"mem max", "cpu max", "arch", "mem avg", "capacity", "size"}
	return sec
}

func findingTable(r *Report, p palette) section {
	sec := section{title: fmt.Sprintf("Findings (%d)", len(r.Findings))}
	if len(r.Findings) == 0 {
		sec.empty = "none"
		return sec
	}
	// A run compared with the previous one (--state, the Lambda function)
	// says of each finding whether it is new: what a cron mail is about.
	labelled := r.Resolved != nil || slices.ContainsFunc(r.Findings, func(f cwlens.Finding) bool { return f.Status != "" })
	header := table.Row{"severity", "kind", "subject", "since", "summary", "$/month", "evidence"}
	if labelled {
		header = append(table.Row{"status"}, header...)
	}
	sec.tab.header = header
	sec.tab.body = rowsOf(r.Findings, func(f *cwlens.Finding) table.Row {
		var spark string
		if f.Evidence.Series != nil {
			spark = Sparkline(f.Evidence.Series.Values, evidenceWidth)
		}
		row := table.Row{p.severity[f.Severity].Sprint(f.Severity.String()), string(f.Kind), f.Subject,
			FormatTime(f.Start), f.Summary, findingCost(*f), spark}
		if labelled {
			row = append(table.Row{statusLabel(*f)}, row...)
		}
		return row
	})
	shift := 0
	if labelled {
		shift = 1
	}
	sec.cfg = ([]table.ColumnConfig{
		{Number: 5 + shift, WidthMax: summaryWidth, WidthMaxEnforcer: text.WrapSoft},
		{Number: 6 + shift, Align: text.AlignRight},
	})
	for _, f := range r.Findings {
		sec.notes = append(sec.notes, templateNotes(f)...)
	}
	sec.drop = []string{"evidence", "kind", "since"}
	return sec
}

// statusLabel is a finding's label against the previous run: NEW stands
// out, as it is what an alert is about.
func statusLabel(f cwlens.Finding) string {
	switch f.Status {
	case cwlens.StatusNew:
		return "NEW"
	case "":
		return Missing
	}
	return string(f.Status)
}

// resolvedTable lists the previous run's findings this run no longer sees;
// nil when no previous run was compared.
func resolvedTable(r *Report) *section {
	if r.Resolved == nil {
		return nil
	}
	sec := section{title: fmt.Sprintf("Resolved since the last run (%d)", len(r.Resolved))}
	if len(r.Resolved) == 0 {
		sec.empty = "none"
		return &sec
	}
	sec.tab.header = table.Row{"status", "severity", "kind", "subject", "first seen", "summary"}
	sec.tab.body = rowsOf(r.Resolved, func(f *cwlens.Finding) table.Row {
		first := Missing
		if f.FirstSeen != nil {
			first = FormatTime(*f.FirstSeen)
		}
		return table.Row{string(cwlens.StatusResolved), f.Severity.String(), string(f.Kind), f.Subject, first, f.Summary}
	})
	sec.cfg = ([]table.ColumnConfig{{Number: 6, WidthMax: summaryWidth, WidthMaxEnforcer: text.WrapSoft}})
	sec.drop = []string{"first seen", "kind"}
	return &sec
}

// pastEpisodeTable lists the episodes that are history: over before the
// findings' lookback, with what they cost once.
func pastEpisodeTable(r *Report) section {
	sec := section{title: fmt.Sprintf("Past episodes (%d)", len(r.PastEpisodes))}
	sec.tab.header = table.Row{"subject", "kind", "start", "end", "peak", "above baseline", "cost"}
	sec.tab.body = rowsOf(r.PastEpisodes, func(e *cwlens.PastEpisode) table.Row {
		return table.Row{pastSubject(*e), string(e.Kind), FormatTime(e.Start), FormatTime(e.End), PastPeak(*e),
			formatValue(e.Extra, e.Unit), pastCost(*e)}
	})
	sec.cfg = ([]table.ColumnConfig{
		{Number: 5, Align: text.AlignRight}, {Number: 6, Align: text.AlignRight}, {Number: 7, Align: text.AlignRight},
	})
	sec.notes = append(sec.notes, PastEpisodesNote)
	sec.drop = []string{"above baseline", "peak"}
	return sec
}

// pastSubject names a past episode's log group, with its filter when it
// has one: "/ecs/app [errors]".
func pastSubject(e cwlens.PastEpisode) string {
	if e.Filter != "" {
		return e.Subject + " [" + e.Filter + "]"
	}
	return e.Subject
}

// pastCost shows what a past episode cost: "—" for an error surge, which
// has no cost of its own, "unknown" for bytes without a price.
func pastCost(e cwlens.PastEpisode) string {
	if e.Unit != cwlens.UnitBytes {
		return Missing
	}
	return FormatUSDPtr(e.CostUSD)
}

// PastEpisodesNote says what the past episodes are, under their table in
// every human view.
const PastEpisodesNote = "past episodes started before the findings' last 7 days and were over by the evaluation time; cost = the bytes above the baseline at the ingestion price, once (an error surge's lines are in its group's ingestion)"

// PastPeak writes a past episode's peak with its rate: "300.0 MB/day on
// 2025-10-17".
func PastPeak(e cwlens.PastEpisode) string {
	per := "/day"
	if e.PeriodSeconds == 3600 {
		per = "/h"
	}
	return formatValue(e.Peak, e.Unit) + per + " on " + FormatTime(e.PeakAt)
}

// tableTemplates is how many of a finding's templates the table view
// lists; the JSON carries them all.
const tableTemplates = 3

// templateNotes lists under the findings table the log templates that
// hold most of a flood's sampled bytes: which lines to quieten.
func templateNotes(f cwlens.Finding) []string {
	if len(f.Templates) == 0 {
		return nil
	}
	// A growth of 0 means "new" only when the sample had a baseline, which
	// some template's growth shows.
	baseline := false
	for _, t := range f.Templates {
		baseline = baseline || t.GrowthRate > 0
	}
	notes := []string{fmt.Sprintf("%s %s: the sampled lines since %s are mostly", f.Kind, f.Subject, FormatTime(f.Start))}
	for _, t := range f.Templates[:min(len(f.Templates), tableTemplates)] {
		share := t.ByteShare * 100
		n := fmt.Sprintf("· %.1f %% of the bytes: %s", share, codeSpan(t.Template))
		switch {
		case t.GrowthRate > 0:
			n += fmt.Sprintf(" (%.3g× its share before)", t.GrowthRate)
		case baseline:
			n += " (new)"
		}
		notes = append(notes, n)
	}
	return notes
}

// findingCost shows a finding's monthly cost: "—" when the finding has no
// usage to price, "unknown" when it has one but no price yet.
func findingCost(f cwlens.Finding) string {
	if f.MonthlyCostUSD == nil && f.Impact == nil {
		return Missing
	}
	return FormatUSDPtr(f.MonthlyCostUSD)
}

func projectionTable(p *Projection) section {
	sec := section{title: fmt.Sprintf("Monthly cost projection (%s, prices as of %s, %d h/month)",
		p.Region, FormatDay(p.PricesAsOf), p.HoursPerMonth)}
	sec.tab.header = table.Row{"subject", "component", "usage type", "quantity × price", "current", "proposed", "delta"}
	// A subject is named once, on its first row; a note is marked [n]
	// beside its row and written under the table. The notes are gathered
	// here, the rows made as the table is drawn.
	var notes []string
	summed := false
	for row := range projectionRowSeq(p) {
		for _, n := range row.Notes {
			notes = append(notes, "["+itoa(len(notes)+1)+"] "+row.Subject+" · "+n)
		}
		summed = summed || row.Lines > 1
	}
	sec.tab.body = func(yield func(table.Row) bool) {
		prev, noted := "", 0
		for row := range projectionRowSeq(p) {
			subj := row.Subject
			if subj == prev {
				subj = ""
			}
			prev = row.Subject
			comp := row.Component
			for range row.Notes {
				noted++
				comp += " [" + itoa(noted) + "]"
			}
			if !yield(table.Row{subj, comp, row.usageCell(), row.quantityCell(),
				FormatUSD(row.Current), FormatUSD(row.Proposed), FormatDeltaUSD(row.Delta)}) {
				return
			}
		}
	}
	if summed {
		notes = append([]string{"a subject's lines without a change are summed in one row; --format csv or json lists every line"}, notes...)
	}
	sec.tab.footer = table.Row{"total", "", "", "", p.TotalUSD(p.CurrentMonthly), p.TotalUSD(p.ProposedMonthly), p.TotalDeltaUSD(p.DeltaMonthly)}
	right := []table.ColumnConfig{{Number: 2, WidthMax: componentWidth, WidthMaxEnforcer: text.WrapSoft},
		{Number: 3, WidthMax: usageWidth, WidthMaxEnforcer: text.WrapSoft}, {Number: 4, Align: text.AlignRight}}
	for n := 5; n <= 7; n++ {
		right = append(right, table.ColumnConfig{Number: n, Align: text.AlignRight, AlignFooter: text.AlignRight})
	}
	sec.cfg = (right)
	sec.drop = []string{"quantity × price", "proposed"}
	if p.NowBasis() != "" {
		sec.notes = append(sec.notes, nowSentence(p))
	}
	if !p.CurrentYearly.IsZero() || !p.ProposedYearly.IsZero() {
		sec.notes = append(sec.notes, "yearly (12 × monthly): "+p.TotalUSD(p.CurrentYearly)+" now, "+p.TotalUSD(p.ProposedYearly)+" proposed, "+p.TotalDeltaUSD(p.DeltaYearly))
	}
	sec.notes = append(sec.notes, notes...)
	for _, tr := range p.Trajectories {
		months := make([]string, len(tr.Monthly))
		for i, m := range tr.Monthly {
			months[i] = FormatUSD(m)
		}
		sec.notes = append(sec.notes, "trajectory: "+tr.Subject+" · "+tr.Component+" by month until it settles: "+strings.Join(months, ", "))
	}
	for _, rc := range p.Rejected {
		n := "rejected: " + rc.Subject + ": " + rc.Change + ": " + rc.Reason
		if rc.Alternative != "" {
			n += "; instead: " + rc.Alternative
			if rc.AlternativeMonthly != nil {
				n += " (" + FormatUSD(*rc.AlternativeMonthly) + "/month)"
			}
		}
		sec.notes = append(sec.notes, n)
	}
	if !p.Complete() {
		sec.notes = append(sec.notes, "the totals leave out "+unknownLines(len(p.Unknown))+" whose price is unknown; they are not $0:")
	}
	for _, u := range p.Unknown {
		sec.notes = append(sec.notes, "unknown price: "+u.Subject+" "+u.UsageType+": "+u.Reason+" (not in the totals)")
	}
	for _, a := range p.Assumptions {
		sec.notes = append(sec.notes, "assumption: "+a)
	}
	return sec
}

// decimalOrEmpty writes an exact decimal for machine formats, or "" when nil.
func decimalOrEmpty(d *decimal.Decimal) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// quantityTimesPrice shows how a line's figure was computed, e.g.
// "1460 vCPU-Hours × $0.04048".
func quantityTimesPrice(q decimal.Decimal, unit string, price decimal.Decimal) string {
	return q.Round(4).String() + " " + unit + " × $" + price.String()
}
