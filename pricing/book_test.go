package pricing

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
)

func TestDefaultBookLookup(t *testing.T) {
	b := Default()
	tests := []struct {
		region, suffix, usageType, usd, unit string
		spot                                 bool
	}{
		{"us-east-1", UsageFargateVCPU, "USE1-Fargate-vCPU-Hours:perCPU", "0.04048", "vCPU-Hours", false},
		{"us-east-1", UsageFargateGB, "USE1-Fargate-GB-Hours", "0.004445", "GB-Hours", false},
		{"us-east-1", UsageFargateARMVCPU, "USE1-Fargate-ARM-vCPU-Hours:perCPU", "0.03238", "vCPU-Hours", false},
		{"us-east-1", UsageFargateARMGB, "USE1-Fargate-ARM-GB-Hours", "0.00356", "GB-Hours", false},
		{"us-east-1", UsageSpotVCPU, "USE1-SpotUsage-Fargate-vCPU-Hours:perCPU", "0.01288871", "vCPU-Hours", true},
		{"us-east-1", UsageSpotGB, "USE1-SpotUsage-Fargate-GB-Hours", "0.00141527", "GB-Hours", true},
		{"us-east-1", UsageEphemeralStorage, "USE1-Fargate-EphemeralStorage-GB-Hours", "0.000111", "GB-Hours", false},
		// us-east-1 CloudWatch usage types carry no prefix on the bill.
		{"us-east-1", UsageLogsIngestion, "DataProcessing-Bytes", "0.5", "GB", false},
		{"us-east-1", UsageLogsIngestionIA, "DataProcessingIA-Bytes", "0.25", "GB", false},
		{"us-east-1", UsageLogsStorage, "TimedStorage-ByteHrs", "0.03", "GB-Mo", false},
		{"us-east-1", UsageInsightsScanned, "DataScanned-Bytes", "0.005", "GB", false},
		{"us-east-1", UsageFargateWinOS, "USE1-Fargate-Windows-OS-Hours:perCPU", "0.046", "vCPU-Hours", false},
		{"us-east-1", UsageSpotARMVCPU, "USE1-SpotUsage-Fargate-ARM-vCPU-Hours:perCPU", "0.01030969", "vCPU-Hours", true},
		{"eu-west-1", UsageLogsIngestion, "EU-DataProcessing-Bytes", "0.57", "GB", false},
		{"sa-east-1", UsageFargateVCPU, "SAE1-Fargate-vCPU-Hours:perCPU", "0.0696", "vCPU-Hours", false},
		{"eu-west-1", UsageSpotVCPU, "EU-SpotUsage-Fargate-vCPU-Hours:perCPU", "0.01224056", "vCPU-Hours", true},
		{"ap-southeast-1", UsageFargateVCPU, "APS1-Fargate-vCPU-Hours:perCPU", "0.05056", "vCPU-Hours", false},
		{"ap-southeast-1", UsageLogsIngestion, "APS1-DataProcessing-Bytes", "0.7", "GB", false},
		{"us-west-2", UsageFargateGB, "USW2-Fargate-GB-Hours", "0.004445", "GB-Hours", false},
	}
	for _, tt := range tests {
		p, err := b.Lookup(tt.region, tt.suffix)
		if err != nil {
			t.Errorf("Lookup(%s, %s): %v", tt.region, tt.suffix, err)
			continue
		}
		if p.UsageType != tt.usageType || !p.USD.Equal(dec(t, tt.usd)) || p.Unit != tt.unit || p.Spot != tt.spot || p.Source == "" || p.Effective.IsZero() {
			t.Errorf("Lookup(%s, %s) = %+v", tt.region, tt.suffix, p)
		}
	}
	if p, _ := b.Lookup("us-east-1", UsageSpotVCPU); p.Effective.Format("2006-01-02") != "2026-09-28" {
		t.Errorf("Spot price date = %s, want 2026-09-28", p.Effective.Format("2006-01-02"))
	}
}

func TestLookupUnknownIsNotZero(t *testing.T) {
	b := Default()
	for _, c := range []struct{ region, suffix, want string }{
		{"ap-northeast-3", UsageSpotVCPU, "APN3-SpotUsage-Fargate-vCPU-Hours:perCPU"},        // on-demand priced, Spot not: absent
		{"eu-west-1", UsageLogsStorageIA, "EU-TimedStorage-IA-ByteHrs"},                      // no source: absent
		{"ap-southeast-2", UsageCustomMetrics, "APS2-CW:MetricMonitorUsage"},                 // the source gives 0: absent
		{"ap-east-2", UsageFargateVCPU, "Fargate-vCPU-Hours:perCPU"},                         // Region not in the book
		{"ap-southeast-1", UsageSpotARMVCPU, "APS1-SpotUsage-Fargate-ARM-vCPU-Hours:perCPU"}, // ARM on-demand priced, ARM Spot not
		{"eu-west-2", UsageGMDMetrics, "EUW2-CW:GMD-Metrics"},                                // GetMetricData only in us-east-1
		{"ap-east-2", UsageFargateWinVCPU, "Fargate-Windows-vCPU-Hours:perCPU"},              // Windows: Region not in the book
	} {
		p, err := b.Lookup(c.region, c.suffix)
		if !errors.Is(err, ErrUnknownPrice) {
			t.Errorf("Lookup(%s, %s) = %+v, %v; want ErrUnknownPrice", c.region, c.suffix, p, err)
			continue
		}
		var ue *UnknownPriceError
		if !errors.As(err, &ue) || ue.UsageType != c.want {
			t.Errorf("Lookup(%s, %s) error %v, want usage type %s", c.region, c.suffix, err, c.want)
		}
	}
}

func TestBookRoundTrip(t *testing.T) {
	b := Default()
	var buf bytes.Buffer
	if err := b.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	b2, err := ParseBook(buf.Bytes(), "roundtrip.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(b2.Prices("")) != len(b.Prices("")) || !b2.AsOf.Equal(b.AsOf) {
		t.Fatalf("round trip lost prices: %d vs %d", len(b2.Prices("")), len(b.Prices("")))
	}
	for _, p := range b.Prices("") {
		prefix, _ := RegionPrefix(p.Region)
		q, err := b2.Lookup(p.Region, strings.TrimPrefix(p.UsageType, prefix+"-"))
		if err != nil || !q.USD.Equal(p.USD) || !q.Effective.Equal(p.Effective) || q.Spot != p.Spot || len(q.Tiers) != len(p.Tiers) {
			t.Errorf("%s: %+v vs %+v (%v)", p.UsageType, q, p, err)
		}
	}
	if got := b.Regions(); len(got) != 32 || got[0] != "af-south-1" {
		t.Errorf("Regions() = %v", got)
	}
}

func TestParseBookRefusesBadInput(t *testing.T) {
	tests := []struct{ name, json, where string }{
		{"not json", `{`, ""},
		{"bad date", `{"as_of":"yesterday","prices":[]}`, "as_of"},
		{"prefix", `{"as_of":"2026-01-01","prices":[{"region":"us-east-1","usage_type":"EU-Fargate-GB-Hours","unit":"GB-Hours","usd":"1","effective":"2026-01-01"}]}`, "prices[0].usage_type"},
		{"price", `{"as_of":"2026-01-01","prices":[{"region":"us-east-1","usage_type":"USE1-Fargate-GB-Hours","unit":"GB-Hours","usd":"-1","effective":"2026-01-01"}]}`, "prices[0].usd"},
		{"unknown field", `{"as_of":"2026-01-01","prices":[],"extra":1}`, "extra"},
		{"duplicate", `{"as_of":"2026-01-01","prices":[],"prices":[]}`, "prices"},
		{"bad type", `{"as_of":"2026-01-01","prices":[{"spot":"yes"}]}`, "prices[0].spot"},
		{"region", `{"as_of":"2026-01-01","prices":[{"region":"mars-1","usage_type":"X","unit":"GB","usd":"1","effective":"2026-01-01"}]}`, "prices[0].region"},
	}
	for _, tt := range tests {
		_, err := ParseBook([]byte(tt.json), "book.json")
		var ie *cwlens.InputError
		if !errors.As(err, &ie) || ie.File != "book.json" || ie.Where != tt.where {
			t.Errorf("%s: err = %v, want InputError at %q", tt.name, err, tt.where)
		}
	}
}

func FuzzParseBook(f *testing.F) {
	f.Add(builtinJSON())
	f.Add([]byte(`{"as_of":"2026-01-01","prices":[{"region":"us-east-1","usage_type":"USE1-Fargate-GB-Hours","unit":"GB-Hours","usd":"1e3","effective":"2026-01-01"}]}`))
	f.Add([]byte(`{"as_of":"2026-01-01","prices":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBook(data, "fuzz.json")
		if err != nil {
			if !cwlens.IsInputError(err) {
				t.Fatalf("not an InputError: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := b.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := ParseBook(buf.Bytes(), "again.json"); err != nil {
			t.Fatalf("a parsed book does not parse again: %v\n%s", err, buf.Bytes())
		}
	})
}

// TestUsageTypesAsTheBillWrites: us-east-1 CloudWatch lines carry no
// Region prefix on a Cost and Usage Report or Cost Explorer row; Fargate's
// do; a bill row matches in either spelling.
func TestUsageTypesAsTheBillWrites(t *testing.T) {
	for _, c := range []struct {
		region, suffix, want string
		bill                 []string
	}{
		{"us-east-1", UsageLogsIngestion, "DataProcessing-Bytes", []string{"DataProcessing-Bytes", "USE1-DataProcessing-Bytes"}},
		{"us-east-1", UsageCustomMetrics, "CW:MetricMonitorUsage", []string{"CW:MetricMonitorUsage", "USE1-CW:MetricMonitorUsage"}},
		{"us-east-1", UsageFargateGB, "USE1-Fargate-GB-Hours", []string{"USE1-Fargate-GB-Hours"}},
		{"eu-west-1", UsageLogsIngestion, "EU-DataProcessing-Bytes", []string{"EU-DataProcessing-Bytes"}},
		{"us-east-2", UsageLogsStorage, "USE2-TimedStorage-ByteHrs", []string{"USE2-TimedStorage-ByteHrs"}},
		{"mars-1", UsageLogsStorage, "TimedStorage-ByteHrs", []string{"TimedStorage-ByteHrs"}},
	} {
		if got := UsageType(c.region, c.suffix); got != c.want {
			t.Errorf("UsageType(%s, %s) = %s, want %s", c.region, c.suffix, got, c.want)
		}
		if got := BillUsageTypes(c.region, c.suffix); strings.Join(got, " ") != strings.Join(c.bill, " ") {
			t.Errorf("BillUsageTypes(%s, %s) = %v, want %v", c.region, c.suffix, got, c.bill)
		}
	}
	// A book that writes a us-east-1 CloudWatch usage type with a prefix is
	// refused: it would never match the bill.
	_, err := ParseBook([]byte(`{"as_of":"2026-01-01","prices":[{"region":"us-east-1","usage_type":"USE1-DataProcessing-Bytes","unit":"GB","usd":"0.5","effective":"2026-01-01","source":"https://aws.amazon.com/cloudwatch/pricing/"}]}`), "b.json")
	if !cwlens.IsInputError(err) || !strings.Contains(err.Error(), "DataProcessing-Bytes") {
		t.Errorf("prefixed us-east-1 CloudWatch usage type: %v", err)
	}
}

func TestParseBookTiers(t *testing.T) {
	const head = `{"as_of":"2026-01-01","prices":[{"region":"us-east-1","usage_type":"VendedLog-Bytes","unit":"GB","usd":"0.5","effective":"2026-01-01","source":"https://aws.amazon.com/cloudwatch/pricing/","tiers":`
	for _, c := range []struct {
		tiers string
		ok    bool
	}{
		{`[{"from":"0","to":"10240","usd":"0.5"},{"from":"10240","usd":"0.25"}]`, true},
		{`[{"from":"0","to":"10240","usd":"0.5"},{"from":"20000","usd":"0.25"}]`, false}, // a gap
		{`[{"from":"0","usd":"0.5"},{"from":"10240","usd":"0.25"}]`, false},              // open band first
		{`[{"from":"0","to":"10240","usd":"0.4"},{"from":"10240","usd":"0.25"}]`, false}, // first band is not the price
		{`[{"from":"0","to":"10240","usd":"0.5"}]`, false},                               // last band closed
	} {
		_, err := ParseBook([]byte(head+c.tiers+`}]}`), "b.json")
		if (err == nil) != c.ok {
			t.Errorf("tiers %s: err %v, want ok %v", c.tiers, err, c.ok)
		}
	}
}

// TestBookSourcesNamedOnce: a source several prices cite is written once,
// under sources, and read back in full into each price; a price naming no
// source of the file, and not an https address, is refused.
func TestBookSourcesNamedOnce(t *testing.T) {
	b := Default()
	var buf bytes.Buffer
	if err := b.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	uses := map[string]int{}
	for _, p := range b.Prices("") {
		uses[p.Source]++
	}
	for src, n := range uses {
		if c := strings.Count(buf.String(), strconvQuote(src)); n > 1 && c != 1 || n == 1 && c != 1 {
			t.Errorf("source cited by %d prices written %d times: %.80s", n, c, src)
		}
	}
	b2, err := ParseBook(buf.Bytes(), "named.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range b.Prices("") {
		if q, err := b2.Lookup(p.Region, strings.TrimPrefix(p.UsageType, regionPrefixes[p.Region]+"-")); err != nil || q.Source != p.Source {
			t.Errorf("%s %s: source %q, want %q (%v)", p.Region, p.UsageType, q.Source, p.Source, err)
		}
	}
	bad := `{"as_of": "2026-12-07", "sources": {"s1": "https://aws.amazon.com/fargate/pricing/"}, "prices": [
		{"region": "us-east-1", "usage_type": "USE1-Fargate-GB-Hours", "unit": "GB-Hours", "usd": "0.004445", "effective": "2022-11-01", "source": "s2"}]}`
	if _, err := ParseBook([]byte(bad), "bad.json"); err == nil || !strings.Contains(err.Error(), `prices[0].source: s2: want the https address a reader can open, or the name of one in sources`) {
		t.Errorf("unknown source name: %v", err)
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestBuiltinIsPricesJSON: the compressed book the binaries carry
// (prices_gz.go) is prices.json byte for byte; `go generate ./pricing`
// writes both.
func TestBuiltinIsPricesJSON(t *testing.T) {
	want, err := os.ReadFile("prices.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := builtinJSON(); !bytes.Equal(got, want) {
		t.Errorf("prices_gz.go holds %d bytes that are not prices.json's %d; run go generate ./pricing", len(got), len(want))
	}
}
