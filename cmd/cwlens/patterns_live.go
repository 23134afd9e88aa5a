package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/cwlens/cwlens/ingest"
	"github.com/cwlens/cwlens/logtemplate"
	"github.com/cwlens/cwlens/pricing"
	"github.com/cwlens/cwlens/report"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"
)

// liveFlags are the flags of patterns that read a log group from AWS.
type liveFlags struct {
	group                        string
	since, until                 string
	baselineSince, baselineUntil string
	sample                       int
	insights                     bool
	maxScanGB                    float64
	aws                          scanFlags // profile, region, endpoint
}

func (f *liveFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.group, "log-group", "", "mine a sample of the CloudWatch Logs `GROUP`")
	fs.StringVar(&f.since, "since", "", "start `TIME` of the window to mine, RFC 3339 or YYYY-MM-DD (default: 1 h before --until)")
	fs.StringVar(&f.until, "until", "", "end `TIME` of the window to mine (default: now)")
	fs.StringVar(&f.baselineSince, "baseline-since", "", "start `TIME` of a baseline window to compare with")
	fs.StringVar(&f.baselineUntil, "baseline-until", "", "end `TIME` of the baseline window (default: --since)")
	fs.IntVar(&f.sample, "sample", ingest.DefaultSampleEvents, "read at most `N` events per window, spread over it")
	fs.BoolVar(&f.insights, "insights", false, "run a Logs Insights pattern query server-side instead of sampling (billed per GB scanned)")
	fs.Float64Var(&f.maxScanGB, "max-scan-gb", 10, "refuse an Insights query estimated to scan more than `GB` (10^9 bytes)")
	fs.StringVar(&f.aws.profile, "profile", "", "AWS shared config `PROFILE` (default: AWS_PROFILE or default)")
	fs.StringVar(&f.aws.region, "region", "", "AWS `REGION` (default: AWS_REGION or the profile's)")
	fs.StringVar(&f.aws.endpoint, "endpoint-url", "", "send every AWS call to `URL` (e.g. a cwlens-emulator)")
}

// offline reports live-only flags given with --lines.
func (f *liveFlags) offline() error {
	if f.since != "" || f.until != "" || f.baselineSince != "" || f.baselineUntil != "" || f.insights {
		return usagef("--since, --until, --baseline-since, --baseline-until and --insights go with --log-group")
	}
	return nil
}

// liveWindows are the parsed windows of a live run.
type liveWindows struct {
	since, until                 time.Time
	baselineSince, baselineUntil time.Time // zero without a baseline
}

func (f *liveFlags) windows(now time.Time) (liveWindows, error) {
	var w liveWindows
	var err error
	w.until = now.UTC().Truncate(time.Second)
	if f.until != "" {
		if w.until, err = parseTime(f.until); err != nil {
			return w, usagef("--until: %w", err)
		}
	}
	w.since = w.until.Add(-time.Hour)
	if f.since != "" {
		if w.since, err = parseTime(f.since); err != nil {
			return w, usagef("--since: %w", err)
		}
	}
	if !w.since.Before(w.until) {
		return w, usagef("--since %s is not before --until %s", w.since.Format(time.RFC3339), w.until.Format(time.RFC3339))
	}
	if f.baselineSince == "" {
		if f.baselineUntil != "" {
			return w, usagef("--baseline-until needs --baseline-since")
		}
		return w, nil
	}
	if w.baselineSince, err = parseTime(f.baselineSince); err != nil {
		return w, usagef("--baseline-since: %w", err)
	}
	w.baselineUntil = w.since
	if f.baselineUntil != "" {
		if w.baselineUntil, err = parseTime(f.baselineUntil); err != nil {
			return w, usagef("--baseline-until: %w", err)
		}
	}
	if !w.baselineSince.Before(w.baselineUntil) {
		return w, usagef("--baseline-since %s is not before --baseline-until %s", w.baselineSince.Format(time.RFC3339), w.baselineUntil.Format(time.RFC3339))
	}
	return w, nil
}

func runPatternsLive(ctx context.Context, stdout, stderr io.Writer, f *patternsFlags) error {
	lf := &f.live
	if f.format == "loghub" {
		return usagef("--format loghub scores a file: use it with --lines")
	}
	if lf.sample < 1 {
		return usagef("--sample %d: want at least 1", lf.sample)
	}
	if lf.insights && lf.baselineSince != "" {
		return usagef("--insights runs one query: leave out --baseline-since")
	}
	if !(lf.maxScanGB > 0) {
		return usagef("--max-scan-gb %v: want a positive number", lf.maxScanGB)
	}
	w, err := lf.windows(time.Now())
	if err != nil {
		return err
	}
	cfg, err := lf.aws.awsConfig(ctx)
	if err != nil {
		return err
	}
	ev := ingest.NewEvents(cfg, ingest.Options{Region: cfg.Region})
	if lf.insights {
		return runInsights(ctx, stdout, stderr, f, ev, cfg.Region, w)
	}
	return runSample(ctx, stdout, f, ev, cfg.Region, w)
}

// notFound turns a missing log group into a usage error (exit 2).
func notFound(err error) error {
	if errors.Is(err, ingest.ErrLogGroupNotFound) {
		return usageErr(err)
	}
	return err
}

// hoursPerMonth is the month cwlens prices with (730 h, AWS Fargate pricing: https://aws.amazon.com/fargate/pricing/).
const hoursPerMonth = 730

// windowScale turns a sample's message bytes into window bytes: the
// group's AWS/Logs IncomingBytes over the window when CloudWatch has it,
// else the sample's own extrapolation.
type windowScale struct {
	sampleBytes float64
	windowBytes float64
	hours       float64
	source      string
}

func scaleOf(ctx context.Context, ev *ingest.Events, s *ingest.Sample) (windowScale, error) {
	sc := windowScale{hours: s.End.Sub(s.Start).Hours()}
	for _, e := range s.Events {
		sc.sampleBytes += float64(len(e.Message))
	}
	inc, ok, err := ev.IncomingBytes(ctx, s.Group, s.Start, s.End)
	switch {
	case err != nil:
		return sc, err
	case ok && inc > 0:
		sc.windowBytes, sc.source = inc, "AWS/Logs IncomingBytes over the window's whole hours"
	default:
		sc.windowBytes, sc.source = s.EstimatedBytes(), "extrapolated from the sample"
	}
	return sc, nil
}

// perMonth converts sample bytes into bytes per month at the window's rate.
func (sc windowScale) perMonth(sampleBytes float64) float64 {
	if sc.sampleBytes == 0 || sc.hours == 0 {
		return 0
	}
	return sampleBytes * sc.windowBytes / sc.sampleBytes / sc.hours * hoursPerMonth
}

func runSample(ctx context.Context, stdout io.Writer, f *patternsFlags, ev *ingest.Events, region string, w liveWindows) error {
	lf := &f.live
	cur, err := ev.Sample(ctx, ingest.SampleOptions{Group: lf.group, Start: w.since, End: w.until, MaxEvents: lf.sample})
	if err != nil {
		return notFound(err)
	}
	m, err := logtemplate.New(logtemplate.DefaultConfig())
	if err != nil {
		return err
	}
	var base *ingest.Sample
	if !w.baselineSince.IsZero() {
		if base, err = ev.Sample(ctx, ingest.SampleOptions{Group: lf.group, Start: w.baselineSince, End: w.baselineUntil, MaxEvents: lf.sample}); err != nil {
			return notFound(err)
		}
		for _, e := range base.Events {
			m.AddTo(logtemplate.Baseline, e.Message)
		}
	}
	for _, e := range cur.Events {
		m.Add(e.Message)
	}
	curScale, err := scaleOf(ctx, ev, cur)
	if err != nil {
		return err
	}
	price, priceErr := pricing.Default().Lookup(region, pricing.UsageLogsIngestion)
	cost := func(sampleBytes float64) string {
		if priceErr != nil {
			return "unknown"
		}
		gb := decimal.NewFromFloat(curScale.perMonth(sampleBytes)).Div(pricing.GB)
		return report.FormatUSD(gb.Mul(price.USD))
	}
	view := patternsView{
		Source: fmt.Sprintf("%s %s – %s", lf.group, report.FormatTime(w.since), report.FormatTime(w.until)),
		Result: m.Result(),
		Cost:   cost,
	}
	var notes []string
	notes = append(notes, sampleNote(cur, curScale))
	if base != nil {
		baseScale, err := scaleOf(ctx, ev, base)
		if err != nil {
			return err
		}
		view.Baseline = fmt.Sprintf("%s – %s", report.FormatTime(w.baselineSince), report.FormatTime(w.baselineUntil))
		// Compare rates: baseline sample bytes → baseline window bytes per
		// hour → current window → current sample bytes.
		if baseScale.sampleBytes > 0 && curScale.windowBytes > 0 {
			view.Scale = baseScale.windowBytes / baseScale.sampleBytes / baseScale.hours * curScale.hours * curScale.sampleBytes / curScale.windowBytes
		}
		notes = append(notes, "baseline "+sampleNote(base, baseScale))
	}
	if priceErr != nil {
		notes = append(notes, fmt.Sprintf("cost unknown: %v", priceErr))
	} else {
		notes = append(notes, fmt.Sprintf("cost per month at the window's rate × %d h, Standard class ingestion %s/GB (%s, %s, price of %s; GB = 10^9 bytes)",
			hoursPerMonth, unitPrice(price.USD), price.UsageType, region, report.FormatDay(price.Effective)))
	}
	view.Note = strings.Join(notes, "\n")
	return writeOutput(stdout, f.out, func(out io.Writer) error {
		return view.write(out, f.format, f.top, useColor(out))
	})
}

// usd writes an amount in dollars and cents, or "< $0.01" for a positive
// amount that rounds to nothing: an Insights query of a few MB.
func usd(d decimal.Decimal) string {
	if d.IsPositive() && d.Round(2).IsZero() {
		return "< $0.01"
	}
	return report.FormatUSD(d)
}

// unitPrice writes a unit price with at least two decimals and all it has:
// $0.50, $0.005.
func unitPrice(d decimal.Decimal) string {
	if d.Exponent() >= -2 {
		return "$" + d.StringFixed(2)
	}
	return "$" + d.String()
}

func sampleNote(s *ingest.Sample, sc windowScale) string {
	how := "every event of the window"
	if !s.Complete() {
		how = fmt.Sprintf("a sample spread over %d slices of the window", len(s.Slices))
	}
	return fmt.Sprintf("sample: %s events (%s), %s calls of logs:FilterLogEvents; window volume %s (%s)",
		groupDigits(int64(len(s.Events))), how, groupDigits(int64(s.Calls)), report.FormatBytes(sc.windowBytes), sc.source)
}

// insightsPoll is how often GetQueryResults is asked while a query runs;
// its quota is 10 per second, and a pattern query takes seconds.
const insightsPoll = time.Second

func runInsights(ctx context.Context, stdout, stderr io.Writer, f *patternsFlags, ev *ingest.Events, region string, w liveWindows) error {
	lf := &f.live
	price, priceErr := pricing.Default().Lookup(region, pricing.UsageInsightsScanned)
	// Insights scans every event of the group in the window: its ingested
	// bytes are the estimate.
	est, ok, err := ev.IncomingBytes(ctx, lf.group, w.since, w.until)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("cannot estimate the scan of %s: CloudWatch has no IncomingBytes for the window; refusing to run an Insights query of unknown cost (sample instead: leave out --insights)", lf.group)
	}
	gb := decimal.NewFromFloat(est).Div(pricing.GB)
	costText := "unknown"
	if priceErr == nil {
		costText = usd(gb.Mul(price.USD)) + " at " + unitPrice(price.USD) + "/GB (" + price.UsageType + ")"
	}
	fmt.Fprintf(stderr, "cwlens: Logs Insights would scan about %s of %s (IncomingBytes over the window's hours): %s\n",
		report.FormatBytes(est), lf.group, costText)
	if est > lf.maxScanGB*1e9 {
		return usagef("refusing: the estimated scan of %s exceeds --max-scan-gb %v", report.FormatBytes(est), lf.maxScanGB)
	}
	res, err := ev.Patterns(ctx, lf.group, w.since, w.until, insightsPoll)
	if err != nil {
		return notFound(err)
	}
	scanned := "unknown"
	if priceErr == nil {
		scanned = usd(decimal.NewFromFloat(res.BytesScanned).Div(pricing.GB).Mul(price.USD))
	}
	iv := insightsView{Group: lf.group, Since: w.since, Until: w.until, Result: res, Cost: scanned}
	return writeOutput(stdout, f.out, func(out io.Writer) error { return iv.write(out, f.format, f.top, useColor(out)) })
}

// insightsView prints the patterns Logs Insights found.
type insightsView struct {
	Group        string
	Since, Until time.Time
	Result       *ingest.PatternResult
	Cost         string
}

func (v insightsView) write(w io.Writer, format string, top int, color bool) error {
	rows := v.Result.Rows
	switch format {
	case "json":
		type row struct {
			Pattern  string  `json:"pattern"`
			Events   int64   `json:"events"`
			Ratio    float64 `json:"ratio"`
			Severity string  `json:"severity,omitempty"`
		}
		doc := struct {
			Group        string  `json:"log_group"`
			Since        string  `json:"since"`
			Until        string  `json:"until"`
			BytesScanned float64 `json:"bytes_scanned"`
			Cost         string  `json:"scan_cost"`
			Patterns     []row   `json:"patterns"`
		}{Group: v.Group, Since: v.Since.Format(time.RFC3339), Until: v.Until.Format(time.RFC3339), BytesScanned: v.Result.BytesScanned, Cost: v.Cost, Patterns: []row{}}
		for _, r := range rows {
			doc.Patterns = append(doc.Patterns, row{r.Pattern, r.Count, r.Ratio, r.Severity})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(doc)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"events", "ratio", "severity", "pattern"})
		for _, r := range rows {
			cw.Write([]string{strconv.FormatInt(r.Count, 10), strconv.FormatFloat(r.Ratio, 'f', -1, 64), r.Severity, r.Pattern})
		}
		cw.Flush()
		return cw.Error()
	}
	bold := text.Colors{}
	if color {
		bold = text.Colors{text.Bold}
	}
	var b strings.Builder
	b.WriteString(bold.Sprintf("Logs Insights patterns of %s %s – %s", v.Group, report.FormatTime(v.Since), report.FormatTime(v.Until)) + "\n")
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	t.Style().Color.Header = bold
	t.AppendHeader(table.Row{"#", "events", "share", "severity", "pattern"})
	shown := rows
	if top > 0 && len(shown) > top {
		shown = shown[:top]
	}
	for i, r := range shown {
		t.AppendRow(table.Row{i + 1, groupDigits(r.Count), percent(r.Ratio), r.Severity, r.Pattern})
	}
	t.SetColumnConfigs([]table.ColumnConfig{
		{Number: 1, Align: text.AlignRight}, {Number: 2, Align: text.AlignRight, AlignHeader: text.AlignRight},
		{Number: 3, Align: text.AlignRight, AlignHeader: text.AlignRight},
		{Number: 5, WidthMax: templateWidth, WidthMaxEnforcer: text.WrapSoft},
	})
	if len(rows) == 0 {
		b.WriteString("no events in the window\n")
	} else {
		b.WriteString(t.Render() + "\n")
	}
	if len(shown) < len(rows) {
		fmt.Fprintf(&b, "… %d more patterns (--top 0 shows all)\n", len(rows)-len(shown))
	}
	fmt.Fprintf(&b, "scanned %s (%s records): %s\n", report.FormatBytes(v.Result.BytesScanned), groupDigits(int64(v.Result.RecordsScanned)), v.Cost)
	_, err := io.WriteString(w, b.String())
	return err
}
