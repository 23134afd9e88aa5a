package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
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

	SectionAll = SectionInventory | SectionFindings | SectionProjection | SectionSummary
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}
