package pricelist

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awspricing "github.com/aws/aws-sdk-go-v2/service/pricing"

	"github.com/cwlens/cwlens/pricing"
)

// realVCPU is a PriceList entry exactly as GetProducts returned it (AmazonECS,
// us-east-1, publication 2022-11-21; /work/shared/aws-facts.md §E).
const realVCPU = `{"product":{"productFamily":"Compute","attributes":{"regionCode":"us-east-1","servicecode":"AmazonECS","tenancy":"Shared","usagetype":"USE1-Fargate-vCPU-Hours:perCPU","locationType":"AWS Region","location":"US East (N. Virginia)","servicename":"Amazon Elastic Container Service","cputype":"perCPU","operation":""},"sku":"8CESGAFWKAJ98PME"},"serviceCode":"AmazonECS","terms":{"OnDemand":{"8CESGAFWKAJ98PME.JRTCKXETXF":{"priceDimensions":{"8CESGAFWKAJ98PME.JRTCKXETXF.6YS6EN2CT7":{"unit":"hours","endRange":"Inf","description":"AWS Fargate - vCPU - US East (N.Virginia)","appliesTo":[],"rateCode":"8CESGAFWKAJ98PME.JRTCKXETXF.6YS6EN2CT7","beginRange":"0","pricePerUnit":{"USD":"0.0404800000"}}},"sku":"8CESGAFWKAJ98PME","effectiveDate":"2022-11-01T00:00:00Z","offerTermCode":"JRTCKXETXF","termAttributes":{}}}},"version":"20221121182130","publicationDate":"2022-11-21T18:21:30Z"}`

// entry builds a PriceList entry in the same shape as realVCPU; the figures
// are those aws-facts.md §E reports from the same fixture.
func entry(service, sku, usageType, operation, effective string, bands ...[3]string) string {
	dims := map[string]any{}
	for i, b := range bands {
		dims[fmt.Sprintf("%s.JRTCKXETXF.R%d", sku, i)] = map[string]any{
			"unit": "GB", "beginRange": b[0], "endRange": b[1], "description": "band", "appliesTo": []string{},
			"pricePerUnit": map[string]string{"USD": b[2]},
		}
	}
	doc := map[string]any{
		"product": map[string]any{"productFamily": "x", "sku": sku, "attributes": map[string]string{
			"regionCode": "us-east-1", "servicecode": service, "usagetype": usageType, "operation": operation}},
		"serviceCode": service,
		"terms": map[string]any{"OnDemand": map[string]any{sku + ".JRTCKXETXF": map[string]any{
			"priceDimensions": dims, "sku": sku, "effectiveDate": effective, "offerTermCode": "JRTCKXETXF", "termAttributes": map[string]any{}}}},
		"version": "20221121182130", "publicationDate": "2022-11-21T18:21:30Z",
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

type fakePriceList struct {
	t        *testing.T
	mu       sync.Mutex
	products map[string][]string
	pageSize int
	calls    []string
	fail     bool
}

func (f *fakePriceList) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Method != http.MethodPost || r.URL.Path != "/" ||
		r.Header.Get("X-Amz-Target") != "AWSPriceListService.GetProducts" ||
		r.Header.Get("Content-Type") != "application/x-amz-json-1.1" ||
		!strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") {
		f.t.Errorf("unexpected request %s %s %v", r.Method, r.URL.Path, r.Header)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	var in struct {
		ServiceCode   string
		FormatVersion string
		MaxResults    int
		NextToken     string
		Filters       []struct{ Type, Field, Value string }
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		f.t.Errorf("request body: %v", err)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if f.fail {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"__type":"com.amazonaws.pricing#InvalidParameterException","message":"Input validation failed"}`)
		return
	}
	if in.FormatVersion != "aws_v1" || len(in.Filters) != 1 || in.Filters[0] != (struct{ Type, Field, Value string }{"TERM_MATCH", "regionCode", "us-east-1"}) {
		f.t.Errorf("request = %+v", in)
	}
	f.calls = append(f.calls, in.ServiceCode+"@"+in.NextToken)
	all := f.products[in.ServiceCode]
	start := 0
	fmt.Sscan(in.NextToken, &start)
	end := min(start+f.pageSize, len(all))
	out := map[string]any{"FormatVersion": "aws_v1", "PriceList": all[start:end]}
	if end < len(all) {
		out["NextToken"] = fmt.Sprint(end)
	}
	json.NewEncoder(w).Encode(out)
}

func client(url string) *awspricing.Client {
	return awspricing.New(awspricing.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
	})
}

func TestRefreshThroughTheSDK(t *testing.T) {
	const eff = "2022-11-01T00:00:00Z"
	fake := &fakePriceList{t: t, pageSize: 2, products: map[string][]string{
		ServiceECS: {
			realVCPU,
			entry(ServiceECS, "PBZNQUSEXZUC34C9", "USE1-Fargate-GB-Hours", "", eff, [3]string{"0", "Inf", "0.0044450000"}),
			entry(ServiceECS, "XSZATS4VYMDC9CYN", "USE1-Fargate-ARM-vCPU-Hours:perCPU", "", eff, [3]string{"0", "Inf", "0.0323800000"}),
			entry(ServiceECS, "UNH9KPQP7W7C66C9", "USE1-Fargate-ARM-GB-Hours", "", eff, [3]string{"0", "Inf", "0.0035600000"}),
			entry(ServiceECS, "EPHEMERAL00000", "USE1-Fargate-EphemeralStorage-GB-Hours", "", eff, [3]string{"0", "Inf", "0.0001110000"}),
			entry(ServiceECS, "ANYWHERE000000", "USE1-ECS-Anywhere-Instance-hours", "", eff, [3]string{"0", "2200", "0"}, [3]string{"2200", "Inf", "0.01025"}),
		},
		ServiceCloudWatch: {
			entry(ServiceCloudWatch, "INGEST0000000", "USE1-DataProcessing-Bytes", "PutLogEvents", "2025-09-01T00:00:00Z", [3]string{"0", "Inf", "0.5000000000"}),
			entry(ServiceCloudWatch, "INGESTOTHER00", "USE1-DataProcessing-Bytes", "OtherOp", "2025-09-01T00:00:00Z", [3]string{"0", "Inf", "0.7500000000"}),
			// us-east-1 lists some CloudWatch SKUs without the USE1- prefix.
			entry(ServiceCloudWatch, "STORAGE000000", "TimedStorage-ByteHrs", "HourlyStorageMetering", "2025-09-01T00:00:00Z", [3]string{"0", "Inf", "0.0300000000"}),
			entry(ServiceCloudWatch, "SCAN000000000", "USE1-DataScanned-Bytes", "StartQuery", "2025-09-01T00:00:00Z", [3]string{"0", "Inf", "0.0050000000"}),
			entry(ServiceCloudWatch, "VENDED0000000", "USE1-VendedLog-Bytes", "PutLogEvents", "2025-09-01T00:00:00Z",
				[3]string{"0", "10240", "0.5"}, [3]string{"10240", "30720", "0.25"}),
		},
	}}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	base := pricing.Default()
	asOf := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	book, rep, err := Refresh(context.Background(), client(srv.URL), base, "us-east-1", asOf)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(fake.calls, " "); got != "AmazonECS@ AmazonECS@2 AmazonECS@4 AmazonCloudWatch@ AmazonCloudWatch@2 AmazonCloudWatch@4" {
		t.Errorf("calls = %s (want every page of both services)", got)
	}
	if rep.Products[ServiceECS] != 6 || rep.Products[ServiceCloudWatch] != 5 {
		t.Errorf("products = %v", rep.Products)
	}
	want := map[string]string{
		pricing.UsageFargateVCPU: "0.04048", pricing.UsageFargateGB: "0.004445", pricing.UsageFargateARMVCPU: "0.03238",
		pricing.UsageFargateARMGB: "0.00356", pricing.UsageEphemeralStorage: "0.000111",
		pricing.UsageLogsIngestion: "0.5", pricing.UsageLogsStorage: "0.03", pricing.UsageInsightsScanned: "0.005",
	}
	for suffix, usd := range want {
		p, err := book.Lookup("us-east-1", suffix)
		if err != nil || p.USD.String() != usd || !strings.Contains(p.Source, "Price List API") {
			t.Errorf("%s = %+v, %v; want %s from the API", suffix, p, err, usd)
		}
	}
	if p, _ := book.Lookup("us-east-1", pricing.UsageFargateVCPU); p.Effective.Format(time.DateOnly) != "2022-11-01" || !strings.Contains(p.Source, "8CESGAFWKAJ98PME") {
		t.Errorf("vCPU price = %+v", p)
	}
	// IA ingestion was not in the API's answer: absent (unknown), not kept
	// from the old book.
	if _, err := book.Lookup("us-east-1", pricing.UsageLogsIngestionIA); err == nil {
		t.Error("IA ingestion kept although the API did not price it")
	}
	if !slices.Contains(rep.Missing, "DataProcessingIA-Bytes") || slices.Contains(rep.Missing, "VendedLog-Bytes") {
		t.Errorf("missing = %v", rep.Missing)
	}
	// Spot is not in the API: kept from the book, with its date.
	if p, err := book.Lookup("us-east-1", pricing.UsageSpotVCPU); err != nil || p.USD.String() != "0.01288871" || p.Effective.Format(time.DateOnly) != "2026-09-28" {
		t.Errorf("Spot = %+v, %v", p, err)
	}
	if len(rep.KeptSpot) != 4 {
		t.Errorf("kept Spot = %+v", rep.KeptSpot)
	}
	// Other Regions are untouched.
	if p, err := book.Lookup("ap-southeast-1", pricing.UsageFargateVCPU); err != nil || p.USD.String() != "0.05056" {
		t.Errorf("ap-southeast-1 = %+v, %v", p, err)
	}
	if !book.AsOf.Equal(asOf) {
		t.Errorf("as of %s", book.AsOf)
	}
}

func TestRefreshReportsAPIErrors(t *testing.T) {
	srv := httptest.NewServer(&fakePriceList{t: t, fail: true})
	defer srv.Close()
	_, _, err := Refresh(context.Background(), client(srv.URL), pricing.Default(), "us-east-1", time.Now())
	if err == nil || !strings.Contains(err.Error(), "InvalidParameterException") || !strings.Contains(err.Error(), "GetProducts AmazonECS us-east-1") {
		t.Errorf("err = %v", err)
	}
	if _, _, err := Refresh(context.Background(), client(srv.URL), pricing.Default(), "mars-1", time.Now()); err == nil {
		t.Error("refresh of an unknown Region succeeded")
	}
}

func TestParseItemTiered(t *testing.T) {
	raw := entry(ServiceCloudWatch, "T", "USE1-DataProcessing-Bytes", "PutLogEvents", "2025-09-01T00:00:00Z",
		[3]string{"10240", "30720", "0.25"}, [3]string{"0", "10240", "0.5"})
	c, suffix, ok, err := parseItem(raw, ServiceCloudWatch, "us-east-1", "USE1")
	if err != nil || !ok || suffix != pricing.UsageLogsIngestion || c.price.USD.String() != "0.5" || c.tiers != 2 || !strings.Contains(c.price.Source, "tiered") {
		t.Errorf("parseItem = %+v %s %v %v", c, suffix, ok, err)
	}
	if _, _, _, err := parseItem(`{"product":`, ServiceECS, "us-east-1", "USE1"); err == nil {
		t.Error("truncated entry accepted")
	}
}
