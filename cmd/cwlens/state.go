package main

import (
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/runstate"
	"github.com/cwlens/cwlens/report"
)

// labelFindings labels r's findings new or ongoing against the state file at
// path (missing: a first run, every finding new), lists the findings that
// went away in r.Resolved, and returns the state to save once the report is
// written: nil when the state is of a later run than r (an --at in the
// past), which must not rewind it.
func labelFindings(r *report.Report, snap *cwlens.Snapshot, path string) (*runstate.State, error) {
	prev, err := runstate.Load(path)
	if err != nil {
		return nil, err
	}
	if err := prev.CheckOwner(snap.AccountID, snap.Region); err != nil {
		return nil, &cwlens.InputError{File: path, Err: err}
	}
	res := runstate.Compare(prev, r.Findings, runstate.Options{
		At: r.EvaluatedAt, NotScanned: runstate.NotScannedIn(snap),
		AccountID: snap.AccountID, Region: snap.Region,
	})
	r.Findings = res.Findings
	r.Resolved = make([]cwlens.Finding, 0, len(res.Resolved))
	for _, rec := range res.Resolved {
		r.Resolved = append(r.Resolved, rec.Finding())
	}
	if prev != nil && r.EvaluatedAt.Before(prev.RunAt) {
		return nil, nil
	}
	return &res.Next, nil
}
