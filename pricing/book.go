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
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
)

// Usage-type suffixes the book prices. On the bill each carries the Region's
// prefix, e.g. USE1-Fargate-vCPU-Hours:perCPU.
const (
	UsageFargateVCPU      = "Fargate-vCPU-Hours:perCPU"
	UsageFargateGB        = "Fargate-GB-Hours"
	UsageFargateARMVCPU   = "Fargate-ARM-vCPU-Hours:perCPU"
	UsageFargateARMGB     = "Fargate-ARM-GB-Hours"
	UsageSpotVCPU         = "SpotUsage-Fargate-vCPU-Hours:perCPU"
	UsageSpotGB           = "SpotUsage-Fargate-GB-Hours"
	UsageSpotARMVCPU      = "SpotUsage-Fargate-ARM-vCPU-Hours:perCPU"
	UsageSpotARMGB        = "SpotUsage-Fargate-ARM-GB-Hours"
	UsageEphemeralStorage = "Fargate-EphemeralStorage-GB-Hours"
	UsageLogsIngestion    = "DataProcessing-Bytes"
	UsageLogsIngestionIA  = "DataProcessingIA-Bytes"
	UsageLogsStorage      = "TimedStorage-ByteHrs"
	UsageInsightsScanned  = "DataScanned-Bytes"
)

// regionPrefixes maps Regions to the prefix AWS puts on their usage types
// (AWS docs cloudwatch_billing: "EU = Europe (Ireland)"; aws-facts.md §E).
var regionPrefixes = map[string]string{
	"us-east-1":      "USE1",
	"us-east-2":      "USE2",
	"us-west-1":      "USW1",
	"us-west-2":      "USW2",
	"eu-west-1":      "EU",
	"eu-central-1":   "EUC1",
	"ap-southeast-1": "APS1",
	"ap-northeast-1": "APN1",
	"ap-south-1":     "APS3",
}

// RegionPrefix returns the usage-type prefix of region, e.g. "USE1" for
// us-east-1, and whether the Region is known.
func RegionPrefix(region string) (string, bool) {
	p, ok := regionPrefixes[region]
	return p, ok
}

// UsageType returns the full usage type of suffix in region, e.g.
// "EU-DataProcessing-Bytes", or the bare suffix when the Region's prefix is
// not known.
func UsageType(region, suffix string) string {
	if p, ok := regionPrefixes[region]; ok {
		return p + "-" + suffix
	}
	return suffix
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
}

// Book is a price book: list prices by Region and usage type. It is
// immutable once loaded and safe for concurrent use.
type Book struct {
	AsOf    time.Time
	About   string
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
	Region    string `json:"region"`
	UsageType string `json:"usage_type"`
	Unit      string `json:"unit"`
	USD       string `json:"usd"`
	Effective string `json:"effective"`
	Spot      bool   `json:"spot,omitempty"`
	Source    string `json:"source"`
}

//go:embed prices.json
var embeddedBook []byte

// Default returns the embedded price book (pricing/prices.json).
func Default() *Book {
	b, err := ParseBook(embeddedBook, "pricing/prices.json")
	if err != nil {
		panic("embedded price book: " + err.Error()) // a test guards this
	}
	return b
}

// LoadBook reads a price book file such as one written by `cwlens prices
// refresh`.
func LoadBook(path string) (*Book, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read price book: %w", err)
	}
	return ParseBook(data, path)
}

// ParseBook parses a price book in the JSON form of pricing/prices.json.
// Problems are reported as *cwlens.InputError naming file and field.
func ParseBook(data []byte, file string) (*Book, error) {
	var f bookFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, cwlens.Inputf(file, "", "", "not a price book: %v", err)
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
		if !strings.HasPrefix(p.UsageType, prefix+"-") {
			return nil, cwlens.Inputf(file, where+".usage_type", p.UsageType, "usage type in %s must start with %s-", p.Region, prefix)
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
		k := key(p.Region, p.UsageType)
		if _, dup := b.prices[k]; dup {
			return nil, cwlens.Inputf(file, where+".usage_type", p.UsageType, "listed twice for %s", p.Region)
		}
		b.prices[k] = Price{Region: p.Region, UsageType: p.UsageType, Unit: p.Unit, USD: usd, Effective: eff, Spot: p.Spot, Source: p.Source}
	}
	return b, nil
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

// WriteJSON writes the book in the form ParseBook reads.
func (b *Book) WriteJSON(w io.Writer) error {
	f := bookFile{AsOf: b.AsOf.Format(time.DateOnly), Currency: "USD", About: b.About, Sources: b.Sources, Absent: b.Absent}
	for _, p := range b.Prices("") {
		f.Prices = append(f.Prices, priceFile{Region: p.Region, UsageType: p.UsageType, Unit: p.Unit, USD: p.USD.String(),
			Effective: p.Effective.Format(time.DateOnly), Spot: p.Spot, Source: p.Source})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}
