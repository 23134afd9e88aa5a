package awsemu

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
)

// logs emulates CloudWatch Logs (AWS JSON 1.1, target Logs_20140328):
// DescribeLogGroups and DescribeMetricFilters.
type logs struct {
	JSON11
	region, account string
	groups          []cwlens.LogGroup // sorted by name, as AWS lists them
	filters         []filterRow       // sorted by filter name, then group
}

type filterRow struct {
	group   string
	f       cwlens.MetricFilter
	created time.Time
}

func newLogs(snap *cwlens.Snapshot) *logs {
	l := &logs{JSON11: JSON11{Target: "Logs_20140328"}, region: snap.Region, account: snap.AccountID}
	l.groups = append(l.groups, snap.LogGroups...)
	sort.Slice(l.groups, func(i, j int) bool { return l.groups[i].Name < l.groups[j].Name })
	for _, g := range l.groups {
		for _, f := range g.MetricFilters {
			l.filters = append(l.filters, filterRow{group: g.Name, f: f, created: FilterCreated(g, f)})
		}
	}
	sort.SliceStable(l.filters, func(i, j int) bool {
		a, b := l.filters[i], l.filters[j]
		if a.f.Name != b.f.Name {
			return a.f.Name < b.f.Name
		}
		return a.group < b.group
	})
	return l
}

func (*logs) Prefix() string                              { return "logs" }
func (l *logs) Protocol() Protocol                        { return l.JSON11 }
func (l *logs) Route(r *http.Request, body []byte) string { return l.JSON11.Route(r) }

func (l *logs) Error(kind ErrorKind, msg string) *APIError {
	switch kind {
	case ErrThrottle:
		return &APIError{Status: 400, Code: "ThrottlingException", Message: msg}
	case ErrInternal:
		return &APIError{Status: 503, Code: "ServiceUnavailableException", Message: msg}
	case ErrAccessDenied:
		return &APIError{Status: 400, Code: "AccessDeniedException", Message: msg}
	case ErrNotFound:
		return &APIError{Status: 400, Code: "ResourceNotFoundException", Message: msg}
	}
	return &APIError{Status: 400, Code: "InvalidParameterException", Message: msg}
}

func (l *logs) Call(_ context.Context, op string, body []byte) (any, error) {
	switch op {
	case "DescribeLogGroups":
		return l.describeLogGroups(body)
	case "DescribeMetricFilters":
		return l.describeMetricFilters(body)
	}
	return nil, &APIError{Status: 400, Code: "UnknownOperationException", Message: "operation " + op + " is not emulated"}
}

type describeLogGroupsIn struct {
	LogGroupNamePrefix  *string `json:"logGroupNamePrefix"`
	LogGroupNamePattern *string `json:"logGroupNamePattern"`
	Limit               *int    `json:"limit"`
	NextToken           *string `json:"nextToken"`
}

type logGroupOut struct {
	LogGroupName      string `json:"logGroupName"`
	Arn               string `json:"arn"`
	LogGroupArn       string `json:"logGroupArn,omitempty"`
	CreationTime      int64  `json:"creationTime"`
	RetentionInDays   *int   `json:"retentionInDays,omitempty"`
	StoredBytes       *int64 `json:"storedBytes,omitempty"`
	MetricFilterCount *int   `json:"metricFilterCount,omitempty"`
	LogGroupClass     string `json:"logGroupClass,omitempty"`
	// DataProtectionStatus is present only for a group with a data
	// protection policy (LogGroup dataProtectionStatus,
	// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogGroup.html).
	DataProtectionStatus string `json:"dataProtectionStatus,omitempty"`
}

type describeLogGroupsOut struct {
	LogGroups []logGroupOut `json:"logGroups"`
	NextToken *string       `json:"nextToken,omitempty"`
}

// limit checks a page size against AWS's range and returns it, or def.
func (l *logs) limit(p *int, def, max int) (int, error) {
	if p == nil {
		return def, nil
	}
	if *p < 1 || *p > max {
		return 0, l.Error(ErrValidation, fmt.Sprintf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", *p, max))
	}
	return *p, nil
}

func (l *logs) describeLogGroups(body []byte) (any, error) {
	var in describeLogGroupsIn
	if err := decodeJSON(body, &in); err != nil {
		return nil, err
	}
	// Page size: limit 1–50, default 50 (SDK DescribeLogGroupsInput.Limit).
	n, err := l.limit(in.Limit, 50, 50)
	if err != nil {
		return nil, err
	}
	if in.LogGroupNamePrefix != nil && in.LogGroupNamePattern != nil {
		return nil, l.Error(ErrValidation, "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive")
	}
	start, err := l.token(in.NextToken, "lg")
	if err != nil {
		return nil, err
	}
	var out describeLogGroupsOut
	i := start
	for ; i < len(l.groups) && len(out.LogGroups) < n; i++ {
		g := l.groups[i]
		if in.LogGroupNamePrefix != nil && !strings.HasPrefix(g.Name, *in.LogGroupNamePrefix) {
			continue
		}
		if in.LogGroupNamePattern != nil && !strings.Contains(g.Name, *in.LogGroupNamePattern) {
			continue
		}
		out.LogGroups = append(out.LogGroups, l.groupOut(g, in.LogGroupNamePattern != nil))
	}
	if i < len(l.groups) {
		out.NextToken = newToken("lg", i)
	}
	return out, nil
}

// groupOut renders a log group as DescribeLogGroups does. With a name
// pattern AWS returns only arn, creationTime and logGroupName (SDK
// DescribeLogGroupsInput.LogGroupNamePattern doc).
func (l *logs) groupOut(g cwlens.LogGroup, pattern bool) logGroupOut {
	arn := strings.TrimSuffix(g.ARN, ":*")
	if arn == "" {
		arn = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", l.region, l.account, g.Name)
	}
	o := logGroupOut{LogGroupName: g.Name, Arn: arn + ":*", CreationTime: g.CreationTime.UnixMilli()}
	if pattern {
		return o
	}
	o.LogGroupArn = arn
	o.RetentionInDays = g.RetentionDays
	sb := g.StoredBytes
	o.StoredBytes = &sb
	mfc := len(g.MetricFilters)
	o.MetricFilterCount = &mfc
	o.LogGroupClass = g.Class
	o.DataProtectionStatus = g.DataProtectionStatus
	if o.LogGroupClass == "" {
		o.LogGroupClass = cwlens.ClassStandard
	}
	return o
}

type describeMetricFiltersIn struct {
	LogGroupName     *string `json:"logGroupName"`
	FilterNamePrefix *string `json:"filterNamePrefix"`
	MetricName       *string `json:"metricName"`
	MetricNamespace  *string `json:"metricNamespace"`
	Limit            *int    `json:"limit"`
	NextToken        *string `json:"nextToken"`
}

// metricTransformationOut is a MetricTransformation
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html):
// defaultValue and unit are absent when unset.
type metricTransformationOut struct {
	MetricName      string            `json:"metricName"`
	MetricNamespace string            `json:"metricNamespace"`
	MetricValue     string            `json:"metricValue"`
	DefaultValue    *float64          `json:"defaultValue,omitempty"`
	Unit            string            `json:"unit,omitempty"`
	Dimensions      map[string]string `json:"dimensions,omitempty"`
}

type metricFilterOut struct {
	FilterName            string                    `json:"filterName"`
	FilterPattern         string                    `json:"filterPattern"`
	LogGroupName          string                    `json:"logGroupName"`
	CreationTime          int64                     `json:"creationTime"`
	MetricTransformations []metricTransformationOut `json:"metricTransformations"`
	// EmitSystemFieldDimensions holds the snapshot's dimensions that are
	// system fields (cwlens.MetricFilter.Dimensions).
	EmitSystemFieldDimensions []string `json:"emitSystemFieldDimensions,omitempty"`
}

type describeMetricFiltersOut struct {
	MetricFilters []metricFilterOut `json:"metricFilters"`
	NextToken     *string           `json:"nextToken,omitempty"`
}

func (l *logs) describeMetricFilters(body []byte) (any, error) {
	var in describeMetricFiltersIn
	if err := decodeJSON(body, &in); err != nil {
		return nil, err
	}
	n, err := l.limit(in.Limit, 50, 50)
	if err != nil {
		return nil, err
	}
	if in.FilterNamePrefix != nil && in.LogGroupName == nil {
		return nil, l.Error(ErrValidation, "filterNamePrefix requires logGroupName")
	}
	if (in.MetricName == nil) != (in.MetricNamespace == nil) {
		return nil, l.Error(ErrValidation, "metricName and metricNamespace must be given together")
	}
	start, err := l.token(in.NextToken, "mf")
	if err != nil {
		return nil, err
	}
	out := describeMetricFiltersOut{MetricFilters: []metricFilterOut{}}
	i := start
	for ; i < len(l.filters) && len(out.MetricFilters) < n; i++ {
		r := l.filters[i]
		switch {
		case in.LogGroupName != nil && r.group != *in.LogGroupName,
			in.FilterNamePrefix != nil && !strings.HasPrefix(r.f.Name, *in.FilterNamePrefix),
			in.MetricName != nil && (r.f.MetricName != *in.MetricName || r.f.MetricNamespace != *in.MetricNamespace):
			continue
		}
		var dims map[string]string
		var system []string
		for _, k := range slices.Sorted(maps.Keys(r.f.Dimensions)) {
			if cwlens.IsSystemFieldDimension(k) {
				system = append(system, k)
				continue
			}
			if dims == nil {
				dims = map[string]string{}
			}
			dims[k] = r.f.Dimensions[k]
		}
		out.MetricFilters = append(out.MetricFilters, metricFilterOut{
			FilterName: r.f.Name, FilterPattern: r.f.Pattern, LogGroupName: r.group,
			// creationTime is epoch milliseconds (MetricFilter,
			// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricFilter.html).
			CreationTime: r.created.UnixMilli(),
			MetricTransformations: []metricTransformationOut{{
				MetricName: r.f.MetricName, MetricNamespace: r.f.MetricNamespace, MetricValue: r.f.MetricValue,
				DefaultValue: r.f.DefaultValue, Unit: r.f.Unit, Dimensions: dims,
			}},
			EmitSystemFieldDimensions: system,
		})
	}
	if i < len(l.filters) {
		out.NextToken = newToken("mf", i)
	}
	return out, nil
}

// tokenString makes s an opaque pagination token.
func tokenString(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// untoken returns the payload of a token of kind.
func untoken(t, kind string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return "", false
	}
	return strings.CutPrefix(string(b), kind+":")
}

// newToken returns a token resuming at index i of a listing of kind.
func newToken(kind string, i int) *string {
	t := tokenString(kind + ":" + strconv.Itoa(i))
	return &t
}

// token decodes a pagination token of kind; nil starts at 0.
func (l *logs) token(t *string, kind string) (int, error) {
	return parseToken(t, kind, l.Error(ErrValidation, "The specified nextToken is invalid."))
}

func parseToken(t *string, kind string, bad *APIError) (int, error) {
	if t == nil {
		return 0, nil
	}
	v, ok := untoken(*t, kind)
	if !ok {
		return 0, bad
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 {
		return 0, bad
	}
	return i, nil
}

// FilterCreated returns the creation time the emulator gives a metric
// filter: its own, or its group's when the snapshot has none (AWS always
// returns one).
func FilterCreated(g cwlens.LogGroup, f cwlens.MetricFilter) time.Time {
	if f.CreationTime.IsZero() {
		return g.CreationTime.Truncate(time.Millisecond)
	}
	return f.CreationTime
}
