package batch

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/report"
)

// SNS limits, from the Publish API reference (the pinned SDK's
// api_op_Publish.go quotes it): "Subjects must be UTF-8 text with no line
// breaks or control characters, and less than 100 characters long"; a
// message is at most 256 KiB by default.
const (
	maxSubjectLen = 99
	maxBodyBytes  = 256 << 10
	// alertTop is how many findings the message lists; the report has all.
	alertTop = 10
)

// alertItem is one new finding to alert on, with where it was found.
type alertItem struct {
	Finding   cwlens.Finding
	Region    string
	Account   string
	ReportURI string
}

// composeAlert returns the subject and body of the run's one message: the
// count and the worst finding in the subject; the top findings with their
// cost impact and the report's S3 URI in the body. The findings are ordered
// and picked as the report's summary orders and picks them
// (report.CompareFindings, report.TopFindings), so the alert names first the
// finding the report names first among the new ones.
func composeAlert(items []alertItem, cfg Config, res *Result) (subject, body string) {
	slices.SortStableFunc(items, func(a, b alertItem) int { return report.CompareFindings(a.Finding, b.Finding) })
	fs := make([]cwlens.Finding, len(items))
	for i, it := range items {
		fs[i] = it.Finding
	}
	top, _ := report.TopFindings(fs, alertTop)
	worst := fs[top[0]]

	noun := plural(len(items), "finding", "findings")
	subject = Subject(fmt.Sprintf("cwlens: %d new %s, worst %s %s on %s", len(items), noun, worst.Severity, worst.Kind, worst.Subject))

	var b strings.Builder
	accounts := map[string]bool{}
	for _, it := range items {
		accounts[it.Account] = true
	}
	acct := items[0].Account
	if len(accounts) > 1 || acct == "" {
		acct = "the scanned accounts"
	} else {
		acct = "account " + acct
	}
	fmt.Fprintf(&b, "cwlens found %d new %s at or above %s severity in %s (run of %s).\n\n",
		len(items), noun, cfg.AlertSeverity, acct, report.FormatTime(res.At))
	for n, i := range top {
		it := items[i]
		f := it.Finding
		fmt.Fprintf(&b, "%d. %s  %s  %s", n+1, strings.ToUpper(f.Severity.String()), f.Kind, f.Subject)
		if f.Filter != "" {
			fmt.Fprintf(&b, " [%s]", f.Filter)
		}
		fmt.Fprintf(&b, "  (%s)\n", it.Region)
		if f.Summary != "" {
			fmt.Fprintf(&b, "   %s\n", f.Summary)
		}
		b.WriteString("  ")
		if !f.Start.IsZero() {
			fmt.Fprintf(&b, " Since %s.", report.FormatTime(f.Start))
		}
		fmt.Fprintf(&b, " Cost impact: %s/month.\n\n", costText(f))
	}
	if more := len(items) - len(top); more > 0 {
		fmt.Fprintf(&b, "...and %d more new %s in the report.\n\n", more, plural(more, "finding", "findings"))
	}
	fmt.Fprintf(&b, "This run: %d findings, %d new, %d ongoing, %d resolved since the last run.\n", res.Findings, res.New, res.Ongoing, res.Resolved)
	seen := map[string]bool{}
	for _, it := range items {
		if seen[it.ReportURI] {
			continue
		}
		seen[it.ReportURI] = true
		fmt.Fprintf(&b, "Report: %s (JSON beside it: report.json)\n", it.ReportURI)
	}
	body = b.String()
	if len(body) > maxBodyBytes {
		body = truncateUTF8(body, maxBodyBytes-len("\n[truncated]")) + "\n[truncated]"
	}
	return subject, body
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func costText(f cwlens.Finding) string {
	if f.MonthlyCostUSD == nil {
		if f.Impact == nil {
			return "none"
		}
		return "unknown"
	}
	return report.FormatDeltaUSD(*f.MonthlyCostUSD)
}

// Subject makes s a valid SNS subject: control characters and line breaks
// become spaces, non-ASCII characters become '?' (email clients and some SNS
// consumers mangle them), and it is cut to fewer than 100 characters with
// "..." at the end when cut.
func Subject(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r):
			return ' '
		case r > unicode.MaxASCII:
			return '?'
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > maxSubjectLen {
		s = strings.TrimRight(s[:maxSubjectLen-3], " ") + "..."
	}
	return s
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
