package batch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
)

// Config is what one scheduled run does. It comes from the CWLENS_*
// environment variables, and a manual invocation's payload may override any
// of them.
type Config struct {
	// Regions to scan; each gets its own snapshot and report.
	Regions []string
	// LookbackDays is the window of daily history scanned before the run.
	LookbackDays int
	// LogGroupPrefix limits the scan to log groups whose names start with it.
	LogGroupPrefix string
	// Clusters limits the ECS part of the scan; empty means every cluster.
	Clusters []string
	// Scenario is an s3:// URI of a scenario file or the scenario's YAML
	// itself; empty for none.
	Scenario string
	// ReportBucket and ReportPrefix say where reports go:
	// s3://ReportBucket/ReportPrefix/YYYY/MM/DD/ and .../latest/.
	ReportBucket string
	ReportPrefix string
	// SNSTopicARN receives one message per run with new findings at or above
	// AlertSeverity; empty turns alerts off.
	SNSTopicARN   string
	AlertSeverity cwlens.Severity
	// DryRun scans and analyzes but writes nothing to S3 and publishes
	// nothing: the report and the message that would be sent go to the log.
	DryRun bool
	// SampleEvents, when above 0, makes the scan read up to that many log
	// events (logs:FilterLogEvents) of each log group whose ingestion jumped,
	// so that the report says which lines flood; 0, the default, is off, as
	// for cwlens scan --sample.
	SampleEvents int
	// Bill makes the scan read the bill from Cost Explorer (as cwlens scan
	// --bill: ce:GetCostAndUsage and ce:GetCostForecast, $0.01 a request,
	// https://aws.amazon.com/aws-cost-management/pricing/), so that the
	// report sets the last full month beside the model and forecasts this
	// one. Off by default; refused, it is one gap.
	Bill bool
}

// Defaults of the settings that have one.
const (
	DefaultLookbackDays  = 35 // five weeks: enough history for a weekly rhythm
	DefaultReportPrefix  = "cwlens"
	DefaultAlertSeverity = cwlens.SeverityHigh
	// maxLookbackDays is how long CloudWatch keeps 1-hour (and daily)
	// datapoints: 455 days (CloudWatch User Guide, "Metrics retention").
	maxLookbackDays = 455
)

// Environment variable names.
const (
	EnvRegions        = "CWLENS_REGIONS"
	EnvLookbackDays   = "CWLENS_LOOKBACK_DAYS"
	EnvLogGroupPrefix = "CWLENS_LOG_GROUP_PREFIX"
	EnvClusters       = "CWLENS_CLUSTERS"
	EnvScenario       = "CWLENS_SCENARIO"
	EnvReportBucket   = "CWLENS_REPORT_BUCKET"
	EnvReportPrefix   = "CWLENS_REPORT_PREFIX"
	EnvSNSTopicARN    = "CWLENS_SNS_TOPIC_ARN"
	EnvAlertSeverity  = "CWLENS_ALERT_SEVERITY"
	EnvDryRun         = "CWLENS_DRY_RUN"
	EnvSampleEvents   = "CWLENS_SAMPLE_EVENTS"
	EnvBill           = "CWLENS_BILL"
)

var (
	// Log group names: 1–512 of a-z A-Z 0-9 _ - / . # (CloudWatch Logs
	// CreateLogGroup).
	logGroupPrefixRE = regexp.MustCompile(`^[A-Za-z0-9_\-/.#]{1,512}$`)
	// Cluster names: up to 255 letters, numbers, hyphens and underscores
	// (ECS CreateCluster), or a cluster ARN.
	clusterRE = regexp.MustCompile(`^([A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$`)
	// General purpose bucket names: 3–63 lower-case letters, numbers, dots
	// and hyphens, beginning and ending with a letter or number (S3 User
	// Guide, "General purpose bucket naming rules").
	bucketRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	// Topic ARNs: arn:partition:sns:region:account:name, name up to 256
	// letters, numbers, hyphens and underscores, plus .fifo.
	topicRE = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$`)
)

// FromEnv reads the configuration through lookupEnv (os.LookupEnv in
// production). Regions default to AWS_REGION, which Lambda sets. Every bad
// variable gives one line naming it and its value; all of them are reported
// at once.
func FromEnv(lookupEnv func(string) (string, bool)) (Config, error) {
	var errs []error
	lookupEnv = boundedEnv(lookupEnv, &errs)
	getenv := func(name string) string { v, _ := lookupEnv(name); return v }
	c := Config{
		LookbackDays:  DefaultLookbackDays,
		ReportPrefix:  DefaultReportPrefix,
		AlertSeverity: DefaultAlertSeverity,
	}
	bad := func(name, value, format string, args ...any) {
		errs = append(errs, cwlens.Inputf("", name, strconv.Quote(value), format, args...))
	}
	if v := getenv(EnvRegions); v != "" {
		c.Regions = splitList(v)
	} else if r := getenv("AWS_REGION"); r != "" {
		c.Regions = []string{r}
	}
	if v := getenv(EnvLookbackDays); v != "" {
		// On a parse error the default stays, so that Validate does not
		// report the same variable twice.
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err != nil {
			bad(EnvLookbackDays, v, "want a whole number of days from 1 to %d", maxLookbackDays)
		} else {
			c.LookbackDays = n
		}
	}
	c.LogGroupPrefix = getenv(EnvLogGroupPrefix)
	if v := getenv(EnvClusters); v != "" {
		c.Clusters = splitList(v)
	}
	c.Scenario = getenv(EnvScenario)
	c.ReportBucket = getenv(EnvReportBucket)
	// An empty prefix, set on purpose, puts reports at the bucket's root.
	if v, ok := lookupEnv(EnvReportPrefix); ok {
		c.ReportPrefix = v
	}
	c.SNSTopicARN = getenv(EnvSNSTopicARN)
	if v := getenv(EnvAlertSeverity); v != "" {
		if s, err := cwlens.ParseSeverity(strings.TrimSpace(v)); err != nil {
			bad(EnvAlertSeverity, v, "want one of info, low, medium, high, critical")
		} else {
			c.AlertSeverity = s
		}
	}
	if v := getenv(EnvDryRun); v != "" {
		// A dry run that is not clearly asked for is not one: on a parse
		// error DryRun stays false, and the error stops the run anyway.
		if b, err := strconv.ParseBool(strings.TrimSpace(v)); err != nil {
			bad(EnvDryRun, v, "want true or false")
		} else {
			c.DryRun = b
		}
	}
	if v := getenv(EnvBill); v != "" {
		// As for a dry run, only a clear yes reads the bill.
		if b, err := strconv.ParseBool(strings.TrimSpace(v)); err != nil {
			bad(EnvBill, v, "want true or false")
		} else {
			c.Bill = b
		}
	}
	if v := getenv(EnvSampleEvents); v != "" {
		// As for the lookback, a parse error keeps the default (off) and
		// is reported once.
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err != nil {
			bad(EnvSampleEvents, v, sampleEventsWant, cwlens.MaxSampleEvents)
		} else {
			c.SampleEvents = n
		}
	}
	errs = append(errs, c.Validate(""))
	return c, errors.Join(errs...)
}

// Lambda's limits on what a function is given: all its environment
// variables together are at most 4 KB
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html),
// and a synchronous invocation's payload at most 6 MB
// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
// Anything larger did not come from Lambda: it is refused before it is read.
const (
	maxEnvValueBytes = 4 << 10
	maxPayloadBytes  = 6 << 20
	// maxRegions bounds the regions of one run: AWS has fewer than 50.
	maxRegions = 50
)

// boundedEnv returns lookupEnv that reports, once each into errs, a
// variable longer than Lambda allows, and reads it as unset.
func boundedEnv(lookupEnv func(string) (string, bool), errs *[]error) func(string) (string, bool) {
	reported := map[string]bool{}
	return func(name string) (string, bool) {
		v, ok := lookupEnv(name)
		if len(v) <= maxEnvValueBytes {
			return v, ok
		}
		if !reported[name] {
			reported[name] = true
			*errs = append(*errs, cwlens.Inputf("", name, fmt.Sprintf("%d bytes", len(v)), "longer than Lambda's %d bytes for all variables together", maxEnvValueBytes))
		}
		return "", false
	}
}

func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' })
}

// Validate checks every setting and reports each bad one on its own line.
// source names where the settings came from: "" for the environment (the
// error then names the variable), "payload" for a manual invocation (it
// names the JSON field).
func (c Config) Validate(source string) error {
	var errs []error
	name := func(env, field string) string {
		if source == "" {
			return env
		}
		return field
	}
	bad := func(env, field, value, format string, args ...any) {
		errs = append(errs, cwlens.Inputf(source, name(env, field), strconv.Quote(value), format, args...))
	}
	if len(c.Regions) == 0 {
		errs = append(errs, cwlens.Inputf(source, name(EnvRegions, "regions"), "", "no region: set %s or AWS_REGION", EnvRegions))
	}
	if len(c.Regions) > maxRegions {
		errs = append(errs, cwlens.Inputf(source, name(EnvRegions, "regions"), fmt.Sprintf("%d regions", len(c.Regions)), "at most %d", maxRegions))
		return errors.Join(errs...)
	}
	seen := map[string]bool{}
	for _, r := range c.Regions {
		if !cwlens.IsRegion(r) {
			bad(EnvRegions, "regions", r, "not a region code such as us-east-1")
		} else if seen[r] {
			bad(EnvRegions, "regions", r, "listed twice")
		}
		seen[r] = true
	}
	if c.LookbackDays < 1 || c.LookbackDays > maxLookbackDays {
		bad(EnvLookbackDays, "lookback_days", strconv.Itoa(c.LookbackDays), "want a whole number of days from 1 to %d (CloudWatch keeps hourly data %d days)", maxLookbackDays, maxLookbackDays)
	}
	if c.LogGroupPrefix != "" && !logGroupPrefixRE.MatchString(c.LogGroupPrefix) {
		bad(EnvLogGroupPrefix, "log_group_prefix", c.LogGroupPrefix, "a log group name has 1 to 512 of a-z, A-Z, 0-9, _ - / . #")
	}
	for _, cl := range c.Clusters {
		if !clusterRE.MatchString(cl) {
			bad(EnvClusters, "clusters", cl, "not an ECS cluster name or ARN")
		}
	}
	if strings.HasPrefix(c.Scenario, "s3://") {
		if _, _, err := ParseS3URI(c.Scenario); err != nil {
			bad(EnvScenario, "scenario", c.Scenario, "%v", err)
		}
	}
	switch {
	case c.ReportBucket == "" && !c.DryRun:
		errs = append(errs, cwlens.Inputf(source, name(EnvReportBucket, "report_bucket"), "", "required unless %s is true", EnvDryRun))
	case c.ReportBucket != "" && !bucketRE.MatchString(c.ReportBucket):
		bad(EnvReportBucket, "report_bucket", c.ReportBucket, "not an S3 bucket name (3 to 63 of a-z, 0-9, . and -)")
	}
	if p := c.ReportPrefix; strings.HasPrefix(p, "/") || strings.Contains(p, "//") || len(p) > 512 {
		bad(EnvReportPrefix, "report_prefix", p, "want a key prefix such as cwlens or reports/cwlens, without a leading slash")
	}
	if c.SNSTopicARN != "" && !topicRE.MatchString(c.SNSTopicARN) {
		bad(EnvSNSTopicARN, "sns_topic_arn", c.SNSTopicARN, "not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)")
	}
	if c.SampleEvents < 0 || c.SampleEvents > cwlens.MaxSampleEvents {
		bad(EnvSampleEvents, "sample_events", strconv.Itoa(c.SampleEvents), sampleEventsWant, cwlens.MaxSampleEvents)
	}
	return errors.Join(errs...)
}

// sampleEventsWant is the one message of a bad CWLENS_SAMPLE_EVENTS: the
// bounds of cwlens scan --sample.
const sampleEventsWant = "want a whole number of events from 0 (off) to %d"

// ParseS3URI splits s3://bucket/key.
func ParseS3URI(uri string) (bucket, key string, err error) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return "", "", fmt.Errorf("not an s3:// URI")
	}
	bucket, key, _ = strings.Cut(rest, "/")
	if !bucketRE.MatchString(bucket) {
		return "", "", fmt.Errorf("bucket %q is not an S3 bucket name", bucket)
	}
	if key == "" || strings.HasSuffix(key, "/") {
		return "", "", fmt.Errorf("want s3://BUCKET/KEY naming one object")
	}
	return bucket, key, nil
}

// Invocation is one run: its configuration and evaluation time.
type Invocation struct {
	Config Config
	// At is the evaluation time: the scan's window ends at the hour At falls
	// in. A scheduled event's own time is used, so that a retried event
	// scans the same window.
	At time.Time
	// Scheduled is true for an EventBridge scheduled event.
	Scheduled bool
	// keys, when set, is where the run's one Region writes its reports
	// (an organisation member's place in its run).
	keys *reportKeys
}

// scheduledEvent is the part of an EventBridge event the run reads.
type scheduledEvent struct {
	Source     string    `json:"source"`
	DetailType string    `json:"detail-type"`
	Time       time.Time `json:"time"`
}

// Overrides is the payload of a manual invocation. Every field is optional
// and replaces the setting of the same name.
type Overrides struct {
	Regions        []string `json:"regions"`
	LookbackDays   *int     `json:"lookback_days"`
	LogGroupPrefix *string  `json:"log_group_prefix"`
	Clusters       []string `json:"clusters"`
	Scenario       *string  `json:"scenario"`
	ReportBucket   *string  `json:"report_bucket"`
	ReportPrefix   *string  `json:"report_prefix"`
	SNSTopicARN    *string  `json:"sns_topic_arn"`
	AlertSeverity  *string  `json:"alert_severity"`
	DryRun         *bool    `json:"dry_run"`
	SampleEvents   *int     `json:"sample_events"`
	Bill           *bool    `json:"bill"`
	// At is the evaluation time (RFC 3339); default now.
	At *time.Time `json:"at"`
}

// ParseEvent reads an invocation's payload: an EventBridge scheduled event
// (source aws.events, or any event with a detail-type), or a manual payload
// of Overrides, or nothing (null, {} or empty). now is the clock.
func ParseEvent(base Config, payload json.RawMessage, now time.Time) (Invocation, error) {
	inv := Invocation{Config: base, At: now.UTC()}
	if len(payload) > maxPayloadBytes {
		return inv, cwlens.Inputf("payload", "", fmt.Sprintf("%d bytes", len(payload)), "larger than Lambda's %d MB for an invocation", maxPayloadBytes>>20)
	}
	payload = bytes.TrimSpace(payload)
	if len(payload) == 0 || bytes.Equal(payload, []byte("null")) {
		return inv, nil
	}
	var ev scheduledEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return inv, cwlens.Inputf("payload", "", "", "not a JSON object: %v", err)
	}
	if ev.Source == "aws.events" || ev.DetailType != "" {
		inv.Scheduled = true
		if !ev.Time.IsZero() {
			inv.At = ev.Time.UTC()
		}
		return inv, nil
	}
	var o Overrides
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return inv, cwlens.Inputf("payload", te.Field, te.Value, "want a %s", te.Type)
		}
		return inv, cwlens.Inputf("payload", "", "", "%v (fields: regions, lookback_days, log_group_prefix, clusters, scenario, report_bucket, report_prefix, sns_topic_arn, alert_severity, dry_run, sample_events, at)", err)
	}
	c := &inv.Config
	if o.Regions != nil {
		c.Regions = o.Regions
	}
	if o.LookbackDays != nil {
		c.LookbackDays = *o.LookbackDays
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&c.LogGroupPrefix, o.LogGroupPrefix)
	if o.Clusters != nil {
		c.Clusters = o.Clusters
	}
	set(&c.Scenario, o.Scenario)
	set(&c.ReportBucket, o.ReportBucket)
	set(&c.ReportPrefix, o.ReportPrefix)
	set(&c.SNSTopicARN, o.SNSTopicARN)
	if o.AlertSeverity != nil {
		s, err := cwlens.ParseSeverity(*o.AlertSeverity)
		if err != nil {
			return inv, cwlens.Inputf("payload", "alert_severity", strconv.Quote(*o.AlertSeverity), "want one of info, low, medium, high, critical")
		}
		c.AlertSeverity = s
	}
	if o.DryRun != nil {
		c.DryRun = *o.DryRun
	}
	if o.Bill != nil {
		c.Bill = *o.Bill
	}
	if o.SampleEvents != nil {
		c.SampleEvents = *o.SampleEvents
	}
	if o.At != nil {
		inv.At = o.At.UTC()
	}
	return inv, c.Validate("payload")
}
