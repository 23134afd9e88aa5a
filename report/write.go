package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cwlens/cwlens/internal/jsonsplice"
)

// Format is an output format of a report.
type Format string

// Formats a report can be written in.
const (
	FormatTable    Format = "table"
	FormatJSON     Format = "json"
	FormatCSV      Format = "csv"
	FormatMarkdown Format = "markdown"
	// FormatHTML is one self-contained page with charts (html.go).
	FormatHTML Format = "html"
)

// Formats lists the formats in the order help texts show them.
var Formats = []Format{FormatTable, FormatJSON, FormatCSV, FormatMarkdown, FormatHTML}

// ParseFormat parses a format name.
func ParseFormat(name string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(name, string(f)) {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown format %q (want one of %s)", name, strings.Join(names, ", "))
}

// Sections selects the parts of a report a human format shows.
type Sections uint8

// Sections of a report. The zero value shows all of them.
const (
	SectionInventory Sections = 1 << iota
	SectionFindings
	SectionProjection
	// SectionSummary is the block the table and Markdown formats open
	// with: the worst findings, the monthly totals, a partial scan.
	SectionSummary
	// SectionReconciliation is the bill beside the model. SectionProjection
	// shows it too (the bill is the projection's check).
	SectionReconciliation

	SectionAll = SectionInventory | SectionFindings | SectionProjection | SectionSummary | SectionReconciliation
)

func (s Sections) has(x Sections) bool { return s == 0 || s&x != 0 }

// Options control how a report is written.
type Options struct {
	// Color turns on ANSI colour in the table format. The caller decides:
	// typically only when writing to a terminal and NO_COLOR is unset.
	Color bool
	// Sections limits the table, Markdown, CSV and HTML formats to some
	// parts of the report; zero means all. JSON always carries the whole report, so
	// that its schema holds.
	Sections Sections
	// Width is the terminal's width in columns for the table format; 0
	// means no limit. Tables wider than it hide columns in a set order,
	// then wrap, then cut (README: "Narrow terminals").
	Width int
}

// Write writes r to w in format f.
func Write(w io.Writer, r *Report, f Format, o Options) error {
	switch f {
	case FormatTable:
		return writeTable(w, r, o)
	case FormatMarkdown:
		return writeMarkdown(w, r, o)
	case FormatCSV:
		return writeCSV(w, r, o)
	case FormatJSON:
		return writeJSON(w, r)
	case FormatHTML:
		return writeHTML(w, r, o.Sections)
	}
	return fmt.Errorf("unknown format %q", f)
}

func writeJSON(w io.Writer, r *Report) error {
	if err := EncodeJSON(w, r, nil); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}

// EncodeJSON writes the JSON of r, or of the document wrap makes of it (a
// struct embedding the report, with members of its own), as json.Encoder
// indented by two spaces writes it. The arrays that grow with the account —
// findings, the inventory's log groups and services, the projection's
// lines — are written an element at a time, so memory does not hold the
// whole text. wrap nil means r itself.
func EncodeJSON(w io.Writer, r *Report, wrap func(*Report) any) error {
	if wrap == nil {
		wrap = func(r *Report) any { return r }
	}
	head := *r
	head.Findings = nil
	head.Inventory.LogGroups, head.Inventory.Services = nil, nil
	arrays := []jsonsplice.Array{
		{Key: "findings", Depth: 1, Len: len(r.Findings), Nil: r.Findings == nil, Elem: func(i int) any { return &r.Findings[i] }},
		{Key: "log_groups", Depth: 2, Len: len(r.Inventory.LogGroups), Nil: r.Inventory.LogGroups == nil, Elem: func(i int) any { return &r.Inventory.LogGroups[i] }},
		{Key: "services", Depth: 2, Len: len(r.Inventory.Services), Nil: r.Inventory.Services == nil, Elem: func(i int) any { return &r.Inventory.Services[i] }},
	}
	if p := r.Projection; p != nil {
		hp := *p
		hp.Lines = nil
		head.Projection = &hp
		arrays = append(arrays, jsonsplice.Array{Key: "lines", Depth: 2, Len: len(p.Lines), Nil: p.Lines == nil, Elem: func(i int) any { return &p.Lines[i] }})
	}
	hb, err := json.MarshalIndent(wrap(&head), "", "  ")
	if err != nil {
		return err
	}
	err = jsonsplice.Write(w, hb, arrays, nil)
	if errors.Is(err, jsonsplice.ErrMarker) {
		// A member of the same name at the same depth (nothing in the
		// schema today): encode the whole document instead.
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(wrap(r))
	}
	return err
}
