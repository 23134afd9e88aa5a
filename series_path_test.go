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
