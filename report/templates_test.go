package report

import (
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

func TestTemplateNotes(t *testing.T) {
	start := time.Date(2025, 10, 29, 12, 0, 0, 0, time.UTC)
	finding := func(ts ...cwlens.TemplateShare) cwlens.Finding {
		return cwlens.Finding{Kind: cwlens.KindIngestionLevelShift, Subject: "/ecs/app", Start: start, Templates: ts}
	}
	health := cwlens.TemplateShare{Template: "GET /health <*>", ByteShare: 0.706, GrowthRate: 18.3}
	debug := cwlens.TemplateShare{Template: "DEBUG rpc <*>", ByteShare: 0.133}
	for _, tc := range []struct {
		name string
		f    cwlens.Finding
		want []string
	}{
		{"no templates", finding(), nil},
		{"with a baseline: growth, and new for the rest", finding(health, debug), []string{
			"ingestion_level_shift /ecs/app: the sampled lines since 2025-10-29 12:00 UTC are mostly",
			"· 70.6 % of the bytes: `GET /health <*>` (18.3× its share before)",
			"· 13.3 % of the bytes: `DEBUG rpc <*>` (new)",
		}},
		{"without a baseline nothing is called new", finding(debug), []string{
			"ingestion_level_shift /ecs/app: the sampled lines since 2025-10-29 12:00 UTC are mostly",
			"· 13.3 % of the bytes: `DEBUG rpc <*>`",
		}},
		{"the first three only", finding(health, debug, debug, debug), []string{
			"ingestion_level_shift /ecs/app: the sampled lines since 2025-10-29 12:00 UTC are mostly",
			"· 70.6 % of the bytes: `GET /health <*>` (18.3× its share before)",
			"· 13.3 % of the bytes: `DEBUG rpc <*>` (new)",
			"· 13.3 % of the bytes: `DEBUG rpc <*>` (new)",
		}},
		{"escapes and backticks shown escaped", finding(cwlens.TemplateShare{Template: "\x1b]0;pwned\a\x1b[2J run `rm` \u202eevil", ByteShare: 0.5}), []string{
			"ingestion_level_shift /ecs/app: the sampled lines since 2025-10-29 12:00 UTC are mostly",
			"· 50.0 % of the bytes: `` \\x1b]0;pwned\\a\\x1b[2J run `rm` \\u202eevil ``",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := templateNotes(tc.f)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("notes\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain <*> text":             "plain <*> text",
		"é and 日本":                   "é and 日本",
		"\x1b[2J\x1b]0;title\a":      `\x1b[2J\x1b]0;title\a`,
		"tab\tand\nline":             `tab\tand\nline`,
		"\u202eright-to-left":        `\u202eright-to-left`,
		"bad \xff byte":              `bad \xff byte`,
		"\u0085next line, \u200fRLM": `\u0085next line, \u200fRLM`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}
