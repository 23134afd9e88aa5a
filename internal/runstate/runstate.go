// Package runstate carries findings from one scheduled run to the next. It
// labels each finding of a run new or ongoing against the previous run's
// findings, lists the previous findings that disappeared as resolved (once),
// and reads and writes the small state file a cron job keeps between runs.
//
// A finding's identity across runs is its Key: kind, subject and metric
// filter. Severity, numbers and the estimated start are left out on purpose:
// a flood that grows from high to critical, or whose change point moves by a
// day as data arrives, is the same flood and must not alert twice.
package runstate

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

// Key identifies a finding from one run to the next.
type Key struct {
	Kind    cwlens.Kind
	Subject string
	Filter  string
}

// KeyOf returns the identity of f.
func KeyOf(f cwlens.Finding) Key {
	return Key{Kind: f.Kind, Subject: f.Subject, Filter: f.Filter}
}

// String formats k as "kind subject" or "kind subject [filter]".
func (k Key) String() string {
	s := string(k.Kind) + " " + k.Subject
	if k.Filter != "" {
		s += " [" + k.Filter + "]"
	}
	return s
}

func (k Key) compare(o Key) int {
	return cmp.Or(strings.Compare(string(k.Kind), string(o.Kind)),
		strings.Compare(k.Subject, o.Subject), strings.Compare(k.Filter, o.Filter))
}

// Record is what the state keeps of one open finding: its identity and
// enough to say what it was when it is resolved.
type Record struct {
	Kind           cwlens.Kind      `json:"kind"`
	Subject        string           `json:"subject"`
	Filter         string           `json:"filter,omitempty"`
	Severity       cwlens.Severity  `json:"severity"`
	Summary        string           `json:"summary,omitempty"`
	MonthlyCostUSD *decimal.Decimal `json:"monthly_cost_impact_usd,omitempty"`
	// FirstSeen is the time of the run that first reported the finding.
	FirstSeen time.Time `json:"first_seen"`
	// LastSeen is the time of the last run that saw the finding.
	LastSeen time.Time `json:"last_seen"`
}

// Key returns the record's identity.
func (r Record) Key() Key { return Key{Kind: r.Kind, Subject: r.Subject, Filter: r.Filter} }

// Finding returns the record as a finding labelled resolved, for reports.
func (r Record) Finding() cwlens.Finding {
	first := r.FirstSeen
	return cwlens.Finding{
		Kind: r.Kind, Subject: r.Subject, Filter: r.Filter, Severity: r.Severity,
		Summary: r.Summary, MonthlyCostUSD: r.MonthlyCostUSD,
		Status: cwlens.StatusResolved, FirstSeen: &first,
	}
}

// State is the open findings as of one run.
type State struct {
	// AccountID and Region say whose findings these are. A state compared
	// with another account's run would call that account's findings
	// "ongoing" and silence its alerts, so CheckOwner refuses it. Empty in
	// a state written before they were recorded.
	AccountID string `json:"account_id,omitempty"`
	Region    string `json:"region,omitempty"`
	// RunAt is the evaluation time of the run that wrote the state.
	RunAt    time.Time `json:"run_at"`
	Findings []Record  `json:"findings"`
}

// ErrOwner is wrapped by CheckOwner's error.
var ErrOwner = errors.New("the state belongs to another account or Region")

// CheckOwner returns an error wrapping ErrOwner when st records an account
// or Region other than account and region. A nil state, or one that records
// neither (an older file), belongs to anyone.
func (st *State) CheckOwner(account, region string) error {
	if st == nil || (st.AccountID == "" && st.Region == "") {
		return nil
	}
	if st.AccountID == account && st.Region == region {
		return nil
	}
	return fmt.Errorf("%w: it holds account %s in %s, this run reads %s in %s; keep one state file per account and Region",
		ErrOwner, orNone(st.AccountID), orNone(st.Region), orNone(account), orNone(region))
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// Options tune Compare.
type Options struct {
	// At is the evaluation time of the current run; it becomes the
	// FirstSeen of new findings.
	At time.Time
	// NotScanned reports whether the current run could not look at a
	// previous finding's subject (a partial scan stopped before it, or an API
	// refused). Such a finding is carried over unchanged instead of being
	// called resolved: a run that did not look has not seen it go away.
	// Nil means the run saw everything.
	NotScanned func(Record) bool
	// AccountID and Region are the current run's; the next state records
	// them.
	AccountID, Region string
}

// Result is a run's findings labelled against the previous run.
type Result struct {
	// Findings are the current findings in their original order, each a
	// copy with Status (new or ongoing) and FirstSeen set.
	Findings []cwlens.Finding
	// Resolved are the previous findings this run no longer sees, by key.
	Resolved []Record
	// Unseen are the previous findings whose subjects this run did not scan;
	// they stay open in the next state.
	Unseen []Record
	// Next is the state to keep for the next run.
	Next State
}

// New returns the findings labelled new.
func (r Result) New() []cwlens.Finding {
	var out []cwlens.Finding
	for _, f := range r.Findings {
		if f.Status == cwlens.StatusNew {
			out = append(out, f)
		}
	}
	return out
}

// Compare labels cur against prev, the previous run's state. A nil prev is a
// first run: every finding is new and nothing is resolved.
func Compare(prev *State, cur []cwlens.Finding, opt Options) Result {
	at := opt.At.UTC()
	before := map[Key]Record{}
	if prev != nil {
		for _, r := range prev.Findings {
			k := r.Key()
			if old, dup := before[k]; !dup || r.FirstSeen.Before(old.FirstSeen) {
				before[k] = r
			}
		}
	}

	res := Result{Findings: make([]cwlens.Finding, len(cur)), Next: State{AccountID: opt.AccountID, Region: opt.Region, RunAt: at}}
	seen := map[Key]bool{}
	for i, f := range cur {
		k := KeyOf(f)
		first := at
		f.Status = cwlens.StatusNew
		if r, ok := before[k]; ok {
			f.Status = cwlens.StatusOngoing
			if !r.FirstSeen.IsZero() {
				first = r.FirstSeen
			}
		}
		f.FirstSeen = &first
		res.Findings[i] = f
		if !seen[k] {
			seen[k] = true
			res.Next.Findings = append(res.Next.Findings, Record{
				Kind: f.Kind, Subject: f.Subject, Filter: f.Filter, Severity: f.Severity,
				Summary: f.Summary, MonthlyCostUSD: f.MonthlyCostUSD, FirstSeen: first, LastSeen: at,
			})
		}
	}
	for k, r := range before {
		if seen[k] {
			continue
		}
		if opt.NotScanned != nil && opt.NotScanned(r) {
			res.Unseen = append(res.Unseen, r)
			res.Next.Findings = append(res.Next.Findings, r)
			continue
		}
		res.Resolved = append(res.Resolved, r)
	}
	byKey := func(a, b Record) int { return a.Key().compare(b.Key()) }
	slices.SortFunc(res.Resolved, byKey)
	slices.SortFunc(res.Unseen, byKey)
	slices.SortFunc(res.Next.Findings, byKey)
	return res
}

// NotScannedIn returns the Options.NotScanned of a run that read snap: when
// snap is partial, a previous finding whose subject is missing from it, or
// named by one of its gaps (or all of it, "*"), was not looked at.
func NotScannedIn(snap *cwlens.Snapshot) func(Record) bool {
	return func(rec Record) bool {
		if snap == nil {
			return true
		}
		if !snap.Partial() {
			return false
		}
		for _, g := range snap.Gaps {
			if g.Resource == "*" || g.Resource == rec.Subject {
				return true
			}
		}
		if snap.LogGroup(rec.Subject) != nil {
			return false
		}
		cluster, name, _ := strings.Cut(rec.Subject, "/")
		return snap.Service(cluster, name) == nil
	}
}

// FromFindings builds the state a run that reported findings at runAt leaves
// behind; previous reports are read this way. Resolved findings are not open
// and are left out, so that a finding is listed resolved only once.
func FromFindings(runAt time.Time, findings []cwlens.Finding) *State {
	st := &State{RunAt: runAt.UTC()}
	for _, f := range findings {
		if f.Status == cwlens.StatusResolved {
			continue
		}
		first := runAt.UTC()
		if f.FirstSeen != nil && !f.FirstSeen.IsZero() {
			first = f.FirstSeen.UTC()
		}
		st.Findings = append(st.Findings, Record{
			Kind: f.Kind, Subject: f.Subject, Filter: f.Filter, Severity: f.Severity,
			Summary: f.Summary, MonthlyCostUSD: f.MonthlyCostUSD, FirstSeen: first, LastSeen: runAt.UTC(),
		})
	}
	return st
}

// AtLeast returns the findings whose severity is min or higher, in order.
func AtLeast(findings []cwlens.Finding, min cwlens.Severity) []cwlens.Finding {
	var out []cwlens.Finding
	for _, f := range findings {
		if f.Severity >= min {
			out = append(out, f)
		}
	}
	return out
}

// String summarises the result as "2 new, 5 ongoing, 1 resolved".
func (r Result) String() string {
	var n, o int
	for _, f := range r.Findings {
		if f.Status == cwlens.StatusNew {
			n++
		} else {
			o++
		}
	}
	s := fmt.Sprintf("%d new, %d ongoing, %d resolved", n, o, len(r.Resolved))
	if len(r.Unseen) > 0 {
		s += fmt.Sprintf(", %d not rescanned", len(r.Unseen))
	}
	return s
}
