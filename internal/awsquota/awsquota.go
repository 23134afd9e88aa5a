// Package awsquota holds AWS's default request quotas for the APIs cwlens
// calls, in one place for the scanner's client-side rate limiters and the
// emulator's enforcement.
package awsquota

// Quota is a request quota: a token bucket refilled at Rate requests per
// second and holding at most Burst, shared by the APIs listed (as ECS's
// action categories share one bucket). APIs are named "<iam prefix>:<Op>".
type Quota struct {
	Name  string
	APIs  []string
	Rate  float64
	Burst int
}

// GetMetricDataDPS is CloudWatch's datapoints-per-second quota of
// GetMetricData for requests whose StartTime is more than 3 hours ago (the
// limit is 180,000 DPS when it is more recent); datapoints count as queries
// × periods requested. Source: AWS Knowledge Center
// "cloudwatch-getmetricdata-api" and
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html.
const GetMetricDataDPS = 396000

// Default returns AWS's default request quotas for the APIs a scan calls.
//
//   - CloudWatch Logs: DescribeLogGroups 10 TPS, DescribeMetricFilters 5 TPS
//     per account and Region ("CloudWatch Logs quotas",
//     https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html).
//     The page gives a rate only; the bucket holds one second of it.
//   - CloudWatch: GetMetricData 50 TPS ("CloudWatch service quotas",
//     https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html).
//   - ECS token buckets, burst / sustained ("Request throttling for the
//     Amazon ECS API",
//     https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html):
//     cluster read actions (ListClusters, DescribeClusters) 50 / 20;
//     service read actions (ListServices, DescribeServices) 100 / 20;
//     task definition read actions (DescribeTaskDefinition,
//     ListTaskDefinitions, ListTaskDefinitionFamilies) 50 / 20.
//   - STS GetCallerIdentity: one call per scan; no quota applies in practice.
func Default() []Quota {
	return []Quota{
		{Name: "logs:DescribeLogGroups", APIs: []string{"logs:DescribeLogGroups"}, Rate: 10, Burst: 10},
		{Name: "logs:DescribeMetricFilters", APIs: []string{"logs:DescribeMetricFilters"}, Rate: 5, Burst: 5},
		{Name: "cloudwatch:GetMetricData", APIs: []string{"cloudwatch:GetMetricData"}, Rate: 50, Burst: 50},
		{Name: "ecs:cluster-read", APIs: []string{"ecs:ListClusters", "ecs:DescribeClusters"}, Rate: 20, Burst: 50},
		{Name: "ecs:service-read", APIs: []string{"ecs:ListServices", "ecs:DescribeServices"}, Rate: 20, Burst: 100},
		{Name: "ecs:task-definition-read", APIs: []string{"ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions", "ecs:ListTaskDefinitionFamilies"}, Rate: 20, Burst: 50},
	}
}
