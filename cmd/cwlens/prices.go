package main

import (
	"fmt"
	"io"
	"sort"
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
		Long: `prices shows the price book cwlens prices with: each AWS usage type (as on the
bill, e.g. USE1-Fargate-vCPU-Hours:perCPU) with its unit, price, the date it
took effect and its source. A usage type the book lacks is priced as unknown,
never as $0. Fargate Spot prices float; their date is shown.

The built-in book is pricing/prices.json; --prices uses another, such as one
written by 'cwlens prices refresh'.`,
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
	t.SetTitle(fmt.Sprintf("Price book as of %s (USD)", book.AsOf.Format(time.DateOnly)))
	t.AppendHeader(table.Row{"region", "usage type", "unit", "price", "effective", "", "source"})
	for _, p := range book.Prices(region) {
		spot := ""
		if p.Spot {
			spot = "Spot"
		}
		t.AppendRow(table.Row{p.Region, p.UsageType, p.Unit, p.USD.String(), p.Effective.Format(time.DateOnly), spot, p.Source})
	}
	t.SetColumnConfigs([]table.ColumnConfig{{Number: 4, Align: text.AlignRight}, {Number: 7, WidthMax: 60}})
	t.Render()
	keys := make([]string, 0, len(book.Sources))
	for k := range book.Sources {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := fmt.Fprintf(w, "  [%s] %s\n", k, book.Sources[k]); err != nil {
			return err
		}
	}
	for _, a := range book.Absent {
		if _, err := fmt.Fprintf(w, "  absent (priced as unknown): %s\n", a); err != nil {
			return err
		}
	}
	return nil
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
