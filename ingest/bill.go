package ingest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer"
	cetypes "github.com/aws/aws-sdk-go-v2/service/costexplorer/types"
	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

// CostExplorerAPI is the part of the Cost Explorer client a scan with
// Options.Bill uses.
type CostExplorerAPI interface {
	GetCostAndUsage(ctx context.Context, in *costexplorer.GetCostAndUsageInput, opts ...func(*costexplorer.Options)) (*costexplorer.GetCostAndUsageOutput, error)
	GetCostForecast(ctx context.Context, in *costexplorer.GetCostForecastInput, opts ...func(*costexplorer.Options)) (*costexplorer.GetCostForecastOutput, error)
}

// costExplorerRegion is the Region of Cost Explorer's one endpoint,
// ce.us-east-1.amazonaws.com
// (https://docs.aws.amazon.com/general/latest/gr/billing.html), whatever
// Region the scan reads.
const costExplorerRegion = "us-east-1"

// BillServices are the SERVICE values of the bill lines cwlens models, as
// Cost Explorer names them.
var BillServices = []string{"Amazon Elastic Container Service", "AmazonCloudWatch"}

// billMetrics are the metrics a bill line holds.
const (
	metricUnblended = "UnblendedCost"
	metricNet       = "NetAmortizedCost"
	metricQuantity  = "UsageQuantity"
)

// billPeriod returns the dates a bill covers at now: from the start of the
// last full month to today (exclusive, so the month to date holds whole
// days Cost Explorer has), and the forecast's period from today to the end
// of the month. On the first of a month the month to date is empty and the
// request ends at the month's start.
func billPeriod(now time.Time) (start, today, monthEnd time.Time) {
	now = now.UTC()
	today = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return month.AddDate(0, -1, 0), today, month.AddDate(0, 1, 0)
}

func dateInterval(from, to time.Time) *cetypes.DateInterval {
	return &cetypes.DateInterval{Start: aws.String(from.Format(time.DateOnly)), End: aws.String(to.Format(time.DateOnly))}
}

func billFilter() *cetypes.Expression {
	return &cetypes.Expression{Dimensions: &cetypes.DimensionValues{Key: cetypes.DimensionService, Values: BillServices}}
}

// bill reads the bill: GetCostAndUsage MONTHLY, then DAILY, for the last
// full month and the month to date (one request each, plus one a
// NextPageToken), then one GetCostForecast a metric (unblended, net
// amortized) for the rest of the month, skipped on its last day. A refused
// or failed GetCostAndUsage, either granularity, is one gap and no bill.
func (r *run) bill(ctx context.Context) *cwlens.Bill {
	if r.s.c.CostExplorer == nil {
		r.gap("ce:GetCostAndUsage", "*", "no Cost Explorer client")
		return nil
	}
	now := r.s.opts.Now()
	start, today, monthEnd := billPeriod(now)
	b := &cwlens.Bill{ReadAt: now.UTC().Truncate(time.Second), Currency: "USD", Months: []cwlens.BillMonth{}}
	if err := r.costAndUsage(ctx, b, cetypes.GranularityMonthly, start, today, addResults); err != nil {
		r.fail(ctx, "ce:GetCostAndUsage", "*", err)
		return nil
	}
	if err := r.costAndUsage(ctx, b, cetypes.GranularityDaily, start, today, addDays); err != nil {
		r.fail(ctx, "ce:GetCostAndUsage", "*", err)
		return nil
	}
	// AWS does not say pages come in date order; the snapshot keeps days in it.
	slices.SortStableFunc(b.Daily, func(x, y cwlens.BillDay) int { return x.Date.Compare(y.Date) })
	r.reads.Add(1)
	if today.AddDate(0, 0, 1).Before(monthEnd) {
		b.Forecast = r.forecast(ctx, b, cetypes.MetricUnblendedCost, today, monthEnd)
		b.NetAmortizedForecast = r.forecast(ctx, b, cetypes.MetricNetAmortizedCost, today, monthEnd)
	}
	return b
}

// costAndUsage reads one granularity of the bill from start to end, both
// groupings and the three metrics, following NextPageToken until a page
// has none
// (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html);
// add takes each page's results. Every request answered counts in b's
// requests.
func (r *run) costAndUsage(ctx context.Context, b *cwlens.Bill, g cetypes.Granularity, start, end time.Time,
	add func(*cwlens.Bill, []cetypes.ResultByTime) error) error {
	in := &costexplorer.GetCostAndUsageInput{
		TimePeriod:  dateInterval(start, end),
		Granularity: g,
		Filter:      billFilter(),
		Metrics:     []string{metricUnblended, metricNet, metricQuantity},
		GroupBy: []cetypes.GroupDefinition{
			{Type: cetypes.GroupDefinitionTypeDimension, Key: aws.String(string(cetypes.DimensionService))},
			{Type: cetypes.GroupDefinitionTypeDimension, Key: aws.String(string(cetypes.DimensionUsageType))},
		},
	}
	for {
		out, err := r.s.c.CostExplorer.GetCostAndUsage(ctx, in)
		if err != nil {
			return err
		}
		b.Requests++
		if err := add(b, out.ResultsByTime); err != nil {
			return err
		}
		if in.NextPageToken = out.NextPageToken; aws.ToString(in.NextPageToken) == "" {
			return nil
		}
	}
}

// addDays adds one DAILY page's days to b.Daily: a ResultByTime is one day
// (its TimePeriod's Start), and a day seen on an earlier page comes again
// with this page's groups. bill puts the days in date order afterwards:
// AWS does not say the pages come in it.
func addDays(b *cwlens.Bill, results []cetypes.ResultByTime) error {
	for _, res := range results {
		day, err := time.Parse(time.DateOnly, aws.ToString(res.TimePeriod.Start))
		if err != nil {
			return fmt.Errorf("GetCostAndUsage DAILY TimePeriod: %w", err)
		}
		for _, g := range res.Groups {
			l, _, err := billLine(g)
			if err != nil {
				return err
			}
			b.Daily = append(b.Daily, cwlens.BillDay{Date: day, BillLine: l})
		}
	}
	return nil
}

// forecast reads Cost Explorer's forecast of metric from today to the
// month's end with its 80 % prediction interval: one request a metric, as
// GetCostForecast takes one Metric
// (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostForecast.html).
// DataUnavailableException (too little history) is no forecast, not a gap.
func (r *run) forecast(ctx context.Context, b *cwlens.Bill, metric cetypes.Metric, from, to time.Time) *cwlens.BillForecast {
	out, err := r.s.c.CostExplorer.GetCostForecast(ctx, &costexplorer.GetCostForecastInput{
		TimePeriod:              dateInterval(from, to),
		Metric:                  metric,
		Granularity:             cetypes.GranularityMonthly,
		Filter:                  billFilter(),
		PredictionIntervalLevel: aws.Int32(80),
	})
	if err == nil {
		b.Requests++
	}
	var unavailable *cetypes.DataUnavailableException
	if errors.As(err, &unavailable) {
		return nil
	}
	var f *cwlens.BillForecast
	if err == nil {
		f, err = forecastOf(out, from, to)
	}
	if err != nil {
		r.fail(ctx, "ce:GetCostForecast", string(metric), err) // which of the two forecasts is missing
		return nil
	}
	return f
}

func forecastOf(out *costexplorer.GetCostForecastOutput, from, to time.Time) (*cwlens.BillForecast, error) {
	if len(out.ForecastResultsByTime) != 1 {
		return nil, fmt.Errorf("GetCostForecast: %d forecast periods for one month, want 1", len(out.ForecastResultsByTime))
	}
	fr := out.ForecastResultsByTime[0]
	f := &cwlens.BillForecast{Start: from, End: to}
	for _, v := range []struct {
		name string
		s    *string
		d    *decimal.Decimal
	}{{"MeanValue", fr.MeanValue, &f.Mean}, {"PredictionIntervalLowerBound", fr.PredictionIntervalLowerBound, &f.Low},
		{"PredictionIntervalUpperBound", fr.PredictionIntervalUpperBound, &f.High}} {
		d, err := decimal.NewFromString(aws.ToString(v.s))
		if err != nil {
			return nil, fmt.Errorf("GetCostForecast %s %q: %w", v.name, aws.ToString(v.s), err)
		}
		*v.d = d
	}
	return f, nil
}

// addResults adds one page's months and groups to b: a month seen on an
// earlier page gets this page's groups appended.
func addResults(b *cwlens.Bill, results []cetypes.ResultByTime) error {
	for _, res := range results {
		start, err1 := time.Parse(time.DateOnly, aws.ToString(res.TimePeriod.Start))
		end, err2 := time.Parse(time.DateOnly, aws.ToString(res.TimePeriod.End))
		if err := errors.Join(err1, err2); err != nil {
			return fmt.Errorf("GetCostAndUsage TimePeriod: %w", err)
		}
		m := monthOf(b, start, end)
		for _, g := range res.Groups {
			l, cur, err := billLine(g)
			if err != nil {
				return err
			}
			if cur != "" {
				b.Currency = cur
			}
			m.Lines = append(m.Lines, l)
		}
	}
	return nil
}

// monthOf returns b's month starting at start, adding it if new. A month is
// complete when it covers its whole calendar month.
func monthOf(b *cwlens.Bill, start, end time.Time) *cwlens.BillMonth {
	for i := range b.Months {
		if b.Months[i].Start.Equal(start) {
			return &b.Months[i]
		}
	}
	whole := start.Day() == 1 && end.Equal(start.AddDate(0, 1, 0))
	b.Months = append(b.Months, cwlens.BillMonth{Start: start, End: end, Complete: whole, Lines: []cwlens.BillLine{}})
	return &b.Months[len(b.Months)-1]
}

// billLine reads one group keyed [service, usage type]; it returns the
// line and the currency of its costs.
func billLine(g cetypes.Group) (cwlens.BillLine, string, error) {
	if len(g.Keys) != 2 {
		return cwlens.BillLine{}, "", fmt.Errorf("GetCostAndUsage group keys %q: want [service, usage type]", g.Keys)
	}
	l := cwlens.BillLine{Service: g.Keys[0], UsageType: g.Keys[1], Unit: aws.ToString(g.Metrics[metricQuantity].Unit)}
	for _, v := range []struct {
		name string
		d    *decimal.Decimal
	}{{metricUnblended, &l.UnblendedCost}, {metricNet, &l.NetAmortizedCost}, {metricQuantity, &l.UsageQuantity}} {
		mv, ok := g.Metrics[v.name]
		if !ok {
			return l, "", fmt.Errorf("GetCostAndUsage %s/%s: no %s", l.Service, l.UsageType, v.name)
		}
		d, err := decimal.NewFromString(aws.ToString(mv.Amount))
		if err != nil {
			return l, "", fmt.Errorf("GetCostAndUsage %s/%s %s %q: %w", l.Service, l.UsageType, v.name, aws.ToString(mv.Amount), err)
		}
		*v.d = d
	}
	return l, aws.ToString(g.Metrics[metricUnblended].Unit), nil
}
