package awsemu

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/cwlens/cwlens"
)

// costExplorer emulates AWS Cost Explorer's GetCostAndUsage and
// GetCostForecast from a snapshot's bill: AWS JSON 1.1 with the X-Amz-Target
// prefix AWSInsightsIndexService.
//
// It serves what a bill holds: MONTHLY granularity from its months and
// DAILY from its daily lines, grouped by SERVICE and
// USAGE_TYPE, the metrics UnblendedCost, NetAmortizedCost and UsageQuantity,
// optionally filtered on SERVICE. Other requests are refused with a
// ValidationException rather than answered wrongly.
type costExplorer struct {
	JSON11
	bill *cwlens.Bill
	// pageSize is how many groups one GetCostAndUsage page carries. AWS does
	// not document its page size; a small one makes every scan page.
	pageSize int
	// dailyPageSize is the same for DAILY, whose answers hold a group a
	// usage type a day: still small enough that a month's days page.
	dailyPageSize int
}

// ceGroupsPerPage and ceDailyGroupsPerPage are the emulator's
// GetCostAndUsage page sizes in groups, MONTHLY and DAILY.
const (
	ceGroupsPerPage      = 3
	ceDailyGroupsPerPage = 100
)

func newCostExplorer(b *cwlens.Bill) *costExplorer {
	return &costExplorer{JSON11: JSON11{Target: "AWSInsightsIndexService"}, bill: b,
		pageSize: ceGroupsPerPage, dailyPageSize: ceDailyGroupsPerPage}
}

func (*costExplorer) Prefix() string                              { return "ce" }
func (s *costExplorer) Protocol() Protocol                        { return s.JSON11 }
func (s *costExplorer) Route(r *http.Request, body []byte) string { return s.JSON11.Route(r) }

// Error maps failures to Cost Explorer's codes: LimitExceededException for
// a request rate over the quota (both operations' "Errors" sections);
// AccessDeniedException and InternalFailure are AWS's common errors
// (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/CommonErrors.html).
func (s *costExplorer) Error(kind ErrorKind, msg string) *APIError {
	switch kind {
	case ErrThrottle:
		return &APIError{Status: 400, Code: "LimitExceededException", Message: msg}
	case ErrInternal:
		return &APIError{Status: 500, Code: "InternalFailure", Message: msg}
	case ErrAccessDenied:
		return &APIError{Status: 400, Code: "AccessDeniedException", Message: msg}
	case ErrExpiredToken:
		return &APIError{Status: 400, Code: "InvalidNextTokenException", Message: msg}
	}
	return &APIError{Status: 400, Code: "ValidationException", Message: msg}
}

func (s *costExplorer) Call(_ context.Context, op string, body []byte) (any, error) {
	switch op {
	case "GetCostAndUsage":
		return s.getCostAndUsage(body)
	case "GetCostForecast":
		return s.getCostForecast(body)
	}
	return nil, s.Error(ErrValidation, "operation "+op+" is not emulated")
}

type ceDateInterval struct {
	Start string `json:"Start"`
	End   string `json:"End"`
}

type ceMetricValue struct {
	Amount string `json:"Amount"`
	Unit   string `json:"Unit"`
}

type ceGroupDef struct {
	Type string `json:"Type"`
	Key  string `json:"Key"`
}

// ceExpression is the part of Cost Explorer's filter Expression the
// emulator understands: a Dimensions match on SERVICE.
type ceExpression struct {
	Dimensions *struct {
		Key    string   `json:"Key"`
		Values []string `json:"Values"`
	} `json:"Dimensions"`
	And []ceExpression `json:"And"`
	Or  []ceExpression `json:"Or"`
	Not *ceExpression  `json:"Not"`
}

// period parses a DateInterval: YYYY-MM-DD dates, Start inclusive, End
// exclusive, Start before End.
func (s *costExplorer) period(in ceDateInterval) (start, end time.Time, err error) {
	start, err1 := time.Parse(time.DateOnly, in.Start)
	end, err2 := time.Parse(time.DateOnly, in.End)
	if err1 != nil || err2 != nil {
		return start, end, s.Error(ErrValidation, fmt.Sprintf("TimePeriod %q to %q: dates must be YYYY-MM-DD", in.Start, in.End))
	}
	if !end.After(start) {
		return start, end, s.Error(ErrValidation, "Start date must be before End date")
	}
	return start, end, nil
}

// services returns the SERVICE values a filter keeps, nil for every one.
func (s *costExplorer) services(f *ceExpression) (map[string]bool, error) {
	if f == nil {
		return nil, nil
	}
	if f.Dimensions == nil || f.Dimensions.Key != "SERVICE" || len(f.And)+len(f.Or) > 0 || f.Not != nil {
		return nil, s.Error(ErrValidation, "only a Dimensions filter on SERVICE is emulated")
	}
	keep := map[string]bool{}
	for _, v := range f.Dimensions.Values {
		keep[v] = true
	}
	return keep, nil
}

// ceMetrics are the metrics a bill holds, by the name a request asks for.
// Costs are in the bill's currency, quantities in the line's unit.
var ceMetrics = map[string]func(l cwlens.BillLine, currency string) ceMetricValue{
	"UnblendedCost": func(l cwlens.BillLine, cur string) ceMetricValue { return ceMetricValue{l.UnblendedCost.String(), cur} },
	"NetAmortizedCost": func(l cwlens.BillLine, cur string) ceMetricValue {
		return ceMetricValue{l.NetAmortizedCost.String(), cur}
	},
	"UsageQuantity": func(l cwlens.BillLine, _ string) ceMetricValue {
		return ceMetricValue{l.UsageQuantity.String(), l.Unit}
	},
}

type ceCostAndUsageIn struct {
	TimePeriod    ceDateInterval `json:"TimePeriod"`
	Granularity   string         `json:"Granularity"`
	Filter        *ceExpression  `json:"Filter"`
	Metrics       []string       `json:"Metrics"`
	GroupBy       []ceGroupDef   `json:"GroupBy"`
	NextPageToken string         `json:"NextPageToken"`
}

// check refuses what the emulator does not serve; GroupBy takes at most two
// keys, Metrics is required (API_GetCostAndUsage.html, "Request Parameters").
func (s *costExplorer) check(in ceCostAndUsageIn) error {
	if in.Granularity != "MONTHLY" && in.Granularity != "DAILY" {
		return s.Error(ErrValidation, "only MONTHLY and DAILY granularity are emulated, not "+in.Granularity)
	}
	want := []ceGroupDef{{"DIMENSION", "SERVICE"}, {"DIMENSION", "USAGE_TYPE"}}
	if !slices.Equal(in.GroupBy, want) {
		return s.Error(ErrValidation, "only GroupBy DIMENSION SERVICE then USAGE_TYPE is emulated")
	}
	if len(in.Metrics) == 0 {
		return s.Error(ErrValidation, "Metrics is required")
	}
	for _, m := range in.Metrics {
		if ceMetrics[m] == nil {
			return s.Error(ErrValidation, "metric "+m+" is not emulated")
		}
	}
	return nil
}

// ceGroup is one bill line of one period, in the order pages carry them.
type ceGroup struct {
	month int // index into the response's ResultsByTime
	line  cwlens.BillLine
}

// getCostAndUsage answers GetCostAndUsage
// (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html):
// one ResultsByTime entry per month of the bill overlapping TimePeriod, its
// TimePeriod clipped to the request's, or per day for DAILY (see periods); Groups keyed [service, usage type]
// with each requested metric as {Amount, Unit}; Estimated while the month
// is not complete. Groups are paged by NextPageToken; every page repeats
// every month's entry, with the groups of that page.
func (s *costExplorer) getCostAndUsage(body []byte) (any, error) {
	var in ceCostAndUsageIn
	if err := decodeJSON(body, &in); err != nil {
		return nil, err
	}
	start, end, err := s.period(in.TimePeriod)
	if err != nil {
		return nil, err
	}
	if err := s.check(in); err != nil {
		return nil, err
	}
	keep, err := s.services(in.Filter)
	if err != nil {
		return nil, err
	}
	type group struct {
		Keys    []string                 `json:"Keys"`
		Metrics map[string]ceMetricValue `json:"Metrics"`
	}
	type result struct {
		TimePeriod ceDateInterval `json:"TimePeriod"`
		Total      map[string]any `json:"Total"`
		Groups     []group        `json:"Groups"`
		Estimated  bool           `json:"Estimated"`
	}
	var results []result
	var groups []ceGroup
	for _, p := range s.periods(in.Granularity, start, end) {
		results = append(results, result{TimePeriod: ceDateInterval{p.from.Format(time.DateOnly), p.to.Format(time.DateOnly)},
			Total: map[string]any{}, Groups: []group{}, Estimated: p.estimated})
		for _, l := range p.lines {
			if keep == nil || keep[l.Service] {
				groups = append(groups, ceGroup{len(results) - 1, l})
			}
		}
	}
	first, err := s.pageStart(in.NextPageToken, len(groups))
	if err != nil {
		return nil, err
	}
	size := s.pageSize
	if in.Granularity == "DAILY" {
		size = s.dailyPageSize
	}
	last := min(first+size, len(groups))
	for _, g := range groups[first:last] {
		metrics := map[string]ceMetricValue{}
		for _, name := range in.Metrics {
			metrics[name] = ceMetrics[name](g.line, s.bill.Currency)
		}
		r := &results[g.month]
		r.Groups = append(r.Groups, group{Keys: []string{g.line.Service, g.line.UsageType}, Metrics: metrics})
	}
	out := struct {
		GroupDefinitions []ceGroupDef `json:"GroupDefinitions"`
		ResultsByTime    []result     `json:"ResultsByTime"`
		NextPageToken    string       `json:"NextPageToken,omitempty"`
	}{GroupDefinitions: in.GroupBy, ResultsByTime: results}
	if out.ResultsByTime == nil {
		out.ResultsByTime = []result{}
	}
	if last < len(groups) {
		out.NextPageToken = fmt.Sprintf("ce-page-%d", last)
	}
	return out, nil
}

// cePeriod is one ResultsByTime entry's period and the bill lines in it.
type cePeriod struct {
	from, to  time.Time
	estimated bool
	lines     []cwlens.BillLine
}

// periods returns the bill's periods of a granularity overlapping start to
// end: MONTHLY, each month clipped to the request's period, estimated while
// the month is not complete; DAILY, one entry per day of the request's
// period, as AWS answers ("ResultsByTime", one per time period of the
// granularity), with that day's lines (none for a day the bill lacks), and
// estimated when its month is.
func (s *costExplorer) periods(granularity string, start, end time.Time) []cePeriod {
	var ps []cePeriod
	if granularity == "DAILY" {
		for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
			p := cePeriod{from: d, to: d.AddDate(0, 0, 1), estimated: !s.complete(d)}
			for _, l := range s.bill.Daily {
				if l.Date.Equal(d) {
					p.lines = append(p.lines, l.BillLine)
				}
			}
			ps = append(ps, p)
		}
		return ps
	}
	for _, m := range s.bill.Months {
		if !m.End.After(start) || !m.Start.Before(end) {
			continue
		}
		from, to := m.Start, m.End
		if start.After(from) {
			from = start
		}
		if end.Before(to) {
			to = end
		}
		ps = append(ps, cePeriod{from: from, to: to, estimated: !m.Complete, lines: m.Lines})
	}
	return ps
}

// complete reports whether day lies in a complete month of the bill.
func (s *costExplorer) complete(day time.Time) bool {
	for _, m := range s.bill.Months {
		if m.Complete && !day.Before(m.Start) && day.Before(m.End) {
			return true
		}
	}
	return false
}

func (s *costExplorer) pageStart(token string, n int) (int, error) {
	if token == "" {
		return 0, nil
	}
	var first int
	if _, err := fmt.Sscanf(token, "ce-page-%d", &first); err != nil || first <= 0 || first >= n {
		return 0, s.Error(ErrValidation, "invalid NextPageToken")
	}
	return first, nil
}

// getCostForecast answers GetCostForecast
// (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostForecast.html)
// with the bill's forecast of the Metric asked for (one a request; the page
// lists UNBLENDED_COST and NET_AMORTIZED_COST among its values) when the
// request asks for its period: Total is the mean, ForecastResultsByTime one
// entry with the mean and the prediction interval. Without one (too little
// history, as early in a month) it answers DataUnavailableException, the
// operation's error for "the requested data is unavailable".
func (s *costExplorer) getCostForecast(body []byte) (any, error) {
	var in struct {
		TimePeriod              ceDateInterval `json:"TimePeriod"`
		Metric                  string         `json:"Metric"`
		Granularity             string         `json:"Granularity"`
		Filter                  *ceExpression  `json:"Filter"`
		PredictionIntervalLevel int            `json:"PredictionIntervalLevel"`
	}
	if err := decodeJSON(body, &in); err != nil {
		return nil, err
	}
	start, end, err := s.period(in.TimePeriod)
	if err != nil {
		return nil, err
	}
	forecasts := map[string]*cwlens.BillForecast{"UNBLENDED_COST": s.bill.Forecast, "NET_AMORTIZED_COST": s.bill.NetAmortizedForecast}
	f, ok := forecasts[in.Metric]
	if !ok || in.Granularity != "MONTHLY" {
		return nil, s.Error(ErrValidation, "only the MONTHLY UNBLENDED_COST and NET_AMORTIZED_COST forecasts are emulated")
	}
	// PredictionIntervalLevel is 51 to 99; the bill keeps the 80 % interval.
	if in.PredictionIntervalLevel != 0 && in.PredictionIntervalLevel != 80 {
		return nil, s.Error(ErrValidation, "only the 80 % prediction interval is emulated")
	}
	if _, err := s.services(in.Filter); err != nil {
		return nil, err
	}
	if f == nil || !f.Start.Equal(start) || !f.End.Equal(end) {
		return nil, &APIError{Status: 400, Code: "DataUnavailableException", Message: "Insufficient amount of historical data to generate forecast."}
	}
	period := ceDateInterval{start.Format(time.DateOnly), end.Format(time.DateOnly)}
	return map[string]any{
		"Total": ceMetricValue{f.Mean.String(), s.bill.Currency},
		"ForecastResultsByTime": []map[string]any{{
			"TimePeriod": period, "MeanValue": f.Mean.String(),
			"PredictionIntervalLowerBound": f.Low.String(), "PredictionIntervalUpperBound": f.High.String(),
		}},
	}, nil
}
