package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/logtemplate"
	"github.com/cwlens/cwlens/report"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/spf13/cobra"
)

// patternsFlags are the flags of the patterns command.
type patternsFlags struct {
	lines         string
	baselineLines string
	format        string
	out           string
	top           int
	live          liveFlags
}

// patternFormats are the output formats of patterns; loghub is one row per
// input line, for scoring against labelled data.
var patternFormats = []string{"table", "json", "csv", "loghub"}

func newPatternsCmd(stdout, stderr io.Writer) *cobra.Command {
	var f patternsFlags
	cmd := &cobra.Command{
		Use:   "patterns (--lines FILE | --log-group GROUP)",
		Short: "Mine log lines into templates and show which ones carry the bytes",
		Long: `patterns groups log messages into templates — their constant text with
variables written as <*> — and counts the events and bytes of each, so that a
flood can be traced to the lines behind it.

--lines FILE reads one message per line; a line that is an exported CloudWatch
event (a JSON object with a string "message" beside its timestamp, as the AWS
CLI writes events) gives that field, and the lines of a stack trace (indented,
Caused by:, Traceback, goroutine dumps) join the event before them. With
--baseline-lines FILE it mines both files together and shows the templates
that grew: their bytes now and in the baseline, the growth factor and their
share of the added bytes (the two files are compared as windows of equal
length).

--log-group GROUP reads a sample of the live group instead (at most --sample
events from --since to --until, logs:FilterLogEvents) and prices each
template per month at the window's rate; --baseline-since compares with an
earlier window. --insights runs a Logs Insights pattern query instead
(logs:StartQuery, logs:GetQueryResults), billed per GB scanned: its
estimated cost is shown first, and a query over --max-scan-gb is refused.

--format loghub writes LineId,EventTemplate with one row per input line,
LineId from 1, for scoring with Loghub's tools.`,
		Example: `  cwlens patterns --lines app.log
  cwlens patterns --lines flood.jsonl --baseline-lines last-week.jsonl
  cwlens patterns --lines HDFS.txt --format loghub > HDFS.csv`,
		Args: exactArgs(),
		RunE: func(c *cobra.Command, _ []string) error {
			return runPatterns(c.Context(), stdout, stderr, &f)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.lines, "lines", "", "mine the messages of `FILE`, one per line (plain or JSON with a message field)")
	fs.StringVar(&f.baselineLines, "baseline-lines", "", "compare with the messages of `FILE` and show the templates that grew")
	fs.StringVarP(&f.format, "format", "f", "table", "output `FORMAT`: "+strings.Join(patternFormats, ", "))
	fs.StringVarP(&f.out, "out", "o", "", "write to `FILE` (atomically; - is standard output)")
	fs.IntVar(&f.top, "top", 25, "show the `N` templates with the most bytes in the table (0: all); json and csv list all")
	f.live.register(cmd)
	return cmd
}

func runPatterns(ctx context.Context, stdout, stderr io.Writer, f *patternsFlags) error {
	if !slices.Contains(patternFormats, f.format) {
		return usagef("--format: %q is not one of %s", f.format, strings.Join(patternFormats, ", "))
	}
	if f.top < 0 {
		return usagef("--top: %d is negative", f.top)
	}
	switch {
	case f.lines != "" && f.live.group != "":
		return usagef("give --lines or --log-group, not both")
	case f.live.group != "":
		if f.baselineLines != "" {
			return usagef("--baseline-lines goes with --lines; with --log-group use --baseline-since")
		}
		return runPatternsLive(ctx, stdout, stderr, f)
	case f.lines == "":
		return usagef("give --lines FILE or --log-group GROUP")
	case f.format == "loghub" && f.baselineLines != "":
		return usagef("--format loghub scores one file: leave out --baseline-lines")
	}
	if err := f.live.offline(); err != nil {
		return err
	}
	if err := checkOut(f.out, f.lines, f.baselineLines); err != nil {
		return err
	}

	m, err := logtemplate.New(logtemplate.DefaultConfig())
	if err != nil {
		return err
	}
	if f.baselineLines != "" {
		if err := readLines(f.baselineLines, true, func(_ int, msg string) error {
			m.AddTo(logtemplate.Baseline, msg)
			return nil
		}); err != nil {
			return err
		}
	}
	var ids []logtemplate.ClusterID
	// Loghub's format scores lines, so lines stay lines there; otherwise a
	// stack trace joins the event it belongs to.
	if err := readLines(f.lines, f.format != "loghub", func(_ int, msg string) error {
		id := m.Add(msg)
		if f.format == "loghub" {
			ids = append(ids, id)
		}
		return ctx.Err()
	}); err != nil {
		return err
	}
	r := m.Result()
	view := patternsView{Source: f.lines, Baseline: f.baselineLines, Result: r}
	return writeOutput(stdout, f.out, func(w io.Writer) error {
		if f.format == "loghub" {
			return writeLoghub(w, f.lines, r, ids)
		}
		return view.write(w, f.format, f.top, useColor(w))
	}, f.lines, f.baselineLines)
}

// readLines feeds fn the messages of path, with their stack traces when
// events is set (logtemplate.ReadEvents); a file that cannot be opened is
// bad input like a bad line.
func readLines(path string, events bool, fn func(int, string) error) error {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return &cwlens.InputError{File: path, Err: err}
	}
	defer f.Close()
	if events {
		return logtemplate.ReadEvents(f, path, fn)
	}
	return logtemplate.ReadMessages(f, path, fn)
}

// writeLoghub writes LineId,EventTemplate for every line of path, reading
// it again: a message's final template is known only once all are mined.
func writeLoghub(w io.Writer, path string, r *logtemplate.Result, ids []logtemplate.ClusterID) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"LineId", "EventTemplate"})
	err := readLines(path, false, func(n int, msg string) error {
		if n > len(ids) {
			return fmt.Errorf("read %s: the file grew while it was mined", path)
		}
		text := ""
		if k := r.Index(ids[n-1], msg); k >= 0 {
			text = r.Templates[k].Text
		} else if ids[n-1] != logtemplate.NoCluster {
			text = r.Mask(msg) // its template was evicted
		}
		return cw.Write([]string{strconv.Itoa(n), text})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// patternsView is what patterns prints, whatever the format.
type patternsView struct {
	Source   string
	Baseline string
	Result   *logtemplate.Result
	// Scale turns Baseline counts into the Current window's terms (see
	// logtemplate.Result.Grown); 0 means 1.
	Scale float64
	// Cost, when set, prices a template's bytes per month (live mode).
	Cost func(bytes float64) string
	// Note is printed under the table (live mode: sampling, scope).
	Note string
}

func (v patternsView) write(w io.Writer, format string, top int, color bool) error {
	switch format {
	case "json":
		return v.writeJSON(w)
	case "csv":
		return v.writeCSV(w)
	}
	return v.writeTable(w, top, color)
}

type patternJSON struct {
	Template   string              `json:"template"`
	Events     int64               `json:"events"`
	Bytes      int64               `json:"bytes"`
	ByteShare  float64             `json:"byte_share"`
	Baseline   *logtemplate.Counts `json:"baseline,omitempty"`
	AddedBytes *float64            `json:"added_bytes,omitempty"`
	AddedShare *float64            `json:"added_share,omitempty"`
	// Growth is bytes now over baseline bytes; null for a new template.
	Growth *float64 `json:"growth,omitempty"`
	New    bool     `json:"new,omitempty"`
	// CostPerMonth prices Bytes (AddedBytes with a baseline) per month.
	CostPerMonth string `json:"cost_per_month,omitempty"`
}

func (v patternsView) rows() []patternJSON {
	r := v.Result
	var out []patternJSON
	if v.Baseline == "" {
		for _, t := range r.Templates {
			p := patternJSON{Template: t.Text, Events: t.Events, Bytes: t.Bytes, ByteShare: ratio(t.Bytes, r.Total.Bytes)}
			if v.Cost != nil {
				p.CostPerMonth = v.Cost(float64(t.Bytes))
			}
			out = append(out, p)
		}
		return out
	}
	scale := v.Scale
	if scale == 0 {
		scale = 1
	}
	for _, g := range r.Grown(scale) {
		p := patternJSON{Template: g.Text, Events: g.Events, Bytes: g.Bytes, ByteShare: g.Share,
			Baseline: &g.Template.Baseline, AddedBytes: &g.Added, AddedShare: &g.AddedShare}
		if g.New {
			p.New = true
		} else {
			p.Growth = &g.Ratio
		}
		if v.Cost != nil {
			p.CostPerMonth = v.Cost(g.Added)
		}
		out = append(out, p)
	}
	return out
}

func ratio(n, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(n) / float64(total)
}

func (v patternsView) writeJSON(w io.Writer) error {
	r := v.Result
	doc := struct {
		Source        string              `json:"source"`
		Baseline      string              `json:"baseline_source,omitempty"`
		Total         logtemplate.Counts  `json:"total"`
		BaselineTotal *logtemplate.Counts `json:"baseline_total,omitempty"`
		Evicted       logtemplate.Evicted `json:"evicted"`
		Templates     []patternJSON       `json:"templates"`
	}{Source: v.Source, Baseline: v.Baseline, Total: r.Total, Evicted: r.Evicted, Templates: v.rows()}
	if v.Baseline != "" {
		doc.BaselineTotal = &r.Baseline
	}
	if doc.Templates == nil {
		doc.Templates = []patternJSON{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // templates are full of <*>
	return enc.Encode(doc)
}

func (v patternsView) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"events", "bytes", "byte_share"}
	if v.Baseline != "" {
		head = append(head, "baseline_events", "baseline_bytes", "added_bytes", "added_share", "growth")
	}
	if v.Cost != nil {
		head = append(head, "cost_per_month")
	}
	cw.Write(append(head, "template"))
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, p := range v.rows() {
		row := []string{strconv.FormatInt(p.Events, 10), strconv.FormatInt(p.Bytes, 10), f(p.ByteShare)}
		if v.Baseline != "" {
			growth := "new"
			if p.Growth != nil {
				growth = f(*p.Growth)
			}
			row = append(row, strconv.FormatInt(p.Baseline.Events, 10), strconv.FormatInt(p.Baseline.Bytes, 10),
				f(*p.AddedBytes), f(*p.AddedShare), growth)
		}
		if v.Cost != nil {
			row = append(row, p.CostPerMonth)
		}
		cw.Write(append(row, p.Template))
	}
	cw.Flush()
	return cw.Error()
}

// templateWidth wraps long templates so the table fits a wide terminal.
const templateWidth = 90

func (v patternsView) writeTable(w io.Writer, top int, color bool) error {
	r := v.Result
	rows := v.rows()
	bold := text.Colors{}
	if color {
		bold = text.Colors{text.Bold}
	}
	var b strings.Builder
	if v.Baseline == "" {
		fmt.Fprintf(&b, "%s\n", bold.Sprintf("Log templates of %s: %s events, %s, %d templates",
			v.Source, groupDigits(r.Total.Events), report.FormatBytes(float64(r.Total.Bytes)), len(r.Templates)))
	} else {
		fmt.Fprintf(&b, "%s\n", bold.Sprintf("Templates that grew in %s against %s", v.Source, v.Baseline))
		how := "compared as windows of equal length"
		if v.Scale != 0 {
			how = "compared at their rates per hour"
		}
		fmt.Fprintf(&b, "now %s events, %s; baseline %s events, %s (%s)\n",
			groupDigits(r.Total.Events), report.FormatBytes(float64(r.Total.Bytes)),
			groupDigits(r.Baseline.Events), report.FormatBytes(float64(r.Baseline.Bytes)), how)
	}
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	t.Style().Color.Header = bold
	t.Style().Options.SeparateRows = false
	if v.Baseline == "" {
		head := table.Row{"#", "events", "bytes", "share"}
		if v.Cost != nil {
			head = append(head, "cost / month")
		}
		t.AppendHeader(append(head, "template"))
	} else {
		head := table.Row{"#", "bytes now", "baseline", "growth", "of new bytes"}
		if v.Cost != nil {
			head = append(head, "added cost / month")
		}
		t.AppendHeader(append(head, "template"))
	}
	shown := rows
	if top > 0 && len(shown) > top {
		shown = shown[:top]
	}
	for i, p := range shown {
		if v.Baseline == "" {
			row := table.Row{i + 1, groupDigits(p.Events), report.FormatBytes(float64(p.Bytes)), percent(p.ByteShare)}
			if v.Cost != nil {
				row = append(row, p.CostPerMonth)
			}
			t.AppendRow(append(row, report.Printable(p.Template)))
			continue
		}
		growth := "new"
		if p.Growth != nil {
			growth = "×" + strconv.FormatFloat(*p.Growth, 'f', 1, 64)
		}
		row := table.Row{i + 1, report.FormatBytes(float64(p.Bytes)), report.FormatBytes(float64(p.Baseline.Bytes)), growth, percent(*p.AddedShare)}
		if v.Cost != nil {
			row = append(row, p.CostPerMonth)
		}
		t.AppendRow(append(row, report.Printable(p.Template)))
	}
	last := 5
	if v.Cost != nil {
		last = 6
	}
	if v.Baseline != "" {
		last++
	}
	cols := []table.ColumnConfig{{Number: last, WidthMax: templateWidth, WidthMaxEnforcer: text.WrapSoft}}
	for n := 1; n < last; n++ {
		cols = append(cols, table.ColumnConfig{Number: n, Align: text.AlignRight, AlignHeader: text.AlignRight})
	}
	t.SetColumnConfigs(cols)
	if len(rows) == 0 {
		if v.Baseline == "" {
			b.WriteString("no messages\n")
		} else {
			b.WriteString("no template grew\n")
		}
	} else {
		b.WriteString(t.Render() + "\n")
	}
	if len(shown) < len(rows) {
		fmt.Fprintf(&b, "… %d more templates (--top 0 shows all)\n", len(rows)-len(shown))
	}
	if r.Evicted.Templates > 0 {
		fmt.Fprintf(&b, "%d rarely used templates were evicted to bound memory: %s events, %s not shown above\n",
			r.Evicted.Templates, groupDigits(r.Evicted.Current.Events), report.FormatBytes(float64(r.Evicted.Current.Bytes)))
	}
	if v.Note != "" {
		b.WriteString(v.Note + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func percent(p float64) string {
	prec := 1
	if p < 0.01 {
		prec = 2
	}
	return strconv.FormatFloat(100*p, 'f', prec, 64) + " %"
}

// groupDigits writes n with thousands separators: 1,234,567.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
