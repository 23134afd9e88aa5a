package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/spf13/cobra"

	"github.com/cwlens/cwlens/pricing"
	"github.com/cwlens/cwlens/pricing/pricelist"
)

func newPricesCmd(stdout, stderr io.Writer) *cobra.Command {
	var region, prices string
	cmd := &cobra.Command{
		Use:   "prices",
		Short: "Show the price book: AWS list prices by Region and usage type",
		Long: `prices shows the price book cwlens prices with: each AWS usage type as the
bill writes it (USE1-Fargate-vCPU-Hours:perCPU; us-east-1 CloudWatch usage
types such as DataProcessing-Bytes carry no Region prefix) with its unit,
price (every band of a tiered price), the date it took effect and its source:
the AWS Price List offer or page it belongs to, by address, and where the
figure was read. A usage type the book lacks is priced as unknown, never as
$0; the book's list of what it lacks closes the output. Fargate Spot prices
float; their date is shown.

The built-in book is generated: us-east-1 from AWS Price List offer files,
the other Regions from the public price tables each source names; --prices
uses another book, such as one written by 'cwlens prices refresh'.`,
		Example: `  cwlens prices --region us-east-1
  cwlens prices refresh --region eu-west-1 --out prices.json`,
		Args: exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			book, err := loadBook(prices)
			if err != nil {
				return err
			}
			if region != "" && len(book.Prices(region)) == 0 {
				return usagef("--region: the book has no prices for %q (it has %s)", region, strings.Join(book.Regions(), ", "))
			}
			return writePrices(stdout, book, region)
		},
	}
	cmd.Flags().StringVar(&region, "region", "", "show only the prices of `REGION` (default: all)")
	cmd.Flags().StringVar(&prices, "prices", "", "show the price book in `FILE` (default: the built-in book)")
	cmd.AddCommand(newPricesRefreshCmd(stdout, stderr))
	return cmd
}

func writePrices(w io.Writer, book *pricing.Book, region string) error {
	t := table.NewWriter()
	t.SetOutputMirror(w)
	t.SetStyle(table.StyleLight)
	regions := book.Regions()
	if region != "" {
		regions = []string{region}
	}
	t.SetTitle(fmt.Sprintf("Price book as of %s (USD): %d Region(s)", book.AsOf.Format(time.DateOnly), len(regions)))
	t.AppendHeader(table.Row{"region", "usage type", "unit", "price", "effective", "spot", "source"})
	// Sources are long addresses: each is written once, in full, under the
	// table, and a row names it by number.
	var sources []string
	index := map[string]int{}
	for _, p := range book.Prices(region) {
		spot := ""
		if p.Spot {
			spot = "yes"
		}
		n, ok := index[p.Source]
		if !ok {
			sources = append(sources, p.Source)
			n = len(sources)
			index[p.Source] = n
		}
		t.AppendRow(table.Row{p.Region, p.UsageType, p.Unit, priceText(p), p.Effective.Format(time.DateOnly), spot, fmt.Sprintf("[%d]", n)})
	}
	t.SetColumnConfigs([]table.ColumnConfig{{Number: 4, Align: text.AlignRight}})
	t.Render()
	for i, s := range sources {
		if _, err := fmt.Fprintf(w, "  [%d] %s\n", i+1, s); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintf(w, "  billing: Fargate bills each task per second from its image pull to its stop, at least %d minute(s) per Linux task and %d per Windows task (https://aws.amazon.com/fargate/pricing/); the prices above are per hour\n",
		int(pricing.MinimumChargeLinux.Minutes()), int(pricing.MinimumChargeWindows.Minutes())); err != nil {
		return err
	}
	for _, a := range book.Absent {
		if _, err := fmt.Fprintf(w, "  absent (priced as unknown): %s\n", a); err != nil {
			return err
		}
	}
	return nil
}

// priceText writes a price, and each band of a tiered one: "0.5 to 10240,
// 0.25 to 30720, 0.05 above".
func priceText(p pricing.Price) string {
	if len(p.Tiers) == 0 {
		return p.USD.String()
	}
	parts := make([]string, len(p.Tiers))
	for i, t := range p.Tiers {
		if t.To != nil {
			parts[i] = t.USD.String() + " to " + t.To.String()
		} else {
			parts[i] = t.USD.String() + " above"
		}
	}
	return strings.Join(parts, ", ")
}

func newPricesRefreshCmd(stdout, stderr io.Writer) *cobra.Command {
	var region, out, prices string
	cmd := &cobra.Command{
		Use:   "refresh --region REGION --out FILE",
		Short: "Rebuild a Region's on-demand prices from the AWS Price List API",
		Long: `refresh reads REGION's Fargate and CloudWatch Logs prices from the AWS Price
List API (pricing:GetProducts, service codes AmazonECS and AmazonCloudWatch)
and writes the price book with them to FILE, atomically. It needs AWS
credentials allowed pricing:GetProducts; the API is served from us-east-1.

Fargate Spot prices are not in the Price List API: the book's Spot prices
are kept, with their date, and the command says so. A usage type the API
does not price in REGION is left out, so it prices as unknown.`,
		Example: `  cwlens prices refresh --region us-east-1 --out prices.json
  cwlens report snapshot.json --prices prices.json`,
		Args: exactArgs(),
		RunE: func(c *cobra.Command, _ []string) error {
			if region == "" || out == "" {
				return usagef("refresh needs --region and --out")
			}
			if _, ok := pricing.RegionPrefix(region); !ok {
				return usagef("--region: %q has no known usage-type prefix", region)
			}
			base, err := loadBook(prices)
			if err != nil {
				return err
			}
			api, err := pricelist.NewClient(c.Context())
			if err != nil {
				return err
			}
			book, rep, err := pricelist.Refresh(c.Context(), api, base, region, time.Now().UTC())
			if err != nil {
				return err
			}
			if err := writeOutput(stdout, out, book.WriteJSON, prices); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "cwlens: %s: %d prices from the Price List API (%d AmazonECS and %d AmazonCloudWatch products read) written to %s\n",
				region, len(rep.Found), rep.Products[pricelist.ServiceECS], rep.Products[pricelist.ServiceCloudWatch], out)
			for _, p := range rep.KeptSpot {
				fmt.Fprintf(stderr, "cwlens: kept %s %s (Spot, published %s): Spot prices are not in the Price List API\n", p.UsageType, p.USD, p.Effective.Format(time.DateOnly))
			}
			for _, m := range rep.Missing {
				fmt.Fprintf(stderr, "cwlens: %s: not priced by the API in %s; left out (priced as unknown)\n", m, region)
			}
			for _, n := range rep.Notes {
				fmt.Fprintf(stderr, "cwlens: note: %s\n", n)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&region, "region", "", "the `REGION` whose prices to refresh, e.g. us-east-1")
	cmd.Flags().StringVar(&out, "out", "", "write the new price book to `FILE`")
	cmd.Flags().StringVar(&prices, "prices", "", "start from the price book in `FILE` (default: the built-in book)")
	return cmd
}
