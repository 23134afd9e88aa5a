package cwlens_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
)

// FuzzDecodeSnapshot feeds the reader arbitrary bytes: it must never panic,
// every rejection must be an *InputError, and whatever it accepts must
// survive an encode/decode round trip unchanged.
func FuzzDecodeSnapshot(f *testing.F) {
	f.Add(smallReference(f))
	f.Add([]byte(`{"schema_version":1}`))
	bad, _ := filepath.Glob(filepath.Join("testdata", "bad", "*.json"))
	for _, p := range bad {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := cwlens.DecodeSnapshot(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if !cwlens.IsInputError(err) {
				t.Fatalf("rejection is not an *InputError: %v", err)
			}
			return
		}
		enc, err := cwlens.EncodeSnapshot(s)
		if err != nil {
			t.Fatalf("accepted snapshot does not encode: %v", err)
		}
		back, err := cwlens.DecodeSnapshot(bytes.NewReader(enc), "re-encoded.json")
		if err != nil {
			t.Fatalf("re-encoded snapshot rejected: %v\n%s", err, enc)
		}
		enc2, err := cwlens.EncodeSnapshot(back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("round trip changed the snapshot:\n%s\n---\n%s", enc, enc2)
		}
	})
}

// smallReference returns the reference fixture cut down to two log groups,
// two services and a few points per series. The whole fixture (120 kB) is a
// poor seed: the fuzzer mutates and executes it only a few times a second.
func smallReference(f *testing.F) []byte {
	s, err := fixtures.Reference()
	if err != nil {
		f.Fatal(err)
	}
	s.LogGroups = []cwlens.LogGroup{s.LogGroups[0], s.LogGroups[len(s.LogGroups)-1]}
	s.Services = []cwlens.Service{s.Services[0], s.Services[len(s.Services)-1]}
	for i := range s.LogGroups {
		g := &s.LogGroups[i]
		for _, sr := range []*cwlens.Series{&g.DailyIncomingBytes, &g.DailyIncomingEvents, &g.HourlyIncomingBytes, &g.HourlyIncomingEvents} {
			*sr = lastPoints(*sr, 3)
		}
		for j := range g.MetricFilters {
			g.MetricFilters[j].Counts = lastPoints(g.MetricFilters[j].Counts, 3)
		}
		// The facilitator's sample is 1,392 lines (about 280 kB): as a
		// seed it would slow the fuzzer to a crawl, as the whole fixture does.
		if len(g.Sample) > 3 {
			g.Sample = g.Sample[len(g.Sample)-3:]
		}
	}
	for i := range s.Services {
		v := &s.Services[i]
		for _, sr := range []*cwlens.Series{&v.CPUAverage, &v.CPUMaximum, &v.MemoryAverage, &v.MemoryMaximum} {
			*sr = lastPoints(*sr, 3)
		}
	}
	b, err := cwlens.EncodeSnapshot(s)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// lastPoints returns the last n points of s.
func lastPoints(s cwlens.Series, n int) cwlens.Series {
	return s.Slice(s.End().Add(-time.Duration(n)*s.Period), s.End())
}
