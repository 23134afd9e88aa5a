package runstate

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")

	st, err := Load(path)
	if err != nil || st != nil {
		t.Fatalf("Load of a missing file = %v, %v; want nil, nil (first run)", st, err)
	}

	f := flood
	d := decimal.RequireFromString("1314.51")
	f.MonthlyCostUSD = &d
	res := Compare(nil, []cwlens.Finding{f, churn}, Options{At: day1})
	if err := Save(path, &res.Next); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !got.RunAt.Equal(day1) || len(got.Findings) != 2 {
		t.Fatalf("loaded %+v", got)
	}
	for i, r := range got.Findings {
		w := res.Next.Findings[i]
		if r.Key() != w.Key() || r.Severity != w.Severity || !r.FirstSeen.Equal(w.FirstSeen) || r.Summary != w.Summary {
			t.Errorf("finding %d = %+v, want %+v", i, r, w)
		}
	}
	if c := got.Findings[1].MonthlyCostUSD; c == nil || c.String() != "1314.51" {
		t.Errorf("cost = %v, want exactly 1314.51", c)
	}

	// Overwrite, and leave no temporary file behind.
	res2 := Compare(got, []cwlens.Finding{churn}, Options{At: day2})
	if err := Save(path, &res2.Next); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the state file", len(entries))
	}
	got2, err := Load(path)
	if err != nil || len(got2.Findings) != 1 || !got2.Findings[0].FirstSeen.Equal(day1) {
		t.Errorf("second load = %+v, %v", got2, err)
	}
}

func TestSaveIntoMissingDirectory(t *testing.T) {
	err := Save(filepath.Join(t.TempDir(), "nope", "state.json"), &State{})
	if err == nil || !strings.Contains(err.Error(), "write state") {
		t.Errorf("Save into a missing directory: %v", err)
	}
}

func TestEncodeEmpty(t *testing.T) {
	b, err := Encode(&State{RunAt: day1})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"findings": []`) || !strings.Contains(string(b), `"schema": "cwlens.state/v1"`) {
		t.Errorf("Encode = %s", b)
	}
}

// TestDecodeReport reads a previous run's cwlens.report/v1, as the Lambda
// function does with latest/report.json: resolved findings are closed and
// dropped; first_seen is kept; without it the report's time stands in.
func TestDecodeReport(t *testing.T) {
	doc := `{"schema":"cwlens.report/v1","account":{"id":"123456789012"},"region":"us-east-1",
	 "window":{"start":"2025-09-27T00:00:00Z","end":"2025-10-31T00:00:00Z"},
	 "findings":[
	  {"kind":"ingestion_level_shift","subject":"/ecs/karmacadabra-prod/facilitator","severity":"critical",
	   "monthly_cost_impact_usd":"1314.51","status":"ongoing","first_seen":"2025-10-29T06:00:00Z","evidence":{"baseline":5}},
	  {"kind":"error_surge","subject":"/ecs/karmacadabra-prod/facilitator","filter":"ERROR","severity":"high","monthly_cost_impact_usd":null},
	  {"kind":"no_retention","subject":"/aws/lambda/old","severity":"low","status":"resolved"}
	 ]}`
	st, err := Decode("latest/report.json", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Findings) != 2 {
		t.Fatalf("got %d open findings, want 2 (resolved dropped)", len(st.Findings))
	}
	if got := st.Findings[0]; !got.FirstSeen.Equal(day1) || got.Severity != cwlens.SeverityCritical || got.MonthlyCostUSD.String() != "1314.51" {
		t.Errorf("finding 0 = %+v", got)
	}
	if got := st.Findings[1]; got.Filter != "ERROR" || got.FirstSeen.Format("2006-01-02") != "2025-10-31" || got.MonthlyCostUSD != nil {
		t.Errorf("finding 1 = %+v", got)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ doc, want string }{
		{`{"schema":"cwlens.state/v1","findings":[`, "s.json: findings: truncated JSON: the file ends inside this value (line 1, column 41)"},
		{`{"schema":"cwlens.state/v1","findings":[],"findings":[]}`, `s.json: findings: "findings": duplicate member name (line 1, column 43)`},
		{`{"schema":"cwlens.state/v9","findings":[]}`, `s.json: schema: "cwlens.state/v9": want "cwlens.state/v1" or "cwlens.report/v1"`},
		{`{"findings":[]}`, `s.json: schema: "": want`},
		{`{"schema":"cwlens.state/v1","findings":[{"kind":"","subject":"x","severity":"low"}]}`, `s.json: findings[0].kind: "": must not be empty`},
		{`{"schema":"cwlens.state/v1","findings":[{"kind":"k","subject":"x","severity":"low"},{"kind":"k","subject":"","severity":"low"}]}`, `s.json: findings[1].subject: "": must not be empty`},
		{`{"schema":"cwlens.state/v1","findings":[{"kind":"k","subject":"x","severity":"urgent"}]}`, `s.json: findings[0].severity: "urgent": unknown severity`},
		{`{"schema":"cwlens.state/v1","findings":[{"kind":"k","subject":"x","severity":"low","status":"open"}]}`, `s.json: findings[0].status: "open": want new, ongoing or resolved`},
		{`{"schema":"cwlens.state/v1","findings":[{"kind":"k","subject":7,"severity":"low"}]}`, `s.json: findings[0].subject: 7: want a string, got a number (line 1, column 63)`},
		{`{"schema":"cwlens.state/v1","findings":[{"kind":"k","subject":"x","severity":"low","monthly_cost_impact_usd":"lots"}]}`, `s.json: `},
	}
	for _, tt := range tests {
		_, err := Decode("s.json", strings.NewReader(tt.doc))
		if err == nil {
			t.Errorf("Decode(%s) = nil error, want %q", tt.doc, tt.want)
			continue
		}
		if !cwlens.IsInputError(err) {
			t.Errorf("Decode(%s) = %v, not an InputError", tt.doc, err)
		}
		if !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Decode(%s)\n  = %q\nwant prefix %q", tt.doc, err, tt.want)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("error spans lines: %q", err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(`{"schema":"cwlens.state/v1","run_at":"2025-10-29T06:00:00Z","findings":[{"kind":"k","subject":"x","severity":"low","first_seen":"2025-10-29T06:00:00Z"}]}`)
	f.Add(`{"schema":"cwlens.report/v1","findings":[{"kind":"k","subject":"x","severity":"high","status":"resolved"}]}`)
	f.Add(`{"schema":"cwlens.state/v1","findings":null}`)
	f.Fuzz(func(t *testing.T, doc string) {
		st, err := Decode("fuzz.json", strings.NewReader(doc))
		if err != nil {
			if !cwlens.IsInputError(err) {
				t.Fatalf("error is not an InputError: %v", err)
			}
			return
		}
		// What decodes must survive a round trip unchanged.
		b, err := Encode(st)
		if err != nil {
			t.Fatal(err)
		}
		st2, err := Decode("again.json", strings.NewReader(string(b)))
		if err != nil {
			t.Fatalf("re-decode of %s: %v", b, err)
		}
		if len(st2.Findings) != len(st.Findings) {
			t.Fatalf("round trip lost findings: %d → %d", len(st.Findings), len(st2.Findings))
		}
		for i := range st.Findings {
			if st.Findings[i].Key() != st2.Findings[i].Key() || !st.Findings[i].FirstSeen.Equal(st2.Findings[i].FirstSeen) {
				t.Fatalf("round trip changed finding %d: %+v → %+v", i, st.Findings[i], st2.Findings[i])
			}
		}
	})
}

// TestDecodeOwner: the owner is read from a state file (account_id, region)
// and from a report (account.id, region), and CheckOwner refuses another's.
func TestDecodeOwner(t *testing.T) {
	for _, doc := range []string{
		`{"schema":"cwlens.state/v1","account_id":"123456789012","region":"eu-west-1","run_at":"2025-10-31T00:00:00Z","findings":[]}`,
		`{"schema":"cwlens.report/v1","account":{"id":"123456789012","name":"x"},"region":"eu-west-1","evaluated_at":"2025-10-31T00:00:00Z","findings":[]}`,
	} {
		st, err := Decode("s", strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if st.AccountID != "123456789012" || st.Region != "eu-west-1" {
			t.Errorf("%s: owner %q %q", doc, st.AccountID, st.Region)
		}
		if err := st.CheckOwner("123456789012", "eu-west-1"); err != nil {
			t.Errorf("own state refused: %v", err)
		}
		for _, o := range [][2]string{{"123456789013", "eu-west-1"}, {"123456789012", "us-east-1"}} {
			if err := st.CheckOwner(o[0], o[1]); !errors.Is(err, ErrOwner) {
				t.Errorf("%v: %v, want ErrOwner", o, err)
			}
		}
	}
	var none *State
	if err := none.CheckOwner("123456789012", "us-east-1"); err != nil {
		t.Errorf("no state: %v", err)
	}
	if err := (&State{}).CheckOwner("123456789012", "us-east-1"); err != nil {
		t.Errorf("a state without an owner (older file): %v", err)
	}
	b, err := Encode(&State{AccountID: "123456789012", Region: "eu-west-1"})
	if err != nil || !strings.Contains(string(b), `"account_id": "123456789012"`) || !strings.Contains(string(b), `"region": "eu-west-1"`) {
		t.Errorf("Encode: %v\n%s", err, b)
	}
}

// TestLimitReader: past its limit the reader fails; up to it, it ends as
// its source ends.
func TestLimitReader(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int64
		fail bool
	}{{"abcd", 4, false}, {"abcde", 4, true}, {"", 0, false}, {"a", 0, true}} {
		_, err := io.ReadAll(&limitReader{r: strings.NewReader(tt.in), n: tt.n})
		if got := errors.Is(err, errTooLarge); got != tt.fail {
			t.Errorf("%q with limit %d: err = %v, want too large %v", tt.in, tt.n, err, tt.fail)
		}
	}
}
