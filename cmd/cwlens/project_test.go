package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cwlens/cwlens/pricing"
)

func TestProject(t *testing.T) {
	r := run(t, "project", reference, "--scenario", referenceScenarioFile, "--format", "json")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc struct {
		Projection struct {
			Current  string `json:"current_monthly_usd"`
			Proposed string `json:"proposed_monthly_usd"`
			RunRate  string `json:"run_rate_monthly_usd"`
			Rejected []struct {
				Subject     string `json:"subject"`
				Alternative string `json:"alternative"`
			} `json:"rejected"`
		} `json:"projection"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	// Now: log ingestion at the mean day of Oct 25–31, plus three
	// metric-filter metrics at $0.30 ($0.90); the scenario's new metric
	// filter adds a fourth; $132.77 if the last 24 h continued.
	if doc.Projection.Current != "138.25" || doc.Projection.Proposed != "65.15" || doc.Projection.RunRate != "132.77" ||
		len(doc.Projection.Rejected) != 1 || !strings.Contains(doc.Projection.Rejected[0].Alternative, "1024 MiB") {
		t.Errorf("projection = %+v", doc.Projection)
	}
}

func TestProjectRefusesBadScenarios(t *testing.T) {
	bad, err := filepath.Glob("../../pricing/testdata/bad/*.yaml")
	if err != nil || len(bad) == 0 {
		t.Fatal("no bad scenarios")
	}
	for _, f := range bad {
		data, _ := os.ReadFile(f)
		first, _, _ := strings.Cut(string(data), "\n")
		where, _, _ := strings.Cut(strings.TrimPrefix(first, "# want: "), ": ")
		r := run(t, "project", reference, "--scenario", f)
		if r.code != exitFailed || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "cwlens: "+f+": "+where+": ") {
			t.Errorf("%s: exit %d, stderr %q, want one line naming %s", f, r.code, r.stderr, where)
		}
	}
	if r := run(t, "project", reference); r.code != exitFailed || !strings.Contains(r.stderr, "--scenario") {
		t.Errorf("project without --scenario: exit %d, %q", r.code, r.stderr)
	}
	if r := run(t, "report", reference, "--prices", "testdata/small.json"); r.code != exitFailed || !strings.Contains(r.stderr, "not a price book") {
		t.Errorf("report with a bad --prices: exit %d, %q", r.code, r.stderr)
	}
}

func TestPrices(t *testing.T) {
	r := run(t, "prices", "--region", "us-east-1")
	for _, want := range []string{"USE1-Fargate-vCPU-Hours:perCPU", "0.04048", "USE1-SpotUsage-Fargate-GB-Hours", "2026-09-28", "Spot", "absent (priced as unknown)",
		"│ DataProcessing-Bytes ", "0.5 to 10240, 0.25 to 30720, 0.1 to 51200, 0.05 above",
		"[1] https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/",
		"at least 1 minute(s) per Linux task and 5 per Windows task (https://aws.amazon.com/fargate/pricing/)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("prices lacks %q:\n%s", want, r.stdout)
		}
	}
	// Every column has a header, and the Spot column marks Spot prices only.
	cells := func(line string) []string {
		cs := strings.Split(line, "│")
		for i := range cs {
			cs[i] = strings.TrimSpace(cs[i])
		}
		return cs
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		cs := cells(line)
		switch {
		case len(cs) > 1 && cs[1] == "REGION":
			for i, c := range cs[1 : len(cs)-1] {
				if c == "" {
					t.Errorf("prices: column %d has no header in %q", i+1, line)
				}
			}
			if cs[6] != "SPOT" {
				t.Errorf("prices: column 6 is headed %q, want SPOT", cs[6])
			}
		case len(cs) > 7 && strings.Contains(cs[2], "SpotUsage") && cs[6] != "yes",
			len(cs) > 7 && strings.HasPrefix(cs[2], "USE1-Fargate-") && cs[6] != "":
			t.Errorf("prices: %s marked Spot %q", cs[2], cs[6])
		}
	}
	// Every Region the issue names lists Fargate and Logs prices, each with
	// an openable source.
	for _, region := range []string{"us-east-2", "eu-central-1", "ap-northeast-1", "sa-east-1", "eu-west-1"} {
		out := run(t, "prices", "--region", region).stdout
		p := mustPrefix(t, region)
		for _, want := range []string{p + "-Fargate-vCPU-Hours:perCPU", p + "-DataProcessing-Bytes", p + "-TimedStorage-ByteHrs", p + "-CW:MetricMonitorUsage",
			"AmazonCloudWatch/current/" + region + "/index.json", "figure read from https://github.com/DuckbillGroup/CloudWatchCashBack/blob/"} {
			if !strings.Contains(out, want) {
				t.Errorf("prices --region %s lacks %q", region, want)
			}
		}
	}
	if strings.Contains(r.stdout, "EU-Fargate") {
		t.Error("--region us-east-1 shows eu-west-1 prices")
	}
	if r := run(t, "prices", "--region", "mars-1"); r.code != exitFailed {
		t.Errorf("unknown region: exit %d", r.code)
	}
}

// TestPricesRefresh runs the real SDK client, configured the usual way,
// against a local Price List API.
func TestPricesRefresh(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "AWSPriceListService.GetProducts" {
			http.Error(w, "bad target", http.StatusBadRequest)
			return
		}
		var in struct{ ServiceCode string }
		json.NewDecoder(r.Body).Decode(&in)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		var list []string
		if in.ServiceCode == "AmazonECS" {
			list = append(list, `{"product":{"productFamily":"Compute","attributes":{"regionCode":"us-east-1","usagetype":"USE1-Fargate-vCPU-Hours:perCPU","operation":""},"sku":"8CESGAFWKAJ98PME"},"serviceCode":"AmazonECS","terms":{"OnDemand":{"8CESGAFWKAJ98PME.JRTCKXETXF":{"priceDimensions":{"8CESGAFWKAJ98PME.JRTCKXETXF.6YS6EN2CT7":{"unit":"hours","endRange":"Inf","description":"AWS Fargate - vCPU - US East (N.Virginia)","appliesTo":[],"rateCode":"8CESGAFWKAJ98PME.JRTCKXETXF.6YS6EN2CT7","beginRange":"0","pricePerUnit":{"USD":"0.0404800000"}}},"sku":"8CESGAFWKAJ98PME","effectiveDate":"2022-11-01T00:00:00Z","offerTermCode":"JRTCKXETXF","termAttributes":{}}}},"version":"20221121182130","publicationDate":"2022-11-21T18:21:30Z"}`)
		}
		b, _ := json.Marshal(map[string]any{"FormatVersion": "aws_v1", "PriceList": list})
		fmt.Fprint(w, string(b))
	}))
	defer srv.Close()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL_PRICING": srv.URL, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
		"AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "",
	} {
		t.Setenv(k, v)
	}
	out := filepath.Join(dir, "prices.json")
	r := run(t, "prices", "refresh", "--region", "us-east-1", "--out", out)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "Spot prices are not in the Price List API") || !strings.Contains(r.stderr, "USE1-Fargate-GB-Hours: not priced") {
		t.Errorf("stderr = %s", r.stderr)
	}
	book, err := pricing.LoadBook(out)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := book.Lookup("us-east-1", pricing.UsageFargateVCPU); err != nil || !strings.Contains(p.Source, "8CESGAFWKAJ98PME") {
		t.Errorf("vCPU = %+v, %v", p, err)
	}
	if _, err := book.Lookup("us-east-1", pricing.UsageFargateGB); err == nil {
		t.Error("GB-Hours kept although the API did not price it")
	}
	// The refreshed book prices the reference account: memory is now unknown.
	r = run(t, "project", reference, "--scenario", referenceScenarioFile, "--prices", out)
	if r.code != exitOK || !strings.Contains(r.stdout, "unknown price") {
		t.Errorf("project with the refreshed book: exit %d\n%s", r.code, r.stdout)
	}
}

// With --at the end of Oct 30, the facilitator's ingestion is priced at the
// mean day of Oct 24–30, and, beside it, at that day's run-rate, as the
// source analysis did.
func TestProjectAt(t *testing.T) {
	r := run(t, "project", reference, "--scenario", referenceScenarioFile, "--at", "2025-10-31")
	for _, want := range []string{"15.0519 GB × $0.5", "mean day 494.9 MB of", "2025-10-24 to 2025-10-30",
		"if the last 24 h continued: 2886.0 MB/day over the 24 h before 2025-10-31 00:00", "($43.89/month at that rate)",
		"monthly cost $137.94 now (the mean day of 2025-10-24 to 2025-10-30; $174.38 if the"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("project --at 2025-10-31 lacks %q", want)
		}
	}
	if r.code != exitOK {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}
