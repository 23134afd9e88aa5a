package scalebench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/analyzer"
	"github.com/cwlens/cwlens/ingest"
	"github.com/cwlens/cwlens/internal/awsemu"
	"github.com/cwlens/cwlens/pricing"
	"github.com/cwlens/cwlens/report"
)

// end is the accounts' window end: fixed, so that runs compare.
var end = time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)

// sizes are the account sizes benchmarked: 10,000 log groups, and 50,000
// when CWLENS_BENCH_50K is set (about 1 GB of memory and minutes of CPU on
// its own: run it alone).
func sizes() []int {
	if os.Getenv("CWLENS_BENCH_50K") != "" {
		return []int{10_000, 50_000}
	}
	return []int{10_000}
}

// stage is what each stage's benchmark starts from, built once per size
// and shared by the benchmarks of one run.
type stage struct {
	snap     *cwlens.Snapshot
	file     string // the snapshot written, in the run's temporary directory
	findings []cwlens.Finding
	proj     *cwlens.Projection
	rep      *report.Report
}

var (
	stagesMu sync.Mutex
	stages   = map[int]*stage{}
	stageDir string
)

// prepared returns the account of n groups taken through every stage, once.
func prepared(b *testing.B, n int) *stage {
	b.Helper()
	stagesMu.Lock()
	defer stagesMu.Unlock()
	if st, ok := stages[n]; ok {
		return st
	}
	if stageDir == "" {
		d, err := os.MkdirTemp("", "cwlens-scalebench-")
		if err != nil {
			b.Fatal(err)
		}
		stageDir = d
	}
	st := &stage{snap: Account(n, end).Build(), file: filepath.Join(stageDir, fmt.Sprintf("%d.json", n))}
	if err := cwlens.WriteSnapshot(st.file, st.snap); err != nil {
		b.Fatal(err)
	}
	var err error
	if st.findings, err = analyzer.Analyze(st.snap, end, analyzer.DefaultConfig()); err != nil {
		b.Fatal(err)
	}
	if st.proj, err = price(st.snap, st.findings); err != nil {
		b.Fatal(err)
	}
	st.rep = report.New(st.snap, end, st.findings, st.proj)
	stages[n] = st
	return st
}

func TestMain(m *testing.M) {
	code := m.Run()
	if stageDir != "" {
		os.RemoveAll(stageDir)
	}
	os.Exit(code)
}

func price(snap *cwlens.Snapshot, findings []cwlens.Finding) (*cwlens.Projection, error) {
	book := pricing.Default()
	opts := pricing.Options{At: end}
	pricing.PriceFindings(findings, snap, book, opts)
	return pricing.Project(snap, nil, book, opts)
}

func forSizes(b *testing.B, run func(b *testing.B, n int)) {
	for _, n := range sizes() {
		b.Run(fmt.Sprintf("groups=%d", n), func(b *testing.B) { run(b, n) })
	}
}

// BenchmarkScan scans the account through the emulator, with the request
// quotas off on both sides so that the figures are the scan's own work (at
// AWS's quotas 10,000 groups take about 20 s of waiting). The emulator runs
// in this process: its CPU and heap count too.
func BenchmarkScan(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		snap := prepared(b, n).snap
		srv := awsemu.New(snap, awsemu.Options{NoQuotas: true}).Start()
		defer srv.Close()
		cfg := aws.Config{
			Region:       "us-east-1",
			Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
			BaseEndpoint: aws.String(srv.URL),
		}
		opts := ingest.Options{Until: end, Days: 35, RateScale: 1000, MaxBackoff: 5 * time.Millisecond,
			Now: func() time.Time { return end.Add(time.Hour) }}
		measure(b, func() {
			got, err := ingest.New(cfg, opts).Scan(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			if len(got.Gaps) > 0 || len(got.LogGroups) != n {
				b.Fatalf("scan: %d groups, gaps %v", len(got.LogGroups), got.Gaps)
			}
		})
	})
}

// BenchmarkWrite writes the snapshot to a file, as cwlens scan does.
func BenchmarkWrite(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		snap := prepared(b, n).snap
		path := filepath.Join(b.TempDir(), "snap.json")
		measure(b, func() {
			if err := cwlens.WriteSnapshot(path, snap); err != nil {
				b.Fatal(err)
			}
		})
		if fi, err := os.Stat(path); err == nil {
			b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
		}
	})
}

// BenchmarkRead reads the snapshot file, as cwlens report does.
func BenchmarkRead(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		file := prepared(b, n).file
		measure(b, func() {
			if _, err := cwlens.ReadSnapshot(file); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkAnalyze runs the analyzer with its default configuration.
func BenchmarkAnalyze(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		snap := prepared(b, n).snap
		measure(b, func() {
			if _, err := analyzer.Analyze(snap, end, analyzer.DefaultConfig()); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkPrice prices the findings and projects the account's cost with
// the embedded price book.
func BenchmarkPrice(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		st := prepared(b, n)
		measure(b, func() {
			if _, err := price(st.snap, st.findings); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkReport builds the report model from the snapshot, findings and
// projection.
func BenchmarkReport(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		st := prepared(b, n)
		measure(b, func() { report.New(st.snap, end, st.findings, st.proj) })
	})
}

// BenchmarkRender writes the report in each format to a file, unbuffered
// as cwlens report hands its output file to the writer.
func BenchmarkRender(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		rep := prepared(b, n).rep
		for _, f := range report.Formats {
			b.Run(string(f), func(b *testing.B) {
				path := filepath.Join(b.TempDir(), "report")
				var size int64
				measure(b, func() { size = render(b, path, rep, f) })
				b.ReportMetric(float64(size)/(1<<20), "file-MB")
			})
		}
	})
}

func render(b *testing.B, path string, rep *report.Report, f report.Format) int64 {
	out, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	if err := report.Write(out, rep, f, report.Options{}); err != nil {
		b.Fatal(err)
	}
	size, err := out.Seek(0, io.SeekCurrent)
	if err != nil {
		b.Fatal(err)
	}
	return size
}
