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
	f, err := awsemu.ParseFaults(faults)
	if err != nil {
		t.Fatal(err)
	}
	srv := awsemu.NewServer(t, want, awsemu.Options{Faults: f, TimeScale: timeScale})
	got, err := ingest.New(testConfig(srv.URL), testOptions(want.Window.End, int(want.Window.Duration()/cwlens.Day))).Scan(context.Background())
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
			if d := awsemu.Diff(want, got); d != "" {
				t.Fatal(d)
			}
			t.Logf("calls: %+v", srv.Calls())
		})
	}
}

// TestScanRoundTripReference: the emulator serving the reference fixture,
// scanned over its window, gives the fixture back — with and without 30 %
// throttling and 5 % 5xx (the SDK's retryer absorbs them).
func TestScanRoundTripReference(t *testing.T) {
	for _, faults := range []string{"", "throttle=0.3,5xx=0.05", "throttle=0.3,5xx=0.05,seed=99"} {
		t.Run(faults, func(t *testing.T) {
			want, err := fixtures.Reference()
			if err != nil {
				t.Fatal(err)
			}
			got, srv := scan(t, want, faults)
			// The account's name is not something the scan's APIs return
			// (STS gives the id only; the alias would take
			// iam:ListAccountAliases, which the scan does not call), so it
			// is the one field compared as empty.
			want.AccountName = ""
			if d := awsemu.Diff(want, got); d != "" {
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
