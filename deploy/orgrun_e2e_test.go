//go:build e2e

package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/internal/awsemu"
	"github.com/cwlens/cwlens/orgreport"
)

// rieModule is AWS's Lambda Runtime Interface Emulator, at the version the
// README's local recipe uses.
const rieModule = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@v0.0.0-20261030222936-bef5c4ba774d"

const (
	orgBucket  = "org-reports"
	orgTopic   = "arn:aws:sns:us-east-1:999999999999:cwlens-org"
	memberRole = "cwlens-member"
	externalID = "cwlens-test-external-id"
)

var (
	orgAccounts = []string{"111111111111", "222222222222", "333333333333"}
	orgRegions  = []string{"us-east-1", "eu-west-1"}
)

// buildTools builds the function's bootstrap, as Lambda runs it, and the
// Runtime Interface Emulator.
func buildTools(t *testing.T) (bootstrap, rie string) {
	t.Helper()
	dir := t.TempDir()
	bootstrap = filepath.Join(dir, "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", bootstrap, "../cmd/cwlens-lambda")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build the bootstrap: %v\n%s", err, out)
	}
	install := exec.Command("go", "install", rieModule)
	install.Dir = dir // outside this module: go install PKG@VERSION builds it on its own
	install.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install the Runtime Interface Emulator: %v\n%s", err, out)
	}
	return bootstrap, filepath.Join(dir, "aws-lambda-rie")
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// organisation is the three accounts, each the reference account shifted to
// now, in both Regions; deny lists what the org emulator refuses.
func organisation(t *testing.T, now time.Time, st *awsemu.S3, sn *awsemu.SNS, deny ...string) *awsemu.Org {
	t.Helper()
	ref, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	shifted, err := awsemu.ShiftToNow(ref, now)
	if err != nil {
		t.Fatal(err)
	}
	var members []*cwlens.Snapshot
	for _, a := range orgAccounts {
		for _, r := range orgRegions {
			cp := *shifted
			cp.AccountID, cp.Region = a, r
			members = append(members, &cp)
		}
	}
	org := awsemu.NewOrg(awsemu.OrgOptions{Management: "999999999999", RoleName: memberRole, ExternalID: externalID,
		Members: members, Deny: deny})
	org.Mgmt.Register(st)
	org.Mgmt.Register(sn)
	return org
}

// swappable serves the current organisation, so that a second run can meet
// a changed one behind the same URL.
type swappable struct{ cur atomic.Pointer[awsemu.Org] }

func (s *swappable) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.cur.Load().ServeHTTP(w, r) }

// startRIE runs the bootstrap under the Runtime Interface Emulator and
// returns its invocation URL.
func startRIE(t *testing.T, rie, bootstrap, endpoint string) string {
	t.Helper()
	addr, apiAddr := freeAddr(t), freeAddr(t)
	cmd := exec.Command(rie, "--runtime-interface-emulator-address", addr, "--runtime-api-address", apiAddr, "--log-level", "error", bootstrap)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"AWS_ENDPOINT_URL=" + endpoint, "AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=AKIDMANAGEMENT", "AWS_SECRET_ACCESS_KEY=secret",
		"AWS_LAMBDA_FUNCTION_TIMEOUT=120", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512",
		"CWLENS_REGIONS=" + strings.Join(orgRegions, ","), "CWLENS_REPORT_BUCKET=" + orgBucket,
		"CWLENS_SNS_TOPIC_ARN=" + orgTopic, "CWLENS_ALERT_SEVERITY=high",
		"CWLENS_ORG_ROLE_NAME=" + memberRole, "CWLENS_ORG_EXTERNAL_ID=" + externalID, "CWLENS_ORG_CONCURRENCY=4",
	}
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("function log:\n%s", logs.String())
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Runtime Interface Emulator did not listen on %s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "http://" + addr + "/2015-03-31/functions/function/invocations"
}

// runStateMachine runs the unchanged definition with aws-local-stepfunctions.
func runStateMachine(t *testing.T, invokeURL, run string) map[string]any {
	t.Helper()
	if _, err := os.Stat("org/node_modules/aws-local-stepfunctions"); err != nil {
		t.Fatal("aws-local-stepfunctions is not installed: run npm ci --prefix deploy/org (.ci/run does)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "local-run.mjs", "statemachine.asl.json", invokeURL, run)
	cmd.Dir = "org"
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("state machine run %s: %v\n%s\n%s", run, err, out, stderr)
	}
	var res map[string]any
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("state machine output %q: %v", out, err)
	}
	return res
}

func mergedReport(t *testing.T, st *awsemu.S3, run string) orgreport.Report {
	t.Helper()
	b, ok := st.Object(orgBucket, "cwlens/org/"+run+"/report.json")
	if !ok {
		t.Fatalf("no merged report for %s; keys %v", run, st.Keys(orgBucket))
	}
	var r orgreport.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestOrgStateMachineLocally runs the organisation state machine twice over
// three accounts × two Regions: all members, then with STS not activated for
// one account in one Region.
func TestOrgStateMachineLocally(t *testing.T) {
	bootstrap, rie := buildTools(t)
	st, err := awsemu.NewS3("", orgBucket)
	if err != nil {
		t.Fatal(err)
	}
	sn, err := awsemu.NewSNS("")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	var sw swappable
	first := organisation(t, now, st, sn)
	sw.cur.Store(first)
	srv := httptest.NewServer(&sw)
	defer srv.Close()
	invokeURL := startRIE(t, rie, bootstrap, srv.URL)

	// Run 1: six member reports, one merged report, one alert.
	out := runStateMachine(t, invokeURL, "run-1")
	if out["members"] != float64(6) || out["failed"] != float64(0) || out["alerted"] != true {
		t.Errorf("run 1 merge result %v", out)
	}
	for _, a := range orgAccounts {
		for _, r := range orgRegions {
			for _, name := range []string{"report.json", "report.md", "report.html"} {
				if _, ok := st.Object(orgBucket, fmt.Sprintf("cwlens/org/run-1/%s/%s/%s", a, r, name)); !ok {
					t.Errorf("run 1: no %s of %s/%s", name, a, r)
				}
			}
		}
	}
	r1 := mergedReport(t, st, "run-1")
	if len(r1.Members) != 6 || r1.Partial || len(r1.Findings) == 0 {
		t.Errorf("run 1 merged: %d members, partial %v, %d findings", len(r1.Members), r1.Partial, len(r1.Findings))
	}
	if n := len(sn.Messages()); n != 1 {
		t.Errorf("run 1 sent %d alerts, want one for the organisation", n)
	}
	checkCalls(t, first)

	// Run 2: STS is not activated for 222222222222 in eu-west-1.
	sw.cur.Store(organisation(t, now, st, sn, "222222222222/eu-west-1"))
	out = runStateMachine(t, invokeURL, "run-2")
	if out["members"] != float64(6) || out["failed"] != float64(1) || out["complete"] != false {
		t.Errorf("run 2 merge result %v", out)
	}
	if _, ok := st.Object(orgBucket, "cwlens/org/run-2/222222222222/eu-west-1/failed.json"); !ok {
		t.Error("run 2: the refused member's failure is not recorded")
	}
	r2 := mergedReport(t, st, "run-2")
	var ok, failed []string
	for _, m := range r2.Members {
		if m.Status == orgreport.StatusFailed {
			failed = append(failed, m.Member.String()+": "+m.Reason)
		} else {
			ok = append(ok, m.Member.String())
		}
	}
	if len(ok) != 5 || len(failed) != 1 || !strings.Contains(failed[0], "222222222222/eu-west-1") ||
		!strings.Contains(failed[0], "RegionDisabledException") || r2.Totals.Complete {
		t.Errorf("run 2 members: ok %v, failed %v, complete %v", ok, failed, r2.Totals.Complete)
	}
	if n := len(sn.Messages()); n != 1 {
		t.Errorf("run 2 alerted again (%d messages) although nothing new was found", n)
	}
}

// checkCalls: the management account saw only the calls the organisation
// function's role allows (OrgFunctionActions).
func checkCalls(t *testing.T, org *awsemu.Org) {
	t.Helper()
	iam := map[string]string{"s3:ListObjectsV2": "s3:ListBucket"}
	for _, api := range org.Mgmt.APIs() {
		action := api
		if a, ok := iam[api]; ok {
			action = a
		}
		if !slices.Contains(OrgFunctionActions, action) {
			t.Errorf("the organisation function called %s, which its role does not allow", api)
		}
	}
}
