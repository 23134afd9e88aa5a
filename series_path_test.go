package cwlens

import (
	"errors"
	"strings"
	"testing"
)

func TestDecodeNamesTheSeries(t *testing.T) {
	const doc = `{"schema_version": 1, "services": [{}, {"cpu_maximum": {
	  "start": "2025-10-25T00:00:00Z", "period_seconds": 3600, "unit": "Percent",
	  "points": [["2025-10-25T01:00:00Z", 1], ["2025-10-25T00:00:00Z", 2]]}}]}`
	_, err := DecodeSnapshot(strings.NewReader(doc), "s.json")
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an *InputError", err)
	}
	if want := "services[1].cpu_maximum.points[1][0]"; ie.File != "s.json" || ie.Where != want {
		t.Errorf("error %q names %q in %q, want %q in s.json", err, ie.Where, ie.File, want)
	}
}

// TestDecodeRefusesWhatV2Refuses: a member named twice and invalid UTF-8,
// which encoding/json (v1) let through, are refused where they are.
func TestDecodeRefusesWhatV2Refuses(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"{\"schema_version\": 1,\n \"region\": \"us-east-1\", \"region\": \"eu-west-1\"}", `s.json: region: "region": duplicate member name (line 2, column 25)`},
		{"{\"schema_version\": 1, \"region\": \"us-east-1\xff\"}", "s.json: region: \uFFFD: malformed JSON: "},
	}
	for _, tt := range tests {
		_, err := DecodeSnapshot(strings.NewReader(tt.doc), "s.json")
		if !IsInputError(err) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("DecodeSnapshot(%q) = %v, want an *InputError %q", tt.doc, err, tt.want)
		}
	}
}

// TestSeriesProblemPlaced: a problem with a series as a whole (its period)
// is placed at the series' opening brace, not at the ':' before it.
func TestSeriesProblemPlaced(t *testing.T) {
	const doc = "{\"schema_version\": 1, \"services\": [{\"cpu_maximum\":\n   {\"start\": \"2025-10-25T00:00:00Z\", \"period_seconds\": 0, \"unit\": \"Percent\", \"values\": []}}]}"
	_, err := DecodeSnapshot(strings.NewReader(doc), "s.json")
	want := "s.json: services[0].cpu_maximum.period_seconds: 0: must be a positive whole number of seconds (line 2, column 4)"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}
