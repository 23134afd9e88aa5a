package pricelist

import (
	"bytes"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cwlens/cwlens/pricing"
)

const offersDir = "../testdata/offers"

// TestCommittedBookIsGenerated: pricing/prices.json is exactly what the
// generator writes from the offer files (`go generate ./pricing`).
func TestCommittedBookIsGenerated(t *testing.T) {
	book, err := BuildBook(os.DirFS(offersDir))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := book.WriteJSON(&got); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../prices.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("pricing/prices.json is not the generator's output; run go generate ./pricing")
	}
}

// TestOfferFilesAreSmall: the offers are trimmed to the products the book
// keeps (each well under 1 MiB, all under 3 MiB).
func TestOfferFilesAreSmall(t *testing.T) {
	var total int64
	err := fs.WalkDir(os.DirFS(offersDir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > 256<<10 {
			t.Errorf("%s is %d bytes; trim it to the products the book keeps", p, info.Size())
		}
		total += info.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total > 3<<20 {
		t.Errorf("offers total %d bytes, want under 3 MiB", total)
	}
}

// TestEveryPriceIsSourced: every price names an https source a reader can
// open, a date and a unit; Spot prices say they float.
func TestEveryPriceIsSourced(t *testing.T) {
	book := pricing.Default()
	if len(book.Prices("")) == 0 {
		t.Fatal("empty book")
	}
	for _, p := range book.Prices("") {
		if !strings.HasPrefix(p.Source, "https://") || p.Unit == "" || p.Effective.IsZero() || p.Effective.After(book.AsOf) {
			t.Errorf("%s %s: source %q, unit %q, effective %s", p.Region, p.UsageType, p.Source, p.Unit, p.Effective)
		}
		// Each part the price says it was read from opens with an address
		// and names a date: a reader can open it (issue 12).
		for _, readFrom := range strings.Split(p.Source, "; figure read from ")[1:] {
			if !strings.HasPrefix(readFrom, "https://") || !isoDate.MatchString(readFrom) {
				t.Errorf("%s %s: read from %q, want an https address and its date", p.Region, p.UsageType, readFrom)
			}
		}
		if p.Spot != strings.Contains(p.Source, "Spot prices float") {
			t.Errorf("%s %s: Spot %v but source %q", p.Region, p.UsageType, p.Spot, p.Source)
		}
	}
}

// TestBookCoverage pins what the generated book prices: Fargate on-demand
// (vCPU and GB) and CloudWatch Logs (ingestion and storage) together in at
// least 25 Regions (issue 12), and the figures the issue names.
func TestBookCoverage(t *testing.T) {
	book := pricing.Default()
	priced := func(region string, suffixes ...string) bool {
		for _, s := range suffixes {
			if _, err := book.Lookup(region, s); err != nil {
				return false
			}
		}
		return true
	}
	var both []string
	for _, r := range book.Regions() {
		if priced(r, pricing.UsageFargateVCPU, pricing.UsageFargateGB, pricing.UsageLogsIngestion, pricing.UsageLogsStorage) {
			both = append(both, r)
		}
	}
	if len(both) < 25 {
		t.Errorf("Fargate and CloudWatch Logs priced together in %d Regions (%v), want at least 25", len(both), both)
	}
	for _, c := range []struct{ region, suffix, usageType, usd string }{
		{"eu-west-1", pricing.UsageLogsIngestion, "EU-DataProcessing-Bytes", "0.57"},
		{"us-east-1", pricing.UsageLogsIngestion, "DataProcessing-Bytes", "0.5"},
		{"us-east-1", pricing.UsageFargateVCPU, "USE1-Fargate-vCPU-Hours:perCPU", "0.04048"},
		{"ap-northeast-1", pricing.UsageLogsIngestion, "APN1-DataProcessing-Bytes", "0.76"},
		{"sa-east-1", pricing.UsageFargateVCPU, "SAE1-Fargate-vCPU-Hours:perCPU", "0.0696"},
		{"sa-east-1", pricing.UsageLogsIngestion, "SAE1-DataProcessing-Bytes", "0.9"},
		{"sa-east-1", pricing.UsageLogsStorage, "SAE1-TimedStorage-ByteHrs", "0.0408"},
		{"eu-central-1", pricing.UsageLogsStorage, "EUC1-TimedStorage-ByteHrs", "0.0324"},
		{"ca-west-1", pricing.UsageLogsIngestion, "CAN2-DataProcessing-Bytes", "0.55"},
		// Fargate in the Regions read from AWS's pricing-page file of 2025-06-05.
		{"ap-northeast-3", pricing.UsageFargateVCPU, "APN3-Fargate-vCPU-Hours:perCPU", "0.05056"},
		{"ap-south-2", pricing.UsageFargateGB, "APS5-Fargate-GB-Hours", "0.00466"},
		{"ap-southeast-3", pricing.UsageFargateVCPU, "APS4-Fargate-vCPU-Hours:perCPU", "0.05056"},
		{"ap-southeast-4", pricing.UsageFargateGB, "APS6-Fargate-GB-Hours", "0.00532"},
		{"ap-southeast-5", pricing.UsageFargateVCPU, "APS7-Fargate-vCPU-Hours:perCPU", "0.045504"},
		{"ap-southeast-7", pricing.UsageFargateGB, "APS9-Fargate-GB-Hours", "0.004977"},
		{"ca-west-1", pricing.UsageFargateVCPU, "CAN2-Fargate-vCPU-Hours:perCPU", "0.04456"},
		{"mx-central-1", pricing.UsageFargateGB, "MXC1-Fargate-GB-Hours", "0.00466725"},
		// Windows in us-east-1 from the same file (the 2022 offer had $0.09148).
		{"us-east-1", pricing.UsageFargateWinVCPU, "USE1-Fargate-Windows-vCPU-Hours:perCPU", "0.046552"},
		{"us-east-1", pricing.UsageFargateWinGB, "USE1-Fargate-Windows-GB-Hours", "0.00511175"},
		// The four Regions whose prefixes AWS's MSK price file gives.
		{"eu-central-2", pricing.UsageFargateVCPU, "EUC2-Fargate-vCPU-Hours:perCPU", "0.05448"},
		{"eu-central-2", pricing.UsageLogsIngestion, "EUC2-DataProcessing-Bytes", "0.69"},
		{"eu-south-2", pricing.UsageFargateGB, "EUS2-Fargate-GB-Hours", "0.005112"},
		{"eu-south-2", pricing.UsageLogsStorage, "EUS2-TimedStorage-ByteHrs", "0.03"},
		{"il-central-1", pricing.UsageFargateVCPU, "ILC1-Fargate-vCPU-Hours:perCPU", "0.0518144"},
		{"il-central-1", pricing.UsageLogsIngestion, "ILC1-DataProcessing-Bytes", "0.5"},
		{"me-central-1", pricing.UsageFargateGB, "MEC1-Fargate-GB-Hours", "0.0058"},
		{"me-central-1", pricing.UsageLogsStorage, "MEC1-TimedStorage-ByteHrs", "0.033"},
		// Fargate on ARM (Graviton) from AWS's pricing-page file of
		// 2025-06-05; eu-west-1 and ap-southeast-1 as the SKU-quoting
		// sources had them, us-east-1 as its 2022 offer.
		{"us-east-1", pricing.UsageFargateARMVCPU, "USE1-Fargate-ARM-vCPU-Hours:perCPU", "0.03238"},
		{"eu-west-1", pricing.UsageFargateARMVCPU, "EU-Fargate-ARM-vCPU-Hours:perCPU", "0.03238"},
		{"eu-west-1", pricing.UsageFargateARMGB, "EU-Fargate-ARM-GB-Hours", "0.00356"},
		{"ap-southeast-1", pricing.UsageFargateARMVCPU, "APS1-Fargate-ARM-vCPU-Hours:perCPU", "0.04045"},
		{"ap-southeast-1", pricing.UsageFargateARMGB, "APS1-Fargate-ARM-GB-Hours", "0.00442"},
		{"ap-south-1", pricing.UsageFargateARMVCPU, "APS3-Fargate-ARM-vCPU-Hours:perCPU", "0.02383"},
		{"sa-east-1", pricing.UsageFargateARMGB, "SAE1-Fargate-ARM-GB-Hours", "0.00612"},
		{"eu-central-2", pricing.UsageFargateARMVCPU, "EUC2-Fargate-ARM-vCPU-Hours:perCPU", "0.04358"},
		{"il-central-1", pricing.UsageFargateARMGB, "ILC1-Fargate-ARM-GB-Hours", "0.00455168"},
		{"mx-central-1", pricing.UsageFargateARMVCPU, "MXC1-Fargate-ARM-vCPU-Hours:perCPU", "0.033999"},
		// Fargate Windows and ephemeral storage from the same file, with
		// us-east-1's names and this Region's prefix; us-east-1's storage
		// as its 2022 offer (the file gives the same $0.000111).
		{"us-east-1", pricing.UsageEphemeralStorage, "USE1-Fargate-EphemeralStorage-GB-Hours", "0.000111"},
		{"us-east-1", pricing.UsageFargateWinOS, "USE1-Fargate-Windows-OS-Hours:perCPU", "0.046"},
		{"eu-west-1", pricing.UsageFargateWinVCPU, "EU-Fargate-Windows-vCPU-Hours:perCPU", "0.046552"},
		{"eu-west-1", pricing.UsageFargateWinGB, "EU-Fargate-Windows-GB-Hours", "0.00511175"},
		{"eu-west-1", pricing.UsageFargateWinOS, "EU-Fargate-Windows-OS-Hours:perCPU", "0.046"},
		{"eu-west-1", pricing.UsageEphemeralStorage, "EU-Fargate-EphemeralStorage-GB-Hours", "0.000122"},
		{"ap-southeast-1", pricing.UsageFargateWinVCPU, "APS1-Fargate-Windows-vCPU-Hours:perCPU", "0.058144"},
		{"ap-southeast-1", pricing.UsageFargateWinGB, "APS1-Fargate-Windows-GB-Hours", "0.0063595"},
		{"ap-southeast-1", pricing.UsageEphemeralStorage, "APS1-Fargate-EphemeralStorage-GB-Hours", "0.000133"},
		{"sa-east-1", pricing.UsageFargateWinVCPU, "SAE1-Fargate-Windows-vCPU-Hours:perCPU", "0.08004"},
		{"sa-east-1", pricing.UsageEphemeralStorage, "SAE1-Fargate-EphemeralStorage-GB-Hours", "0.000211"},
		{"mx-central-1", pricing.UsageFargateWinOS, "MXC1-Fargate-Windows-OS-Hours:perCPU", "0.0483"},
		{"mx-central-1", pricing.UsageEphemeralStorage, "MXC1-Fargate-EphemeralStorage-GB-Hours", "0.00011655"},
		{"il-central-1", pricing.UsageFargateWinGB, "ILC1-Fargate-Windows-GB-Hours", "0.00654304"},
		{"eu-central-2", pricing.UsageEphemeralStorage, "EUC2-Fargate-EphemeralStorage-GB-Hours", "0.0001584"},
	} {
		p, err := book.Lookup(c.region, c.suffix)
		if err != nil || p.UsageType != c.usageType || p.USD.String() != c.usd {
			t.Errorf("%s %s = %s %s (%v), want %s %s", c.region, c.suffix, p.UsageType, p.USD, err, c.usageType, c.usd)
		}
	}
	checkARMBesideX86(t, book)
	checkWindowsAndStorageBesideX86(t, book)
	vended, err := book.Lookup("us-east-1", pricing.UsageVendedLogs)
	if err != nil || len(vended.Tiers) != 4 || vended.Tiers[1].From.String() != "10240" || vended.Tiers[3].USD.String() != "0.05" {
		t.Errorf("vended logs = %+v, %v; want four bands from 0, 10 TB, 30 TB, 50 TB", vended, err)
	}
	metrics, err := book.Lookup("eu-west-1", pricing.UsageCustomMetrics)
	if err != nil || metrics.UsageType != "EU-CW:MetricMonitorUsage" || len(metrics.Tiers) != 4 || metrics.Tiers[1].From.String() != "10000" || metrics.Tiers[1].USD.String() != "0.1" {
		t.Errorf("eu-west-1 custom metrics = %+v, %v; want four bands, the second from 10,000 at $0.10", metrics, err)
	}
}

// checkARMBesideX86: every Region with Fargate x86 on-demand prices also
// has ARM on-demand prices (its source gives both), each below the x86
// figure: Graviton is the cheaper meter, so a key read the wrong way round
// shows.
func checkARMBesideX86(t *testing.T, book *pricing.Book) {
	t.Helper()
	n := 0
	for _, r := range book.Regions() {
		for _, pair := range [][2]string{{pricing.UsageFargateVCPU, pricing.UsageFargateARMVCPU}, {pricing.UsageFargateGB, pricing.UsageFargateARMGB}} {
			x86, err := book.Lookup(r, pair[0])
			if err != nil {
				continue
			}
			arm, err := book.Lookup(r, pair[1])
			if err != nil {
				t.Errorf("%s: %s priced but not %s", r, x86.UsageType, pricing.UsageType(r, pair[1]))
				continue
			}
			if !arm.USD.LessThan(x86.USD) || !arm.USD.IsPositive() {
				t.Errorf("%s: ARM %s = %s, x86 %s = %s; want ARM above 0 and below x86", r, arm.UsageType, arm.USD, x86.UsageType, x86.USD)
			}
			n++
		}
	}
	if n < 2*32 {
		t.Errorf("ARM beside x86 for %d meters, want both meters in at least 32 Regions", n)
	}
}

// checkWindowsAndStorageBesideX86: every Region with Fargate x86 on-demand
// prices also has Windows vCPU and GB, each above the Linux x86 figure (the
// Windows meters cost more), a positive OS licence and a positive ephemeral
// storage price: a key read the wrong way round, or a Region left out, shows.
func checkWindowsAndStorageBesideX86(t *testing.T, book *pricing.Book) {
	t.Helper()
	n := 0
	for _, r := range book.Regions() {
		vcpu, err := book.Lookup(r, pricing.UsageFargateVCPU)
		if err != nil {
			continue
		}
		gb, err := book.Lookup(r, pricing.UsageFargateGB)
		if err != nil {
			t.Errorf("%s: %s priced but not %s", r, vcpu.UsageType, pricing.UsageType(r, pricing.UsageFargateGB))
			continue
		}
		above := map[string]pricing.Price{pricing.UsageFargateWinVCPU: vcpu, pricing.UsageFargateWinGB: gb, pricing.UsageFargateWinOS: {}, pricing.UsageEphemeralStorage: {}}
		for suffix, linux := range above {
			p, err := book.Lookup(r, suffix)
			if err != nil {
				t.Errorf("%s: Fargate x86 priced but not %s", r, pricing.UsageType(r, suffix))
				continue
			}
			if !p.USD.IsPositive() || (linux.UsageType != "" && !p.USD.GreaterThan(linux.USD)) {
				t.Errorf("%s: %s = %s, want above 0 and above Linux %s = %s", r, p.UsageType, p.USD, linux.UsageType, linux.USD)
			}
			n++
		}
	}
	if n < 4*32 {
		t.Errorf("Windows and ephemeral storage beside x86 for %d meters, want all four in at least 32 Regions", n)
	}
}

func TestBuildBookRefusesBadOffers(t *testing.T) {
	good, err := os.ReadFile(offersDir + "/AmazonECS/sa-east-1.json")
	if err != nil {
		t.Fatal(err)
	}
	manifest := func(url string) []byte {
		return []byte(`{"as_of":"2026-12-07","about":"x","offers":[{"file":"o.json","url":"` + url + `"}],"spot":[]}`)
	}
	readFrom := func(readFrom string) []byte {
		return []byte(`{"as_of":"2026-12-07","about":"x","offers":[{"file":"o.json","url":"https://x","read_from":"` + readFrom + `"}],"spot":[]}`)
	}
	spotReadFrom := func(readFrom string) []byte {
		return []byte(`{"as_of":"2026-12-07","about":"x","offers":[],"spot":[{"file":"s.json","url":"https://x","read_from":"` + readFrom + `"}]}`)
	}
	spot := []byte(`{"date":"2026-09-28","prices":[{"attributes":{"aws:region":"us-east-1"},"price":{"USD":"0.01"},"unit":"vCPU-Hours"}]}`)
	for _, c := range []struct {
		name, want string
		files      fstest.MapFS
	}{
		{"no manifest", "sources.json", fstest.MapFS{}},
		{"url not https", "https address", fstest.MapFS{"sources.json": {Data: manifest("/work/offer.json")}, "o.json": {Data: good}}},
		{"not an offer", "not a Price List offer", fstest.MapFS{"sources.json": {Data: manifest("https://x")}, "o.json": {Data: []byte("[")}}},
		{"other service", "offerCode", fstest.MapFS{"sources.json": {Data: manifest("https://x")}, "o.json": {Data: bytes.Replace(good, []byte(`"AmazonECS"`), []byte(`"AmazonEC2"`), 1)}}},
		{"bad price", "price", fstest.MapFS{"sources.json": {Data: manifest("https://x")}, "o.json": {Data: bytes.Replace(good, []byte(`"0.0076"`), []byte(`"cheap"`), 1)}}},
		{"read_from without address", "https address the figures were read from", fstest.MapFS{"sources.json": {Data: readFrom("a public test fixture (2024-08-29)")}, "o.json": {Data: good}}},
		{"read_from without date", "date (YYYY-MM-DD)", fstest.MapFS{"sources.json": {Data: readFrom("https://github.com/o/r/blob/c/f.py")}, "o.json": {Data: good}}},
		{"spot read_from without address", "https address the figures were read from", fstest.MapFS{"sources.json": {Data: spotReadFrom("a public cost note on 2026-09-28")}, "s.json": {Data: spot}}},
		{"unknown usage type", "not one the book keeps", fstest.MapFS{"sources.json": {Data: manifest("https://x")}, "o.json": {Data: bytes.ReplaceAll(good, []byte(`"SAE1-Fargate-GB-Hours"`), []byte(`"SAE1-Fargate-TB-Hours"`))}}},
	} {
		_, err := BuildBook(c.files)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want one naming %q", c.name, err, c.want)
		}
	}
}

func TestTieredTermPrice(t *testing.T) {
	p, err := termPrice(offerTerm{EffectiveDate: "2025-09-01T00:00:00Z", PriceDimensions: map[string]priceDimension{
		"b": {BeginRange: "10240", EndRange: "Inf", PricePerUnit: map[string]string{"USD": "0.25"}},
		"a": {BeginRange: "0", EndRange: "10240", PricePerUnit: map[string]string{"USD": "0.5"}},
	}})
	if err != nil || len(p.Tiers) != 2 || p.USD.String() != "0.5" || p.Tiers[1].To != nil || p.Tiers[0].To.String() != "10240" ||
		!p.Effective.Equal(time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("termPrice = %+v, %v", p, err)
	}
}
