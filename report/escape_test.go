package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

// TestHumanFormatsEscape: escape sequences and text-direction marks in an
// account's names, summaries and gap reasons reach neither the terminal
// (table) nor a Markdown file raw; Markdown and HTML syntax in a name does
// not become a link, an image or a heading's end. JSON keeps the values.
func TestHumanFormatsEscape(t *testing.T) {
	const (
		title = "\x1b]0;pwned\a"     // retitles a terminal window
		clear = "\x1b[2J"            // clears the screen
		rlo   = "\u202e"             // right-to-left override
		md    = "[x](http://e.test)" // a link in Markdown
	)
	start := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	r := &Report{
		Schema:    Schema,
		Account:   Account{ID: "123456789012", Name: "acme" + title + clear + md + "<img src=x>"},
		Region:    "us-east-1",
		Window:    cwlens.Window{Start: start, End: start.Add(7 * cwlens.Day)},
		Partial:   true,
		Gaps:      []cwlens.Gap{{API: "logs:DescribeLogGroups", Resource: "*", Reason: "denied" + clear}},
		Inventory: Inventory{LogGroups: []LogGroup{{Name: "/app/" + rlo + "gpj.exe", Class: "STANDARD"}}},
		Findings: []cwlens.Finding{{Kind: cwlens.Kind("no_retention"), Subject: "/app/" + rlo + "gpj.exe", Severity: cwlens.SeverityLow,
			Start: start, Summary: "never expires" + title, Status: cwlens.StatusNew}},
	}
	for _, f := range []Format{FormatTable, FormatMarkdown} {
		var b bytes.Buffer
		if err := Write(&b, r, f, Options{}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, raw := range []string{"\x1b", "\a", rlo} {
			if strings.Contains(out, raw) {
				t.Errorf("%s: output holds %q raw:\n%s", f, raw, out)
			}
		}
		wants := []string{`\x1b]0;pwned\a`, `\x1b[2J`, `/app/\u202egpj.exe`}
		if f == FormatMarkdown { // the backslashes escaped too, so they show
			wants = []string{`\\x1b\]0;pwned\\a`, `\\x1b\[2J`, `/app/\\u202egpj.exe`}
		}
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks the escaped %q:\n%s", f, want, out)
			}
		}
		if f == FormatMarkdown {
			head, _, _ := strings.Cut(out, "\n")
			if strings.Contains(head, md) || strings.Contains(strings.ReplaceAll(head, `\<`, ""), "<") || !strings.Contains(head, `\[x\](http://e.test)\<img src=x\> (123456789012)`) {
				t.Errorf("markdown heading not escaped: %q", head)
			}
		}
	}
	// The report itself is unchanged, and JSON keeps the values.
	var b bytes.Buffer
	if err := Write(&b, r, FormatJSON, Options{}); err != nil {
		t.Fatal(err)
	}
	if r.Account.Name != "acme"+title+clear+md+"<img src=x>" || !strings.Contains(b.String(), `"/app/`+rlo+`gpj.exe"`) {
		t.Errorf("the machine format changed the data:\n%s", b.String())
	}
}

// TestEscapedReportCopiesOnlyWhatChanges: a slice none of whose strings
// needs escaping is shared with the report (the writers only read it), one
// that does is copied with its escaped elements, and the report itself is
// never changed.
func TestEscapedReportCopiesOnlyWhatChanges(t *testing.T) {
	const clear = "\x1b[2J"
	r := &Report{
		Inventory: Inventory{
			LogGroups: []LogGroup{{Name: "/app/clean"}, {Name: "/app/" + clear}},
			Services:  []Service{{Cluster: "c", Name: "s"}},
		},
		Findings:   []cwlens.Finding{{Subject: "/app/clean", Summary: "fine"}},
		Projection: &Projection{Lines: []ProjectionLine{{ProjectionLine: cwlens.ProjectionLine{Subject: "/app/clean"}}}},
	}
	for name, escaped := range map[string]*Report{"printable": printableReport(r), "markdown": markdownReport(r)} {
		if &escaped.Findings[0] != &r.Findings[0] || &escaped.Inventory.Services[0] != &r.Inventory.Services[0] ||
			&escaped.Projection.Lines[0] != &r.Projection.Lines[0] {
			t.Errorf("%s: a slice with nothing to escape was copied", name)
		}
		if &escaped.Inventory.LogGroups[0] == &r.Inventory.LogGroups[0] {
			t.Fatalf("%s: the log groups, one of which needs escaping, were not copied", name)
		}
		if got := escaped.Inventory.LogGroups[1].Name; strings.Contains(got, clear) || !strings.HasPrefix(got, "/app/") {
			t.Errorf("%s: escaped name %q", name, got)
		}
		if escaped.Inventory.LogGroups[0].Name != "/app/clean" {
			t.Errorf("%s: the clean element of a copied slice became %q", name, escaped.Inventory.LogGroups[0].Name)
		}
	}
	if r.Inventory.LogGroups[1].Name != "/app/"+clear {
		t.Errorf("the report itself was changed: %q", r.Inventory.LogGroups[1].Name)
	}
}
