package pricelist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens/pricing"
)

// The generated book is built from offer files in the shape of the AWS Price
// List bulk API (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-the-aws-price-list-bulk-api.html):
// one file per service and Region, as served at
// https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offerCode>/current/<region>/index.json,
// trimmed to the products the book keeps. sources.json says, for each file,
// the offer's address and where its figures were read; spot.json holds the
// Fargate Spot prices, which are not in the Price List and float.

// Manifest is sources.json: the book's date and text, and the provenance of
// each offer file.
type Manifest struct {
	AsOf   string          `json:"as_of"`
	About  string          `json:"about"`
	Offers []OfferSource   `json:"offers"`
	Spot   []SpotSource    `json:"spot"`
	Absent []string        `json:"absent,omitempty"`
	Notes  json.RawMessage `json:"notes,omitempty"`
}

// OfferSource names one offer file and where its figures come from.
type OfferSource struct {
	// File is the offer file's path under the offers directory.
	File string `json:"file"`
	// URL is the AWS Price List offer (or AWS pricing page) the figures
	// belong to: an address a reader can open.
	URL string `json:"url"`
	// ReadFrom says where the figures were read when it is not URL itself:
	// a copy of the offer or a page quoting it, with its address and date.
	ReadFrom string `json:"read_from,omitempty"`
}

// SpotSource names a Spot price file.
type SpotSource struct {
	File     string `json:"file"`
	URL      string `json:"url"`
	ReadFrom string `json:"read_from,omitempty"`
}

// offerFile is the part of a bulk offer file the generator reads.
type offerFile struct {
	OfferCode       string `json:"offerCode"`
	Version         string `json:"version"`
	PublicationDate string `json:"publicationDate"`
	Products        map[string]struct {
		SKU           string            `json:"sku"`
		ProductFamily string            `json:"productFamily"`
		Attributes    map[string]string `json:"attributes"`
	} `json:"products"`
	Terms struct {
		OnDemand map[string]map[string]offerTerm `json:"OnDemand"`
	} `json:"terms"`
}

type offerTerm struct {
	OfferTermCode   string                    `json:"offerTermCode"`
	EffectiveDate   string                    `json:"effectiveDate"`
	PriceDimensions map[string]priceDimension `json:"priceDimensions"`
}

type priceDimension struct {
	Unit         string            `json:"unit"`
	BeginRange   string            `json:"beginRange"`
	EndRange     string            `json:"endRange"`
	Description  string            `json:"description"`
	PricePerUnit map[string]string `json:"pricePerUnit"`
}

// spotFile is a Fargate Spot price file, in the shape of the feed the AWS
// Fargate pricing page reads (prices[].attributes["aws:region"], unit,
// price.USD), with the date the prices were read.
type spotFile struct {
	Date   string `json:"date"`
	Prices []struct {
		Unit       string            `json:"unit"`
		Price      map[string]string `json:"price"`
		Attributes map[string]string `json:"attributes"`
	} `json:"prices"`
}

// bookMeters are the usage types the generated book keeps from each offer,
// with the unit the book writes.
var bookMeters = map[string]map[string]string{
	ServiceECS: {
		pricing.UsageFargateVCPU: "vCPU-Hours", pricing.UsageFargateGB: "GB-Hours",
		pricing.UsageFargateARMVCPU: "vCPU-Hours", pricing.UsageFargateARMGB: "GB-Hours",
		pricing.UsageFargateWinVCPU: "vCPU-Hours", pricing.UsageFargateWinGB: "GB-Hours", pricing.UsageFargateWinOS: "vCPU-Hours",
		pricing.UsageEphemeralStorage: "GB-Hours",
	},
	ServiceCloudWatch: {
		pricing.UsageLogsIngestion: "GB", pricing.UsageLogsIngestionIA: "GB",
		pricing.UsageVendedLogs: "GB", pricing.UsageVendedLogsIA: "GB",
		pricing.UsageLogsStorage: "GB-Mo", pricing.UsageLogsStorageIA: "GB-Mo",
		pricing.UsageInsightsScanned: "GB", pricing.UsageDataProtection: "GB",
		pricing.UsageLiveTail: "Session-Minutes", pricing.UsageCustomMetrics: "Metrics",
		pricing.UsageGMDMetrics: "Metrics",
	},
}

// spotMeters maps a Spot feed entry (architecture, unit) to its usage type.
var spotMeters = map[[2]string]string{
	{"x86_64", "vCPU-Hours"}: pricing.UsageSpotVCPU, {"x86_64", "GB-Hours"}: pricing.UsageSpotGB,
	{"arm64", "vCPU-Hours"}: pricing.UsageSpotARMVCPU, {"arm64", "GB-Hours"}: pricing.UsageSpotARMGB,
}

// BuildBook builds the price book from the offers directory: sources.json,
// the offer files it names and the Spot files. Every price names the offer
// it belongs to and where it was read.
func BuildBook(offers fs.FS) (*pricing.Book, error) {
	data, err := fs.ReadFile(offers, "sources.json")
	if err != nil {
		return nil, fmt.Errorf("build price book: %w", err)
	}
	var m Manifest
	if err := strictDecode(data, &m); err != nil {
		return nil, fmt.Errorf("build price book: sources.json: %w", err)
	}
	asOf, err := time.Parse(time.DateOnly, m.AsOf)
	if err != nil {
		return nil, fmt.Errorf("build price book: sources.json: as_of %q: %w", m.AsOf, err)
	}
	var prices []pricing.Price
	for _, src := range m.Offers {
		ps, err := readOffer(offers, src)
		if err != nil {
			return nil, fmt.Errorf("build price book: %s: %w", src.File, err)
		}
		prices = append(prices, ps...)
	}
	for _, src := range m.Spot {
		ps, err := readSpot(offers, src)
		if err != nil {
			return nil, fmt.Errorf("build price book: %s: %w", src.File, err)
		}
		prices = append(prices, ps...)
	}
	seen := map[string]bool{}
	for _, p := range prices {
		k := p.Region + " " + p.UsageType
		if seen[k] {
			return nil, fmt.Errorf("build price book: %s priced twice in %s", p.UsageType, p.Region)
		}
		seen[k] = true
	}
	b := pricing.NewBook(asOf, m.About, m.Absent, prices...)
	// The book must read back as the product reads it.
	var buf bytes.Buffer
	if err := b.WriteJSON(&buf); err != nil {
		return nil, err
	}
	if _, err := pricing.ParseBook(buf.Bytes(), "generated book"); err != nil {
		return nil, fmt.Errorf("build price book: %w", err)
	}
	return b, nil
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// readOffer reads the prices of one offer file.
func readOffer(offers fs.FS, src OfferSource) ([]pricing.Price, error) {
	if !strings.HasPrefix(src.URL, "https://") {
		return nil, fmt.Errorf("url %q: want an https address a reader can open", src.URL)
	}
	if err := checkReadFrom(src.ReadFrom); err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(offers, src.File)
	if err != nil {
		return nil, err
	}
	var of offerFile
	if err := json.Unmarshal(data, &of); err != nil {
		return nil, fmt.Errorf("not a Price List offer file: %w", err)
	}
	meters, ok := bookMeters[of.OfferCode]
	if !ok {
		return nil, fmt.Errorf("offerCode %q: want %s or %s", of.OfferCode, ServiceECS, ServiceCloudWatch)
	}
	pub, err := time.Parse(time.RFC3339, of.PublicationDate)
	if err != nil {
		return nil, fmt.Errorf("publicationDate %q: %w", of.PublicationDate, err)
	}
	skus := make([]string, 0, len(of.Products))
	for sku := range of.Products {
		skus = append(skus, sku)
	}
	sort.Strings(skus)
	var out []pricing.Price
	for _, sku := range skus {
		prod := of.Products[sku]
		region := prod.Attributes["regionCode"]
		prefix, ok := pricing.RegionPrefix(region)
		if !ok {
			return nil, fmt.Errorf("product %s: regionCode %q has no known usage-type prefix", sku, region)
		}
		ut := prod.Attributes["usagetype"]
		suffix := strings.TrimPrefix(ut, prefix+"-")
		unit, ok := meters[suffix]
		if !ok {
			return nil, fmt.Errorf("product %s: usagetype %q is not one the book keeps", sku, ut)
		}
		if want := pricing.UsageType(region, suffix); ut != want {
			return nil, fmt.Errorf("product %s: usagetype %q, but the bill writes %q", sku, ut, want)
		}
		terms := of.Terms.OnDemand[sku]
		if len(terms) != 1 {
			return nil, fmt.Errorf("product %s: want one OnDemand term, got %d", sku, len(terms))
		}
		for _, term := range terms {
			p, err := termPrice(term)
			if err != nil {
				return nil, fmt.Errorf("product %s (%s): %w", sku, ut, err)
			}
			p.Region, p.UsageType, p.Unit = region, ut, unit
			p.Source = offerCitation(src, of, pub, prod.SKU)
			out = append(out, p)
		}
	}
	return out, nil
}

// termPrice reads an OnDemand term: one dimension for a flat price, one per
// band for a tiered price.
func termPrice(term offerTerm) (pricing.Price, error) {
	eff, err := time.Parse(time.RFC3339, term.EffectiveDate)
	if err != nil {
		return pricing.Price{}, fmt.Errorf("effectiveDate %q: %w", term.EffectiveDate, err)
	}
	var tiers []pricing.Tier
	for _, d := range term.PriceDimensions {
		usd, err := decimal.NewFromString(d.PricePerUnit["USD"])
		if err != nil {
			return pricing.Price{}, fmt.Errorf("price %q: %w", d.PricePerUnit["USD"], err)
		}
		t := pricing.Tier{USD: usd}
		if d.BeginRange != "" {
			if t.From, err = decimal.NewFromString(d.BeginRange); err != nil {
				return pricing.Price{}, fmt.Errorf("beginRange %q: %w", d.BeginRange, err)
			}
		}
		if d.EndRange != "" && d.EndRange != "Inf" {
			to, err := decimal.NewFromString(d.EndRange)
			if err != nil {
				return pricing.Price{}, fmt.Errorf("endRange %q: %w", d.EndRange, err)
			}
			t.To = &to
		}
		tiers = append(tiers, t)
	}
	if len(tiers) == 0 {
		return pricing.Price{}, fmt.Errorf("no price dimensions")
	}
	slices.SortFunc(tiers, func(a, b pricing.Tier) int { return a.From.Cmp(b.From) })
	p := pricing.Price{USD: tiers[0].USD, Effective: eff.UTC().Truncate(24 * time.Hour)}
	if len(tiers) > 1 {
		p.Tiers = tiers
	}
	return p, nil
}

// offerCitation says where a price comes from: the offer's address and
// publication, its SKU when known, and where the figure was read.
func offerCitation(src OfferSource, of offerFile, pub time.Time, sku string) string {
	s := fmt.Sprintf("%s (AWS Price List %s offer, publication %s", src.URL, of.OfferCode, pub.Format(time.DateOnly))
	if sku != "" {
		s += ", SKU " + sku
	}
	s += ")"
	if src.ReadFrom != "" {
		s += "; figure read from " + src.ReadFrom
	}
	return s
}

// isoDate matches a date as sources.json writes it.
var isoDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// checkReadFrom refuses a read_from a reader could not follow: when given,
// it must open with the https address of the copy the figures were read from
// and name that copy's date. A description of a source without its address
// ("a public test fixture") is not a citation.
func checkReadFrom(readFrom string) error {
	if readFrom == "" {
		return nil
	}
	if !strings.HasPrefix(readFrom, "https://") {
		return fmt.Errorf("read_from %.60q: want it to open with the https address the figures were read from", readFrom)
	}
	if !isoDate.MatchString(readFrom) {
		return fmt.Errorf("read_from %.60q: want the date (YYYY-MM-DD) of the copy read", readFrom)
	}
	return nil
}

// readSpot reads a Fargate Spot price file.
func readSpot(offers fs.FS, src SpotSource) ([]pricing.Price, error) {
	if !strings.HasPrefix(src.URL, "https://") {
		return nil, fmt.Errorf("url %q: want an https address a reader can open", src.URL)
	}
	if err := checkReadFrom(src.ReadFrom); err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(offers, src.File)
	if err != nil {
		return nil, err
	}
	var sf spotFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, fmt.Errorf("not a Spot price file: %w", err)
	}
	day, err := time.Parse(time.DateOnly, sf.Date)
	if err != nil {
		return nil, fmt.Errorf("date %q: %w", sf.Date, err)
	}
	var out []pricing.Price
	for i, e := range sf.Prices {
		region := e.Attributes["aws:region"]
		arch := e.Attributes["aws:ecs:cpuArchitecture"]
		if arch == "" {
			arch = "x86_64"
		}
		suffix, ok := spotMeters[[2]string{arch, e.Unit}]
		if _, known := pricing.RegionPrefix(region); !ok || !known {
			return nil, fmt.Errorf("prices[%d]: Region %q, architecture %q, unit %q not known", i, region, arch, e.Unit)
		}
		usd, err := decimal.NewFromString(e.Price["USD"])
		if err != nil || usd.IsNegative() {
			return nil, fmt.Errorf("prices[%d]: USD %q", i, e.Price["USD"])
		}
		cite := fmt.Sprintf("%s (Fargate Spot prices as of %s; Spot prices float, so a later bill differs)", src.URL, sf.Date)
		if src.ReadFrom != "" {
			cite += "; figure read from " + src.ReadFrom
		}
		out = append(out, pricing.Price{Region: region, UsageType: pricing.UsageType(region, suffix), Unit: e.Unit,
			USD: usd, Effective: day, Spot: true, Source: cite})
	}
	return out, nil
}
