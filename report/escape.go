package report

import (
	"slices"
	"strings"

	"github.com/cwlens/cwlens"
)

// printableReport returns a copy of r for a terminal or a Markdown file:
// every string that came from the account (names, gap reasons, summaries,
// log templates, scenario text) passed through Printable, so that an escape
// sequence in a log group's name or a log line cannot retitle the window,
// clear the screen or reverse the text a reader sees. r is not changed; the
// machine formats (JSON, CSV) keep the values as they are, quoted by their
// own rules, and HTML escapes through html/template.
func printableReport(r *Report) *Report { return escapedReport(r, Printable) }

// markdownReport is printableReport for Markdown: data is also escaped so
// that it cannot read as Markdown or HTML (a name holding <img src=…> or
// [a link](…)).
func markdownReport(r *Report) *Report {
	return escapedReport(r, func(s string) string { return markdownText(Printable(s)) })
}

// escapedReport returns a copy of r with esc applied to every string that
// came from the account. A slice is copied only when esc changes one of
// its strings: the report of a clean account shares r's (for 50,000 log
// groups, 50 MB of log groups, findings and projection lines), which the
// writers only read.
func escapedReport(r *Report, esc func(string) string) *Report {
	e := &escaper{esc: esc}
	esc = e.apply
	c := *r
	c.Account.ID, c.Account.Name, c.Region = esc(r.Account.ID), esc(r.Account.Name), esc(r.Region)
	c.Gaps = mapSlice(e, r.Gaps, func(g *cwlens.Gap) {
		g.API, g.Resource, g.Reason, g.Subject = esc(g.API), esc(g.Resource), esc(g.Reason), esc(g.Subject)
	})
	c.Inventory.LogGroups = mapSlice(e, r.Inventory.LogGroups, func(g *LogGroup) { g.Name, g.Class = esc(g.Name), esc(g.Class) })
	c.Inventory.Services = mapSlice(e, r.Inventory.Services, func(s *Service) {
		s.Cluster, s.Name, s.Capacity, s.Architecture, s.LogGroup = esc(s.Cluster), esc(s.Name), esc(s.Capacity), esc(s.Architecture), esc(s.LogGroup)
	})
	c.Findings = mapSlice(e, r.Findings, func(f *cwlens.Finding) { escFinding(f, esc) })
	c.Resolved = mapSlice(e, r.Resolved, func(f *cwlens.Finding) { escFinding(f, esc) })
	if r.Projection != nil {
		c.Projection = escProjection(e, r.Projection)
	}
	return &c
}

func escFinding(f *cwlens.Finding, esc func(string) string) {
	f.Subject, f.Filter, f.Summary = esc(f.Subject), esc(f.Filter), esc(f.Summary)
	// Templates are shown in code spans, which escape them (codeSpan).
}

func escProjection(e *escaper, p *Projection) *Projection {
	esc := e.apply
	c := *p
	c.Region = esc(p.Region)
	c.Lines = mapSlice(e, p.Lines, func(l *ProjectionLine) {
		l.Subject, l.Component, l.UsageType, l.Unit, l.ProposedUsageType = esc(l.Subject), esc(l.Component), esc(l.UsageType), esc(l.Unit), esc(l.ProposedUsageType)
	})
	c.Rejected = mapSlice(e, p.Rejected, func(rc *cwlens.RejectedChange) {
		rc.Subject, rc.Change, rc.Reason, rc.Alternative = esc(rc.Subject), esc(rc.Change), esc(rc.Reason), esc(rc.Alternative)
	})
	c.Unknown = mapSlice(e, p.Unknown, func(u *cwlens.UnknownPrice) {
		u.Subject, u.UsageType, u.Reason = esc(u.Subject), esc(u.UsageType), esc(u.Reason)
	})
	c.Trajectories = mapSlice(e, p.Trajectories, func(t *cwlens.Trajectory) { t.Subject, t.Component = esc(t.Subject), esc(t.Component) })
	c.Assumptions = mapSlice(e, p.Assumptions, func(a *string) { *a = esc(*a) })
	return &c
}

// escaper applies esc and notes whether it changed a string.
type escaper struct {
	esc     func(string) string
	changed bool
}

func (e *escaper) apply(s string) string {
	t := e.esc(s)
	if t != s {
		e.changed = true
	}
	return t
}

// mapSlice returns s with fn, which escapes with e, applied to a copy of
// each element: s itself when fn changes none of them, else a copy of s
// with the changed elements. nil stays nil, so that "absent" and "empty"
// still differ.
func mapSlice[T any](e *escaper, s []T, fn func(*T)) []T {
	var c []T
	for i := range s {
		x := s[i]
		e.changed = false
		fn(&x)
		if e.changed {
			if c == nil {
				c = slices.Clone(s)
			}
			c[i] = x
		}
	}
	if c == nil {
		return s
	}
	return c
}

// markdownText escapes the characters that would make text read as Markdown
// or HTML (CommonMark 2.4: any ASCII punctuation may be backslash-escaped),
// for text outside a code span.
func markdownText(s string) string {
	// Only what can act mid-line: the text never starts a line, so the
	// list and numbering marks (- + 1.) stay as they are; an underscore
	// inside a word (X86_64) is no emphasis, and go-pretty escapes the
	// pipes of table cells.
	const special = "\\`*[]<>#~&"
	if !strings.ContainsAny(s, special) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(special, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
