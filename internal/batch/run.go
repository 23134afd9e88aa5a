package batch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/emf"
	"github.com/cwlens/cwlens/internal/runstate"
	"github.com/shopspring/decimal"
)

// region is one region's part of a run.
type region struct {
	name     string
	snap     *cwlens.Snapshot
	apiCalls int
	findings []cwlens.Finding
	proj     *cwlens.Projection
	past     []cwlens.PastEpisode
	labels   runstate.Result
	// prevOK is false when the previous report could not be read: labels
	// are then against nothing, and the run does not alert on them.
	prevOK bool
	keys   reportKeys
}

// Run performs one scheduled run. It returns an error only when the run's
// output could not be written (reports or alert) or its configuration is
// bad; a partial scan, a deadline or a panic in a phase give a partial
// report and a normal return, with Result.Status saying so.
func (r *Runner) Run(ctx context.Context, inv Invocation) (res Result, err error) {
	start := r.now()
	cfg := inv.Config
	until := inv.At.UTC().Truncate(time.Hour)
	res = Result{Status: "ok", At: until, DryRun: cfg.DryRun}
	log := r.log()

	var regions []*region
	var scanTook time.Duration
	runErrors := 0
	fail := func(what string, e error) {
		runErrors++
		res.Errors = append(res.Errors, what+": "+e.Error())
		var pe *PanicError
		if errors.As(e, &pe) {
			log.Error(what, "panic", fmt.Sprint(pe.Value), "stack", string(pe.Stack))
		} else {
			log.Error(what, "err", e)
		}
	}
	// Whatever happens below, the run reports on itself.
	defer func() {
		if p := recover(); p != nil {
			fail("run", &PanicError{Phase: "run", Value: p})
			err = fmt.Errorf("run panicked: %v", p)
		}
		if runErrors > 0 && res.Status == "ok" {
			res.Status = "error"
		}
		res.Duration = r.now().Sub(start).Round(time.Millisecond).String()
		r.emitMetrics(res, regions, scanTook, runErrors, start)
	}()

	scenario, scenarioName, err := r.loadScenario(ctx, cfg)
	if err != nil {
		return res, err
	}

	// Scan, with the deadline's safety margin.
	scanStart := r.now()
	deadline, hasDeadline := ctx.Deadline()
	stopAt := time.Time{}
	if hasDeadline {
		stopAt = scanDeadline(r.now(), deadline)
	}
	for _, name := range cfg.Regions {
		rg := &region{name: name}
		regions = append(regions, rg)
		req := ScanRequest{Region: name, Until: until, Days: cfg.LookbackDays, LogGroupPrefix: cfg.LogGroupPrefix, Clusters: cfg.Clusters,
			SampleEvents: cfg.SampleEvents, Bill: cfg.Bill}
		if hasDeadline && !r.now().Before(stopAt) {
			reason := fmt.Sprintf("not scanned: the run stopped scanning %s before its deadline", deadline.Sub(stopAt).Round(time.Second))
			rg.snap = emptySnapshot(req, reason)
			res.Skipped = append(res.Skipped, name+": "+reason)
			continue
		}
		scanCtx, cancel := context.WithCancel(ctx)
		if hasDeadline {
			scanCtx, cancel = context.WithDeadline(ctx, stopAt)
		}
		var sr ScanResult
		scanErr := safely("scan "+name, func() (e error) { sr, e = r.Scanner.Scan(scanCtx, req); return e })
		stopped := errors.Is(scanCtx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		rg.snap, rg.apiCalls = sr.Snapshot, sr.APICalls
		res.APICalls += sr.APICalls
		switch {
		case rg.snap == nil && scanErr == nil:
			scanErr = errors.New("the scanner returned no snapshot")
			fallthrough
		case rg.snap == nil:
			rg.snap = emptySnapshot(req, "scan failed: "+scanErr.Error())
		case scanErr != nil && !stopped && !hasGapFor(rg.snap, scanErr):
			rg.snap.Gaps = append(rg.snap.Gaps, cwlens.Gap{API: "cwlens:scan", Resource: "*", Reason: scanErr.Error()})
		}
		var pe *PanicError
		if errors.As(scanErr, &pe) {
			fail("scan "+name, scanErr)
		}
		if stopped {
			reason := fmt.Sprintf("scan stopped %s before the deadline, to leave time for the report; what it had not read is missing",
				deadline.Sub(stopAt).Round(time.Second))
			rg.snap.Gaps = append(rg.snap.Gaps, cwlens.Gap{API: "cwlens:scan", Resource: "*", Reason: reason})
			res.Skipped = append(res.Skipped, name+": "+reason)
		}
		if rg.snap.Region == "" {
			rg.snap.Region = name
		}
	}

	scanTook = r.now().Sub(scanStart)

	// Analyze and label each region, then write its reports.
	for _, rg := range regions {
		if e := safely("analyze "+rg.name, func() (e error) {
			// Each step reads the snapshot as of the run's hour, into a
			// copy of its own; read once here, they share the copy and the
			// scanned original is collected.
			rg.snap = rg.snap.AsOf(until)
			rg.findings, rg.proj, e = r.Analyze(rg.snap, until, scenarioName, scenario)
			if e == nil {
				rg.past, e = PastEpisodes(rg.snap, until)
			}
			return e
		}); e != nil {
			fail("analyze "+rg.name, e)
			// What the analysis returned before failing (findings without a
			// projection, when only the scenario failed) is still reported.
			rg.snap.Gaps = append(rg.snap.Gaps, cwlens.Gap{API: "cwlens:analyze", Resource: "*", Reason: e.Error()})
		}
		rg.keys = newReportKeys(cfg.ReportPrefix, until, rg.name, len(regions) > 1)
		if inv.keys != nil {
			rg.keys = *inv.keys
		}
		prev, e := r.previous(ctx, cfg, rg)
		rg.prevOK = e == nil
		if e != nil {
			fail("read previous report of "+rg.name, e)
		}
		rg.labels = runstate.Compare(prev, rg.findings, runstate.Options{At: until, NotScanned: runstate.NotScannedIn(rg.snap)})
		res.Findings += len(rg.labels.Findings)
		res.Resolved += len(rg.labels.Resolved)
		for _, f := range rg.labels.Findings {
			if f.Status == cwlens.StatusNew {
				res.New++
			} else {
				res.Ongoing++
			}
		}
		if rg.snap.Partial() && res.Status == "ok" {
			res.Status = "partial"
		}
		if e := r.writeReports(ctx, cfg, rg, &res); e != nil {
			fail("write reports of "+rg.name, e)
			err = errors.Join(err, e)
		}
	}
	if err != nil {
		// Without its report the alert would point at nothing; the run is
		// retried (Lambda retries a failed asynchronous invocation) and,
		// since latest/ was not replaced, will alert then.
		res.Skipped = append(res.Skipped, "alert: not sent, the reports could not be written")
		return res, err
	}

	if e := r.alert(ctx, cfg, regions, &res); e != nil {
		fail("publish alert", e)
		return res, e
	}
	return res, nil
}

// loadScenario reads the scenario (from S3 when it is an s3:// URI) and
// checks it.
func (r *Runner) loadScenario(ctx context.Context, cfg Config) ([]byte, string, error) {
	if cfg.Scenario == "" {
		return nil, "", nil
	}
	name, data := EnvScenario, []byte(cfg.Scenario)
	if strings.HasPrefix(cfg.Scenario, "s3://") {
		bucket, key, err := ParseS3URI(cfg.Scenario)
		if err != nil {
			return nil, "", cwlens.Inputf(EnvScenario, "", cfg.Scenario, "%v", err)
		}
		if r.Store == nil {
			return nil, "", fmt.Errorf("read scenario %s: no S3 client", cfg.Scenario)
		}
		data, err = r.Store.Get(ctx, bucket, key)
		if err != nil {
			return nil, "", fmt.Errorf("read scenario %s: %w", cfg.Scenario, err)
		}
		name = cfg.Scenario
	}
	if r.CheckScenario != nil {
		if err := r.CheckScenario(name, data); err != nil {
			return nil, "", err
		}
	}
	return data, name, nil
}

// previous reads the region's last report from latest/. A missing one is a
// first run.
func (r *Runner) previous(ctx context.Context, cfg Config, rg *region) (*runstate.State, error) {
	if cfg.ReportBucket == "" || r.Store == nil {
		return nil, nil
	}
	key := rg.keys.latest("report.json")
	body, err := r.open(ctx, cfg.ReportBucket, key)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get s3://%s/%s: %w", cfg.ReportBucket, key, err)
	}
	defer body.Close()
	name := "s3://" + cfg.ReportBucket + "/" + key
	st, err := runstate.Decode(name, body)
	if err != nil {
		return nil, err
	}
	// Another account's report under this prefix would label this one's
	// findings ongoing and silence its alerts; without it, all are new.
	if err := st.CheckOwner(rg.snap.AccountID, rg.snap.Region); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return st, nil
}

// open streams an object when the store can (ObjectOpener), else reads it
// whole.
func (r *Runner) open(ctx context.Context, bucket, key string) (io.ReadCloser, error) {
	if o, ok := r.Store.(ObjectOpener); ok {
		return o.Open(ctx, bucket, key)
	}
	b, err := r.Store.Get(ctx, bucket, key)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func hasGapFor(snap *cwlens.Snapshot, err error) bool {
	for _, g := range snap.Gaps {
		if strings.Contains(err.Error(), g.Reason) {
			return true
		}
	}
	return false
}

func emptySnapshot(req ScanRequest, reason string) *cwlens.Snapshot {
	return &cwlens.Snapshot{
		SchemaVersion: cwlens.SchemaVersion,
		Region:        req.Region,
		Window:        cwlens.Window{Start: req.Until.AddDate(0, 0, -req.Days), End: req.Until},
		Gaps:          []cwlens.Gap{{API: "cwlens:scan", Resource: "*", Reason: reason}},
	}
}

// reportKeys lays out a region's objects: PREFIX/YYYY/MM/DD/ and
// PREFIX/latest/, with a region folder under each when the run covers
// several regions.
type reportKeys struct{ dated, latestDir string }

func newReportKeys(prefix string, at time.Time, region string, multi bool) reportKeys {
	sub := ""
	if multi {
		sub = region
	}
	return reportKeys{
		dated:     path.Join(prefix, at.Format("2006/01/02"), sub),
		latestDir: path.Join(prefix, "latest", sub),
	}
}

func (k reportKeys) at(name string) string     { return path.Join(k.dated, name) }
func (k reportKeys) latest(name string) string { return path.Join(k.latestDir, name) }

// writeReports renders the region's reports and writes each to the dated
// folder, then to latest/, report.json last: a run that fails half-way
// leaves the previous latest/report.json, so the next run labels against the
// last complete one.
func (r *Runner) writeReports(ctx context.Context, cfg Config, rg *region, res *Result) error {
	render := r.Render
	if render == nil {
		render = DefaultRender
	}
	var files []File
	if err := safely("render "+rg.name, func() (e error) {
		files, e = render(Region{
			Snapshot: rg.snap, At: res.At, Findings: rg.labels.Findings, Resolved: rg.labels.Resolved,
			Unseen: rg.labels.Unseen, Projection: rg.proj, PastEpisodes: rg.past, Skipped: res.Skipped,
			Scenario: cfg.Scenario != "",
		})
		return e
	}); err != nil {
		return err
	}
	rg.release()
	if cfg.DryRun || cfg.ReportBucket == "" {
		for _, f := range files {
			if f.ContentType != contentMarkdown {
				continue
			}
			var body bytes.Buffer
			if err := safely("render "+rg.name, func() error { return f.Render(&body) }); err != nil {
				return err
			}
			fmt.Fprintf(r.Stdout, "dry run: would write s3://%s/%s:\n%s\n", cfg.ReportBucket, rg.keys.at(f.Name), body.Bytes())
		}
		return nil
	}
	if r.Store == nil {
		return errors.New("no S3 client")
	}
	// report.json goes last, so latest/report.json is the run's last
	// object. Each file is rendered just before it is stored, into the one
	// buffer.
	slices.SortStableFunc(files, func(a, b File) int {
		return boolInt(a.Name == "report.json") - boolInt(b.Name == "report.json")
	})
	var body bytes.Buffer
	for _, f := range files {
		body.Reset()
		if err := safely("render "+rg.name, func() error { return f.Render(&body) }); err != nil {
			return err
		}
		for _, key := range []string{rg.keys.at(f.Name), rg.keys.latest(f.Name)} {
			if err := r.Store.Put(ctx, cfg.ReportBucket, key, body.Bytes(), f.ContentType); err != nil {
				return fmt.Errorf("put s3://%s/%s: %w", cfg.ReportBucket, key, err)
			}
		}
	}
	res.Reports = append(res.Reports, "s3://"+cfg.ReportBucket+"/"+rg.keys.at("report.json"))
	return nil
}

// release lets the collector have the region's snapshot and projection
// lines once its report is built: of a 50,000-group account they are
// hundreds of MB, and what the run still needs of them (account, region,
// gaps, totals) is small.
func (rg *region) release() {
	if s := rg.snap; s != nil {
		rg.snap = &cwlens.Snapshot{SchemaVersion: s.SchemaVersion, AccountID: s.AccountID, AccountName: s.AccountName,
			Region: s.Region, CapturedAt: s.CapturedAt, Window: s.Window, Gaps: s.Gaps}
	}
	if p := rg.proj; p != nil {
		light := *p
		light.Lines = nil
		rg.proj = &light
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// alert publishes the run's one message when there are new findings at or
// above the alert severity, in any region.
func (r *Runner) alert(ctx context.Context, cfg Config, regions []*region, res *Result) error {
	var items []alertItem
	for _, rg := range regions {
		if !rg.prevOK {
			// Everything would look new; an alert storm helps no one.
			if len(runstate.AtLeast(rg.labels.New(), cfg.AlertSeverity)) > 0 {
				res.Skipped = append(res.Skipped, rg.name+": alert not sent, the previous report could not be read")
			}
			continue
		}
		for _, f := range runstate.AtLeast(rg.labels.New(), cfg.AlertSeverity) {
			items = append(items, alertItem{Finding: f, Region: rg.name, Account: rg.snap.AccountID,
				ReportURI: "s3://" + cfg.ReportBucket + "/" + rg.keys.at("report.md")})
		}
	}
	if len(items) == 0 {
		return nil
	}
	subject, body := composeAlert(items, cfg, res)
	if cfg.DryRun || cfg.SNSTopicARN == "" || r.Publisher == nil {
		if cfg.DryRun {
			fmt.Fprintf(r.Stdout, "dry run: would publish to %s\nSubject: %s\n\n%s\n", cfg.SNSTopicARN, subject, body)
		} else {
			res.Skipped = append(res.Skipped, "alert: no SNS topic configured")
		}
		return nil
	}
	id, err := r.Publisher.Publish(ctx, cfg.SNSTopicARN, subject, body)
	if err != nil {
		return fmt.Errorf("publish to %s: %w", cfg.SNSTopicARN, err)
	}
	res.Alerted, res.MessageID = true, id
	return nil
}

// emitMetrics prints the run's EMF lines.
func (r *Runner) emitMetrics(res Result, regions []*region, scanTook time.Duration, runErrors int, start time.Time) {
	if r.Stdout == nil {
		return
	}
	run := emf.Run{
		Namespace:    r.Namespace,
		Time:         start,
		BySeverity:   map[cwlens.Severity]int{},
		New:          res.New,
		Resolved:     res.Resolved,
		ScanDuration: scanTook,
		APICalls:     res.APICalls,
		Partial:      res.Status == "partial",
		Errors:       runErrors,
		Properties:   map[string]any{"status": res.Status, "at": res.At.Format(time.RFC3339)},
	}
	if len(res.Reports) > 0 {
		run.Properties["reports"] = res.Reports
	}
	var current, proposed *decimal.Decimal
	for _, rg := range regions {
		if run.Account == "" && rg.snap != nil {
			run.Account = rg.snap.AccountID
		}
		for _, f := range rg.labels.Findings {
			run.BySeverity[f.Severity]++
		}
		if rg.proj != nil {
			current = addDec(current, rg.proj.CurrentMonthly)
			proposed = addDec(proposed, rg.proj.ProposedMonthly)
		}
	}
	run.ProjectedMonthlyUSD, run.ProposedMonthlyUSD = current, proposed
	if err := emf.Write(r.Stdout, run.Lines()...); err != nil {
		r.log().Error("emit metrics", "err", err)
	}
}

func addDec(sum *decimal.Decimal, d decimal.Decimal) *decimal.Decimal {
	if sum == nil {
		return &d
	}
	s := sum.Add(d)
	return &s
}
