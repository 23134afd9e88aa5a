package cwlens_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/internal/awsemu"
)

func TestRoundTrip(t *testing.T) {
	s, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "snap.json")
	if err := cwlens.WriteSnapshot(path, s); err != nil {
		t.Fatal(err)
	}
	back, err := cwlens.ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := cwlens.EncodeSnapshot(s)
	b, _ := cwlens.EncodeSnapshot(back)
	if !bytes.Equal(a, b) {
		t.Fatal("snapshot changed in a write/read round trip")
	}
	written, _ := os.ReadFile(path)
	if !bytes.Equal(written, fixtures.ReferenceJSON()) {
		t.Fatal("WriteSnapshot of the reference differs from the committed file")
	}
}

// largeSnapshot returns a snapshot of groups log groups with days daily
// points of bytes and events each.
func largeSnapshot(groups, days int) *cwlens.Snapshot {
	start := time.Date(2025, 8, 3, 0, 0, 0, 0, time.UTC)
	s := &cwlens.Snapshot{
		SchemaVersion: cwlens.SchemaVersion, AccountID: "123456789012", Region: "us-east-1",
		CapturedAt: start.Add(time.Duration(days) * cwlens.Day),
		Window:     cwlens.Window{Start: start, End: start.Add(time.Duration(days) * cwlens.Day)},
		Services:   []cwlens.Service{}, // required, even empty
	}
	seven := 7
	for g := range groups {
		b := make([]float64, days)
		e := make([]float64, days)
		for d := range b {
			b[d] = float64(1_000_000 + (g*7919+d*104729)%9_000_000)
			e[d] = math.Round(b[d] / 250)
		}
		s.LogGroups = append(s.LogGroups, cwlens.LogGroup{
			Name: fmt.Sprintf("/ecs/bench/service-%05d", g), Class: cwlens.ClassStandard, RetentionDays: &seven,
			StoredBytes: int64(g) * 1000, CreationTime: start.Add(-cwlens.Day),
			DailyIncomingBytes:  cwlens.Series{Start: start, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: b},
			DailyIncomingEvents: cwlens.Series{Start: start, Period: cwlens.Day, Unit: cwlens.UnitCount, Values: e},
		})
	}
	return s
}

// BenchmarkDecodeSnapshotLarge reads 10,000 log groups × 90 daily points of
// bytes and events (about 40 MB of JSON).
func BenchmarkDecodeSnapshotLarge(b *testing.B) {
	data, err := cwlens.EncodeSnapshot(largeSnapshot(10_000, 90))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cwlens.DecodeSnapshot(bytes.NewReader(data), "large.json"); err != nil {
			b.Fatal(err)
		}
	}
}

// tempFiles lists what WriteSnapshot may have left in dir besides want.
func tempFiles(t *testing.T, dir string, want ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var extra []string
	for _, e := range entries {
		if !slices.Contains(want, e.Name()) {
			extra = append(extra, e.Name())
		}
	}
	return extra
}

func TestWriteSnapshotAtomic(t *testing.T) {
	good, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("invalid snapshot leaves the old file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "snap.json")
		if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		bad := *good
		bad.LogGroups = slices.Clone(good.LogGroups)
		bad.LogGroups[0].StoredBytes = -1
		err := cwlens.WriteSnapshot(path, &bad)
		if !cwlens.IsInputError(err) || !strings.Contains(err.Error(), "log_groups[0].stored_bytes") {
			t.Fatalf("got %v", err)
		}
		if b, _ := os.ReadFile(path); string(b) != "old" {
			t.Fatalf("old file changed to %.40q", b)
		}
		if extra := tempFiles(t, dir, "snap.json"); extra != nil {
			t.Fatalf("left behind %v", extra)
		}
	})
	t.Run("failed rename leaves the target and no temp file", func(t *testing.T) {
		// A directory where the file should go makes the final rename fail
		// after the temporary file was written and synced.
		dir := t.TempDir()
		path := filepath.Join(dir, "snap.json")
		if err := os.MkdirAll(filepath.Join(path, "keep"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := cwlens.WriteSnapshot(path, good); err == nil {
			t.Fatal("write over a directory succeeded")
		}
		if _, err := os.Stat(filepath.Join(path, "keep")); err != nil {
			t.Fatalf("target disturbed: %v", err)
		}
		if extra := tempFiles(t, dir, "snap.json"); extra != nil {
			t.Fatalf("left behind %v", extra)
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "no", "such", "snap.json")
		if err := cwlens.WriteSnapshot(path, good); err == nil || !strings.Contains(err.Error(), path) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("replaces the old file whole", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "snap.json")
		if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 1<<20), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := cwlens.WriteSnapshot(path, good); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); !bytes.Equal(b, fixtures.ReferenceJSON()) {
			t.Fatal("file is not the new snapshot")
		}
		if extra := tempFiles(t, dir, "snap.json"); extra != nil {
			t.Fatalf("left behind %v", extra)
		}
	})
}

func TestReadSnapshotMissingFile(t *testing.T) {
	_, err := cwlens.ReadSnapshot(filepath.Join(t.TempDir(), "nope.json"))
	if err == nil || !errors.Is(err, fs.ErrNotExist) || cwlens.IsInputError(err) {
		t.Fatalf("got %v; want a wrapped not-exist error", err)
	}
}

// BenchmarkReadSnapshotLarge reads the same snapshot from a file, as the CLI
// does.
func BenchmarkReadSnapshotLarge(b *testing.B) {
	path := filepath.Join(b.TempDir(), "large.json")
	if err := cwlens.WriteSnapshot(path, largeSnapshot(10_000, 90)); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cwlens.ReadSnapshot(path); err != nil {
			b.Fatal(err)
		}
	}
}

// wholeEncoding is the snapshot indented in one piece, scalar arrays
// joined: what the streaming writer must produce byte for byte.
func wholeEncoding(t *testing.T, s *cwlens.Snapshot) []byte {
	t.Helper()
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(cwlens.JoinScalarArrays(b), '\n')
}

func TestEncodeSnapshotToStreamsTheWholeEncoding(t *testing.T) {
	ref, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	synth := awsemu.Synthetic{LogGroups: 40, MetricFilters: 30, Services: 9, Clusters: 2, Days: 10,
		End: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), Seed: 3, MissingEvery: 4}.Build()
	synth.Gaps = []cwlens.Gap{{API: "ecs:ListServices", Resource: "*", Reason: "AccessDenied"}}
	// A name holding the text of a member marker, escaped in the JSON, must
	// not be taken for the member.
	tricky := largeSnapshot(2, 3)
	tricky.AccountName = "x\n  \"log_groups\": null,\n  \"services\": null"
	tests := []struct {
		name string
		s    *cwlens.Snapshot
	}{
		{"reference fixture", ref},
		{"synthetic with gaps and missing points", synth},
		{"marker text in a string", tricky},
		{"no log groups or services (nil)", largeSnapshot(0, 1)},
		{"empty log groups and services", func() *cwlens.Snapshot {
			s := largeSnapshot(0, 1)
			s.LogGroups, s.Services = []cwlens.LogGroup{}, []cwlens.Service{}
			return s
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := cwlens.EncodeSnapshotTo(&got, tt.s); err != nil {
				t.Fatal(err)
			}
			if want := wholeEncoding(t, tt.s); !bytes.Equal(got.Bytes(), want) {
				t.Fatalf("streamed encoding differs from the whole one:\n%s\n---\n%s", got.Bytes(), want)
			}
		})
	}
}

// failingWriter accepts n bytes, then fails.
type failingWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

func TestEncodeSnapshotToReportsWriteErrors(t *testing.T) {
	s := largeSnapshot(2000, 30) // several buffers' worth
	for _, n := range []int{0, 1000, 200 << 10} {
		if err := cwlens.EncodeSnapshotTo(&failingWriter{n: n}, s); !errors.Is(err, errDiskFull) {
			t.Errorf("after %d bytes: got %v, want the writer's error", n, err)
		}
	}
	bad := largeSnapshot(3, 2)
	bad.LogGroups[2].DailyIncomingBytes.Values[1] = math.Inf(1)
	if err := cwlens.EncodeSnapshotTo(io.Discard, bad); err == nil || !strings.Contains(err.Error(), "series value 1 is +Inf") {
		t.Errorf("infinite point: got %v", err)
	}
}

// TestEncodeSnapshotToMemory checks that writing goes one log group at a
// time, with no copy of the whole output: the stream allocates about 1.5
// times its output (each series' text once, encoding/json's copy of it),
// the whole encoding about 11 times. Both are measured alike, so that the
// race detector's allocations do not decide.
func TestEncodeSnapshotToMemory(t *testing.T) {
	s := largeSnapshot(3000, 90)
	allocated := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	var n countingWriter
	stream := allocated(func() {
		if err := cwlens.EncodeSnapshotTo(&n, s); err != nil {
			t.Fatal(err)
		}
	})
	whole := allocated(func() { wholeEncoding(t, s) })
	if stream > whole/4 {
		t.Fatalf("streaming %d bytes allocated %d bytes, the whole encoding %d; want at most a quarter", n, stream, whole)
	}
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
