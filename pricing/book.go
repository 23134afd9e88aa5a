// Package pricing turns cwlens snapshots and findings into dollars: a dated,
// embedded price book keyed by AWS usage type, the monthly cost of Fargate
// services and CloudWatch Logs groups, and a scenario engine that projects
// what the account would cost after proposed changes.
//
// Money is exact decimal arithmetic (shopspring/decimal). A price the book
// lacks is reported as unknown, never as $0. The package never calls AWS;
// refreshing prices from the AWS Price List API lives in pricing/pricelist.
package pricing

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/jsonin"
)

// Usage-type suffixes the book prices. On the bill each carries the Region's
// prefix, e.g. USE1-Fargate-vCPU-Hours:perCPU; CloudWatch's us-east-1 usage
// types carry none (see UsageType).
const (
	UsageFargateVCPU      = "Fargate-vCPU-Hours:perCPU"
	UsageFargateGB        = "Fargate-GB-Hours"
	UsageFargateARMVCPU   = "Fargate-ARM-vCPU-Hours:perCPU"
	UsageFargateARMGB     = "Fargate-ARM-GB-Hours"
	UsageFargateWinVCPU   = "Fargate-Windows-vCPU-Hours:perCPU"
	UsageFargateWinGB     = "Fargate-Windows-GB-Hours"
	UsageFargateWinOS     = "Fargate-Windows-OS-Hours:perCPU"
	UsageSpotVCPU         = "SpotUsage-Fargate-vCPU-Hours:perCPU"
	UsageSpotGB           = "SpotUsage-Fargate-GB-Hours"
	UsageSpotARMVCPU      = "SpotUsage-Fargate-ARM-vCPU-Hours:perCPU"
	UsageSpotARMGB        = "SpotUsage-Fargate-ARM-GB-Hours"
	UsageEphemeralStorage = "Fargate-EphemeralStorage-GB-Hours"
	UsageLogsIngestion    = "DataProcessing-Bytes"
	UsageLogsIngestionIA  = "DataProcessingIA-Bytes"
	UsageVendedLogs       = "VendedLog-Bytes"
	UsageVendedLogsIA     = "VendedLogIA-Bytes"
	UsageLogsStorage      = "TimedStorage-ByteHrs"
	UsageLogsStorageIA    = "TimedStorage-IA-ByteHrs"
	UsageInsightsScanned  = "DataScanned-Bytes"
	UsageDataProtection   = "DataProtection-Bytes"
	UsageLiveTail         = "Logs-LiveTail"
	UsageCustomMetrics    = "CW:MetricMonitorUsage"
	UsageGMDMetrics       = "CW:GMD-Metrics"
)

// cloudWatchSuffixes are the book's AmazonCloudWatch usage types: in
// us-east-1 the bill writes them without a Region prefix.
var cloudWatchSuffixes = map[string]bool{
	UsageLogsIngestion: true, UsageLogsIngestionIA: true, UsageVendedLogs: true, UsageVendedLogsIA: true,
	UsageLogsStorage: true, UsageLogsStorageIA: true, UsageInsightsScanned: true, UsageDataProtection: true,
	UsageLiveTail: true, UsageCustomMetrics: true, UsageGMDMetrics: true,
}

// regionPrefixes maps the commercial Regions the book can hold to the prefix
// AWS puts on their usage types (AWS docs, "AWS Region billing codes",
// https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html;
// "Understanding your AWS billing and usage reports for Amazon S3",
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/aws-usage-report-understand.html;
// "EU = Europe (Ireland)" in
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_billing.html).
// Only Regions whose short code was read there are listed, and four whose
// short code AWS's own price data gives: a copy, committed 2025-06-16, of the
// price file behind AWS's MSK pricing page
// (https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/msk/USD/current/msk.json,
// published 2025-06-16), at
// https://github.com/QuinnyPig/aws-price-watcher/blob/4cf29b434dbf47fad46d2a0997f996896857feed/raw/msk.json,
// writes every usage type of "EU (Zurich)" EUC2-, of "EU (Spain)" EUS2-, of
// "Israel (Tel Aviv)" ILC1- and of "Middle East (UAE)" MEC1-, and agrees
// with the billing-codes page on each of the other Regions below.
var regionPrefixes = map[string]string{
	"us-east-1":      "USE1",
	"us-east-2":      "USE2",
	"us-west-1":      "USW1",
	"us-west-2":      "USW2",
	"af-south-1":     "AFS1",
	"ap-east-1":      "APE1",
	"ap-south-1":     "APS3",
	"ap-southeast-1": "APS1",
	"ap-southeast-2": "APS2",
	"ap-northeast-1": "APN1",
	"ap-northeast-2": "APN2",
	"ca-central-1":   "CAN1",
	"eu-central-1":   "EUC1",
	"eu-west-1":      "EU",
	"eu-west-2":      "EUW2",
	"eu-west-3":      "EUW3",
	"eu-south-1":     "EUS1",
	"eu-north-1":     "EUN1",
	"me-south-1":     "MES1",
	"sa-east-1":      "SAE1",
	"ap-northeast-3": "APN3",
	"ap-southeast-3": "APS4",
	"ap-south-2":     "APS5",
	"ap-southeast-4": "APS6",
	"ap-southeast-5": "APS7",
	"ap-southeast-7": "APS9",
	"ca-west-1":      "CAN2",
	"mx-central-1":   "MXC1",
	"eu-central-2":   "EUC2",
	"eu-south-2":     "EUS2",
	"il-central-1":   "ILC1",
	"me-central-1":   "MEC1",
}

// RegionPrefix returns the usage-type prefix of region, e.g. "USE1" for
// us-east-1, and whether the Region is known.
func RegionPrefix(region string) (string, bool) {
	p, ok := regionPrefixes[region]
	return p, ok
}

// UsageType returns the usage type of suffix in region as the bill writes
// it, e.g. "EU-DataProcessing-Bytes". CloudWatch's usage types in us-east-1
// carry no prefix on a Cost and Usage Report or Cost Explorer row
// ("DataProcessing-Bytes"); Fargate's do ("USE1-Fargate-GB-Hours"). When
// the Region's prefix is not known the bare suffix is returned.
func UsageType(region, suffix string) string {
	p, ok := regionPrefixes[region]
	if !ok || region == "us-east-1" && cloudWatchSuffixes[suffix] {
		return suffix
	}
	return p + "-" + suffix
}

// BillUsageTypes returns every spelling of suffix in region a bill line may
// carry: UsageType's, and for us-east-1 CloudWatch also the prefixed one
// that some Price List SKUs use ("USE1-DataProcessing-Bytes"). A bill row
// matches a priced line when its usage type is one of these.
func BillUsageTypes(region, suffix string) []string {
	ut := UsageType(region, suffix)
	if p, ok := regionPrefixes[region]; ok && ut == suffix {
		return []string{ut, p + "-" + suffix}
	}
	return []string{ut}
}

// ErrUnknownPrice is returned (wrapped in an *UnknownPriceError) when the book
// has no price for a Region and usage type.
var ErrUnknownPrice = errors.New("unknown price")

// UnknownPriceError names the price the book lacks.
type UnknownPriceError struct {
	Region    string
	UsageType string
}

// Error says which price is missing.
func (e *UnknownPriceError) Error() string {
	return fmt.Sprintf("no price for %s in %s", e.UsageType, e.Region)
}

// Is makes errors.Is(err, ErrUnknownPrice) true.
func (e *UnknownPriceError) Is(target error) bool { return target == ErrUnknownPrice }

// Price is one list price.
type Price struct {
	Region    string
	UsageType string // with the Region's prefix
	Unit      string // vCPU-Hours, GB-Hours, GB, GB-Mo
	USD       decimal.Decimal
	// Effective is the date from which the source shows the price (or, when it
	// gives none, the date the source was read).
	Effective time.Time
	// Spot marks Fargate Spot prices, which float and are not in the Price
	// List API; their date matters more than the others'.
	Spot   bool
	Source string
	// Tiers are the bands of a tiered price (vended logs, custom metrics)
	// in ascending order, the first at USD; empty for a flat price.
	Tiers []Tier
}

// Tier is one band of a tiered price: USD per unit for the usage from From
// up to To units a month (To is nil for the last, open band).
type Tier struct {
	From decimal.Decimal
	To   *decimal.Decimal
	USD  decimal.Decimal
}

// Book is a price book: list prices by Region and usage type. It is
// immutable once loaded and safe for concurrent use.
type Book struct {
	AsOf  time.Time
	About string
	// Sources are the named sources of the file the book was read from
	// (prices cite them by name); each Price carries its source in full.
	Sources map[string]string
	Absent  []string
	prices  map[string]Price // key: region + "\x00" + usage type
}

type bookFile struct {
	AsOf     string            `json:"as_of"`
	Currency string            `json:"currency"`
	About    string            `json:"about,omitempty"`
	Sources  map[string]string `json:"sources,omitempty"`
	Absent   []string          `json:"absent,omitempty"`
	Prices   []priceFile       `json:"prices"`
}

type priceFile struct {
	Region    string     `json:"region"`
	UsageType string     `json:"usage_type"`
	Unit      string     `json:"unit"`
	USD       string     `json:"usd"`
	Effective string     `json:"effective"`
	Spot      bool       `json:"spot,omitempty"`
	Source    string     `json:"source"`
	Tiers     []tierFile `json:"tiers,omitempty"`
}

type tierFile struct {
	From string `json:"from"`
	To   string `json:"to,omitempty"`
	USD  string `json:"usd"`
}

// The built-in book is generated from the offer files under testdata/offers
// into prices.json, the readable book, and prices_gz.go, the gzip of it the
// binaries carry: a fifth of its size, which keeps the Lambda bootstrap in
// its budget. Tests check that both are the generator's output.
//go:generate go run ./internal/genbook -offers testdata/offers -out prices.json -gz prices_gz.go

// Default returns the built-in price book (pricing/prices.json).
func Default() *Book {
	b, err := ParseBook(builtinJSON(), "pricing/prices.json")
	if err != nil {
		panic("built-in price book: " + err.Error()) // a test guards this
	}
	return b
}

// builtinJSON returns pricing/prices.json from its compressed copy.
func builtinJSON() []byte {
	zr, err := gzip.NewReader(base64.NewDecoder(base64.StdEncoding, strings.NewReader(pricesGzip)))
	if err != nil {
		panic("built-in price book: " + err.Error()) // a test guards this
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		panic("built-in price book: " + err.Error())
	}
	return data
}

// LoadBook reads a price book file such as one written by `cwlens prices
// refresh`.
func LoadBook(path string) (*Book, error) {
	data, err := cwlens.ReadJSONObject(path, cwlens.MaxPriceBookBytes, "price book")
	if err != nil {
		return nil, err
	}
	return ParseBook(data, path)
}

// bookDoc is how a price book is read: on encoding/json/v2 rules (names as
// written, each once), no unknown members.
var bookDoc = jsonin.Doc{What: "price book object", Options: jsonv2.RejectUnknownMembers(true)}

// ParseBook parses a price book in the JSON form of pricing/prices.json.
// Problems are reported as *cwlens.InputError naming file and field.
func ParseBook(data []byte, file string) (*Book, error) {
	var f bookFile
	if err := bookDoc.Decode(bytes.NewReader(data), &f); err != nil {
		var je *jsonin.Error
		if errors.As(err, &je) {
			return nil, cwlens.Inputf(file, je.Path, je.Value, "not a price book: %s", je.Detail())
		}
		return nil, fmt.Errorf("read price book %s: %w", file, err)
	}
	if f.Currency != "" && f.Currency != "USD" {
		return nil, cwlens.Inputf(file, "currency", f.Currency, "only USD prices are supported")
	}
	asOf, err := time.Parse(time.DateOnly, f.AsOf)
	if err != nil {
		return nil, cwlens.Inputf(file, "as_of", f.AsOf, "want a date like 2026-11-27")
	}
	b := &Book{AsOf: asOf, About: f.About, Sources: f.Sources, Absent: f.Absent, prices: make(map[string]Price, len(f.Prices))}
	for i, p := range f.Prices {
		where := fmt.Sprintf("prices[%d]", i)
		prefix, ok := regionPrefixes[p.Region]
		if !ok {
			return nil, cwlens.Inputf(file, where+".region", p.Region, "unknown Region")
		}
		if suffix := strings.TrimPrefix(p.UsageType, prefix+"-"); UsageType(p.Region, suffix) != p.UsageType {
			return nil, cwlens.Inputf(file, where+".usage_type", p.UsageType, "usage type in %s must be written as on the bill, e.g. %s", p.Region, UsageType(p.Region, suffix))
		}
		usd, err := decimal.NewFromString(p.USD)
		if err != nil || usd.IsNegative() {
			return nil, cwlens.Inputf(file, where+".usd", p.USD, "want a non-negative decimal price")
		}
		eff, err := time.Parse(time.DateOnly, p.Effective)
		if err != nil {
			return nil, cwlens.Inputf(file, where+".effective", p.Effective, "want a date like 2026-09-28")
		}
		if p.Unit == "" {
			return nil, cwlens.Inputf(file, where+".unit", "", "unit is required")
		}
		source := p.Source
		if named, ok := f.Sources[source]; ok {
			source = named
		}
		if !strings.HasPrefix(source, "https://") {
			return nil, cwlens.Inputf(file, where+".source", p.Source, "want the https address a reader can open, or the name of one in sources")
		}
		tiers, err := parseTiers(p.Tiers, usd)
		if err != nil {
			return nil, cwlens.Inputf(file, where+".tiers", "", "%v", err)
		}
		k := key(p.Region, p.UsageType)
		if _, dup := b.prices[k]; dup {
			return nil, cwlens.Inputf(file, where+".usage_type", p.UsageType, "listed twice for %s", p.Region)
		}
		b.prices[k] = Price{Region: p.Region, UsageType: p.UsageType, Unit: p.Unit, USD: usd, Effective: eff, Spot: p.Spot, Source: source, Tiers: tiers}
	}
	return b, nil
}

// parseTiers reads the bands of a tiered price: contiguous from 0, in
// ascending order, the first at the price's USD, only the last open.
func parseTiers(tf []tierFile, usd decimal.Decimal) ([]Tier, error) {
	if len(tf) == 0 {
		return nil, nil
	}
	out := make([]Tier, len(tf))
	next := decimal.Zero
	for i, t := range tf {
		from, err1 := decimal.NewFromString(t.From)
		price, err2 := decimal.NewFromString(t.USD)
		if err1 != nil || err2 != nil || price.IsNegative() || !from.Equal(next) {
			return nil, fmt.Errorf("band %d: want from %s and a non-negative usd", i, next)
		}
		out[i] = Tier{From: from, USD: price}
		if t.To == "" {
			if i != len(tf)-1 {
				return nil, fmt.Errorf("band %d: only the last band is open", i)
			}
			continue
		}
		to, err := decimal.NewFromString(t.To)
		if err != nil || !to.GreaterThan(from) {
			return nil, fmt.Errorf("band %d: to %q must exceed from %s", i, t.To, from)
		}
		out[i].To, next = &to, to
	}
	if out[len(out)-1].To != nil {
		return nil, fmt.Errorf("the last band must be open (no to)")
	}
	if !out[0].USD.Equal(usd) {
		return nil, fmt.Errorf("the first band's usd %s differs from the price's %s", out[0].USD, usd)
	}
	return out, nil
}

func key(region, usageType string) string { return region + "\x00" + usageType }

// Lookup returns the price of the usage type suffix (e.g. UsageFargateGB) in
// region, or an error wrapping ErrUnknownPrice.
func (b *Book) Lookup(region, suffix string) (Price, error) {
	ut := UsageType(region, suffix)
	if p, ok := b.prices[key(region, ut)]; ok {
		return p, nil
	}
	return Price{}, &UnknownPriceError{Region: region, UsageType: ut}
}

// Regions returns the Regions the book prices, sorted.
func (b *Book) Regions() []string {
	seen := map[string]bool{}
	for _, p := range b.prices {
		seen[p.Region] = true
	}
	out := make([]string, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// Prices returns the book's prices in region (all Regions when region is
// empty), sorted by Region and usage type.
func (b *Book) Prices(region string) []Price {
	var out []Price
	for _, p := range b.prices {
		if region == "" || p.Region == region {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Region != out[j].Region {
			return out[i].Region < out[j].Region
		}
		return out[i].UsageType < out[j].UsageType
	})
	return out
}

// NewBook returns a book of prices dated asOf; about describes it and absent
// lists what it lacks.
func NewBook(asOf time.Time, about string, absent []string, prices ...Price) *Book {
	return (&Book{AsOf: asOf, About: about, Absent: absent, prices: map[string]Price{}}).With(asOf, about, prices...)
}

// With returns a copy of the book in which prices replace the entries with
// the same Region and usage type, and the book's date is asOf.
func (b *Book) With(asOf time.Time, about string, prices ...Price) *Book {
	nb := &Book{AsOf: asOf, About: about, Sources: b.Sources, Absent: b.Absent, prices: make(map[string]Price, len(b.prices)+len(prices))}
	for k, p := range b.prices {
		nb.prices[k] = p
	}
	for _, p := range prices {
		nb.prices[key(p.Region, p.UsageType)] = p
	}
	return nb
}

// Without returns a copy of the book without region's on-demand prices
// (Spot prices are kept), the starting point of a refresh.
func (b *Book) Without(region string) *Book {
	nb := b.With(b.AsOf, b.About)
	for k, p := range nb.prices {
		if p.Region == region && !p.Spot {
			delete(nb.prices, k)
		}
	}
	return nb
}

// WriteJSON writes the book in the form ParseBook reads. A source that
// several prices share is written once, under sources, and each of those
// prices names it ("s1", "s2", … in order of first use): a book's sources
// are most of its bytes otherwise, and the book is embedded in every cwlens
// binary, the Lambda function's included. Book.Sources is not written: the
// names are made afresh from the prices.
func (b *Book) WriteJSON(w io.Writer) error {
	f := bookFile{AsOf: b.AsOf.Format(time.DateOnly), Currency: "USD", About: b.About, Absent: b.Absent}
	prices := b.Prices("")
	names := sourceNames(prices)
	for src, name := range names {
		if f.Sources == nil {
			f.Sources = map[string]string{}
		}
		f.Sources[name] = src
	}
	for _, p := range prices {
		source := p.Source
		if name, ok := names[source]; ok {
			source = name
		}
		pf := priceFile{Region: p.Region, UsageType: p.UsageType, Unit: p.Unit, USD: p.USD.String(),
			Effective: p.Effective.Format(time.DateOnly), Spot: p.Spot, Source: source}
		for _, t := range p.Tiers {
			tf := tierFile{From: t.From.String(), USD: t.USD.String()}
			if t.To != nil {
				tf.To = t.To.String()
			}
			pf.Tiers = append(pf.Tiers, tf)
		}
		f.Prices = append(f.Prices, pf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// sourceNames names each source that more than one price cites, by order of
// first use.
func sourceNames(prices []Price) map[string]string {
	uses := map[string]int{}
	for _, p := range prices {
		uses[p.Source]++
	}
	names := map[string]string{}
	for _, p := range prices {
		if _, named := names[p.Source]; !named && uses[p.Source] > 1 {
			names[p.Source] = "s" + strconv.Itoa(len(names)+1)
		}
	}
	return names
}
