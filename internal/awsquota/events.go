package awsquota

// FilterLogEventsTPS returns the FilterLogEvents request quota in region:
// 25 per second in us-east-1; 5 in ap-northeast-3, ap-southeast-3,
// ca-west-1, eu-central-1 and il-central-1; 10 in every other Region; not
// adjustable ("CloudWatch Logs quotas",
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html).
func FilterLogEventsTPS(region string) float64 {
	switch region {
	case "us-east-1":
		return 25
	case "ap-northeast-3", "ap-southeast-3", "ca-west-1", "eu-central-1", "il-central-1":
		return 5
	}
	return 10
}

// Events returns the request quotas of the APIs that read log events in
// region: FilterLogEvents (see FilterLogEventsTPS), and Logs Insights'
// StartQuery and GetQueryResults, 10 per second each, not adjustable (same
// page). As for the other Logs quotas the page gives a rate only; the
// bucket holds one second of it.
func Events(region string) []Quota {
	tps := FilterLogEventsTPS(region)
	return []Quota{
		{Name: "logs:FilterLogEvents", APIs: []string{"logs:FilterLogEvents"}, Rate: tps, Burst: int(tps)},
		{Name: "logs:StartQuery", APIs: []string{"logs:StartQuery"}, Rate: 10, Burst: 10},
		{Name: "logs:GetQueryResults", APIs: []string{"logs:GetQueryResults"}, Rate: 10, Burst: 10},
	}
}
