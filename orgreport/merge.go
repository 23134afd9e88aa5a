// Package orgreport merges the reports of an organisation-wide run — one
// cwlens.report/v1 per account and Region — into one report for the whole
// organisation: a row per member with its status and totals, the overall
// totals (marked incomplete when a member failed or has unknown prices), the
// projection summed by usage type, the worst findings across members and
// each member's gaps.
//
// Merging streams: members are decoded one at a time and only what the
// merged report shows is kept, so memory grows with the findings kept, not
// with the number of accounts.
package orgreport

import (
	"cmp"
	"container/heap"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/report"
	"github.com/shopspring/decimal"
)

// Scope is the value of the merged report's "scope" field.
const Scope = "organization"

// DefaultKeep is how many findings the merged report keeps by default.
const DefaultKeep = 100

// MaxMemberBytes bounds one member's report or failure record, as a
// previous report is bounded; a larger object is refused, not read on.
const MaxMemberBytes = cwlens.MaxStateBytes

// Member statuses.
const (
	StatusOK      = "ok"      // the member's report is complete
	StatusPartial = "partial" // its scan missed something; its gaps say what
	StatusFailed  = "failed"  // the member failed; Reason says why
	StatusMissing = "missing" // expected, but neither a report nor a failure was written
)

// Member is one account × Region of an organisation run.
type Member struct {
	Account string `json:"account"`
	Region  string `json:"region"`
}

func (m Member) String() string { return m.Account + "/" + m.Region }

// Object is one stored member object: its report or its failure record.
type Object struct {
	Member
	Failed bool   // a failure record (failed.json), not a report
	Key    string // the path or key the source opens it by
}

// Source lists and opens the member objects of one run.
type Source interface {
	List(ctx context.Context) ([]Object, error)
	Open(ctx context.Context, key string) (io.ReadCloser, error)
}

// Options tune a merge.
type Options struct {
	// Run names the run (the state machine's execution), shown in the report.
	Run string
	// Keep is how many findings to keep, worst first; DefaultKeep when 0.
	Keep int
	// Expect lists every member the run planned; a member with no object is
	// reported as missing and makes the totals incomplete. Nil expects only
	// what the source lists.
	Expect []Member
}

// Report is the organisation's cwlens.report/v1 (docs/report-json.md,
// "Organisation report").
type Report struct {
	Schema      string    `json:"schema"`
	Scope       string    `json:"scope"`
	Run         string    `json:"run,omitempty"`
	EvaluatedAt time.Time `json:"evaluated_at"`
	Partial     bool      `json:"partial"`

	Members []MemberRow `json:"members"`
	Totals  Totals      `json:"totals"`
	// Projection sums the members' projection lines by usage type.
	Projection []UsageTotal `json:"projection"`
	// Findings are the worst FindingsKept of FindingsTotal findings across
	// members, in report order.
	Findings      []Finding `json:"findings"`
	FindingsTotal int       `json:"findings_total"`
	// Gaps are every member's gaps, the resource prefixed "ACCOUNT/REGION:".
	Gaps []cwlens.Gap `json:"gaps"`
}

// MemberRow is one member's line of the organisation report.
type MemberRow struct {
	Member
	AccountName string `json:"account_name,omitempty"`
	Status      string `json:"status"`
	Reason      string `json:"reason,omitempty"`
	Findings    int    `json:"findings"`
	// New, Ongoing and Resolved count the member's findings by their label
	// against its previous run, when its report was labelled.
	New      int `json:"new"`
	Ongoing  int `json:"ongoing"`
	Resolved int `json:"resolved"`
	// The monthly figures are null when the member failed or was not priced.
	CurrentMonthly  *decimal.Decimal `json:"current_monthly_usd"`
	ProposedMonthly *decimal.Decimal `json:"proposed_monthly_usd"`
	UnknownPrices   int              `json:"unknown_prices"`
}

// Totals are the organisation's monthly figures over the members that could
// be priced. Complete is false when any member failed, is missing, was not
// priced or has prices the book lacks; Incomplete says which and why.
type Totals struct {
	CurrentMonthly  decimal.Decimal `json:"current_monthly_usd"`
	ProposedMonthly decimal.Decimal `json:"proposed_monthly_usd"`
	DeltaMonthly    decimal.Decimal `json:"delta_monthly_usd"`
	Complete        bool            `json:"complete"`
	Incomplete      []string        `json:"incomplete,omitempty"`
}

// UsageTotal is the sum of the members' projection lines of one usage type.
type UsageTotal struct {
	UsageType       string          `json:"usage_type"`
	Unit            string          `json:"unit"`
	Lines           int             `json:"lines"`
	CurrentQuantity decimal.Decimal `json:"current_quantity"`
	CurrentMonthly  decimal.Decimal `json:"current_monthly_usd"`
	ProposedMonthly decimal.Decimal `json:"proposed_monthly_usd"`
}

// Finding is a member's finding with the member it is about.
type Finding struct {
	Member
	cwlens.Finding
}

// Failure is what a failed member leaves instead of a report.
type Failure struct {
	Account string    `json:"account"`
	Region  string    `json:"region"`
	At      time.Time `json:"at,omitzero"`
	Error   string    `json:"error"`
}

// memberReport is the part of a member's report the merge reads; the
// decoder skips the rest (the inventory, the series).
type memberReport struct {
	Schema      string            `json:"schema"`
	Account     report.Account    `json:"account"`
	Region      string            `json:"region"`
	EvaluatedAt time.Time         `json:"evaluated_at"`
	Partial     bool              `json:"partial"`
	Gaps        []cwlens.Gap      `json:"gaps"`
	Findings    []cwlens.Finding  `json:"findings"`
	Resolved    []json.RawMessage `json:"resolved"`
	Projection  *struct {
		Lines []struct {
			UsageType       string          `json:"usage_type"`
			Unit            string          `json:"unit"`
			CurrentQuantity decimal.Decimal `json:"current_quantity"`
			CurrentMonthly  decimal.Decimal `json:"current_monthly_usd"`
			ProposedMonthly decimal.Decimal `json:"proposed_monthly_usd"`
		} `json:"lines"`
		CurrentMonthly  decimal.Decimal   `json:"current_monthly_usd"`
		ProposedMonthly decimal.Decimal   `json:"proposed_monthly_usd"`
		Unknown         []json.RawMessage `json:"unknown"`
	} `json:"projection"`
}

// MemberError is a member object that cannot be read as what it claims to
// be. Merge stops on it: a corrupt report is bad input, not a failed member.
type MemberError struct {
	Key string
	Err error
}

func (e *MemberError) Error() string { return e.Key + ": " + e.Err.Error() }
func (e *MemberError) Unwrap() error { return e.Err }

// Merge reads every member object of src and builds the organisation report.
func Merge(ctx context.Context, src Source, opt Options) (*Report, error) {
	objs, err := src.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing the run's reports: %w", err)
	}
	m := newMerger(opt)
	for _, o := range objs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := m.add(ctx, src, o); err != nil {
			return nil, err
		}
	}
	return m.finish(), nil
}

type merger struct {
	opt      Options
	rows     map[Member]*MemberRow
	usage    map[[2]string]*UsageTotal
	worst    findingHeap
	total    int
	gaps     []cwlens.Gap
	latestAt time.Time
}

func newMerger(opt Options) *merger {
	if opt.Keep <= 0 {
		opt.Keep = DefaultKeep
	}
	m := &merger{opt: opt, rows: map[Member]*MemberRow{}, usage: map[[2]string]*UsageTotal{}}
	for _, e := range opt.Expect {
		m.rows[e] = &MemberRow{Member: e, Status: StatusMissing, Reason: "no report and no failure was written"}
	}
	return m
}

func (m *merger) add(ctx context.Context, src Source, o Object) error {
	row, ok := m.rows[o.Member]
	if !ok {
		row = &MemberRow{Member: o.Member, Status: StatusMissing}
		m.rows[o.Member] = row
	}
	if row.Status != StatusMissing && row.Status != StatusFailed {
		return nil // a report wins over a failure record of the same member
	}
	rc, err := src.Open(ctx, o.Key)
	if err != nil {
		return fmt.Errorf("opening %s: %w", o.Key, err)
	}
	defer rc.Close()
	r := cwlens.LimitReader(rc, o.Key, MaxMemberBytes, "member report")
	if o.Failed {
		return m.addFailure(o, r, row)
	}
	return m.addReport(o, r, row)
}

func (m *merger) addFailure(o Object, r io.Reader, row *MemberRow) error {
	var f Failure
	if err := decodeOne(r, &f); err != nil {
		return &MemberError{Key: o.Key, Err: err}
	}
	if f.Account != o.Account || f.Region != o.Region {
		return &MemberError{Key: o.Key, Err: fmt.Errorf("records the failure of %s/%s, not of %s", f.Account, f.Region, o.Member)}
	}
	row.Status, row.Reason = StatusFailed, cmp.Or(f.Error, "failed (no reason given)")
	return nil
}

func (m *merger) addReport(o Object, r io.Reader, row *MemberRow) error {
	var mr memberReport
	if err := decodeOne(r, &mr); err != nil {
		return &MemberError{Key: o.Key, Err: err}
	}
	if err := mr.check(o.Member); err != nil {
		return &MemberError{Key: o.Key, Err: err}
	}
	*row = MemberRow{Member: o.Member, AccountName: mr.Account.Name, Status: StatusOK, Findings: len(mr.Findings)}
	if mr.Partial {
		row.Status = StatusPartial
	}
	if mr.EvaluatedAt.After(m.latestAt) {
		m.latestAt = mr.EvaluatedAt
	}
	for _, g := range mr.Gaps {
		g.Resource = o.Member.String() + ":" + g.Resource
		m.gaps = append(m.gaps, g)
	}
	row.Resolved = len(mr.Resolved)
	for _, f := range mr.Findings {
		switch f.Status {
		case cwlens.StatusNew:
			row.New++
		case cwlens.StatusOngoing:
			row.Ongoing++
		}
		m.keep(Finding{Member: o.Member, Finding: f})
	}
	if p := mr.Projection; p != nil {
		cur, prop := p.CurrentMonthly, p.ProposedMonthly
		row.CurrentMonthly, row.ProposedMonthly, row.UnknownPrices = &cur, &prop, len(p.Unknown)
		for _, l := range p.Lines {
			k := [2]string{l.UsageType, l.Unit}
			u := m.usage[k]
			if u == nil {
				u = &UsageTotal{UsageType: l.UsageType, Unit: l.Unit}
				m.usage[k] = u
			}
			u.Lines++
			u.CurrentQuantity = u.CurrentQuantity.Add(l.CurrentQuantity)
			u.CurrentMonthly = u.CurrentMonthly.Add(l.CurrentMonthly)
			u.ProposedMonthly = u.ProposedMonthly.Add(l.ProposedMonthly)
		}
	}
	return nil
}

func (mr *memberReport) check(want Member) error {
	switch {
	case mr.Schema != report.Schema:
		return fmt.Errorf("schema %q is not %s", mr.Schema, report.Schema)
	case mr.Account.ID != want.Account:
		return fmt.Errorf("is the report of account %q, stored as %s", mr.Account.ID, want.Account)
	case mr.Region != want.Region:
		return fmt.Errorf("is the report of Region %q, stored as %s", mr.Region, want.Region)
	}
	return nil
}

// keep adds f to the kept findings, dropping the least severe once Keep are
// held.
func (m *merger) keep(f Finding) {
	m.total++
	if len(m.worst) < m.opt.Keep {
		heap.Push(&m.worst, f)
		return
	}
	if compare(f, m.worst[0]) < 0 {
		m.worst[0] = f
		heap.Fix(&m.worst, 0)
	}
}

func (m *merger) finish() *Report {
	r := &Report{
		Schema:        report.Schema,
		Scope:         Scope,
		Run:           m.opt.Run,
		EvaluatedAt:   m.latestAt,
		Findings:      slices.SortedFunc(slices.Values(m.worst), compare),
		FindingsTotal: m.total,
		Gaps:          m.gaps,
		Totals:        Totals{Complete: true},
		Members:       make([]MemberRow, 0, len(m.rows)),
		Projection:    make([]UsageTotal, 0, len(m.usage)),
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Gaps == nil {
		r.Gaps = []cwlens.Gap{}
	}
	for _, row := range m.rows {
		r.Members = append(r.Members, *row)
	}
	slices.SortFunc(r.Members, func(a, b MemberRow) int {
		return cmp.Or(cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region))
	})
	for _, row := range r.Members {
		r.addToTotals(row)
	}
	r.Totals.DeltaMonthly = r.Totals.ProposedMonthly.Sub(r.Totals.CurrentMonthly)
	for _, u := range m.usage {
		r.Projection = append(r.Projection, *u)
	}
	slices.SortFunc(r.Projection, func(a, b UsageTotal) int {
		return cmp.Or(b.CurrentMonthly.Cmp(a.CurrentMonthly), cmp.Compare(a.UsageType, b.UsageType), cmp.Compare(a.Unit, b.Unit))
	})
	return r
}

func (r *Report) addToTotals(row MemberRow) {
	incomplete := func(why string) {
		r.Totals.Complete = false
		r.Totals.Incomplete = append(r.Totals.Incomplete, row.Member.String()+": "+why)
	}
	switch row.Status {
	case StatusFailed, StatusMissing:
		r.Partial = true
		incomplete(row.Status + ": " + row.Reason)
		return
	case StatusPartial:
		r.Partial = true
	}
	if row.CurrentMonthly == nil {
		incomplete("not priced")
		return
	}
	r.Totals.CurrentMonthly = r.Totals.CurrentMonthly.Add(*row.CurrentMonthly)
	r.Totals.ProposedMonthly = r.Totals.ProposedMonthly.Add(*row.ProposedMonthly)
	if row.UnknownPrices > 0 {
		incomplete(fmt.Sprintf("%d line(s) with a price the book lacks", row.UnknownPrices))
	}
}

// compare orders findings as a report does, then by member, so the order is
// total and the merge deterministic.
func compare(a, b Finding) int {
	return cmp.Or(report.CompareFindings(a.Finding, b.Finding),
		cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region),
		cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Filter, b.Filter))
}

// findingHeap holds the kept findings with the least severe on top.
type findingHeap []Finding

func (h findingHeap) Len() int           { return len(h) }
func (h findingHeap) Less(i, j int) bool { return compare(h[i], h[j]) > 0 }
func (h findingHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *findingHeap) Push(x any)        { *h = append(*h, x.(Finding)) }
func (h *findingHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// decodeOne decodes exactly one JSON value from r into v.
func decodeOne(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	if err := dec.Decode(v); err != nil {
		return describe(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("more than one JSON value")
	}
	return nil
}

func describe(err error) error {
	var tl *cwlens.TooLargeError
	if errors.As(err, &tl) {
		return tl // the MemberError names the object
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("empty or truncated JSON")
	}
	return fmt.Errorf("not a valid report: %s", strings.TrimPrefix(err.Error(), "json: "))
}
