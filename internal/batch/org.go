package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/orgreport"
)

// An organisation-wide run is a Step Functions state machine
// (deploy/org/statemachine.asl.json) whose Task states invoke the function
// with a payload {"org": OrgStep}: one "plan", then one "member" per account
// and Region (a "failed" records a member that failed after its retries), and
// one "merge".
const (
	StepPlan   = "plan"
	StepMember = "member"
	StepFailed = "failed"
	StepMerge  = "merge"
)

// Environment of the organisation function.
const (
	EnvOrgRoleName    = "CWLENS_ORG_ROLE_NAME"
	EnvOrgExternalID  = "CWLENS_ORG_EXTERNAL_ID"
	EnvOrgAccounts    = "CWLENS_ORG_ACCOUNTS"
	EnvOrgConcurrency = "CWLENS_ORG_CONCURRENCY"
)

// DefaultOrgConcurrency bounds how many members are scanned at once. Each
// member's quotas are its own, but the function's concurrency and the
// organisation's Lambda account quota (1,000 by default) are shared.
const DefaultOrgConcurrency = 40

// OrgConfig is the organisation run's setting, beside Config.
type OrgConfig struct {
	// RoleName is the member role the function assumes in each account
	// (created by deploy/org/member-role.yaml); ExternalID is its sts:ExternalId.
	RoleName   string
	ExternalID string
	// Accounts, when set, is the fixed list of accounts to scan; otherwise
	// the plan lists the organisation's active accounts.
	Accounts    []string
	Concurrency int
}

// OrgStep is the payload of one step.
type OrgStep struct {
	Step     string   `json:"step"`
	Run      string   `json:"run,omitempty"`
	Account  string   `json:"account,omitempty"`
	Region   string   `json:"region,omitempty"`
	Accounts []string `json:"accounts,omitempty"`
	Regions  []string `json:"regions,omitempty"`
	// Error is what a Catch caught: {"Error": name, "Cause": message}.
	Error *StepError `json:"error,omitempty"`
	// At is the evaluation time (RFC 3339); default the invocation's time.
	At *time.Time `json:"at,omitempty"`
}

// StepError is the error output of a Step Functions Catch.
type StepError struct {
	Error string `json:"Error"`
	Cause string `json:"Cause"`
}

// Plan is the plan step's output: what the state machine iterates over.
// Every member of the run is evaluated at At, so the organisation's figures
// cover one window.
type Plan struct {
	Run         string    `json:"run"`
	At          time.Time `json:"at"`
	Accounts    []string  `json:"accounts"`
	Regions     []string  `json:"regions"`
	Concurrency int       `json:"concurrency"`
}

// MemberResult is a member step's output (kept small: a Map's results are
// part of the execution's state).
type MemberResult struct {
	Account  string `json:"account"`
	Region   string `json:"region"`
	Status   string `json:"status"`
	Findings int    `json:"findings"`
	New      int    `json:"new"`
	Report   string `json:"report,omitempty"`
}

// MergeResult is the merge step's output.
type MergeResult struct {
	Report   string `json:"report"`
	Members  int    `json:"members"`
	Failed   int    `json:"failed"`
	Complete bool   `json:"complete"`
	Alerted  bool   `json:"alerted"`
	New      int    `json:"new"`
}

// AccountLister lists the organisation's active accounts
// (organizations:ListAccounts).
type AccountLister interface {
	ListAccounts(ctx context.Context) ([]string, error)
}

// Assumer gives a scanner of one member account in one Region, under the
// member role assumed through that Region's STS endpoint. It fails at once
// when the role cannot be assumed, so that a refused role fails the member
// before any scanning.
type Assumer interface {
	ScannerFor(ctx context.Context, account, region string) (Scanner, error)
}

// KeyLister lists keys of the report bucket: S3 ListObjectsV2.
type KeyLister interface {
	ListKeys(ctx context.Context, bucket, prefix string) ([]string, error)
}

// OrgRunner runs the steps of an organisation-wide run. Its Runner does the
// member's scan, analysis and reports exactly as a single-account run does.
type OrgRunner struct {
	Runner   *Runner
	Org      OrgConfig
	Accounts AccountLister
	Assume   Assumer
	Keys     KeyLister
}

// runName: the execution's name as Step Functions allows it (1–80 of
// letters, digits, - and _), so it is safe as one key element.
var runName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// ParseOrgStep reads and checks a step's payload, {"org": {...}}. It returns
// false when the payload is not an organisation step.
func ParseOrgStep(payload json.RawMessage) (OrgStep, bool, error) {
	var env struct {
		Org *json.RawMessage `json:"org"`
	}
	if err := json.Unmarshal(payload, &env); err != nil || env.Org == nil {
		return OrgStep{}, false, nil
	}
	var s OrgStep
	dec := json.NewDecoder(bytes.NewReader(*env.Org))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, true, cwlens.Inputf("payload", "org", "", "%v", err)
	}
	return s, true, s.check()
}

func (s OrgStep) check() error {
	var errs []error
	bad := func(field, value, format string, args ...any) {
		errs = append(errs, cwlens.Inputf("payload", "org."+field, strconv.Quote(value), format, args...))
	}
	switch s.Step {
	case StepPlan:
	case StepMember, StepFailed, StepMerge:
		if !runName.MatchString(s.Run) {
			bad("run", s.Run, "want the execution's name: 1 to 80 of A-Z, a-z, 0-9, - and _")
		}
	default:
		bad("step", s.Step, "want plan, member, failed or merge")
	}
	if s.Step == StepMember || s.Step == StepFailed {
		if !cwlens.IsAccountID(s.Account) {
			bad("account", s.Account, "want a 12-digit AWS account id")
		}
		if !cwlens.IsRegion(s.Region) {
			bad("region", s.Region, "not a region code such as us-east-1")
		}
	}
	for _, a := range s.Accounts {
		if !cwlens.IsAccountID(a) {
			bad("accounts", a, "want a 12-digit AWS account id")
		}
	}
	for _, r := range s.Regions {
		if !cwlens.IsRegion(r) {
			bad("regions", r, "not a region code such as us-east-1")
		}
	}
	return errors.Join(errs...)
}

// Step runs one step; now is the invocation's clock.
func (o *OrgRunner) Step(ctx context.Context, base Config, s OrgStep, now time.Time) (any, error) {
	at := now.UTC()
	if s.At != nil {
		at = s.At.UTC()
	}
	switch s.Step {
	case StepPlan:
		return o.plan(ctx, base, s, at)
	case StepMember:
		return o.member(ctx, base, s, at)
	case StepFailed:
		return o.failed(ctx, base, s, at)
	}
	return o.merge(ctx, base, s)
}

func (o *OrgRunner) plan(ctx context.Context, base Config, s OrgStep, at time.Time) (Plan, error) {
	p := Plan{Run: s.Run, At: at.Truncate(time.Hour), Regions: cmpOr(s.Regions, base.Regions), Concurrency: o.Org.Concurrency}
	if p.Run == "" {
		p.Run = at.Format("2006-01-02T15-04-05Z")
	}
	if p.Concurrency <= 0 {
		p.Concurrency = DefaultOrgConcurrency
	}
	accounts := cmpOr(s.Accounts, o.Org.Accounts)
	if len(accounts) == 0 {
		if o.Accounts == nil {
			return p, errors.New("plan: no accounts: set " + EnvOrgAccounts + " or allow organizations:ListAccounts")
		}
		var err error
		if accounts, err = o.Accounts.ListAccounts(ctx); err != nil {
			return p, fmt.Errorf("plan: organizations:ListAccounts: %w", err)
		}
	}
	p.Accounts = slices.Compact(slices.Sorted(slices.Values(accounts)))
	return p, nil
}

func cmpOr[T any](a, b []T) []T {
	if len(a) > 0 {
		return a
	}
	return b
}

// orgKeys lays out an organisation run under the report prefix:
// org/RUN/ACCOUNT/REGION/ for a member's reports of this run, and
// org/latest/ACCOUNT/REGION/ for its last report, which the next run labels
// against.
func orgKeys(prefix, run string, m orgreport.Member) reportKeys {
	return reportKeys{
		dated:     path.Join(prefix, "org", run, m.Account, m.Region),
		latestDir: path.Join(prefix, "org", "latest", m.Account, m.Region),
	}
}

func (o *OrgRunner) member(ctx context.Context, base Config, s OrgStep, at time.Time) (MemberResult, error) {
	m := orgreport.Member{Account: s.Account, Region: s.Region}
	out := MemberResult{Account: s.Account, Region: s.Region}
	scanner, err := o.Assume.ScannerFor(ctx, s.Account, s.Region)
	if err != nil {
		// Returned as the step's error: the state machine catches it and
		// records the member as failed.
		return out, fmt.Errorf("%s: %w", m, err)
	}
	r := *o.Runner
	r.Scanner = scanner
	cfg := base
	cfg.Regions, cfg.SNSTopicARN = []string{s.Region}, "" // one alert for the organisation, from the merge
	// A member does not read the bill: the member role does not grant ce:
	// (deploy/org/member-role.yaml), so CWLENS_BILL would only add a gap
	// to every member's report.
	cfg.Bill = false
	keys := orgKeys(cfg.ReportPrefix, s.Run, m)
	res, err := r.Run(ctx, Invocation{Config: cfg, At: at, keys: &keys})
	out.Status, out.Findings, out.New = res.Status, res.Findings, res.New
	if len(res.Reports) > 0 {
		out.Report = res.Reports[0]
	}
	if err != nil {
		return out, fmt.Errorf("%s: %w", m, err)
	}
	return out, nil
}

func (o *OrgRunner) failed(ctx context.Context, base Config, s OrgStep, at time.Time) (orgreport.Failure, error) {
	f := orgreport.Failure{Account: s.Account, Region: s.Region, At: at, Error: "failed (no error was passed)"}
	if s.Error != nil {
		f.Error = strings.TrimSpace(s.Error.Error + ": " + causeMessage(s.Error.Cause))
	}
	body, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return f, err
	}
	if o.Runner.Store == nil || base.DryRun {
		return f, nil
	}
	key := orgKeys(base.ReportPrefix, s.Run, orgreport.Member{Account: s.Account, Region: s.Region}).at(orgreport.FailedName)
	if err := o.Runner.Store.Put(ctx, base.ReportBucket, key, append(body, '\n'), contentJSON); err != nil {
		return f, fmt.Errorf("put s3://%s/%s: %w", base.ReportBucket, key, err)
	}
	return f, nil
}

// causeMessage takes the message out of a Lambda error's Cause, which Step
// Functions passes as the function's error JSON ({"errorMessage": …}).
func causeMessage(cause string) string {
	var e struct {
		Message string `json:"errorMessage"`
	}
	if json.Unmarshal([]byte(cause), &e) == nil && e.Message != "" {
		return e.Message
	}
	return cause
}

func (o *OrgRunner) merge(ctx context.Context, base Config, s OrgStep) (MergeResult, error) {
	runPrefix := path.Join(base.ReportPrefix, "org", s.Run)
	var expect []orgreport.Member
	for _, a := range s.Accounts {
		for _, r := range cmpOr(s.Regions, base.Regions) {
			expect = append(expect, orgreport.Member{Account: a, Region: r})
		}
	}
	if o.Keys == nil || o.Runner.Store == nil {
		return MergeResult{}, errors.New("merge: no S3 client")
	}
	src := orgreport.PrefixSource(&storeBucket{run: o.Runner, keys: o.Keys, bucket: base.ReportBucket}, runPrefix)
	merged, err := orgreport.Merge(ctx, src, orgreport.Options{Run: s.Run, Expect: expect})
	if err != nil {
		return MergeResult{}, fmt.Errorf("merge %s: %w", runPrefix, err)
	}
	res := MergeResult{Report: "s3://" + base.ReportBucket + "/" + path.Join(runPrefix, "report.json"),
		Members: len(merged.Members), Complete: merged.Totals.Complete}
	for _, m := range merged.Members {
		if m.Status == orgreport.StatusFailed || m.Status == orgreport.StatusMissing {
			res.Failed++
		}
	}
	for _, f := range []struct{ name, format, ctype string }{
		{"report.md", orgreport.FormatMarkdown, contentMarkdown}, {"report.json", orgreport.FormatJSON, contentJSON},
	} {
		var b bytes.Buffer
		if err := orgreport.Write(&b, merged, f.format); err != nil {
			return res, err
		}
		key := path.Join(runPrefix, f.name)
		if err := o.Runner.Store.Put(ctx, base.ReportBucket, key, b.Bytes(), f.ctype); err != nil {
			return res, fmt.Errorf("put s3://%s/%s: %w", base.ReportBucket, key, err)
		}
	}
	return res, o.alertOrg(ctx, base, merged, runPrefix, &res)
}

// alertOrg publishes the organisation's one message: its new findings at or
// above the alert severity, among those the merged report keeps.
func (o *OrgRunner) alertOrg(ctx context.Context, cfg Config, merged *orgreport.Report, runPrefix string, res *MergeResult) error {
	var items []alertItem
	for _, f := range merged.Findings {
		if f.Status == cwlens.StatusNew && f.Severity >= cfg.AlertSeverity {
			items = append(items, alertItem{Finding: f.Finding, Account: f.Account, Region: f.Region,
				ReportURI: "s3://" + cfg.ReportBucket + "/" + path.Join(runPrefix, f.Account, f.Region, "report.md")})
		}
	}
	res.New = len(items)
	if len(items) == 0 || cfg.SNSTopicARN == "" || o.Runner.Publisher == nil || cfg.DryRun {
		return nil
	}
	run := Result{At: merged.EvaluatedAt, Findings: merged.FindingsTotal}
	for _, m := range merged.Members {
		run.New, run.Ongoing, run.Resolved = run.New+m.New, run.Ongoing+m.Ongoing, run.Resolved+m.Resolved
	}
	subject, body := composeAlert(items, cfg, &run)
	if _, err := o.Runner.Publisher.Publish(ctx, cfg.SNSTopicARN, subject, body); err != nil {
		return fmt.Errorf("publish to %s: %w", cfg.SNSTopicARN, err)
	}
	res.Alerted = true
	return nil
}

// storeBucket is an orgreport.Bucket over the run's KeyLister and object
// store, streamed where the store can, as the previous report is: a
// member's report of 50,000 groups is 160 MB, over a whole read's cap.
type storeBucket struct {
	run    *Runner
	keys   KeyLister
	bucket string
}

func (b *storeBucket) ListKeys(ctx context.Context, prefix string) ([]string, error) {
	return b.keys.ListKeys(ctx, b.bucket, prefix)
}

func (b *storeBucket) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	return b.run.open(ctx, b.bucket, key)
}
