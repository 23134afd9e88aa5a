package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

const facilitator = "/ecs/karmacadabra-prod/facilitator"

// floodedReference is the reference account with log events in the
// facilitator's group: an hour of health checks on Oct 27, and an hour
// of Oct 30 when invalid-signature errors and their retries join them.
// They replace the fixture's own sample, so that the counts the tests
// expect are the ones made here.
func floodedReference(t *testing.T) *cwlens.Snapshot {
	snap := referenceSnapshot(t)
	var g *cwlens.LogGroup
	for i := range snap.LogGroups {
		if snap.LogGroups[i].Name == facilitator {
			g = &snap.LogGroups[i]
		}
	}
	g.Sample = nil
	add := func(t0 time.Time, n int, msg func(i int) string) {
		for i := 0; i < n; i++ {
			g.Sample = append(g.Sample, cwlens.LogEvent{Timestamp: t0.Add(time.Duration(i) * time.Hour / time.Duration(n)), Message: msg(i)})
		}
	}
	health := func(i int) string {
		return fmt.Sprintf(`INFO http_request{method=GET uri=/health} status=200 elapsed=%dms`, i%9)
	}
	add(time.Date(2025, 10, 27, 12, 0, 0, 0, time.UTC), 600, health)
	add(time.Date(2025, 10, 30, 12, 0, 0, 0, time.UTC), 3000, func(i int) string {
		switch i % 3 {
		case 0:
			return health(i)
		case 1:
			return fmt.Sprintf("ERROR settle payment 0x%040x: execution reverted: FiatTokenV2: invalid signature network=base", i*7919)
		}
		return fmt.Sprintf("WARN retrying settlement attempt=%d backoff=%dms", i%5, 100*(i%7))
	})
	return snap
}

func liveArgs(url string, extra ...string) []string {
	return append([]string{"patterns", "--log-group", facilitator, "--endpoint-url", url, "--region", "us-east-1",
		"--since", "2025-10-30T12:00:00Z", "--until", "2025-10-30T13:00:00Z"}, extra...)
}

func TestPatternsLive(t *testing.T) {
	fakeAWSEnv(t)
	srv := emulator(t, floodedReference(t), "")
	ctx := context.Background()

	code, out, errs := runCLI(ctx, liveArgs(srv.URL)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, s := range []string{"COST / MONTH", "ERROR settle payment <*>: execution reverted: FiatTokenV2: invalid signature network=base",
		"3,000 events (every event of the window)", "AWS/Logs IncomingBytes", "(DataProcessing-Bytes, us-east-1", "$"} {
		if !strings.Contains(out, s) {
			t.Errorf("stdout lacks %q:\n%s", s, out)
		}
	}

	code, out, errs = runCLI(ctx, liveArgs(srv.URL, "--baseline-since", "2025-10-27T12:00:00Z", "--baseline-until", "2025-10-27T13:00:00Z", "--sample", "900")...)
	if code != exitOK {
		t.Fatalf("baseline: exit %d: %s", code, errs)
	}
	for _, s := range []string{"Templates that grew", "compared at their rates per hour", "new", "ADDED COST / MONTH", "a sample spread over 12 slices"} {
		if !strings.Contains(out, s) {
			t.Errorf("baseline: stdout lacks %q:\n%s", s, out)
		}
	}
	// The invalid-signature errors are new and carry the most added bytes.
	first := strings.Index(out, "│ 1 │")
	if first < 0 || !strings.Contains(out[first:first+strings.Index(out[first:], "\n")], "FiatTokenV2: invalid signature") {
		t.Errorf("the first grown template is not the invalid signature error:\n%s", out)
	}
}

func TestPatternsInsights(t *testing.T) {
	fakeAWSEnv(t)
	srv := emulator(t, floodedReference(t), "")
	ctx := context.Background()
	code, out, errs := runCLI(ctx, liveArgs(srv.URL, "--insights")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "Logs Insights would scan about") || !strings.Contains(errs, "DataScanned-Bytes") {
		t.Errorf("no scan estimate on stderr:\n%s", errs)
	}
	for _, s := range []string{"Logs Insights patterns of", "FiatTokenV2: invalid signature", "Error", "scanned"} {
		if !strings.Contains(out, s) {
			t.Errorf("stdout lacks %q:\n%s", s, out)
		}
	}
	if c := srv.Calls(); c["logs:StartQuery"].OK != 1 || c["logs:GetQueryResults"].OK < 2 {
		t.Errorf("calls %+v", c)
	}

	// The estimate is past the cap: no query runs.
	srv.ResetCalls()
	code, out, errs = runCLI(ctx, liveArgs(srv.URL, "--insights", "--max-scan-gb", "0.000001")...)
	if code != exitFailed || out != "" || !strings.Contains(errs, "refusing: the estimated scan") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if n := srv.Calls()["logs:StartQuery"].Requests; n != 0 {
		t.Errorf("StartQuery called %d times past --max-scan-gb", n)
	}
}

func TestPatternsLiveBadInput(t *testing.T) {
	fakeAWSEnv(t)
	srv := emulator(t, floodedReference(t), "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"patterns", "--log-group", "/no/such", "--endpoint-url", srv.URL, "--region", "us-east-1", "--until", "2025-10-30T13:00:00Z"}, "log group not found: /no/such"},
		{liveArgs(srv.URL, "--since", "2025-10-30T14:00:00Z"), "is not before --until"},
		{liveArgs(srv.URL, "--baseline-until", "2025-10-27T13:00:00Z"), "--baseline-until needs --baseline-since"},
		{liveArgs(srv.URL, "--insights", "--baseline-since", "2025-10-27T12:00:00Z"), "--insights runs one query"},
		{liveArgs(srv.URL, "-f", "loghub"), "--format loghub scores a file"},
		{liveArgs(srv.URL, "--sample", "0"), "--sample 0"},
	} {
		code, out, errs := runCLI(context.Background(), c.args...)
		if code != exitFailed || out != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", c.args, code, out, errs, c.want)
		}
	}
}
