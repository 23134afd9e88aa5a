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
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awspricing "github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/pricing/types"

	"github.com/cwlens/cwlens/internal/sdkhttp"
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
	{ServiceECS, pricing.UsageFargateWinVCPU, "vCPU-Hours", ""},
	{ServiceECS, pricing.UsageFargateWinGB, "GB-Hours", ""},
	{ServiceECS, pricing.UsageFargateWinOS, "vCPU-Hours", ""},
	{ServiceECS, pricing.UsageEphemeralStorage, "GB-Hours", ""},
	{ServiceCloudWatch, pricing.UsageLogsIngestion, "GB", "PutLogEvents"},
	{ServiceCloudWatch, pricing.UsageLogsIngestionIA, "GB", "PutLogEvents"},
	{ServiceCloudWatch, pricing.UsageVendedLogs, "GB", "PutLogEvents"},
	{ServiceCloudWatch, pricing.UsageVendedLogsIA, "GB", "PutLogEvents"},
	{ServiceCloudWatch, pricing.UsageLogsStorage, "GB-Mo", "HourlyStorageMetering"},
	{ServiceCloudWatch, pricing.UsageLogsStorageIA, "GB-Mo", "HourlyStorageMetering"},
	{ServiceCloudWatch, pricing.UsageInsightsScanned, "GB", "StartQuery"},
	{ServiceCloudWatch, pricing.UsageDataProtection, "GB", ""},
	{ServiceCloudWatch, pricing.UsageLiveTail, "Session-Minutes", ""},
	{ServiceCloudWatch, pricing.UsageCustomMetrics, "Metrics", ""},
	{ServiceCloudWatch, pricing.UsageGMDMetrics, "Metrics", ""},
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
	cands := map[string][]candidate{} // by usage-type suffix
	for _, svc := range []string{ServiceECS, ServiceCloudWatch} {
		n, err := readService(ctx, api, svc, region, prefix, cands)
		if err != nil {
			return nil, nil, err
		}
		rep.Products[svc] = n
	}
	var found []pricing.Price
	for _, m := range meters {
		ut := pricing.UsageType(region, m.suffix)
		p, note, ok := choose(cands[m.suffix], m)
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
		OnDemand map[string]offerTerm `json:"OnDemand"`
	} `json:"terms"`
	PublicationDate string `json:"publicationDate"`
}

// parseItem reads one PriceList entry, returning the candidate price and its
// usage-type suffix when it is one the book keeps. Some us-east-1
// CloudWatch SKUs carry no Region prefix; regionCode says where they apply.
func parseItem(raw, service, region, prefix string) (candidate, string, bool, error) {
	var it item
	if err := json.Unmarshal([]byte(raw), &it); err != nil {
		return candidate{}, "", false, fmt.Errorf("not a price list document: %w", err)
	}
	a := it.Product.Attributes
	if a["regionCode"] != "" && a["regionCode"] != region {
		return candidate{}, "", false, nil
	}
	suffix := strings.TrimPrefix(a["usagetype"], prefix+"-")
	wanted := false
	for _, m := range meters {
		wanted = wanted || m.service == service && suffix == m.suffix
	}
	if !wanted {
		return candidate{}, "", false, nil
	}
	if len(it.Terms.OnDemand) != 1 {
		return candidate{}, "", false, fmt.Errorf("%s: want one OnDemand term, got %d", a["usagetype"], len(it.Terms.OnDemand))
	}
	for _, term := range it.Terms.OnDemand {
		p, err := termPrice(term)
		if err != nil {
			return candidate{}, "", false, fmt.Errorf("%s: %w", a["usagetype"], err)
		}
		p.Source = fmt.Sprintf("https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/%s/current/%s/index.json (AWS Price List API GetProducts %s SKU %s, publication %s)",
			service, region, service, it.Product.SKU, it.PublicationDate)
		if len(p.Tiers) > 1 {
			p.Source += fmt.Sprintf("; tiered: %d bands", len(p.Tiers))
		}
		return candidate{price: p, operation: a["operation"], tiers: len(p.Tiers)}, suffix, true, nil
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
	return awspricing.NewFromConfig(sdkhttp.Config(cfg)), nil
}
