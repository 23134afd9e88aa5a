// Package pricelist rebuilds a cwlens price book from the AWS Price List
// Query API (pricing:GetProducts). It is the only part of pricing that talks
// to AWS, and only when asked to.
//
// Fargate Spot prices are not in the Price List API (they float and are
// published in a separate feed), so a refresh keeps the book's Spot prices
// and says so.
package pricelist

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awspricing "github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/pricing/types"
	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens/pricing"
)

// API is the part of the Price List client a refresh uses;
// *pricing.Client from aws-sdk-go-v2 satisfies it.
type API interface {
	GetProducts(ctx context.Context, in *awspricing.GetProductsInput, optFns ...func(*awspricing.Options)) (*awspricing.GetProductsOutput, error)
}

// Service codes of the Price List API that hold the book's prices.
const (
	ServiceECS        = "AmazonECS"
	ServiceCloudWatch = "AmazonCloudWatch"
)

// meter is one usage type the book keeps, where to find it and how to read it.
type meter struct {
	service   string
	suffix    string
	unit      string
	operation string // preferred operation when several SKUs share the usage type
}

var meters = []meter{
	{ServiceECS, pricing.UsageFargateVCPU, "vCPU-Hours", ""},
	{ServiceECS, pricing.UsageFargateGB, "GB-Hours", ""},
	{ServiceECS, pricing.UsageFargateARMVCPU, "vCPU-Hours", ""},
	{ServiceECS, pricing.UsageFargateARMGB, "GB-Hours", ""},
	{ServiceECS, pricing.UsageEphemeralStorage, "GB-Hours", ""},
	{ServiceCloudWatch, pricing.UsageLogsIngestion, "GB", "PutLogEvents"},
	{ServiceCloudWatch, pricing.UsageLogsIngestionIA, "GB", "PutLogEvents"},
	{ServiceCloudWatch, pricing.UsageLogsStorage, "GB-Mo", "HourlyStorageMetering"},
	{ServiceCloudWatch, pricing.UsageInsightsScanned, "GB", "StartQuery"},
}

// Report says what a refresh found.
type Report struct {
	Region string
	// Products is the number of PriceList entries read per service code.
	Products map[string]int
	Found    []pricing.Price
	// Missing lists the usage types the API did not price in the Region;
	// they are absent from the new book and price as unknown.
	Missing []string
	// KeptSpot lists the Spot prices carried over from the old book.
	KeptSpot []pricing.Price
	// Notes mention ambiguities and tiered prices.
	Notes []string
}

// Refresh reads region's on-demand prices from the Price List API and returns
// base with that Region's on-demand prices replaced and its Spot prices
// kept. asOf dates the new book.
func Refresh(ctx context.Context, api API, base *pricing.Book, region string, asOf time.Time) (*pricing.Book, *Report, error) {
	prefix, ok := pricing.RegionPrefix(region)
	if !ok {
		return nil, nil, fmt.Errorf("refresh prices: Region %q has no known usage-type prefix", region)
	}
	rep := &Report{Region: region, Products: map[string]int{}}
	cands := map[string][]candidate{} // by full usage type
	for _, svc := range []string{ServiceECS, ServiceCloudWatch} {
		n, err := readService(ctx, api, svc, region, prefix, cands)
		if err != nil {
			return nil, nil, err
		}
		rep.Products[svc] = n
	}
	var found []pricing.Price
	for _, m := range meters {
		ut := prefix + "-" + m.suffix
		p, note, ok := choose(cands[ut], m)
		if note != "" {
			rep.Notes = append(rep.Notes, ut+": "+note)
		}
		if !ok {
			rep.Missing = append(rep.Missing, ut)
			continue
		}
		p.Region, p.UsageType, p.Unit = region, ut, m.unit
		found = append(found, p)
	}
	rep.Found = found
	for _, p := range base.Prices(region) {
		if p.Spot {
			rep.KeptSpot = append(rep.KeptSpot, p)
		}
	}
	about := base.About
	book := base.Without(region).With(asOf, about, found...)
	return book, rep, nil
}

type candidate struct {
	price     pricing.Price
	operation string
	tiers     int
}

func readService(ctx context.Context, api API, service, region, prefix string, cands map[string][]candidate) (int, error) {
	in := &awspricing.GetProductsInput{
		ServiceCode:   aws.String(service),
		FormatVersion: aws.String("aws_v1"),
		MaxResults:    aws.Int32(100),
		Filters:       []types.Filter{{Type: types.FilterTypeTermMatch, Field: aws.String("regionCode"), Value: aws.String(region)}},
	}
	pages := awspricing.NewGetProductsPaginator(api, in)
	n := 0
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return n, fmt.Errorf("refresh prices: GetProducts %s %s: %w", service, region, err)
		}
		for _, raw := range out.PriceList {
			n++
			c, ut, ok, err := parseItem(raw, service, region, prefix)
			if err != nil {
				return n, fmt.Errorf("refresh prices: GetProducts %s %s: PriceList entry %d: %w", service, region, n, err)
			}
			if ok {
				cands[ut] = append(cands[ut], c)
			}
		}
	}
	return n, nil
}

// item is the part of a PriceList JSON document a refresh reads.
type item struct {
	Product struct {
		ProductFamily string            `json:"productFamily"`
		Attributes    map[string]string `json:"attributes"`
		SKU           string            `json:"sku"`
	} `json:"product"`
	Terms struct {
		OnDemand map[string]struct {
			EffectiveDate   string `json:"effectiveDate"`
			PriceDimensions map[string]struct {
				Unit         string            `json:"unit"`
				BeginRange   string            `json:"beginRange"`
				EndRange     string            `json:"endRange"`
				Description  string            `json:"description"`
				PricePerUnit map[string]string `json:"pricePerUnit"`
			} `json:"priceDimensions"`
		} `json:"OnDemand"`
	} `json:"terms"`
	PublicationDate string `json:"publicationDate"`
}

// parseItem reads one PriceList entry, returning the candidate price and its
// full usage type when it is one the book keeps.
func parseItem(raw, service, region, prefix string) (candidate, string, bool, error) {
	var it item
	if err := json.Unmarshal([]byte(raw), &it); err != nil {
		return candidate{}, "", false, fmt.Errorf("not a price list document: %w", err)
	}
	a := it.Product.Attributes
	if a["regionCode"] != "" && a["regionCode"] != region {
		return candidate{}, "", false, nil
	}
	ut := a["usagetype"]
	// Some us-east-1 CloudWatch SKUs carry no Region prefix; regionCode says
	// where they apply.
	if !strings.HasPrefix(ut, prefix+"-") {
		ut = prefix + "-" + ut
	}
	wanted := false
	for _, m := range meters {
		if m.service == service && ut == prefix+"-"+m.suffix {
			wanted = true
		}
	}
	if !wanted {
		return candidate{}, "", false, nil
	}
	if len(it.Terms.OnDemand) != 1 {
		return candidate{}, "", false, fmt.Errorf("%s: want one OnDemand term, got %d", ut, len(it.Terms.OnDemand))
	}
	for _, term := range it.Terms.OnDemand {
		type dim struct {
			begin decimal.Decimal
			usd   decimal.Decimal
			end   string
		}
		var dims []dim
		for _, d := range term.PriceDimensions {
			usd, err := decimal.NewFromString(d.PricePerUnit["USD"])
			if err != nil {
				return candidate{}, "", false, fmt.Errorf("%s: price %q: %w", ut, d.PricePerUnit["USD"], err)
			}
			begin := decimal.Zero
			if d.BeginRange != "" {
				if begin, err = decimal.NewFromString(d.BeginRange); err != nil {
					return candidate{}, "", false, fmt.Errorf("%s: beginRange %q: %w", ut, d.BeginRange, err)
				}
			}
			dims = append(dims, dim{begin, usd, d.EndRange})
		}
		if len(dims) == 0 {
			return candidate{}, "", false, fmt.Errorf("%s: no price dimensions", ut)
		}
		// Tiered usage types list one dimension per band; the first band is
		// the one a single account's usage starts in.
		sort.Slice(dims, func(i, j int) bool { return dims[i].begin.LessThan(dims[j].begin) })
		eff, err := time.Parse(time.RFC3339, term.EffectiveDate)
		if err != nil {
			return candidate{}, "", false, fmt.Errorf("%s: effectiveDate %q: %w", ut, term.EffectiveDate, err)
		}
		src := fmt.Sprintf("AWS Price List API GetProducts %s SKU %s, publication %s", service, it.Product.SKU, it.PublicationDate)
		if len(dims) > 1 {
			src += fmt.Sprintf("; tiered: first band 0–%s", dims[0].end)
		}
		p := pricing.Price{USD: dims[0].usd, Effective: eff.UTC().Truncate(24 * time.Hour), Source: src}
		return candidate{price: p, operation: a["operation"], tiers: len(dims)}, ut, true, nil
	}
	return candidate{}, "", false, nil
}

// choose picks the price of a meter among the SKUs that share its usage type.
func choose(cs []candidate, m meter) (pricing.Price, string, bool) {
	switch len(cs) {
	case 0:
		return pricing.Price{}, "", false
	case 1:
		return cs[0].price, "", true
	}
	if m.operation != "" {
		for _, c := range cs {
			if c.operation == m.operation {
				return c.price, fmt.Sprintf("%d SKUs; took operation %s", len(cs), m.operation), true
			}
		}
	}
	for _, c := range cs[1:] {
		if !c.price.USD.Equal(cs[0].price.USD) {
			return pricing.Price{}, fmt.Sprintf("%d SKUs with different prices and none for operation %q; left unknown", len(cs), m.operation), false
		}
	}
	return cs[0].price, "", true
}

// NewClient returns a Price List API client configured the usual way (the
// environment, shared config and credentials files, an IAM role). The API
// is served from us-east-1 for the prices of every Region;
// AWS_ENDPOINT_URL_PRICING points it elsewhere, e.g. at a test server.
func NewClient(ctx context.Context) (API, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"))
	if err != nil {
		return nil, fmt.Errorf("refresh prices: AWS configuration: %w", err)
	}
	return awspricing.NewFromConfig(cfg), nil
}
