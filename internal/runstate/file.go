package runstate

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/atomicfile"
	"github.com/cwlens/cwlens/internal/jsonin"
	"github.com/shopspring/decimal"
)

// Schema names the state file format.
const Schema = "cwlens.state/v1"

// reportSchema is the report format; a previous report serves as a state too,
// which is how the Lambda function reads its last run from S3.
const reportSchema = "cwlens.report/v1"

// maxStateBytes bounds what Decode reads: a state file of a large account is
// a few MB; anything far larger is not a state file.
const maxStateBytes = cwlens.MaxStateBytes

// Load reads the state file at path. A missing file is a first run: Load
// returns nil and no error.
func Load(path string) (*State, error) {
	b, err := cwlens.ReadJSONObject(path, maxStateBytes, "state file")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return Decode(path, bytes.NewReader(b))
}

// Save writes st to path atomically: a temporary file in the same directory,
// synced, then renamed over path, so a crash leaves the old state or the new
// one, never half of either.
func Save(path string, st *State) error {
	b, err := Encode(st)
	if err != nil {
		return fmt.Errorf("write state %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, b); err != nil {
		return fmt.Errorf("write state %s: %w", path, err)
	}
	return nil
}

// Encode returns st as an indented cwlens.state/v1 document.
func Encode(st *State) ([]byte, error) {
	doc := struct {
		Schema string `json:"schema"`
		*State
	}{Schema, st}
	if doc.State.Findings == nil {
		cp := *st
		cp.Findings = []Record{}
		doc.State = &cp
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// fileDoc is the union of a state file and the parts of a report a state is
// read from.
type fileDoc struct {
	Schema    string `json:"schema"`
	AccountID string `json:"account_id"` // a state's
	Region    string `json:"region"`     // both's
	Account   struct {
		ID string `json:"id"`
	} `json:"account"` // a report's
	RunAt time.Time `json:"run_at"`
	// A report's evaluation time, under the names report formats use.
	GeneratedAt time.Time `json:"generated_at"`
	EvaluatedAt time.Time `json:"evaluated_at"`
	Window      struct {
		End time.Time `json:"end"`
	} `json:"window"`
	Findings []fileFinding `json:"findings"`
}

type fileFinding struct {
	Kind           string           `json:"kind"`
	Subject        string           `json:"subject"`
	Filter         string           `json:"filter"`
	Severity       string           `json:"severity"`
	Summary        string           `json:"summary"`
	Status         string           `json:"status"`
	MonthlyCostUSD *decimal.Decimal `json:"monthly_cost_impact_usd"`
	FirstSeen      *time.Time       `json:"first_seen"`
	LastSeen       *time.Time       `json:"last_seen"`
}

// Decode reads a state from r: a cwlens.state/v1 file, or a cwlens.report/v1
// report whose findings (less the resolved ones) become the open state. name
// is the file or object the data came from, for errors, which are
// *cwlens.InputError naming the field and value.
func Decode(name string, r io.Reader) (*State, error) {
	var doc fileDoc
	lr := &limitReader{r: r, n: maxStateBytes}
	err := stateDoc.Decode(lr, &doc)
	var je *jsonin.Error
	switch {
	case errors.Is(err, errTooLarge):
		return nil, cwlens.Inputf(name, "", "", "larger than %d MB; not a state file", maxStateBytes>>20)
	case errors.As(err, &je):
		return nil, cwlens.Inputf(name, je.Path, je.Value, "%s", je.Detail())
	case err != nil:
		return nil, fmt.Errorf("read state %s: %w", name, err)
	}
	var runAt time.Time
	switch doc.Schema {
	case Schema:
		runAt = doc.RunAt
	case reportSchema:
		for _, t := range []time.Time{doc.RunAt, doc.GeneratedAt, doc.EvaluatedAt, doc.Window.End} {
			if !t.IsZero() {
				runAt = t
				break
			}
		}
	default:
		return nil, cwlens.Inputf(name, "schema", fmt.Sprintf("%q", doc.Schema), "want %q or %q", Schema, reportSchema)
	}
	st := &State{AccountID: cmp.Or(doc.AccountID, doc.Account.ID), Region: doc.Region, RunAt: runAt.UTC()}
	for i, f := range doc.Findings {
		where := func(field string) string { return fmt.Sprintf("findings[%d].%s", i, field) }
		if f.Kind == "" {
			return nil, cwlens.Inputf(name, where("kind"), `""`, "must not be empty")
		}
		if f.Subject == "" {
			return nil, cwlens.Inputf(name, where("subject"), `""`, "must not be empty")
		}
		sev, err := cwlens.ParseSeverity(f.Severity)
		if err != nil {
			return nil, cwlens.Inputf(name, where("severity"), fmt.Sprintf("%q", f.Severity), "%v", err)
		}
		switch cwlens.Status(f.Status) {
		case "", cwlens.StatusNew, cwlens.StatusOngoing:
		case cwlens.StatusResolved:
			continue // closed: never carried into the next run
		default:
			return nil, cwlens.Inputf(name, where("status"), fmt.Sprintf("%q", f.Status), "want new, ongoing or resolved")
		}
		rec := Record{
			Kind: cwlens.Kind(f.Kind), Subject: f.Subject, Filter: f.Filter, Severity: sev,
			Summary: f.Summary, MonthlyCostUSD: f.MonthlyCostUSD, FirstSeen: st.RunAt, LastSeen: st.RunAt,
		}
		if f.FirstSeen != nil {
			rec.FirstSeen = f.FirstSeen.UTC()
		}
		if f.LastSeen != nil {
			rec.LastSeen = f.LastSeen.UTC()
		}
		st.Findings = append(st.Findings, rec)
	}
	return st, nil
}

// stateDoc is how a state is read: on encoding/json/v2 rules, members it
// does not use (the rest of a report) ignored.
var stateDoc = jsonin.Doc{What: "state object"}

// errTooLarge is what limitReader returns past its limit.
var errTooLarge = errors.New("input too large")

// limitReader reads at most n bytes from r, and fails past them rather
// than end: a cut input must not pass for a short one.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, errTooLarge
	}
	return n, err
}
