package awsemu

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/logtemplate"
)

// logEvents emulates the CloudWatch Logs operations that read events,
// over the events the snapshot's log groups carry in Sample:
// FilterLogEvents, and Logs Insights' StartQuery and GetQueryResults for
// `pattern @message` queries (answered with logtemplate's templates).
// It is registered before logs, which answers the other Logs operations.
type logEvents struct {
	JSON11
	groups  map[string][]cwlens.LogEvent // by group, sorted by timestamp
	classes map[string]string

	mu      sync.Mutex
	queries map[string]*insightsQuery
}

type insightsQuery struct {
	polls   int
	results [][]resultField
	stats   queryStatistics
}

func newLogEvents(snap *cwlens.Snapshot) *logEvents {
	l := &logEvents{
		JSON11:  JSON11{Target: "Logs_20140328"},
		groups:  map[string][]cwlens.LogEvent{},
		classes: map[string]string{},
		queries: map[string]*insightsQuery{},
	}
	for _, g := range snap.LogGroups {
		evs := append([]cwlens.LogEvent(nil), g.Sample...)
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Timestamp.Before(evs[j].Timestamp) })
		l.groups[g.Name] = evs
		l.classes[g.Name] = g.Class
	}
	return l
}

func (*logEvents) Prefix() string       { return "logs" }
func (l *logEvents) Protocol() Protocol { return l.JSON11 }
func (l *logEvents) Error(kind ErrorKind, msg string) *APIError {
	return (&logs{}).Error(kind, msg)
}

func (l *logEvents) Route(r *http.Request, _ []byte) string {
	switch op := l.JSON11.Route(r); op {
	case "FilterLogEvents", "StartQuery", "GetQueryResults":
		return op
	}
	return ""
}

func (l *logEvents) Call(_ context.Context, op string, body []byte) (any, error) {
	switch op {
	case "FilterLogEvents":
		return l.filterLogEvents(body)
	case "StartQuery":
		return l.startQuery(body)
	}
	return l.getQueryResults(body)
}

// Page bounds of FilterLogEvents: at most 10,000 events (limit 1–10,000,
// default 10,000) or 1 MB (SDK FilterLogEventsInput.Limit and operation
// doc). An event's size is its UTF-8 message plus 26 bytes, as for
// PutLogEvents (SDK PutLogEvents doc).
const (
	filterMaxEvents = 10000
	filterMaxBytes  = 1 << 20
	eventOverhead   = 26
)

type filterLogEventsIn struct {
	LogGroupName       *string `json:"logGroupName"`
	LogGroupIdentifier *string `json:"logGroupIdentifier"`
	StartTime          *int64  `json:"startTime"`
	EndTime            *int64  `json:"endTime"`
	FilterPattern      *string `json:"filterPattern"`
	Limit              *int    `json:"limit"`
	NextToken          *string `json:"nextToken"`
}

type filteredEvent struct {
	EventID       string `json:"eventId"`
	IngestionTime int64  `json:"ingestionTime"`
	LogStreamName string `json:"logStreamName"`
	Message       string `json:"message"`
	Timestamp     int64  `json:"timestamp"`
}

type filterLogEventsOut struct {
	Events             []filteredEvent `json:"events"`
	SearchedLogStreams []struct{}      `json:"searchedLogStreams"`
	NextToken          *string         `json:"nextToken,omitempty"`
}

// group resolves a log group given by name or identifier (name or ARN).
func (l *logEvents) group(name, ident *string) (string, []cwlens.LogEvent, error) {
	if (name == nil) == (ident == nil) {
		return "", nil, l.Error(ErrValidation, "Exactly one of logGroupName and logGroupIdentifier must be given")
	}
	g := ""
	if name != nil {
		g = *name
	} else {
		g = *ident
		if i := strings.Index(g, ":log-group:"); i >= 0 {
			g = strings.TrimSuffix(g[i+len(":log-group:"):], ":*")
		}
	}
	evs, ok := l.groups[g]
	if !ok {
		return "", nil, l.Error(ErrNotFound, "The specified log group does not exist.")
	}
	return g, evs, nil
}

func (l *logEvents) filterLogEvents(body []byte) (any, error) {
	var in filterLogEventsIn
	if err := decodeJSON(body, &in); err != nil {
		return nil, err
	}
	group, evs, err := l.group(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	limit, err := (&logs{}).limit(in.Limit, filterMaxEvents, filterMaxEvents)
	if err != nil {
		return nil, err
	}
	if in.FilterPattern != nil && *in.FilterPattern != "" {
		return nil, l.Error(ErrValidation, "filterPattern is not emulated")
	}
	start, err := parseToken(in.NextToken, "fe", l.Error(ErrValidation, "The specified nextToken is invalid."))
	if err != nil {
		return nil, err
	}
	lo, hi := int64(0), int64(1<<62)
	if in.StartTime != nil {
		lo = *in.StartTime
	}
	if in.EndTime != nil {
		hi = *in.EndTime
	}
	out := filterLogEventsOut{Events: []filteredEvent{}, SearchedLogStreams: []struct{}{}}
	size := 0
	i := start
	if i == 0 {
		i = sort.Search(len(evs), func(k int) bool { return evs[k].Timestamp.UnixMilli() >= lo })
	}
	for ; i < len(evs) && len(out.Events) < limit; i++ {
		ts := evs[i].Timestamp.UnixMilli()
		if ts > hi {
			break
		}
		n := len(evs[i].Message) + eventOverhead
		if size+n > filterMaxBytes && len(out.Events) > 0 {
			break
		}
		size += n
		out.Events = append(out.Events, filteredEvent{
			EventID:       strconv.Itoa(i),
			IngestionTime: ts + 200,
			LogStreamName: group + "/stream",
			Message:       evs[i].Message,
			Timestamp:     ts,
		})
	}
	if i < len(evs) && evs[i].Timestamp.UnixMilli() <= hi {
		out.NextToken = newToken("fe", i)
	}
	return out, nil
}

type startQueryIn struct {
	LogGroupName        *string  `json:"logGroupName"`
	LogGroupNames       []string `json:"logGroupNames"`
	LogGroupIdentifiers []string `json:"logGroupIdentifiers"`
	StartTime           *int64   `json:"startTime"`
	EndTime             *int64   `json:"endTime"`
	QueryString         *string  `json:"queryString"`
	Limit               *int     `json:"limit"`
}

type resultField struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

type queryStatistics struct {
	BytesScanned   float64 `json:"bytesScanned"`
	RecordsMatched float64 `json:"recordsMatched"`
	RecordsScanned float64 `json:"recordsScanned"`
}

// startQuery runs a `pattern @message` query at once and keeps its results
// for GetQueryResults; other queries are refused as not emulated. Times are
// epoch seconds, both ends inclusive (SDK StartQueryInput).
func (l *logEvents) startQuery(body []byte) (any, error) {
	var in startQueryIn
	if err := decodeJSON(body, &in); err != nil {
		return nil, err
	}
	if in.StartTime == nil || in.EndTime == nil || in.QueryString == nil {
		return nil, l.Error(ErrValidation, "startTime, endTime and queryString are required")
	}
	names := append([]string(nil), in.LogGroupNames...)
	names = append(names, in.LogGroupIdentifiers...)
	if in.LogGroupName != nil {
		names = append(names, *in.LogGroupName)
	}
	if len(names) == 0 {
		return nil, l.Error(ErrValidation, "give logGroupName, logGroupNames or logGroupIdentifiers")
	}
	limit, err := parseInsightsQuery(*in.QueryString)
	if err != nil {
		return nil, &APIError{Status: 400, Code: "MalformedQueryException", Message: err.Error()}
	}
	if in.Limit != nil {
		limit = *in.Limit
	}
	m, _ := logtemplate.New(logtemplate.DefaultConfig())
	var st queryStatistics
	for _, name := range names {
		g, evs, err := l.group(&name, nil)
		if err != nil {
			return nil, err
		}
		if l.classes[g] == cwlens.ClassInfrequentAccess {
			// pattern is not available on Infrequent Access groups
			// (AWS docs CWL_AnalyzeLogData_Classes).
			return nil, &APIError{Status: 400, Code: "MalformedQueryException", Message: "pattern is not supported for log groups in the Infrequent Access class"}
		}
		for _, e := range evs {
			s := e.Timestamp.Unix()
			if s < *in.StartTime || s > *in.EndTime {
				continue
			}
			m.Add(e.Message)
			st.RecordsScanned++
			st.BytesScanned += float64(len(e.Message) + eventOverhead)
		}
	}
	st.RecordsMatched = st.RecordsScanned
	r := m.Result()
	rows := [][]resultField{}
	for i, t := range r.Templates {
		if limit > 0 && i >= limit {
			break
		}
		rows = append(rows, []resultField{
			{"@pattern", t.Text},
			{"@ratio", strconv.FormatFloat(float64(t.Events)/float64(r.Total.Events), 'f', -1, 64)},
			{"@sampleCount", strconv.FormatInt(t.Events, 10)},
			{"@severityLabel", severityLabel(t.Text)},
		})
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	id := fmt.Sprintf("00000000-0000-4000-8000-%012d", len(l.queries)+1)
	l.queries[id] = &insightsQuery{results: rows, stats: st}
	return map[string]string{"queryId": id}, nil
}

// parseInsightsQuery accepts `pattern @message`, optionally after a
// `fields` command and before `sort` and `limit N` commands, and returns
// the limit (0: none).
func parseInsightsQuery(q string) (int, error) {
	limit, pattern := 0, false
	for _, cmd := range strings.Split(q, "|") {
		f := strings.Fields(cmd)
		switch {
		case len(f) == 0:
			return 0, fmt.Errorf("empty command in %q", q)
		case f[0] == "pattern" && len(f) == 2 && f[1] == "@message":
			pattern = true
		case f[0] == "fields" || f[0] == "sort":
		case f[0] == "limit" && len(f) == 2:
			n, err := strconv.Atoi(f[1])
			if err != nil || n < 1 {
				return 0, fmt.Errorf("bad limit %q", f[1])
			}
			limit = n
		default:
			return 0, fmt.Errorf("command %q is not emulated", strings.TrimSpace(cmd))
		}
	}
	if !pattern {
		return 0, fmt.Errorf("only pattern @message queries are emulated, not %q", q)
	}
	return limit, nil
}

// severityLabel guesses a pattern's level from its words, as the pattern
// command's @severityLabel does from the events.
func severityLabel(t string) string {
	switch u := strings.ToUpper(t); {
	case strings.Contains(u, "ERROR") || strings.Contains(u, "FATAL"):
		return "Error"
	case strings.Contains(u, "WARN"):
		return "Warning"
	case strings.Contains(u, "DEBUG"):
		return "Debug"
	}
	return "Info"
}

type getQueryResultsIn struct {
	QueryID *string `json:"queryId"`
}

// getQueryResults answers Running on a query's first poll and Complete
// with its results after, so that clients are seen to poll.
func (l *logEvents) getQueryResults(body []byte) (any, error) {
	var in getQueryResultsIn
	if err := decodeJSON(body, &in); err != nil {
		return nil, err
	}
	if in.QueryID == nil {
		return nil, l.Error(ErrValidation, "queryId is required")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	q, ok := l.queries[*in.QueryID]
	if !ok {
		return nil, l.Error(ErrNotFound, "The specified query does not exist.")
	}
	q.polls++
	if q.polls == 1 {
		return map[string]any{"results": [][]resultField{}, "statistics": queryStatistics{}, "status": "Running"}, nil
	}
	return map[string]any{"results": q.results, "statistics": q.stats, "status": "Complete"}, nil
}
