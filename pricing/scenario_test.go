package pricing

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
)

func TestParseReferenceScenario(t *testing.T) {
	sc := loadRefScenario(t)
	var got []string
	for _, c := range sc.Changes {
		got = append(got, c.Subject()+": "+c.String())
	}
	want := []string{
		"facilitator: resize to 512 CPU / 1024 MiB",
		"/ecs/karmacadabra-prod/facilitator: log level RUST_LOG=warn (−90 %)",
		"test-seller: capacity 100 % FARGATE_SPOT",
		"marketplace: capacity 100 % FARGATE_SPOT",
		"validator: resize to 768 MiB",
		`/ecs/karmacadabra-prod/facilitator: metric_filter "\"GET /health\""`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := sc.Validate(refSnapshot()); err != nil {
		t.Error(err)
	}
}

func TestParseSizes(t *testing.T) {
	cpu := map[string]int{"256": 256, "0.25 vCPU": 256, "1 vCPU": 1024, "2vcpu": 2048, "512 units": 512}
	for in, want := range cpu {
		if got, err := ParseCPU(in); err != nil || got != want {
			t.Errorf("ParseCPU(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	mem := map[string]int{"512": 512, "0.5 GB": 512, "1GB": 1024, "1024 MiB": 1024, "2 GiB": 2048, "768 MiB": 768}
	for in, want := range mem {
		if got, err := ParseMemory(in); err != nil || got != want {
			t.Errorf("ParseMemory(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"512 parsecs", "", "-1", "0", "0.1 MiB", "lots"} {
		if _, err := ParseMemory(bad); err == nil {
			t.Errorf("ParseMemory(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"0.3 vCPU", "1 core", "0"} {
		if _, err := ParseCPU(bad); err == nil {
			t.Errorf("ParseCPU(%q) accepted", bad)
		}
	}
	for in, want := range map[string]string{"90 %": "90", "90%": "90", "100": "100", "0 %": "0", "12.5 %": "12.5"} {
		if got, err := ParsePercent(in); err != nil || got.String() != want {
			t.Errorf("ParsePercent(%q) = %s, %v", in, got, err)
		}
	}
	for _, bad := range []string{"300 %", "-5 %", "ninety", "100.01"} {
		if _, err := ParsePercent(bad); err == nil {
			t.Errorf("ParsePercent(%q) accepted", bad)
		}
	}
}

// TestBadScenarios checks every file of the corpus under testdata/bad: each
// is refused whole with one InputError naming the file and the line its
// first comment gives ("# want: line N: text").
func TestBadScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) < 10 {
		t.Fatalf("corpus: %v, %d files", err, len(files))
	}
	snap := refSnapshot()
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(data), "\n")
			want, ok := strings.CutPrefix(first, "# want: ")
			if !ok {
				t.Fatalf("first line %q lacks '# want: line N: text'", first)
			}
			wantWhere, wantText, _ := strings.Cut(want, ": ")
			sc, err := ParseScenario(data, f)
			if err == nil {
				_, err = Project(snap, sc, Default(), Options{})
			}
			var ie *cwlens.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an InputError", err)
			}
			if ie.File != f || ie.Where != wantWhere || !strings.Contains(err.Error(), wantText) {
				t.Errorf("err = %q (where %q), want %s at %s", err, ie.Where, wantText, wantWhere)
			}
			if strings.Count(err.Error(), "\n") != 0 {
				t.Errorf("error is more than one line: %q", err)
			}
		})
	}
}

func FuzzParseScenario(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/bad/*.yaml")
	seeds = append(seeds, "../fixtures/karmacadabra-prod/scenario.yaml")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("changes:\n  - service: facilitator\n    capacity: {spot: 50 %, base: 1}\n"))
	f.Add([]byte("changes: [{log_group: a, retention_days: 30}, {log_group: a, log_class: INFREQUENT_ACCESS}]"))
	snap := refSnapshot()
	book := Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ParseScenario(data, "fuzz.yaml")
		if err != nil {
			if !cwlens.IsInputError(err) {
				t.Fatalf("parse error is not an InputError: %v", err)
			}
			return
		}
		p, err := Project(snap, sc, book, Options{})
		if err != nil {
			if !cwlens.IsInputError(err) {
				t.Fatalf("project error is not an InputError: %v", err)
			}
			return
		}
		cur, prop := sumLines(p.Lines)
		if !cur.Equal(p.CurrentMonthly) || !prop.Equal(p.ProposedMonthly) {
			t.Fatalf("totals do not add up")
		}
	})
}
