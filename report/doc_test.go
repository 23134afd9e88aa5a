package report

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestJSONDocumented keeps docs/report-json.md in step with the model: every
// key a report can carry is named in it as `key`, and its example is a
// cwlens.report/v1 document.
func TestJSONDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/report-json.md")
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, r := range []*Report{smallReport(), referenceReport(t)} {
		var b bytes.Buffer
		if err := Write(&b, r, FormatJSON, Options{}); err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys(v, nil) {
			if !bytes.Contains(doc, []byte("`"+k+"`")) && !slices.Contains(missing, k) {
				missing = append(missing, k)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("docs/report-json.md does not name %v", missing)
	}

	s := string(doc)
	start := strings.Index(s, "```json\n")
	end := strings.Index(s[start+1:], "```\n")
	if start < 0 || end < 0 {
		t.Fatal("docs/report-json.md has no ```json example")
	}
	var ex struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal([]byte(s[start+len("```json\n"):start+1+end]), &ex); err != nil || ex.Schema != Schema {
		t.Errorf("the example is not a %s document: schema %q, %v", Schema, ex.Schema, err)
	}
}

// keys returns every object key in v, depth first.
func keys(v any, acc []string) []string {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			acc = append(acc, k)
			acc = keys(x, acc)
		}
	case []any:
		for _, x := range v {
			acc = keys(x, acc)
		}
	}
	return acc
}
