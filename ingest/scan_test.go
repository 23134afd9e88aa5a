package ingest_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/ingest"
	"github.com/cwlens/cwlens/internal/awsemu"
)

// timeScale speeds the emulator's quotas and the scanner's limiters up
// alike, so a quota-bound scan runs in a fraction of a second.
const timeScale = 200

var synthEnd = time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)

// testConfig points the real SDK clients at url with fake static
// credentials: nothing leaves 127.0.0.1.
func testConfig(url string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint: aws.String(url),
	}
}

func testOptions(end time.Time, days int) ingest.Options {
	return ingest.Options{
		Until:      end,
		Days:       days,
		RateScale:  timeScale,
		MaxBackoff: 5 * time.Millisecond,
		Now:        func() time.Time { return end.Add(30 * time.Minute) },
	}
}

func smallAccount() *cwlens.Snapshot {
	return awsemu.Synthetic{LogGroups: 123, MetricFilters: 57, Services: 27, Clusters: 2, Days: 35, End: synthEnd, Seed: 3, MissingEvery: 11}.Build()
}

func scan(t *testing.T, want *cwlens.Snapshot, faults string) (*cwlens.Snapshot, *awsemu.Server) {
	t.Helper()
	return scanSampling(t, want, faults, 0)
}

// scanSampling scans want through the emulator with Options.SampleEvents
// set to sample, and the other options as set by opts.
func scanSampling(t *testing.T, want *cwlens.Snapshot, faults string, sample int, opts ...func(*ingest.Options)) (*cwlens.Snapshot, *awsemu.Server) {
	t.Helper()
	f, err := awsemu.ParseFaults(faults)
	if err != nil {
		t.Fatal(err)
	}
	srv := awsemu.NewServer(t, want, awsemu.Options{Faults: f, TimeScale: timeScale})
	o := testOptions(want.Window.End, int(want.Window.Duration()/cwlens.Day))
	o.SampleEvents = sample
	for _, f := range opts {
		f(&o)
	}
	got, err := ingest.New(testConfig(srv.URL), o).Scan(context.Background())
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return got, srv
}

func TestScanRoundTripSynthetic(t *testing.T) {
	for _, tc := range []struct{ name, faults string }{
		{"clean", ""},
		{"throttle and 5xx", "throttle=0.3,5xx=0.05,seed=7"},
		{"expired tokens", "expire=logs:DescribeLogGroups,expire=logs:DescribeMetricFilters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := smallAccount()
			got, srv := scan(t, want, tc.faults)
			if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
				t.Fatal(d)
			}
			t.Logf("calls: %+v", srv.Calls())
		})
	}
}

// TestScanRoundTripReference: the emulator serving the reference fixture,
// scanned over its window with --bill, gives the fixture back, its bill too — with and without 30 %
// throttling and 5 % 5xx (the SDK's retryer absorbs them). --sample 2000
// reads the facilitator's whole sample back: the fixture holds fewer events
// than each time slice of the scan's two windows may take (see
// build.SampleBaselinePerHour), and the other groups did not jump.
func TestScanRoundTripReference(t *testing.T) {
	for _, faults := range []string{"", "throttle=0.3,5xx=0.05", "throttle=0.3,5xx=0.05,seed=99"} {
		t.Run(faults, func(t *testing.T) {
			want, err := fixtures.Reference()
			if err != nil {
				t.Fatal(err)
			}
			// With --bill at the fixture's capture: its October bill
			// (eight usage types, three pages) and November's forecast.
			got, srv := scanSampling(t, want, faults, 2000, billAt(want.CapturedAt))
			if got.Bill == nil || len(got.Bill.Months) != 1 || len(got.Bill.Months[0].Lines) != 8 || got.Bill.Forecast == nil {
				t.Fatalf("bill %+v, want October's eight lines and a forecast", got.Bill)
			}
			// The account's name is not something the scan's APIs return
			// (STS gives the id only; the alias would take
			// iam:ListAccountAliases, which the scan does not call), so it
			// is the one field compared as empty.
			want.AccountName = ""
			if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
				t.Fatal(d)
			}
			if faults != "" {
				faulted := 0
				for _, c := range srv.Calls() {
					faulted += c.Throttled + c.Faulted
				}
				if faulted == 0 {
					t.Errorf("no fault was injected: %v", srv.Calls())
				}
			}
		})
	}
}

// TestScanSampleBounded: a sample smaller than the fixture's is a subset of
// it, within its bound, taken from the facilitator only (the one group whose
// ingestion jumped), and spread over both windows: the week before the
// flood's onset at 2025-10-29 12:00 and the time since.
func TestScanSampleBounded(t *testing.T) {
	want, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	const n = 240
	var last ingest.Progress
	got, srv := scanSampling(t, want, "", n, func(o *ingest.Options) { o.Progress = func(p ingest.Progress) { last = p } })
	if last.SampleGroups != 1 || last.SampledGroups != 1 {
		t.Errorf("progress reported %d of %d groups sampled, want 1 of 1", last.SampledGroups, last.SampleGroups)
	}
	for _, g := range got.LogGroups {
		if g.Name != fixtures.FloodGroup && len(g.Sample) > 0 {
			t.Errorf("%s sampled (%d events); only the facilitator jumped", g.Name, len(g.Sample))
		}
	}
	fac := got.LogGroup(fixtures.FloodGroup)
	all := map[cwlens.LogEvent]bool{}
	for _, e := range want.LogGroup(fixtures.FloodGroup).Sample {
		all[e] = true
	}
	if len(fac.Sample) == 0 || len(fac.Sample) > n {
		t.Fatalf("%d events sampled, want 1–%d", len(fac.Sample), n)
	}
	onset := time.Date(2025, 10, 29, 12, 0, 0, 0, time.UTC)
	// Events.Sample reads each slice from its start: the recent window's
	// twelve 5-hour slices each give some, and so does every day of the
	// baseline that has events (the fixture's start on 2025-10-25).
	before, days, slices := 0, map[time.Time]bool{}, map[int]bool{}
	for i, e := range fac.Sample {
		if !all[e] {
			t.Fatalf("event %d %v not in the fixture's sample", i, e)
		}
		if i > 0 && e.Timestamp.Before(fac.Sample[i-1].Timestamp) {
			t.Fatalf("event %d out of time order", i)
		}
		if e.Timestamp.Before(onset) {
			before++
			if e.Timestamp.Before(onset.Add(-7 * cwlens.Day)) {
				t.Errorf("event %v older than the baseline week", e.Timestamp)
			}
		}
		if e.Timestamp.Before(onset) {
			days[e.Timestamp.Truncate(cwlens.Day)] = true
		} else {
			slices[int(e.Timestamp.Sub(onset)/(5*time.Hour))] = true
		}
	}
	// Half each side; the fixture's sample starts 2025-10-25, so the
	// baseline's first slices are empty and leave their share to the rest.
	if before != n/2 || len(fac.Sample)-before != n/2 {
		t.Errorf("%d events before the onset and %d since, want %d and %d", before, len(fac.Sample)-before, n/2, n/2)
	}
	if len(days) != 5 || len(slices) != ingest.DefaultSampleSlices {
		t.Errorf("events on %d baseline days (want 5: 2025-10-25 to 29) and in %d recent slices (want %d)", len(days), len(slices), ingest.DefaultSampleSlices)
	}
	if c := srv.Calls()["logs:FilterLogEvents"]; c.OK < 2 || c.OK > 2*ingest.DefaultSampleSlices+2 {
		t.Errorf("FilterLogEvents calls %+v, want one to two per slice", c)
	}
}

// TestScanSampleDenied: a scan whose FilterLogEvents is refused keeps
// everything else and says what it missed.
func TestScanSampleDenied(t *testing.T) {
	want, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := scanSampling(t, want, "deny=logs:FilterLogEvents", 100)
	if len(got.Gaps) != 1 || got.Gaps[0].API != "logs:FilterLogEvents" || got.Gaps[0].Resource != fixtures.FloodGroup {
		t.Fatalf("gaps = %+v, want one logs:FilterLogEvents gap on %s", got.Gaps, fixtures.FloodGroup)
	}
	want.AccountName, want.Bill = "", nil // no --bill: no bill
	want.LogGroup(fixtures.FloodGroup).Sample = nil
	got.Gaps = nil
	if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
		t.Fatal(d)
	}
}

// TestScanReadsDataProtectionStatus: a group's dataProtectionStatus
// (DescribeLogGroups) reaches the snapshot, so its data protection is
// priced; a group without a policy has none.
func TestScanReadsDataProtectionStatus(t *testing.T) {
	want := smallAccount()
	want.LogGroups[0].DataProtectionStatus = cwlens.DataProtectionActivated
	got, _ := scan(t, want, "")
	if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
		t.Fatal(d)
	}
	if got.LogGroups[0].DataProtectionStatus != cwlens.DataProtectionActivated || got.LogGroups[1].DataProtectionStatus != "" {
		t.Errorf("data protection = %q, %q", got.LogGroups[0].DataProtectionStatus, got.LogGroups[1].DataProtectionStatus)
	}
}
