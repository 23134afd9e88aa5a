package cwlens_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/awsemu"
)

// blockAccount has log groups and services over several of the reader's
// blocks (256 elements), with missing points.
func blockAccount() *cwlens.Snapshot {
	return awsemu.Synthetic{LogGroups: 600, MetricFilters: 60, Services: 300, Clusters: 3, Days: 8,
		End: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), Seed: 5, MissingEvery: 7}.Build()
}

func TestReadInBlocksKeepsEveryElement(t *testing.T) {
	want := blockAccount()
	b, err := cwlens.EncodeSnapshot(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cwlens.DecodeSnapshot(bytes.NewReader(b), "blocks.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.LogGroups) != cap(got.LogGroups) || len(got.Services) != cap(got.Services) {
		t.Errorf("capacity %d, %d for %d log groups and %d services: want exact slices", cap(got.LogGroups), cap(got.Services), len(got.LogGroups), len(got.Services))
	}
	again, err := cwlens.EncodeSnapshot(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, again) {
		t.Fatalf("a snapshot of %d log groups and %d services did not read back as written", len(want.LogGroups), len(want.Services))
	}
	if want.LogGroups[599].Name != got.LogGroups[599].Name || got.Services[299].Name != want.Services[299].Name {
		t.Error("the last elements differ")
	}
}

func TestReadInBlocksPlacesErrors(t *testing.T) {
	b, err := cwlens.EncodeSnapshot(blockAccount())
	if err != nil {
		t.Fatal(err)
	}
	// The 301st log group's name, in the second block, is not a string.
	name := `"name": "` + blockAccount().LogGroups[300].Name + `"`
	bad := bytes.Replace(b, []byte(name), []byte(`"name": 7`), 1)
	_, err = cwlens.DecodeSnapshot(bytes.NewReader(bad), "bad.json")
	var ie *cwlens.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an *InputError", err)
	}
	if !strings.Contains(ie.Error(), "log_groups[300].name") && !strings.Contains(ie.Error(), "log_groups/300/name") {
		t.Errorf("the error does not name log_groups[300].name: %v", ie)
	}
	for _, tt := range []struct{ doc, want string }{
		{`{"schema_version": 1, "account_id": "123456789012", "region": "us-east-1", "captured_at": "2025-10-02T00:00:00Z", "window": {"start": "2025-10-01T00:00:00Z", "end": "2025-10-02T00:00:00Z"}, "log_groups": [], "services": []}`, ""},
		{`{"schema_version": 1, "account_id": "123456789012", "region": "us-east-1", "captured_at": "2025-10-02T00:00:00Z", "window": {"start": "2025-10-01T00:00:00Z", "end": "2025-10-02T00:00:00Z"}, "log_groups": null, "services": []}`, "log_groups"},
		{`{"schema_version": 1, "account_id": "123456789012", "region": "us-east-1", "captured_at": "2025-10-02T00:00:00Z", "window": {"start": "2025-10-01T00:00:00Z", "end": "2025-10-02T00:00:00Z"}, "log_groups": {}, "services": []}`, "log_groups"},
	} {
		s, err := cwlens.DecodeSnapshot(strings.NewReader(tt.doc), "small.json")
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.doc, err)
		case tt.want == "" && (s.LogGroups == nil || len(s.LogGroups) != 0):
			t.Errorf("[] read as %#v, want an empty slice", s.LogGroups)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: got %v, want an error naming %s", tt.doc, err, tt.want)
		}
	}
}

// TestEventSeriesShareSlabs checks that the incoming-events series are read
// into slabs of their own, one after the other, away from the bytes series:
// released together, they free whole pages.
func TestEventSeriesShareSlabs(t *testing.T) {
	b, err := cwlens.EncodeSnapshot(blockAccount())
	if err != nil {
		t.Fatal(err)
	}
	s, err := cwlens.DecodeSnapshot(bytes.NewReader(b), "slabs.json")
	if err != nil {
		t.Fatal(err)
	}
	end := func(v []float64) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(v))) + uintptr(len(v))*8 }
	start := func(v []float64) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(v))) }
	adjacent := 0
	for i := 1; i < len(s.LogGroups); i++ {
		prev, g := &s.LogGroups[i-1], &s.LogGroups[i]
		if len(g.DailyIncomingEvents.Values) == 0 || len(prev.HourlyIncomingEvents.Values) == 0 {
			t.Fatalf("log group %d has no events series", i)
		}
		if start(g.DailyIncomingEvents.Values) == end(prev.HourlyIncomingEvents.Values) {
			adjacent++
		}
		if cap(g.DailyIncomingEvents.Values) != len(g.DailyIncomingEvents.Values) {
			t.Fatalf("log group %d: an events series may grow into its neighbour's values", i)
		}
	}
	// A slab of 65,536 points holds about 60 groups' 8 days of points.
	if adjacent < len(s.LogGroups)*9/10 {
		t.Errorf("%d of %d log groups' events follow the previous group's: want them in shared slabs", adjacent, len(s.LogGroups)-1)
	}
}
