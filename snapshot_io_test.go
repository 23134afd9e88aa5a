package cwlens_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
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
