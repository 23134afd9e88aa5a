package batch

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestFromEnv(t *testing.T) {
	c, err := FromEnv(env("AWS_REGION", "us-east-1", EnvReportBucket, "acme-reports"))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Regions: []string{"us-east-1"}, LookbackDays: 35, ReportBucket: "acme-reports", ReportPrefix: "cwlens", AlertSeverity: cwlens.SeverityHigh}
	if !equalConfig(c, want) {
		t.Errorf("defaults = %+v, want %+v", c, want)
	}

	c, err = FromEnv(env(
		"AWS_REGION", "us-east-1",
		EnvRegions, "us-east-1, eu-west-1",
		EnvLookbackDays, "14",
		EnvLogGroupPrefix, "/ecs/karmacadabra-prod/",
		EnvClusters, "karmacadabra-prod,arn:aws:ecs:us-east-1:123456789012:cluster/other",
		EnvScenario, "s3://acme-reports/cwlens/scenario.yaml",
		EnvReportBucket, "acme-reports",
		EnvReportPrefix, "",
		EnvSNSTopicARN, "arn:aws:sns:us-east-1:123456789012:cwlens-alerts",
		EnvAlertSeverity, "Medium",
		EnvDryRun, "true",
		EnvSampleEvents, " 2000 ",
		EnvBill, "TRUE",
	))
	if err != nil {
		t.Fatal(err)
	}
	want = Config{Regions: []string{"us-east-1", "eu-west-1"}, LookbackDays: 14, LogGroupPrefix: "/ecs/karmacadabra-prod/",
		Clusters: []string{"karmacadabra-prod", "arn:aws:ecs:us-east-1:123456789012:cluster/other"},
		Scenario: "s3://acme-reports/cwlens/scenario.yaml", ReportBucket: "acme-reports", ReportPrefix: "",
		SNSTopicARN: "arn:aws:sns:us-east-1:123456789012:cwlens-alerts", AlertSeverity: cwlens.SeverityMedium, DryRun: true,
		SampleEvents: 2000, Bill: true}
	if !equalConfig(c, want) {
		t.Errorf("all set = %+v, want %+v", c, want)
	}
}

func equalConfig(a, b Config) bool {
	return slices.Equal(a.Regions, b.Regions) && slices.Equal(a.Clusters, b.Clusters) &&
		a.LookbackDays == b.LookbackDays && a.LogGroupPrefix == b.LogGroupPrefix && a.Scenario == b.Scenario &&
		a.ReportBucket == b.ReportBucket && a.ReportPrefix == b.ReportPrefix && a.SNSTopicARN == b.SNSTopicARN &&
		a.AlertSeverity == b.AlertSeverity && a.DryRun == b.DryRun && a.SampleEvents == b.SampleEvents &&
		a.Bill == b.Bill
}

// TestFromEnvErrors: each bad variable gives one line naming it and its value.
func TestFromEnvErrors(t *testing.T) {
	ok := []string{"AWS_REGION", "us-east-1", EnvReportBucket, "acme-reports"}
	tests := []struct {
		kv   []string
		want []string
	}{
		{[]string{EnvLookbackDays, "two weeks"}, []string{`CWLENS_LOOKBACK_DAYS: "two weeks": want a whole number of days from 1 to 455`}},
		{[]string{EnvLookbackDays, "456"}, []string{`CWLENS_LOOKBACK_DAYS: "456": want a whole number of days from 1 to 455`}},
		{[]string{EnvLookbackDays, "0"}, []string{`CWLENS_LOOKBACK_DAYS: "0"`}},
		{[]string{EnvRegions, "us-east-1,useast1"}, []string{`CWLENS_REGIONS: "useast1": not a region code such as us-east-1`}},
		{[]string{EnvRegions, "us-east-1,us-east-1"}, []string{`CWLENS_REGIONS: "us-east-1": listed twice`}},
		{[]string{EnvLogGroupPrefix, "/ecs/bad prefix"}, []string{`CWLENS_LOG_GROUP_PREFIX: "/ecs/bad prefix": a log group name`}},
		{[]string{EnvClusters, "prod,bad/cluster"}, []string{`CWLENS_CLUSTERS: "bad/cluster": not an ECS cluster name or ARN`}},
		{[]string{EnvScenario, "s3://acme-reports/"}, []string{`CWLENS_SCENARIO: "s3://acme-reports/": want s3://BUCKET/KEY naming one object`}},
		{[]string{EnvReportBucket, "Acme_Reports"}, []string{`CWLENS_REPORT_BUCKET: "Acme_Reports": not an S3 bucket name`}},
		{[]string{EnvReportPrefix, "/cwlens"}, []string{`CWLENS_REPORT_PREFIX: "/cwlens": want a key prefix`}},
		{[]string{EnvSNSTopicARN, "cwlens-alerts"}, []string{`CWLENS_SNS_TOPIC_ARN: "cwlens-alerts": not an SNS topic ARN`}},
		{[]string{EnvAlertSeverity, "urgent"}, []string{`CWLENS_ALERT_SEVERITY: "urgent": want one of info, low, medium, high, critical`}},
		{[]string{EnvDryRun, "maybe"}, []string{`CWLENS_DRY_RUN: "maybe": want true or false`}},
		{[]string{EnvBill, "yes please"}, []string{`CWLENS_BILL: "yes please": want true or false`}},
		{[]string{EnvSampleEvents, "lots"}, []string{`CWLENS_SAMPLE_EVENTS: "lots": want a whole number of events from 0 (off) to 100000`}},
		{[]string{EnvSampleEvents, "-1"}, []string{`CWLENS_SAMPLE_EVENTS: "-1": want a whole number of events from 0 (off) to 100000`}},
		{[]string{EnvSampleEvents, "100001"}, []string{`CWLENS_SAMPLE_EVENTS: "100001": want a whole number of events from 0 (off) to 100000`}},
		{[]string{EnvSampleEvents, "2e3"}, []string{`CWLENS_SAMPLE_EVENTS: "2e3": want a whole number`}},
		{[]string{EnvLogGroupPrefix, "/" + strings.Repeat("a", 5000)}, []string{`CWLENS_LOG_GROUP_PREFIX: 5001 bytes: longer than Lambda's 4096 bytes for all variables together`}},
		{[]string{EnvRegions, manyRegions(51, ",")}, []string{`CWLENS_REGIONS: 51 regions: at most 50`}},
		// Several at once: one line each.
		{[]string{EnvDryRun, "maybe", EnvAlertSeverity, "urgent", EnvLookbackDays, "x"}, []string{
			`CWLENS_LOOKBACK_DAYS: "x"`, `CWLENS_ALERT_SEVERITY: "urgent"`, `CWLENS_DRY_RUN: "maybe"`}},
	}
	for _, tt := range tests {
		_, err := FromEnv(env(append(slices.Clone(ok), tt.kv...)...))
		if err == nil {
			t.Errorf("%v: no error", tt.kv)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != len(tt.want) {
			t.Errorf("%v: %d error lines, want %d:\n%v", tt.kv, len(lines), len(tt.want), err)
			continue
		}
		for i, w := range tt.want {
			if !strings.HasPrefix(lines[i], w) {
				t.Errorf("%v: line %d = %q, want prefix %q", tt.kv, i, lines[i], w)
			}
		}
		if !cwlens.IsInputError(err) {
			t.Errorf("%v: not an InputError", tt.kv)
		}
	}

	// Required settings.
	_, err := FromEnv(env())
	if err == nil || !strings.Contains(err.Error(), "CWLENS_REGIONS: no region: set CWLENS_REGIONS or AWS_REGION") ||
		!strings.Contains(err.Error(), "CWLENS_REPORT_BUCKET: required unless CWLENS_DRY_RUN is true") {
		t.Errorf("empty environment: %v", err)
	}
	if _, err := FromEnv(env("AWS_REGION", "us-east-1", EnvDryRun, "1")); err != nil {
		t.Errorf("a dry run needs no bucket: %v", err)
	}
	// The bounds themselves are accepted.
	for _, v := range []string{"0", "100000"} {
		if c, err := FromEnv(env(append(slices.Clone(ok), EnvSampleEvents, v)...)); err != nil || strconv.Itoa(c.SampleEvents) != v {
			t.Errorf("%s=%s: %d, %v", EnvSampleEvents, v, c.SampleEvents, err)
		}
	}
}

var base = Config{Regions: []string{"us-east-1"}, LookbackDays: 35, ReportBucket: "acme-reports", ReportPrefix: "cwlens",
	SNSTopicARN: "arn:aws:sns:us-east-1:123456789012:cwlens-alerts", AlertSeverity: cwlens.SeverityHigh}

func TestParseEvent(t *testing.T) {
	now := time.Date(2025, 10, 31, 6, 17, 0, 0, time.UTC)
	tests := []struct {
		name      string
		payload   string
		scheduled bool
		at        time.Time
		check     func(Config) bool
	}{
		{"empty", ``, false, now, func(c Config) bool { return equalConfig(c, base) }},
		{"null", `null`, false, now, func(c Config) bool { return equalConfig(c, base) }},
		{"empty object", `{}`, false, now, func(c Config) bool { return equalConfig(c, base) }},
		{"EventBridge scheduled event", `{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event",
			"source":"aws.events","account":"123456789012","time":"2025-10-31T06:00:00Z","region":"us-east-1",
			"resources":["arn:aws:events:us-east-1:123456789012:rule/cwlens-daily"],"detail":{}}`,
			true, time.Date(2025, 10, 31, 6, 0, 0, 0, time.UTC), func(c Config) bool { return equalConfig(c, base) }},
		{"manual overrides", `{"regions":["eu-west-1"],"lookback_days":7,"dry_run":true,"alert_severity":"critical","at":"2025-10-30T12:00:00Z","report_prefix":"adhoc","sample_events":500,"bill":true}`,
			false, time.Date(2025, 10, 30, 12, 0, 0, 0, time.UTC), func(c Config) bool {
				return slices.Equal(c.Regions, []string{"eu-west-1"}) && c.LookbackDays == 7 && c.DryRun &&
					c.AlertSeverity == cwlens.SeverityCritical && c.ReportPrefix == "adhoc" && c.ReportBucket == "acme-reports" &&
					c.SampleEvents == 500 && c.Bill
			}},
	}
	for _, tt := range tests {
		inv, err := ParseEvent(base, json.RawMessage(tt.payload), now)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if inv.Scheduled != tt.scheduled || !inv.At.Equal(tt.at) || !tt.check(inv.Config) {
			t.Errorf("%s: got scheduled=%v at=%v config=%+v", tt.name, inv.Scheduled, inv.At, inv.Config)
		}
	}

	// A payload turns off the sampling the environment turned on.
	sampling := base
	sampling.SampleEvents = 2000
	if inv, err := ParseEvent(sampling, json.RawMessage(`{"sample_events":0}`), now); err != nil || inv.Config.SampleEvents != 0 {
		t.Errorf(`{"sample_events":0} over 2000: %d, %v`, inv.Config.SampleEvents, err)
	}

	bad := []struct{ payload, want string }{
		{`[1,2]`, "payload: not a JSON object"},
		{`{"lookback":7}`, `payload: json: unknown field "lookback"`},
		{`{"lookback_days":"7"}`, `payload: lookback_days: string: want a int`},
		{`{"lookback_days":999}`, `payload: lookback_days: "999": want a whole number of days from 1 to 455`},
		{`{"regions":["mars-1"]}`, `payload: regions: "mars-1": not a region code`},
		{`{"alert_severity":"loud"}`, `payload: alert_severity: "loud": want one of`},
		{`{"report_bucket":""}`, `payload: report_bucket: required unless CWLENS_DRY_RUN is true`},
		{`{"sample_events":100001}`, `payload: sample_events: "100001": want a whole number of events from 0 (off) to 100000`},
		{`{"sample_events":-5}`, `payload: sample_events: "-5": want a whole number of events from 0 (off) to 100000`},
		{`{"sample_events":"2000"}`, `payload: sample_events: string: want a int`},
		{`{"regions":["` + manyRegions(51, `","`) + `"]}`, `payload: regions: 51 regions: at most 50`},
	}
	for _, tt := range bad {
		_, err := ParseEvent(base, json.RawMessage(tt.payload), now)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseEvent(%s) = %v, want prefix %q", tt.payload, err, tt.want)
		}
	}
}

// TestParseEventTooLarge: a payload over Lambda's 6 MB is refused unread.
func TestParseEventTooLarge(t *testing.T) {
	payload := `{"scenario":"` + strings.Repeat("x", 6<<20) + `"}`
	_, err := ParseEvent(base, json.RawMessage(payload), time.Now())
	if want := "payload: 6291471 bytes: larger than Lambda's 6 MB for an invocation"; err == nil || err.Error() != want {
		t.Errorf("err %.200v, want %q", err, want)
	}
}

func TestParseS3URI(t *testing.T) {
	b, k, err := ParseS3URI("s3://acme-reports/cwlens/scenario.yaml")
	if err != nil || b != "acme-reports" || k != "cwlens/scenario.yaml" {
		t.Errorf("got %q %q %v", b, k, err)
	}
	for _, bad := range []string{"https://x/y", "s3://", "s3://acme-reports", "s3://Acme/x", "s3://acme-reports/dir/"} {
		if _, _, err := ParseS3URI(bad); err == nil {
			t.Errorf("ParseS3URI(%q) accepted", bad)
		}
	}
}

// manyRegions returns n distinct codes shaped like Regions, joined by sep.
func manyRegions(n int, sep string) string {
	codes := make([]string, n)
	for i := range codes {
		codes[i] = fmt.Sprintf("xx-test-%d", i%90+1)
		if i >= 90 {
			codes[i] = "y" + codes[i]
		}
	}
	return strings.Join(codes, sep)
}
