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
// came from the account.
func escapedReport(r *Report, esc func(string) string) *Report {
	c := *r
	c.Account.ID, c.Account.Name, c.Region = esc(r.Account.ID), esc(r.Account.Name), esc(r.Region)
	c.Gaps = mapSlice(r.Gaps, func(g *cwlens.Gap) {
		g.API, g.Resource, g.Reason, g.Subject = esc(g.API), esc(g.Resource), esc(g.Reason), esc(g.Subject)
	})
	c.Inventory.LogGroups = mapSlice(r.Inventory.LogGroups, func(g *LogGroup) { g.Name, g.Class = esc(g.Name), esc(g.Class) })
	c.Inventory.Services = mapSlice(r.Inventory.Services, func(s *Service) {
		s.Cluster, s.Name, s.Capacity, s.Architecture, s.LogGroup = esc(s.Cluster), esc(s.Name), esc(s.Capacity), esc(s.Architecture), esc(s.LogGroup)
	})
	c.Findings = mapSlice(r.Findings, func(f *cwlens.Finding) { escFinding(f, esc) })
	c.Resolved = mapSlice(r.Resolved, func(f *cwlens.Finding) { escFinding(f, esc) })
	if r.Projection != nil {
		c.Projection = escProjection(r.Projection, esc)
	}
	return &c
}

func escFinding(f *cwlens.Finding, esc func(string) string) {
	f.Subject, f.Filter, f.Summary = esc(f.Subject), esc(f.Filter), esc(f.Summary)
	// Templates are shown in code spans, which escape them (codeSpan).
}

func escProjection(p *Projection, esc func(string) string) *Projection {
	c := *p
	c.Region = esc(p.Region)
	c.Lines = mapSlice(p.Lines, func(l *ProjectionLine) {
		l.Subject, l.Component, l.UsageType, l.Unit, l.ProposedUsageType = esc(l.Subject), esc(l.Component), esc(l.UsageType), esc(l.Unit), esc(l.ProposedUsageType)
	})
	c.Rejected = mapSlice(p.Rejected, func(rc *cwlens.RejectedChange) {
		rc.Subject, rc.Change, rc.Reason, rc.Alternative = esc(rc.Subject), esc(rc.Change), esc(rc.Reason), esc(rc.Alternative)
	})
	c.Unknown = mapSlice(p.Unknown, func(u *cwlens.UnknownPrice) {
		u.Subject, u.UsageType, u.Reason = esc(u.Subject), esc(u.UsageType), esc(u.Reason)
	})
	c.Trajectories = mapSlice(p.Trajectories, func(t *cwlens.Trajectory) { t.Subject, t.Component = esc(t.Subject), esc(t.Component) })
	c.Assumptions = mapSlice(p.Assumptions, func(a *string) { *a = esc(*a) })
	return &c
}

// mapSlice returns a copy of s with fn applied to each element; nil stays
// nil, so that "absent" and "empty" still differ.
func mapSlice[T any](s []T, fn func(*T)) []T {
	if s == nil {
		return nil
	}
	c := slices.Clone(s)
	for i := range c {
		fn(&c[i])
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
