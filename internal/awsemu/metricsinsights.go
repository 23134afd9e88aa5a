package awsemu

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cwlens/cwlens"
)

// insightsMaxAge is how far back Metrics Insights reads: "Query up to two
// weeks of data" (Metrics Insights quotas page).
const insightsMaxAge = 14 * cwlens.Day

// miQuery is the subset of Metrics Insights the emulator serves:
// SELECT SUM|COUNT(metric) FROM SCHEMA(namespace, dim, ...), no WHERE, GROUP BY,
// ORDER BY or LIMIT.
type miQuery struct {
	stat      string   // the MetricStat statistic the function aggregates like
	metric    string   // metric name
	namespace string   // namespace
	dims      []string // the SCHEMA's dimension names, sorted
}

// parseInsights parses q. Keywords are case-insensitive; identifiers are
// bare (letters, digits, underscore) or double-quoted with backslash
// escapes, and case-sensitive ("Metrics Insights query components and
// syntax").
func parseInsights(q string) (miQuery, error) {
	p := &miParser{s: q}
	var out miQuery
	if !p.keyword("SELECT") {
		return out, errors.New("want SELECT")
	}
	// SUM adds the datapoints' values, COUNT counts them, like the Sum
	// and SampleCount statistics ("Metrics Insights query components and
	// syntax", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html).
	switch {
	case p.keyword("SUM"):
		out.stat = "Sum"
	case p.keyword("COUNT"):
		out.stat = "SampleCount"
	default:
		return out, errors.New("want SUM or COUNT (the functions emulated)")
	}
	var err error
	if !p.punct('(') {
		return out, errors.New("want ( after the function")
	}
	if out.metric, err = p.ident(); err != nil {
		return out, fmt.Errorf("metric name: %w", err)
	}
	if !p.punct(')') {
		return out, errors.New("want ) after the metric name")
	}
	if !p.keyword("FROM") || !p.keyword("SCHEMA") || !p.punct('(') {
		return out, errors.New("want FROM SCHEMA(")
	}
	if out.namespace, err = p.ident(); err != nil {
		return out, fmt.Errorf("namespace: %w", err)
	}
	for p.punct(',') {
		d, err := p.ident()
		if err != nil {
			return out, fmt.Errorf("dimension: %w", err)
		}
		out.dims = append(out.dims, d)
	}
	if !p.punct(')') {
		return out, errors.New("want ) after the SCHEMA arguments")
	}
	p.space()
	if p.i != len(p.s) {
		return out, fmt.Errorf("unexpected %q", p.s[p.i:])
	}
	slices.Sort(out.dims)
	return out, nil
}

type miParser struct {
	s string
	i int
}

func (p *miParser) space() {
	for p.i < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[p.i])) {
		p.i++
	}
}

func (p *miParser) keyword(k string) bool {
	p.space()
	if len(p.s)-p.i < len(k) || !strings.EqualFold(p.s[p.i:p.i+len(k)], k) {
		return false
	}
	if j := p.i + len(k); j < len(p.s) && isBare(p.s[j]) {
		return false
	}
	p.i += len(k)
	return true
}

func (p *miParser) punct(c byte) bool {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func isBare(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (p *miParser) ident() (string, error) {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '"' {
		var b strings.Builder
		for j := p.i + 1; j < len(p.s); j++ {
			switch c := p.s[j]; {
			case c == '\\' && j+1 < len(p.s):
				j++
				b.WriteByte(p.s[j])
			case c == '"':
				p.i = j + 1
				if b.Len() == 0 {
					return "", errors.New("empty name")
				}
				return b.String(), nil
			default:
				b.WriteByte(c)
			}
		}
		return "", errors.New("unterminated quoted name")
	}
	j := p.i
	for j < len(p.s) && isBare(p.s[j]) {
		j++
	}
	if j == p.i {
		return "", errors.New("want a name")
	}
	name := p.s[p.i:j]
	p.i = j
	return name, nil
}
