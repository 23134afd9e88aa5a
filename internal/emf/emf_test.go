package emf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

var at = time.Date(2025, 10, 31, 6, 0, 0, 123e6, time.UTC)

// TestRunLines checks the structure of every line against the specification
// and the values a dashboard would read.
func TestRunLines(t *testing.T) {
	cost := decimal.RequireFromString("1502.97")
	run := Run{
		Time:                at,
		Account:             "123456789012",
		BySeverity:          map[cwlens.Severity]int{cwlens.SeverityHigh: 3, cwlens.SeverityCritical: 1, cwlens.SeverityLow: 2},
		New:                 4,
		Resolved:            1,
		ProjectedMonthlyUSD: &cost,
		ScanDuration:        2500 * time.Millisecond,
		APICalls:            57,
		Partial:             true,
		Properties:          map[string]any{"report": "s3://b/p/latest/report.json"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, run.Lines()...); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("got %d lines, want 1 summary + 5 severities:\n%s", len(lines), buf.String())
	}
	bySev := map[string]float64{}
	for i, l := range lines {
		if err := Validate([]byte(l)); err != nil {
			t.Errorf("line %d: %v\n%s", i, err, l)
		}
		var doc struct {
			AWS struct {
				Timestamp         int64
				CloudWatchMetrics []struct {
					Namespace  string
					Dimensions [][]string
					Metrics    []struct{ Name, Unit string }
				}
			} `json:"_aws"`
			Account  string
			Severity string
			Findings float64
		}
		if err := json.Unmarshal([]byte(l), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.AWS.Timestamp != 1761890400123 {
			t.Errorf("line %d: Timestamp %d, want epoch ms 1761890400123", i, doc.AWS.Timestamp)
		}
		d := doc.AWS.CloudWatchMetrics[0]
		if d.Namespace != "cwlens" || doc.Account != "123456789012" {
			t.Errorf("line %d: namespace %q account %q", i, d.Namespace, doc.Account)
		}
		if i > 0 {
			if got := strings.Join(d.Dimensions[0], ","); got != "Account,Severity" {
				t.Errorf("line %d: dimensions %s", i, got)
			}
			bySev[doc.Severity] = doc.Findings
		}
	}
	want := map[string]float64{"info": 0, "low": 2, "medium": 0, "high": 3, "critical": 1}
	for s, n := range want {
		if got, ok := bySev[s]; !ok || got != n {
			t.Errorf("severity %s: %v (present %v), want %v", s, got, ok, n)
		}
	}
	var sum map[string]any
	json.Unmarshal([]byte(lines[0]), &sum)
	for name, v := range map[string]float64{"Findings": 6, "NewFindings": 4, "ResolvedFindings": 1, "ScanDuration": 2500,
		"APICalls": 57, "PartialScan": 1, "RunErrors": 0, "ProjectedMonthlyCostUSD": 1502.97} {
		if sum[name] != v {
			t.Errorf("summary %s = %v, want %v", name, sum[name], v)
		}
	}
	if sum["report"] != "s3://b/p/latest/report.json" {
		t.Errorf("summary report = %v", sum["report"])
	}
	if _, ok := sum["ProposedMonthlyCostUSD"]; ok {
		t.Error("a missing proposed cost is emitted")
	}
	if !strings.Contains(lines[0], `{"Name":"ScanDuration","Unit":"Milliseconds"}`) {
		t.Errorf("ScanDuration's unit is not Milliseconds: %s", lines[0])
	}
}

func TestMarshalRejects(t *testing.T) {
	tests := []struct {
		name string
		line Line
		want string
	}{
		{"NaN", Line{Namespace: "n", Time: at, Metrics: []Metric{{"m", Count, math.NaN()}}}, "NaN"},
		{"no namespace", Line{Time: at, Metrics: []Metric{{"m", Count, 1}}}, "Namespace"},
		{"bad unit", Line{Namespace: "n", Time: at, Metrics: []Metric{{"m", "Dollars", 1}}}, `Unit "Dollars"`},
		{"no metrics", Line{Namespace: "n", Time: at}, "Metrics has 0"},
		{"zero time", Line{Namespace: "n", Metrics: []Metric{{"m", Count, 1}}}, "Timestamp"},
		{"empty dimension value", Line{Namespace: "n", Time: at, Dimensions: []Dimension{{"Account", ""}}, Metrics: []Metric{{"m", Count, 1}}}, `dimension "Account" value`},
	}
	for _, tt := range tests {
		_, err := tt.line.Marshal()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := `{"_aws":{"Timestamp":1761890400123,"CloudWatchMetrics":[{"Namespace":"cwlens","Dimensions":[["Account"]],"Metrics":[{"Name":"APICalls","Unit":"Count"}]}]},"Account":"1","APICalls":5}`
	tests := []struct{ doc, want string }{
		{ok, ""},
		{`{"_aws":{"Timestamp":1761890400123,"CloudWatchMetrics":[{"Namespace":"c","Dimensions":[[]],"Metrics":[{"Name":"L"}]}]},"L":[1,2,3]}`, ""},
		{`{"_aws":{"Timestamp":1761890400123,"CloudWatchMetrics":[{"Namespace":"c","Dimensions":[],"Metrics":[{"Name":"L","StorageResolution":1}]}]},"L":1}`, ""},
		{`[1]`, "not a JSON object"},
		{ok + `x`, "data after"},
		{`{"APICalls":5}`, "no _aws"},
		{strings.Replace(ok, "1761890400123", "1761890400", 1), "looks like seconds"},
		{strings.Replace(ok, "1761890400123", `"2025-10-31"`, 1), "_aws"},
		{strings.Replace(ok, `"Timestamp":1761890400123,`, "", 1), "Timestamp missing"},
		{strings.Replace(ok, `"Namespace":"cwlens",`, "", 1), "Namespace"},
		{strings.Replace(ok, `"Dimensions":[["Account"]],`, "", 1), "Dimensions missing"},
		{strings.Replace(ok, `["Account"]`, `["Region"]`, 1), `dimension "Region" is not a string member`},
		{strings.Replace(ok, `"APICalls":5`, `"APICalls":"5"`, 1), "not a number"},
		{strings.Replace(ok, `"Name":"APICalls"`, `"Name":"Calls"`, 1), "no member"},
		{strings.Replace(ok, `"Unit":"Count"`, `"Unit":"count"`, 1), "not a CloudWatch unit"},
		{strings.Replace(ok, `"Unit":"Count"`, `"Unit":"Count","Extra":1`, 1), "unknown field"},
		{strings.Replace(ok, `"Unit":"Count"`, `"Unit":"Count","StorageResolution":5`, 1), "StorageResolution"},
		{strings.Replace(ok, `"CloudWatchMetrics":[{"Namespace":"cwlens","Dimensions":[["Account"]],"Metrics":[{"Name":"APICalls","Unit":"Count"}]}]`, `"CloudWatchMetrics":[]`, 1), "empty"},
		{"{\"a\":\n1}", "spans lines"},
	}
	for _, tt := range tests {
		err := Validate([]byte(tt.doc))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Validate(%s) = %v, want ok", tt.doc, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("Validate(%s) = %v, want %q", tt.doc, err, tt.want)
		}
	}
}

func TestValidateLimits(t *testing.T) {
	many := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return strings.Join(parts, ",")
	}
	// 31 dimension keys in one set.
	dims := many(31, func(i int) string { return fmt.Sprintf(`"d%d"`, i) })
	vals := many(31, func(i int) string { return fmt.Sprintf(`"d%d":"v"`, i) })
	doc := `{"_aws":{"Timestamp":1761890400123,"CloudWatchMetrics":[{"Namespace":"c","Dimensions":[[` + dims + `]],"Metrics":[{"Name":"m"}]}]},"m":1,` + vals + `}`
	if err := Validate([]byte(doc)); err == nil || !strings.Contains(err.Error(), "more than 30") {
		t.Errorf("31 dimensions: %v", err)
	}
	// 101 metrics in one directive.
	defs := many(101, func(i int) string { return fmt.Sprintf(`{"Name":"m%d"}`, i) })
	mvals := many(101, func(i int) string { return fmt.Sprintf(`"m%d":1`, i) })
	doc = `{"_aws":{"Timestamp":1761890400123,"CloudWatchMetrics":[{"Namespace":"c","Dimensions":[[]],"Metrics":[` + defs + `]}]},` + mvals + `}`
	if err := Validate([]byte(doc)); err == nil || !strings.Contains(err.Error(), "Metrics has 101") {
		t.Errorf("101 metrics: %v", err)
	}
	// An array of 101 values.
	doc = `{"_aws":{"Timestamp":1761890400123,"CloudWatchMetrics":[{"Namespace":"c","Dimensions":[[]],"Metrics":[{"Name":"m"}]}]},"m":[` + many(101, func(int) string { return "1" }) + `]}`
	if err := Validate([]byte(doc)); err == nil || !strings.Contains(err.Error(), "more than 100") {
		t.Errorf("101 values: %v", err)
	}
}

func FuzzValidate(f *testing.F) {
	f.Add(`{"_aws":{"Timestamp":1761890400123,"CloudWatchMetrics":[{"Namespace":"c","Dimensions":[["A"]],"Metrics":[{"Name":"m","Unit":"Count"}]}]},"A":"x","m":1}`)
	f.Fuzz(func(t *testing.T, doc string) {
		_ = Validate([]byte(doc)) // must not panic
	})
}
