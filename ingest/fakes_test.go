package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer"
	cetypes "github.com/aws/aws-sdk-go-v2/service/costexplorer/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/cwlens/cwlens"
)

func TestToService(t *testing.T) {
	svc := ecstypes.Service{
		ServiceName: aws.String("api"), ServiceArn: aws.String("arn:aws:ecs:us-east-1:123456789012:service/prod/api"),
		ClusterArn:     aws.String("arn:aws:ecs:us-east-1:123456789012:cluster/prod"),
		TaskDefinition: aws.String("arn:aws:ecs:us-east-1:123456789012:task-definition/api:3"),
		CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{
			{CapacityProvider: aws.String("FARGATE"), Base: 1, Weight: 1}, {CapacityProvider: aws.String("FARGATE_SPOT"), Weight: 3}},
		DesiredCount: 2, RunningCount: 1,
	}
	for _, tc := range []struct {
		name       string
		td         ecstypes.TaskDefinition
		cpu, mem   int
		arch, os   string
		logGroup   string
		hcInterval int
		err        bool
	}{
		{name: "no runtimePlatform is Linux on X86_64", td: ecstypes.TaskDefinition{Cpu: aws.String("256"), Memory: aws.String("512")},
			cpu: 256, mem: 512, arch: "X86_64", os: "LINUX"},
		{name: "vCPU and GB units, ARM64", td: ecstypes.TaskDefinition{Cpu: aws.String("1 vCPU"), Memory: aws.String("2 GB"),
			RuntimePlatform: &ecstypes.RuntimePlatform{CpuArchitecture: ecstypes.CPUArchitectureArm64, OperatingSystemFamily: ecstypes.OSFamilyLinux}},
			cpu: 1024, mem: 2048, arch: "ARM64", os: "LINUX"},
		{name: "health check defaults and the awslogs group", td: ecstypes.TaskDefinition{Cpu: aws.String("512"), Memory: aws.String("1024"),
			ContainerDefinitions: []ecstypes.ContainerDefinition{
				{Name: aws.String("sidecar"), LogConfiguration: &ecstypes.LogConfiguration{LogDriver: ecstypes.LogDriverFluentd}},
				{Name: aws.String("app"), HealthCheck: &ecstypes.HealthCheck{Command: []string{"CMD", "true"}},
					LogConfiguration: &ecstypes.LogConfiguration{LogDriver: ecstypes.LogDriverAwslogs, Options: map[string]string{"awslogs-group": "/ecs/api"}}},
			}},
			cpu: 512, mem: 1024, arch: "X86_64", os: "LINUX", logGroup: "/ecs/api", hcInterval: 30},
		{name: "no task-level cpu", td: ecstypes.TaskDefinition{Memory: aws.String("512")}, err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sv, err := toService(svc, &tc.td)
			if tc.err {
				if err == nil {
					t.Fatalf("got %+v, want an error", sv)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sv.CPUUnits != tc.cpu || sv.MemoryMiB != tc.mem || sv.Architecture != tc.arch || sv.OperatingSystem != tc.os || sv.LogGroup != tc.logGroup {
				t.Errorf("got %d/%d %s %s %q", sv.CPUUnits, sv.MemoryMiB, sv.Architecture, sv.OperatingSystem, sv.LogGroup)
			}
			if sv.Cluster != "prod" || len(sv.CapacityProviderStrategy) != 2 || sv.CapacityProviderStrategy[1].Weight != 3 || sv.LaunchType != "" {
				t.Errorf("cluster %q, strategy %+v, launch type %q", sv.Cluster, sv.CapacityProviderStrategy, sv.LaunchType)
			}
			if tc.hcInterval > 0 && (sv.HealthCheck == nil || sv.HealthCheck.IntervalSeconds != 30 || sv.HealthCheck.TimeoutSeconds != 5 || sv.HealthCheck.Retries != 3 || sv.HealthCheck.Container != "app") {
				t.Errorf("health check %+v, want ECS's defaults on container app", sv.HealthCheck)
			}
		})
	}
}

func TestPerCall(t *testing.T) {
	for points, want := range map[int]int{30: 500, 168: 500, 336: 300, 1000: 100, 200000: 1} {
		if got := perCall(timeRange{start: time.Unix(0, 0), end: time.Unix(int64(points)*3600, 0), period: time.Hour}); got != want {
			t.Errorf("perCall(%d points) = %d, want %d", points, got, want)
		}
	}
}

// Small fakes: each answers one way, to test what the scan makes of it.
type fakeSTS struct{}

func (fakeSTS) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return &sts.GetCallerIdentityOutput{Account: aws.String("123456789012")}, nil
}

type fakeLogs struct{}

func (fakeLogs) DescribeLogGroups(context.Context, *cloudwatchlogs.DescribeLogGroupsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogGroupsOutput, error) {
	return &cloudwatchlogs.DescribeLogGroupsOutput{LogGroups: []logstypes.LogGroup{
		{LogGroupName: aws.String("/b"), StoredBytes: aws.Int64(7), CreationTime: aws.Int64(1700000000000)},
		{LogGroupName: aws.String("/a"), StoredBytes: aws.Int64(5), RetentionInDays: aws.Int32(14), LogGroupClass: logstypes.LogGroupClassInfrequentAccess},
	}}, nil
}

func (fakeLogs) DescribeMetricFilters(context.Context, *cloudwatchlogs.DescribeMetricFiltersInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeMetricFiltersOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not authorized"}
}

// fakeMetrics returns one datapoint, 42 on the window's first day, for
// every query, Complete: the other periods were read and had no datapoint,
// so a metric published only when there is data (IncomingBytes) reads 0
// there, and one that is always published (utilisation) stays missing.
type fakeMetrics struct{}

func (f fakeMetrics) GetMetricData(_ context.Context, in *cloudwatch.GetMetricDataInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error) {
	out := &cloudwatch.GetMetricDataOutput{}
	for _, q := range in.MetricDataQueries {
		out.MetricDataResults = append(out.MetricDataResults, cwtypes.MetricDataResult{
			Id: q.Id, StatusCode: cwtypes.StatusCodeComplete, Timestamps: []time.Time{*in.StartTime}, Values: []float64{42}})
	}
	return out, nil
}

type fakeECS struct{ ECSAPI }

func (fakeECS) ListClusters(context.Context, *ecs.ListClustersInput, ...func(*ecs.Options)) (*ecs.ListClustersOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "ServerException", Message: "still failing after retries"}
}

func TestScanWithFakes(t *testing.T) {
	end := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	s := NewWithClients(Clients{STS: fakeSTS{}, Logs: fakeLogs{}, CloudWatch: fakeMetrics{}, ECS: fakeECS{}},
		Options{Region: "us-east-1", Until: end, Days: 3, Now: func() time.Time { return end }})
	snap, err := s.Scan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := snap.Validate(); err != nil {
		t.Fatalf("a partial snapshot must still be valid: %v", err)
	}
	if len(snap.LogGroups) != 2 || snap.LogGroups[0].Name != "/a" || snap.LogGroups[1].Class != cwlens.ClassStandard {
		t.Fatalf("log groups %+v", snap.LogGroups)
	}
	d := snap.LogGroups[0].DailyIncomingBytes
	if d.Len() != 3 || d.Values[0] != 42 || d.Values[1] != 0 || d.Values[2] != 0 {
		t.Errorf("daily bytes %v: want 42 then 0, 0 (read, and no datapoint)", d.Values)
	}
	want := []cwlens.Gap{
		{API: "ecs:ListClusters", Resource: "*", Reason: "ServerException: still failing after retries"},
		{API: "logs:DescribeMetricFilters", Resource: "*", Reason: "AccessDeniedException: not authorized"},
	}
	if len(snap.Gaps) != len(want) || snap.Gaps[0] != want[0] || snap.Gaps[1] != want[1] {
		t.Errorf("gaps %+v, want %+v", snap.Gaps, want)
	}
}

func TestScanNothingRead(t *testing.T) {
	end := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	snap, err := NewWithClients(Clients{STS: failingSTS{}, Logs: deniedLogs{}, CloudWatch: fakeMetrics{}, ECS: fakeECS{}},
		Options{Region: "us-east-1", Until: end, Days: 3, Now: func() time.Time { return end }}).Scan(context.Background())
	if !errors.Is(err, ErrNothingRead) || snap == nil || len(snap.Gaps) != 4 {
		t.Fatalf("every call failing: err %v, snapshot %+v; want ErrNothingRead and 4 gaps", err, snap)
	}
}

type failingSTS struct{}

func (failingSTS) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid."}
}

type deniedLogs struct{ fakeLogs }

func (deniedLogs) DescribeLogGroups(context.Context, *cloudwatchlogs.DescribeLogGroupsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogGroupsOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not authorized"}
}

// badCE answers GetCostAndUsage with an amount that is not a number.
type badCE struct{ CostExplorerAPI }

func (badCE) GetCostAndUsage(context.Context, *costexplorer.GetCostAndUsageInput, ...func(*costexplorer.Options)) (*costexplorer.GetCostAndUsageOutput, error) {
	v := func(s string) cetypes.MetricValue {
		return cetypes.MetricValue{Amount: aws.String(s), Unit: aws.String("USD")}
	}
	return &costexplorer.GetCostAndUsageOutput{ResultsByTime: []cetypes.ResultByTime{{
		TimePeriod: &cetypes.DateInterval{Start: aws.String("2025-10-01"), End: aws.String("2025-11-01")},
		Groups: []cetypes.Group{{Keys: []string{"AmazonCloudWatch", "DataProcessing-Bytes"},
			Metrics: map[string]cetypes.MetricValue{"UnblendedCost": v("1.5"), "NetAmortizedCost": v("abc"), "UsageQuantity": v("3")}}},
	}}}, nil
}

// TestScanBillFailures: no Cost Explorer client, or an answer that does not
// parse, is one gap of ce:GetCostAndUsage and no bill, beside the others.
func TestScanBillFailures(t *testing.T) {
	end := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		ce     CostExplorerAPI
		reason string
	}{
		{"no client", nil, "no Cost Explorer client"},
		{"not a number", badCE{}, `NetAmortizedCost "abc"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap, err := NewWithClients(Clients{STS: fakeSTS{}, Logs: fakeLogs{}, CloudWatch: fakeMetrics{}, ECS: fakeECS{}, CostExplorer: tc.ce},
				Options{Region: "us-east-1", Until: end, Days: 3, Now: func() time.Time { return end }, Bill: true}).Scan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var bill []cwlens.Gap
			for _, g := range snap.Gaps {
				if strings.HasPrefix(g.API, "ce:") {
					bill = append(bill, g)
				}
			}
			if len(bill) != 1 || bill[0].API != "ce:GetCostAndUsage" || !strings.Contains(bill[0].Reason, tc.reason) || snap.Bill != nil {
				t.Errorf("bill gaps %+v, bill %+v; want one ce:GetCostAndUsage gap naming %q", bill, snap.Bill, tc.reason)
			}
		})
	}
}
