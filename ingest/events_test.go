package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/ingest"
	"github.com/cwlens/cwlens/internal/awsemu"
)

// floodAccount is a small account whose first log group carries n events,
// evenly spread over the hour before synthEnd: health checks, and from
// the middle of the hour on, a retry storm.
func floodAccount(n, pad int) (*cwlens.Snapshot, string) {
	snap := awsemu.Synthetic{LogGroups: 2, Days: 3, End: synthEnd, Seed: 5}.Build()
	g := &snap.LogGroups[0]
	g.Class = cwlens.ClassStandard
	start := synthEnd.Add(-time.Hour)
	step := time.Hour / time.Duration(n)
	for i := 0; i < n; i++ {
		msg := fmt.Sprintf("GET /health 200 %dms%s", i%50, strings.Repeat(" ", pad))
		if i >= n/2 && i%2 == 0 {
			msg = fmt.Sprintf("ERROR retrying connection to db-%d.internal.example.com after %dms", i%3, i%700)
		}
		g.Sample = append(g.Sample, cwlens.LogEvent{Timestamp: start.Add(time.Duration(i) * step), Message: msg})
	}
	return snap, g.Name
}

func newEvents(t *testing.T, snap *cwlens.Snapshot) (*ingest.Events, *eventsServer) {
	t.Helper()
	// The client's limiter and the emulator's bucket never tick together
	// (nor do a client's and AWS's); the SDK retries the rare throttle this
	// causes. A 10 % margin on the emulator keeps the tests' counts exact.
	srv := &eventsServer{Server: awsemu.NewServer(t, snap, awsemu.Options{TimeScale: timeScale * 1.1})}
	cfg := testConfig(srv.URL)
	cfg.HTTPClient = &http.Client{Transport: &srv.wire}
	return ingest.NewEvents(cfg, ingest.Options{RateScale: timeScale, MaxBackoff: 5 * time.Millisecond}), srv
}

// eventsServer is the emulator with a count of what went over the wire.
type eventsServer struct {
	*awsemu.Server
	wire attempts
}

// checkOps fails unless the client started want calls of op (first
// attempts: what the code under test asked for), the emulator answered
// every attempt of op with success, and nothing was throttled. Attempts
// and operations differ when the SDK retries an answered attempt whose
// body it could not read to the end, which a loaded machine under -race
// now and then provokes; the server then counts one more than the code.
func (s *eventsServer) checkOps(t *testing.T, api string, want int) {
	t.Helper()
	c := s.Calls()[api]
	op := api[strings.Index(api, ":")+1:]
	first, total := s.wire.count(op)
	if first != want || c.OK != total || c.Throttled != 0 || c.Requests != total {
		t.Errorf("%s: %d calls started, want %d; %d attempts on the wire; emulator %+v", api, first, want, total, c)
	}
}

// attempts is an http.RoundTripper that counts the attempts of each AWS
// JSON operation, and among them the first attempts (amz-sdk-request:
// attempt=1), which are the calls the code made.
type attempts struct {
	mu    sync.Mutex
	first map[string]int
	total map[string]int
}

func (a *attempts) RoundTrip(r *http.Request) (*http.Response, error) {
	op := r.Header.Get("X-Amz-Target")
	op = op[strings.Index(op, ".")+1:]
	a.mu.Lock()
	if a.total == nil {
		a.first, a.total = map[string]int{}, map[string]int{}
	}
	a.total[op]++
	if strings.HasPrefix(r.Header.Get("Amz-Sdk-Request"), "attempt=1;") {
		a.first[op]++
	}
	a.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func (a *attempts) count(op string) (first, total int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.first[op], a.total[op]
}

func totalBytes(evs []cwlens.LogEvent) float64 {
	var b float64
	for _, e := range evs {
		b += float64(len(e.Message))
	}
	return b
}

func TestSampleReadsAllOfAQuietWindow(t *testing.T) {
	snap, group := floodAccount(600, 0)
	ev, srv := newEvents(t, snap)
	s, err := ev.Sample(context.Background(), ingest.SampleOptions{Group: group, Start: synthEnd.Add(-time.Hour), End: synthEnd})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Events) != 600 || !s.Complete() {
		t.Fatalf("%d events, complete %v", len(s.Events), s.Complete())
	}
	if got, want := s.EstimatedBytes(), totalBytes(snap.LogGroups[0].Sample); got != want {
		t.Errorf("estimated %v bytes, read %v", got, want)
	}
	srv.checkOps(t, "logs:FilterLogEvents", s.Calls)
}

func TestSampleIsBoundedAndSpread(t *testing.T) {
	snap, group := floodAccount(24000, 0)
	ev, srv := newEvents(t, snap)
	s, err := ev.Sample(context.Background(), ingest.SampleOptions{Group: group, Start: synthEnd.Add(-time.Hour), End: synthEnd, MaxEvents: 1200, Slices: 12})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Events) != 1200 || s.Complete() {
		t.Fatalf("%d events, complete %v", len(s.Events), s.Complete())
	}
	for i, sl := range s.Slices {
		if sl.Events != 100 {
			t.Errorf("slice %d read %d events, want 100", i, sl.Events)
		}
		for _, e := range s.Events[i*100 : (i+1)*100] {
			if e.Timestamp.Before(sl.Start) || !e.Timestamp.Before(sl.End) {
				t.Fatalf("event at %s outside slice %d [%s, %s)", e.Timestamp, i, sl.Start, sl.End)
			}
		}
	}
	// The rate is even within each slice, so the extrapolation is close.
	want := totalBytes(snap.LogGroups[0].Sample)
	if got := s.EstimatedBytes(); math.Abs(got-want)/want > 0.02 {
		t.Errorf("estimated %.0f bytes, true %.0f", got, want)
	}
	srv.checkOps(t, "logs:FilterLogEvents", 12)
	if s.Calls != 12 {
		t.Errorf("sampler counted %d calls, want 12", s.Calls)
	}
}

// TestSamplePagesOfOneMB: 400 events of 5 kB are 2 MB; FilterLogEvents
// pages hold at most 1 MB, so one slice takes several calls.
func TestSamplePagesOfOneMB(t *testing.T) {
	snap, group := floodAccount(400, 5000)
	ev, _ := newEvents(t, snap)
	s, err := ev.Sample(context.Background(), ingest.SampleOptions{Group: group, Start: synthEnd.Add(-time.Hour), End: synthEnd, Slices: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Events) != 400 || !s.Complete() || s.Calls < 2 {
		t.Fatalf("%d events in %d calls, complete %v", len(s.Events), s.Calls, s.Complete())
	}
}

func TestSampleUnknownGroup(t *testing.T) {
	snap, _ := floodAccount(10, 0)
	ev, _ := newEvents(t, snap)
	_, err := ev.Sample(context.Background(), ingest.SampleOptions{Group: "/no/such/group", Start: synthEnd.Add(-time.Hour), End: synthEnd})
	if !errors.Is(err, ingest.ErrLogGroupNotFound) {
		t.Fatalf("err = %v, want ErrLogGroupNotFound", err)
	}
}

func TestPatterns(t *testing.T) {
	snap, group := floodAccount(2000, 0)
	ev, srv := newEvents(t, snap)
	res, err := ev.Patterns(context.Background(), group, synthEnd.Add(-time.Hour), synthEnd, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if res.Polls < 2 || len(res.Rows) != 2 {
		t.Fatalf("%d polls, rows %+v", res.Polls, res.Rows)
	}
	var n int64
	for _, r := range res.Rows {
		n += r.Count
		if strings.HasPrefix(r.Pattern, "ERROR retrying") && r.Severity != "Error" {
			t.Errorf("%q labelled %q", r.Pattern, r.Severity)
		}
	}
	if n != 2000 || res.RecordsScanned != 2000 || res.BytesScanned < totalBytes(snap.LogGroups[0].Sample) {
		t.Errorf("counts %d, scanned %v records, %v bytes", n, res.RecordsScanned, res.BytesScanned)
	}
	srv.checkOps(t, "logs:StartQuery", 1)
	srv.checkOps(t, "logs:GetQueryResults", res.Polls)
}

func TestIncomingBytes(t *testing.T) {
	snap, group := floodAccount(10, 0)
	ev, _ := newEvents(t, snap)
	h := snap.LogGroups[0].HourlyIncomingBytes
	start := synthEnd.Add(-6 * time.Hour)
	var want float64
	for i, v := range h.Values {
		if t0 := h.Time(i); !t0.Before(start) && t0.Before(synthEnd) && !cwlens.IsMissing(v) {
			want += v
		}
	}
	got, ok, err := ev.IncomingBytes(context.Background(), group, start.Add(10*time.Minute), synthEnd)
	if err != nil || !ok {
		t.Fatalf("IncomingBytes: %v, ok %v", err, ok)
	}
	if math.Abs(got-want) > 1e-6*want {
		t.Errorf("IncomingBytes %v, want %v (whole hours)", got, want)
	}
}

func TestPatternsRefusedOnInfrequentAccess(t *testing.T) {
	snap, group := floodAccount(10, 0)
	snap.LogGroups[0].Class = cwlens.ClassInfrequentAccess
	ev, _ := newEvents(t, snap)
	_, err := ev.Patterns(context.Background(), group, synthEnd.Add(-time.Hour), synthEnd, time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "Infrequent Access") {
		t.Fatalf("err = %v", err)
	}
}

// TestSampleKeepsToTheQuota: 90 slices are 90 calls, past the 25-call
// burst of FilterLogEvents in us-east-1; the client's limiter paces them so
// that the emulator, enforcing the same quota, throttles none.
func TestSampleKeepsToTheQuota(t *testing.T) {
	snap, group := floodAccount(9000, 0)
	ev, srv := newEvents(t, snap)
	s, err := ev.Sample(context.Background(), ingest.SampleOptions{Group: group, Start: synthEnd.Add(-time.Hour), End: synthEnd, MaxEvents: 900, Slices: 90})
	if err != nil {
		t.Fatal(err)
	}
	srv.checkOps(t, "logs:FilterLogEvents", 90)
	if len(s.Events) != 900 {
		t.Errorf("%d events, want 900", len(s.Events))
	}
}

// TestIncomingBytesOfAQuietWindow: a window with no ingestion has no
// IncomingBytes datapoint, and reads as 0 bytes, known; a final
// PartialData leaves the bytes unknown.
func TestIncomingBytesOfAQuietWindow(t *testing.T) {
	snap, group := floodAccount(10, 0)
	h := &snap.LogGroups[0].HourlyIncomingBytes
	for i := len(h.Values) - 6; i < len(h.Values); i++ {
		h.Values[i] = 0
	}
	ev, _ := newEvents(t, snap)
	got, ok, err := ev.IncomingBytes(context.Background(), group, synthEnd.Add(-6*time.Hour), synthEnd)
	if err != nil || !ok || got != 0 {
		t.Fatalf("quiet window: %v bytes, ok %v, %v; want 0, known", got, ok, err)
	}
	srv := awsemu.NewServer(t, snap, awsemu.Options{NoQuotas: true, Faults: awsemu.Faults{GMDPartial: 0.999}})
	ev = ingest.NewEvents(testConfig(srv.URL), ingest.Options{MaxBackoff: 5 * time.Millisecond})
	if _, ok, err := ev.IncomingBytes(context.Background(), group, synthEnd.Add(-12*time.Hour), synthEnd); err != nil || ok {
		t.Errorf("final PartialData: ok %v, %v; want unknown", ok, err)
	}
}
