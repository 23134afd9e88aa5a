package cwlens_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
)

// TestValidate breaks one thing at a time in the reference snapshot and
// checks the problem Validate names.
func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(s *cwlens.Snapshot)
		want   string // a substring of the error; "" = valid
	}{
		{"reference", func(s *cwlens.Snapshot) {}, ""},
		{"missing point", func(s *cwlens.Snapshot) { s.LogGroups[1].DailyIncomingBytes.Values[3] = cwlens.Missing() }, ""},
		{"series not captured", func(s *cwlens.Snapshot) { s.LogGroups[1].HourlyIncomingBytes = cwlens.Series{} }, ""},
		{"never expires", func(s *cwlens.Snapshot) { s.LogGroups[0].RetentionDays = nil }, ""},
		{"CPU above 100 %", func(s *cwlens.Snapshot) { s.Services[6].CPUMaximum.Values[0] = 180 }, ""},
		{"EC2 task", func(s *cwlens.Snapshot) {
			s.Services[1].LaunchType, s.Services[1].CPUUnits, s.Services[1].MemoryMiB = cwlens.LaunchEC2, 128, 300
		}, ""},
		{"EC2 memory above 100 %", func(s *cwlens.Snapshot) {
			s.Services[1].LaunchType = cwlens.LaunchEC2
			s.Services[1].MemoryMaximum.Values[0] = 130
		}, ""},
		{"EC2 sized by its containers", func(s *cwlens.Snapshot) {
			s.Services[1].LaunchType, s.Services[1].CPUUnits, s.Services[1].MemoryMiB = cwlens.LaunchEC2, 0, 0
		}, ""},
		{"EXTERNAL without task definition", func(s *cwlens.Snapshot) {
			sv := &s.Services[1]
			sv.LaunchType, sv.DeploymentController, sv.TaskDefinition = cwlens.LaunchExternal, "EXTERNAL", ""
			sv.CPUUnits, sv.MemoryMiB, sv.Architecture, sv.OperatingSystem = 0, 0, "", ""
		}, ""},
		{"task hours", func(s *cwlens.Snapshot) {
			s.Services[1].TaskHours, s.Services[1].TaskHoursSource = taskHours(s, 0.5), cwlens.TaskHoursContainerInsights
		}, ""},
		{"value metric", func(s *cwlens.Snapshot) {
			f := &s.LogGroups[0].MetricFilters[1]
			f.MetricValue, f.Unit, f.Values = "$.delta", "Milliseconds", f.Counts
			f.Values.Unit, f.Values.Values = "Milliseconds", append([]float64{-3.5}, f.Counts.Values[1:]...)
		}, ""},
		{"shared metric", func(s *cwlens.Snapshot) {
			s.LogGroups[0].MetricFilters[1].SharedWith = []string{"/ecs/karmacadabra-prod/facilitator:invalid-signature", "/ecs/karmacadabra-prod/validator:sig"}
		}, ""},
		{"Fargate and Spot strategy", func(s *cwlens.Snapshot) {
			s.Services[2].CapacityProviderStrategy = []cwlens.CapacityProviderItem{{CapacityProvider: "FARGATE", Base: 1, Weight: 1}, {CapacityProvider: "FARGATE_SPOT", Weight: 3}}
		}, ""},

		{"schema version", func(s *cwlens.Snapshot) { s.SchemaVersion = 2 }, "schema_version: 2: unsupported"},
		{"account id", func(s *cwlens.Snapshot) { s.AccountID = "12345" }, `account_id: "12345": want a 12-digit`},
		{"region", func(s *cwlens.Snapshot) { s.Region = "" }, `region: "": missing`},
		{"captured_at", func(s *cwlens.Snapshot) { s.CapturedAt = time.Time{} }, "captured_at: missing"},
		{"empty window", func(s *cwlens.Snapshot) { s.Window.End = s.Window.Start }, "window.end: 2025-09-27T00:00:00Z: must be after window.start"},
		{"log group name", func(s *cwlens.Snapshot) { s.LogGroups[3].Name = "" }, `log_groups[3].name: "": missing`},
		{"class", func(s *cwlens.Snapshot) { s.LogGroups[2].Class = "standard" }, `log_groups[2].class: "standard": unknown log group class`},
		{"data protection status", func(s *cwlens.Snapshot) { s.LogGroups[2].DataProtectionStatus = "ON" }, `log_groups[2].data_protection_status: "ON": unknown status`},
		{"retention", func(s *cwlens.Snapshot) { r := 8; s.LogGroups[2].RetentionDays = &r }, "log_groups[2].retention_days: 8: "},
		{"stored bytes", func(s *cwlens.Snapshot) { s.LogGroups[5].StoredBytes = -1 }, "log_groups[5].stored_bytes: -1: must not be negative"},
		{"negative events", func(s *cwlens.Snapshot) { s.LogGroups[0].HourlyIncomingEvents.Values[7] = -3 }, "log_groups[0].hourly_incoming_events.values[7]: -3: must not be negative"},
		{"+Inf", func(s *cwlens.Snapshot) { s.LogGroups[0].DailyIncomingBytes.Values[12] = math.Inf(1) }, "log_groups[0].daily_incoming_bytes.values[12]: +Inf: not a finite number"},
		{"-Inf", func(s *cwlens.Snapshot) { s.Services[0].CPUAverage.Values[1] = math.Inf(-1) }, "services[0].cpu_average.values[1]: -Inf: not a finite number"},
		{"sub-second period", func(s *cwlens.Snapshot) { s.LogGroups[0].DailyIncomingBytes.Period = 1500 * time.Millisecond }, "log_groups[0].daily_incoming_bytes.period_seconds: 1.5s: must be a positive whole number of seconds"},
		{"zero period", func(s *cwlens.Snapshot) { s.LogGroups[0].DailyIncomingBytes.Period = 0 }, "log_groups[0].daily_incoming_bytes.period_seconds: 0s"},

		// AWS's own limits.
		{"1e307 bytes in a day", func(s *cwlens.Snapshot) { s.LogGroups[0].DailyIncomingBytes.Values[3] = 1e307 }, "log_groups[0].daily_incoming_bytes.values[3]: 1e+307: above 9.007199254740992e+15"},
		{"more bytes a day than PutLogEvents allows", func(s *cwlens.Snapshot) { s.LogGroups[0].DailyIncomingBytes.Values[3] = 5e15 },
			"log_groups[0].daily_incoming_bytes.values[3]: 5e+15: more bytes in 1 day than CloudWatch Logs can ingest (4.53e+15"},
		{"more events an hour than PutLogEvents allows", func(s *cwlens.Snapshot) { s.LogGroups[0].HourlyIncomingEvents.Values[0] = 2e12 },
			"log_groups[0].hourly_incoming_events.values[0]: 2e+12: more events in 1 hour than CloudWatch Logs can ingest"},
		{"a daily series with a 1-second period", func(s *cwlens.Snapshot) {
			d := &s.LogGroups[0].DailyIncomingBytes
			d.Period, d.Values = time.Second, d.Values[:1]
		}, "log_groups[0].daily_incoming_bytes.period_seconds: 1: want 86400 (1 day)"},
		{"an hourly series by the day", func(s *cwlens.Snapshot) { s.LogGroups[0].HourlyIncomingBytes.Period = cwlens.Day },
			"log_groups[0].hourly_incoming_bytes.period_seconds: 86400: want 3600 (1 hour)"},
		{"a period CloudWatch cannot serve", func(s *cwlens.Snapshot) {
			c := &s.Services[0].CPUAverage
			c.Period, c.Start = 7*time.Second, c.Start.Truncate(7*time.Second).Add(7*time.Second)
			c.Values = c.Values[:2]
		}, "services[0].cpu_average.period_seconds: 7: CloudWatch periods are 1, 5, 10, 20, 30 or a multiple of 60 seconds"},
		{"1e18 desired tasks", func(s *cwlens.Snapshot) { s.Services[0].DesiredCount = 1e18 }, "services[0].desired_count: 1000000000000000000: above ECS's 5000 tasks per service"},
		{"5,001 running tasks", func(s *cwlens.Snapshot) { s.Services[0].RunningCount = 5001 }, "services[0].running_count: 5001: above ECS's 5000"},
		{"a 513-character log group name", func(s *cwlens.Snapshot) {
			s.LogGroups[7].Name = "/" + strings.Repeat("a", 512)
			for i := range s.Services {
				if s.Services[i].Name == "marketplace" {
					s.Services[i].LogGroup = s.LogGroups[7].Name
				}
			}
		}, "log_groups[7].name: 513 characters: longer than 512, AWS's limit"},
		{"a 51-character account name", func(s *cwlens.Snapshot) { s.AccountName = strings.Repeat("é", 51) }, "account_name: 51 characters: longer than 50"},
		{"a 256-character service name", func(s *cwlens.Snapshot) { s.Services[0].Name = strings.Repeat("s", 256) }, "services[0].name: 256 characters: longer than 255"},
		{"stored bytes above 2^53", func(s *cwlens.Snapshot) { s.LogGroups[0].StoredBytes = 1 << 60 }, "log_groups[0].stored_bytes: 1152921504606846976: above 2^53 bytes"},
		{"daily not at midnight", func(s *cwlens.Snapshot) {
			d := &s.LogGroups[0].DailyIncomingBytes
			d.Start = d.Start.Add(time.Hour)
			d.Values = d.Values[:len(d.Values)-1]
		}, "log_groups[0].daily_incoming_bytes.start: 2025-09-27T01:00:00Z: not aligned to its 1 day period"},
		{"series past the window", func(s *cwlens.Snapshot) {
			h := &s.LogGroups[4].HourlyIncomingBytes
			h.Values = append(h.Values, 1)
		}, "log_groups[4].hourly_incoming_bytes: 2025-10-25T00:00:00Z to 2025-11-01T01:00:00Z: series reaches outside the window"},
		{"unit", func(s *cwlens.Snapshot) { s.LogGroups[0].DailyIncomingEvents.Unit = cwlens.UnitBytes }, `log_groups[0].daily_incoming_events.unit: "Bytes": want "Count"`},
		{"filter counts", func(s *cwlens.Snapshot) { s.LogGroups[0].MetricFilters[1].Counts.Values[0] = -1 }, "log_groups[0].metric_filters[1].counts.values[0]: -1"},
		{"filter dimensions", func(s *cwlens.Snapshot) {
			s.LogGroups[0].MetricFilters[1].Dimensions = map[string]string{"a": "$.a", "b": "$.b", "c": "$.c", "d": "$.d"}
		}, "log_groups[0].metric_filters[1].dimensions: 4 entries: at most 3"},
		{"filter dimension name", func(s *cwlens.Snapshot) { s.LogGroups[0].MetricFilters[1].Dimensions = map[string]string{"": "$.a"} }, `log_groups[0].metric_filters[1].dimensions: "": empty dimension name`},
		{"filter name", func(s *cwlens.Snapshot) { s.LogGroups[0].MetricFilters[2].Name = "errors" }, `log_groups[0].metric_filters[2].name: "errors": duplicate of metric_filters[0]`},
		{"duplicate group", func(s *cwlens.Snapshot) { s.LogGroups[7].Name = s.LogGroups[6].Name }, "log_groups[7].name: \"/ecs/karmacadabra-prod/test-seller\": duplicate of log_groups[6]"},
		{"duplicate service", func(s *cwlens.Snapshot) { s.Services[7].Name = "validator" }, `services[7].name: "validator": duplicate of services[1]`},
		{"256/768", func(s *cwlens.Snapshot) { s.Services[3].MemoryMiB = 768 }, "services[3].cpu_units: 256 CPU units / 768 MiB: not a Fargate task size"},
		{"2048 vCPU", func(s *cwlens.Snapshot) { s.Services[0].CPUUnits = 2048 * 1024 }, "services[0].cpu_units: 2097152 CPU units / 4096 MiB: not a Fargate task size"},
		{"Spot with 256/768", func(s *cwlens.Snapshot) { s.Services[2].MemoryMiB = 768 }, "services[2].cpu_units: 256 CPU units / 768 MiB"},
		{"EC2 too small", func(s *cwlens.Snapshot) { s.Services[1].LaunchType, s.Services[1].CPUUnits = cwlens.LaunchEC2, 100 }, "services[1].cpu_units: 100: an ECS task has 128 to 196608"},
		{"EC2 too big", func(s *cwlens.Snapshot) { s.Services[1].LaunchType, s.Services[1].CPUUnits = cwlens.LaunchEC2, 196609 }, "services[1].cpu_units: 196609"},
		{"EC2 negative memory", func(s *cwlens.Snapshot) { s.Services[1].LaunchType, s.Services[1].MemoryMiB = cwlens.LaunchEC2, -1 }, "services[1].memory_mib: -1: must not be negative"},
		{"Fargate without task size", func(s *cwlens.Snapshot) { s.Services[1].CPUUnits, s.Services[1].MemoryMiB = 0, 0 }, "services[1].cpu_units: 0 CPU units / 0 MiB: not a Fargate task size"},
		{"Fargate without task definition", func(s *cwlens.Snapshot) { s.Services[1].TaskDefinition, s.Services[1].Architecture = "", "" }, `services[1].architecture: "": want X86_64 or ARM64`},
		{"deployment controller", func(s *cwlens.Snapshot) { s.Services[1].DeploymentController = "BLUE_GREEN" }, `services[1].deployment_controller: "BLUE_GREEN": want ECS, CODE_DEPLOY or EXTERNAL`},
		{"task hours without source", func(s *cwlens.Snapshot) { s.Services[1].TaskHours = taskHours(s, 1) }, `services[1].task_hours_source: "": missing`},
		{"task hours unit", func(s *cwlens.Snapshot) {
			s.Services[1].TaskHours, s.Services[1].TaskHoursSource = taskHours(s, 1), cwlens.TaskHoursContainerInsights
			s.Services[1].TaskHours.Unit = cwlens.UnitCount
		}, `services[1].task_hours.unit: "Count": want "TaskHours"`},
		{"negative task hours", func(s *cwlens.Snapshot) {
			s.Services[1].TaskHours, s.Services[1].TaskHoursSource = taskHours(s, -1), cwlens.TaskHoursContainerInsights
		}, "services[1].task_hours.values[0]: -1: must not be negative"},
		{"filter values unit", func(s *cwlens.Snapshot) {
			f := &s.LogGroups[0].MetricFilters[1]
			f.MetricValue, f.Unit, f.Values = "$.latency", "Milliseconds", f.Counts
		}, `log_groups[0].metric_filters[1].values.unit: "Count": want "Milliseconds"`},
		{"shared without itself", func(s *cwlens.Snapshot) {
			s.LogGroups[0].MetricFilters[1].SharedWith = []string{"/a:x", "/b:y"}
		}, `log_groups[0].metric_filters[1].shared_with: 2 entries: does not list the filter itself ("/ecs/karmacadabra-prod/facilitator:invalid-signature")`},
		{"shared unsorted", func(s *cwlens.Snapshot) {
			s.LogGroups[0].MetricFilters[1].SharedWith = []string{"/z:x", "/ecs/karmacadabra-prod/facilitator:invalid-signature"}
		}, `log_groups[0].metric_filters[1].shared_with[1]: "/ecs/karmacadabra-prod/facilitator:invalid-signature": not sorted or a duplicate`},
		{"shared not a filter", func(s *cwlens.Snapshot) { s.LogGroups[0].MetricFilters[1].SharedWith = []string{"/ecs/x"} }, `log_groups[0].metric_filters[1].shared_with[0]: "/ecs/x": want "log group:filter name"`},
		{"gap ends before it starts", func(s *cwlens.Snapshot) {
			s.Gaps = []cwlens.Gap{{API: "cloudwatch:GetMetricData", Subject: "/x", Start: s.Window.End, End: s.Window.Start}}
		}, "gaps[0].end: 2025-09-27T00:00:00Z: must be after start 2025-11-01T00:00:00Z"},
		{"no launch type", func(s *cwlens.Snapshot) { s.Services[1].LaunchType = "" }, `services[1].launch_type: "": missing`},
		{"unknown launch type", func(s *cwlens.Snapshot) { s.Services[1].LaunchType = "LAMBDA" }, `services[1].launch_type: "LAMBDA"`},
		{"both", func(s *cwlens.Snapshot) { s.Services[2].LaunchType = cwlens.LaunchFargate }, `services[2].launch_type: "FARGATE": a service has a launch type or a capacity provider strategy, never both`},
		{"two bases", func(s *cwlens.Snapshot) {
			s.Services[2].CapacityProviderStrategy = []cwlens.CapacityProviderItem{{CapacityProvider: "FARGATE", Base: 1, Weight: 1}, {CapacityProvider: "FARGATE_SPOT", Base: 1, Weight: 3}}
		}, "services[2].capacity_provider_strategy[1].base: 1: only one capacity provider"},
		{"weight", func(s *cwlens.Snapshot) { s.Services[2].CapacityProviderStrategy[0].Weight = 1001 }, "services[2].capacity_provider_strategy[0].weight: 1001: must be 0 to 1000"},
		{"architecture", func(s *cwlens.Snapshot) { s.Services[1].Architecture = "arm64" }, `services[1].architecture: "arm64": want X86_64 or ARM64`},
		{"os", func(s *cwlens.Snapshot) { s.Services[1].OperatingSystem = "" }, `services[1].operating_system: "": missing`},
		{"ephemeral storage", func(s *cwlens.Snapshot) { s.Services[1].EphemeralStorageGiB = 10 }, "services[1].ephemeral_storage_gib: 10"},
		{"running count", func(s *cwlens.Snapshot) { s.Services[4].RunningCount = -1 }, "services[4].running_count: -1: must not be negative"},
		{"failed tasks", func(s *cwlens.Snapshot) { s.Services[0].Deployments[0].FailedTasks = -13 }, "services[0].deployments[0].failed_tasks: -13: must not be negative"},
		{"deployment status", func(s *cwlens.Snapshot) { s.Services[0].Deployments[0].Status = "NEW" }, `services[0].deployments[0].status: "NEW"`},
		{"rollout state", func(s *cwlens.Snapshot) { s.Services[0].Deployments[0].RolloutState = "DONE" }, `services[0].deployments[0].rollout_state: "DONE"`},
		{"health check interval", func(s *cwlens.Snapshot) { s.Services[0].HealthCheck.IntervalSeconds = 1 }, "services[0].health_check.interval_seconds: 1: must be 5 to 300"},
		{"health check command", func(s *cwlens.Snapshot) { s.Services[0].HealthCheck.Command = nil }, "services[0].health_check.command: []: missing"},
		{"log group", func(s *cwlens.Snapshot) { s.Services[5].LogGroup = "/ecs/other" }, `services[5].log_group: "/ecs/other": no such log group`},
		{"Fargate memory above 100 %", func(s *cwlens.Snapshot) { s.Services[1].MemoryMaximum.Values[9] = 100.5 }, "services[1].memory_maximum.values[9]: 100.5: above 100"},
		{"negative CPU", func(s *cwlens.Snapshot) { s.Services[1].CPUAverage.Values[9] = -0.5 }, "services[1].cpu_average.values[9]: -0.5: must not be negative"},
		{"gap without api", func(s *cwlens.Snapshot) { s.Gaps = []cwlens.Gap{{Resource: "*", Reason: "AccessDenied"}} }, `gaps[0].api: "": missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := fixtures.Reference()
			if err != nil {
				t.Fatal(err)
			}
			tt.mutate(s)
			err = s.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tt.want == "":
				return
			case err == nil:
				t.Fatalf("accepted; want %q", tt.want)
			case !cwlens.IsInputError(err):
				t.Fatalf("not an *InputError: %v", err)
			case !strings.Contains(err.Error(), tt.want):
				t.Fatalf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

// taskHours returns an hourly task-hours series over the last day of the
// snapshot's window, every hour v.
func taskHours(s *cwlens.Snapshot, v float64) cwlens.Series {
	vs := make([]float64, 24)
	for i := range vs {
		vs[i] = v
	}
	return cwlens.Series{Start: s.Window.End.Add(-cwlens.Day), Period: time.Hour, Unit: cwlens.UnitTaskHours, Values: vs}
}
