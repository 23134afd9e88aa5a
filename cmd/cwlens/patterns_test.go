package main

import (
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

const (
	floodLines    = "testdata/patterns/flood.log"
	baselineLines = "testdata/patterns/baseline.log"
)

func TestPatterns(t *testing.T) {
	cases := []cliCase{
		{name: "table", args: []string{"patterns", "--lines", floodLines}, golden: "patterns/flood.table.golden",
			stdout: []string{"116 events", "ERROR execution reverted: FiatTokenV2: invalid signature network=base tx=<*>",
				"INFO http_request{method=GET uri=/health} status=<*> elapsed=<*>", "Task Started (lifecycle event)", "Task Stopped (lifecycle event)"}},
		{name: "csv", args: []string{"patterns", "--lines", floodLines, "--format", "csv"}, golden: "patterns/flood.csv.golden"},
		{name: "json", args: []string{"patterns", "--lines", floodLines, "--format", "json"}, golden: "patterns/flood.json.golden"},
		{name: "grown", args: []string{"patterns", "--lines", floodLines, "--baseline-lines", baselineLines}, golden: "patterns/grown.table.golden",
			stdout: []string{"Templates that grew", "new", "ERROR execution reverted"}},
		{name: "grown csv", args: []string{"patterns", "--lines", floodLines, "--baseline-lines", baselineLines, "-f", "csv"},
			stdout: []string{"events,bytes,byte_share,baseline_events,baseline_bytes,added_bytes,added_share,growth,template", ",new,ERROR execution reverted"}},
		{name: "top", args: []string{"patterns", "--lines", floodLines, "--top", "2"}, stdout: []string{"… 3 more templates"}},

		{name: "missing file", args: []string{"patterns", "--lines", "testdata/patterns/nope.log"}, code: exitFailed,
			stderr: []string{"cwlens: testdata/patterns/nope.log: no such file or directory"}, stderrLine: true},
		{name: "stray bytes", args: []string{"patterns", "--lines", "testdata/patterns/bad-utf8.log"},
			stdout: []string{"broken \ufffd line"}},
		// A message that is no string is an application's JSON, mined as
		// such: one odd line never aborts the run.
		{name: "object message", args: []string{"patterns", "--lines", "testdata/patterns/bad-message.jsonl", "-f", "loghub"},
			stdout: []string{"1,ok\n", "2,message.nested=<*>\n"}},
		{name: "escapes shown escaped", args: []string{"patterns", "--lines", "testdata/patterns/escapes.log"},
			stdout: []string{`boot \x1b]<*>;pwned\a\x1b[<*> done`}},
		{name: "object message in baseline", args: []string{"patterns", "--lines", floodLines, "--baseline-lines", "testdata/patterns/bad-message.jsonl"},
			stdout: []string{"Templates that grew"}},
		{name: "no source", args: []string{"patterns"}, code: exitFailed, stderr: []string{"give --lines FILE or --log-group GROUP"}},
		{name: "both sources", args: []string{"patterns", "--lines", floodLines, "--log-group", "g"}, code: exitFailed, stderr: []string{"not both"}},
		{name: "bad format", args: []string{"patterns", "--lines", floodLines, "-f", "xml"}, code: exitFailed, stderr: []string{`--format: "xml" is not one of`}},
		{name: "loghub with baseline", args: []string{"patterns", "--lines", floodLines, "--baseline-lines", baselineLines, "-f", "loghub"}, code: exitFailed,
			stderr: []string{"leave out --baseline-lines"}},
		{name: "live flag offline", args: []string{"patterns", "--lines", floodLines, "--since", "2025-10-30"}, code: exitFailed,
			stderr: []string{"go with --log-group"}},
	}
	for _, c := range cases {
		c.noStdout = c.code != exitOK
		t.Run(c.name, c.check)
	}
}

// TestPatternsLoghub checks the scoring format: a header, then one
// properly quoted row per input line, LineId from 1, and the lines of one
// template sharing its text.
func TestPatternsLoghub(t *testing.T) {
	r := run(t, "patterns", "--lines", floodLines, "--format", "loghub")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 117 || rows[0][0] != "LineId" || rows[0][1] != "EventTemplate" {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	want := map[int]string{
		1: "INFO http_request{method=GET uri=/health} status=<*> elapsed=<*>",
		2: "ERROR execution reverted: FiatTokenV2: invalid signature network=base tx=<*>",
		3: "order <*> placed by user <*> total=<*> EUR",
		4: "[worker: <*>] Task Started (lifecycle event)",
		5: "[worker: <*>] Task Stopped (lifecycle event)",
	}
	for i, row := range rows[1:] {
		if row[0] != strconv.Itoa(i+1) {
			t.Fatalf("row %d has LineId %s", i+1, row[0])
		}
		if w, ok := want[i+1]; ok && row[1] != w {
			t.Errorf("line %d: %q, want %q", i+1, row[1], w)
		}
	}
}

func TestPatternsJSONShares(t *testing.T) {
	r := run(t, "patterns", "--lines", floodLines, "--baseline-lines", baselineLines, "--format", "json")
	var doc struct {
		Templates []struct {
			Template   string   `json:"template"`
			AddedShare float64  `json:"added_share"`
			Growth     *float64 `json:"growth"`
			New        bool     `json:"new"`
		} `json:"templates"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, p := range doc.Templates {
		sum += p.AddedShare
		if p.New == (p.Growth != nil) {
			t.Errorf("%q: new=%v growth=%v", p.Template, p.New, p.Growth)
		}
	}
	if len(doc.Templates) == 0 || sum < 0.999 || sum > 1.001 {
		t.Errorf("%d grown templates, added shares sum to %v", len(doc.Templates), sum)
	}
}
