package pricing

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
)

// vendedLogPrefixes begin the names of log groups that receive vended
// logs, which CloudWatch bills as VendedLog-Bytes in tiers rather than as
// DataProcessing-Bytes. The Logs API has no field that says a group is
// vended (DescribeLogGroups returns name, class, retention, stored bytes,
// data protection status and a few others:
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogGroup.html),
// so cwlens goes by the names AWS gives them:
//   - /aws/lambda/<function>: Lambda's default log group
//     (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html);
//     Lambda logs are billed as vended logs since 2025-05-01
//     (https://aws.amazon.com/cloudwatch/pricing/, "Vended Logs");
//   - /aws/vendedlogs/...: the prefix AWS asks for when a service delivers
//     vended logs to CloudWatch Logs, so that its resource policy stays
//     small (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html).
//
// A vended group under any other name (VPC Flow Logs and Route 53 resolver
// query logs go to a group the user names) is priced as custom logs: an
// upper bound, since the first vended band costs the same per GB.
var vendedLogPrefixes = []string{"/aws/lambda/", "/aws/vendedlogs/"}

// IsVendedLogGroup reports whether a log group's name marks it as one
// that receives vended logs.
func IsVendedLogGroup(name string) bool {
	for _, p := range vendedLogPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// logIngestionSuffix returns the ingestion usage type of g in class.
func logIngestionSuffix(g *cwlens.LogGroup, class string) (string, bool) {
	s, ok := ingestionSuffix(class)
	if !ok || !IsVendedLogGroup(g.Name) {
		return s, ok
	}
	if s == UsageLogsIngestionIA {
		return UsageVendedLogsIA, true
	}
	return UsageVendedLogs, true
}

// storageSuffix returns the storage usage type of a log class: Infrequent
// Access storage has its own (AWS docs, cloudwatch_billing:
// TimedStorage-IA-ByteHrs).
func storageSuffix(class string) string {
	if class == cwlens.ClassInfrequentAccess {
		return UsageLogsStorageIA
	}
	return UsageLogsStorage
}

// tiered reprices the lines of tiered usage types over the account's
// monthly volume, now and after the scenario: each line at the average
// rate, so the lines add up to the tiered cost, with the bands in its note.
// Then it adds the lines that depend on the whole account or on other
// lines: custom metrics and data protection.
func (pr *projector) tiered() {
	for _, suffix := range []string{UsageVendedLogs, UsageVendedLogsIA} {
		p, err := pr.lookup(suffix)
		if err != nil || len(p.Tiers) == 0 {
			continue
		}
		var cur, prop decimal.Decimal
		var idx []int
		for i, l := range pr.p.Lines {
			if l.UsageType == p.UsageType {
				cur = cur.Add(l.CurrentQuantity)
				idx = append(idx, i)
			}
			if l.UsageType == p.UsageType && l.ProposedUsageType == "" || l.ProposedUsageType == p.UsageType {
				prop = prop.Add(l.ProposedQuantity)
			}
		}
		if len(idx) == 0 {
			continue
		}
		now := newTieredRate(p, cur, fmt.Sprintf("%d vended log group(s), %s GB a month:", len(idx), cur.Round(4)))
		after := newTieredRate(p, prop, "after the scenario,")
		for i := range pr.p.Lines {
			l := &pr.p.Lines[i]
			if l.UsageType == p.UsageType {
				l.CurrentPrice = now.rate
				l.CurrentMonthly = Cents(l.CurrentQuantity.Mul(now.rate))
				if l.BaselineQuantity != nil {
					b := Cents(l.BaselineQuantity.Mul(now.rate))
					l.BaselineMonthly = &b
				}
				l.Note = joinNote(l.Note, now.note)
			}
			if l.UsageType == p.UsageType && l.ProposedUsageType == "" || l.ProposedUsageType == p.UsageType {
				l.ProposedPrice = after.rate
				l.ProposedMonthly = Cents(l.ProposedQuantity.Mul(after.rate))
				if !prop.Equal(cur) {
					l.Note = joinNote(l.Note, after.note)
				}
			}
		}
	}
	pr.customMetrics()
	pr.dataProtection()
	pr.placeLines()
}

// dataProtection adds, for each group whose data protection policy is
// active, the scanning of every ingested byte (DataProtection-Bytes, per GB
// scanned: https://aws.amazon.com/cloudwatch/pricing/, "Data Protection"),
// now and after the scenario's change to its ingestion.
func (pr *projector) dataProtection() {
	var ingestion map[string]int // a group's first ingestion line, built on first use
	for gi := range pr.snap.LogGroups {
		g := &pr.snap.LogGroups[gi]
		if g.DataProtectionStatus != cwlens.DataProtectionActivated {
			continue
		}
		if ingestion == nil {
			ingestion = map[string]int{}
			for i, l := range pr.p.Lines {
				if _, seen := ingestion[l.Subject]; !seen && strings.HasPrefix(l.Component, "ingestion") {
					ingestion[l.Subject] = i
				}
			}
		}
		ut := UsageType(pr.region, UsageDataProtection)
		in, ok := ingestion[g.Name]
		if !ok {
			pr.unknown(g.Name, ut, "data protection scans the ingested bytes, whose price or volume is unknown")
			continue
		}
		p, err := pr.lookup(UsageDataProtection)
		if err != nil {
			pr.unknown(g.Name, ut, "data protection policy active: "+err.Error())
			continue
		}
		pr.used[p.UsageType] = p
		src := pr.p.Lines[in]
		pr.insertLine(cwlens.ProjectionLine{Subject: g.Name, Component: "data protection", UsageType: ut, Unit: "GB",
			CurrentQuantity: src.CurrentQuantity, ProposedQuantity: src.ProposedQuantity, CurrentPrice: p.USD, ProposedPrice: p.USD,
			CurrentMonthly: Cents(src.CurrentQuantity.Mul(p.USD)), ProposedMonthly: Cents(src.ProposedQuantity.Mul(p.USD)), Change: src.Change,
			Note: "the group's data protection policy is ACTIVATED (dataProtectionStatus): every ingested GB is scanned"})
	}
}

// filterMetric is one custom metric that metric filters publish.
type filterMetric struct {
	subject, id string
	filters     []string
	dimensions  []string
}

// metricFilterMetrics returns the custom metrics the snapshot's metric
// filters publish, one per namespace and name (filters that publish the
// same metric feed one metric), in the order of their first filter.
func metricFilterMetrics(snap *cwlens.Snapshot) []filterMetric {
	var out []filterMetric
	seen := map[string]int{}
	for gi := range snap.LogGroups {
		g := &snap.LogGroups[gi]
		for _, f := range g.MetricFilters {
			if !published(f) {
				continue
			}
			dims := make([]string, 0, len(f.Dimensions))
			for d := range f.Dimensions {
				dims = append(dims, d)
			}
			sort.Strings(dims)
			id := f.MetricNamespace + "/" + f.MetricName
			if i, ok := seen[id]; ok {
				out[i].filters = append(out[i].filters, f.Name)
				continue
			}
			seen[id] = len(out)
			out = append(out, filterMetric{subject: g.Name, id: id, filters: []string{f.Name}, dimensions: dims})
		}
	}
	return out
}

// CustomMetrics counts the custom metrics the snapshot's metric filters
// publish, as the projection prices them: plain ones (a metric-month each,
// CW:MetricMonitorUsage) and those with dimensions, which exist once per
// combination of their values and so cannot be counted from a scan.
func CustomMetrics(snap *cwlens.Snapshot) (plain, dimensioned int) {
	for _, m := range metricFilterMetrics(snap) {
		if len(m.dimensions) > 0 {
			dimensioned++
		} else {
			plain++
		}
	}
	return plain, dimensioned
}

// published reports whether a filter's metric received data in the
// snapshot: CloudWatch bills a custom metric for the hours it is
// published, and a filter publishes only when a line matches, unless it
// has a default value (MetricTransformation defaultValue).
func published(f cwlens.MetricFilter) bool {
	if f.DefaultValue != nil {
		return true
	}
	return slices.ContainsFunc(f.Counts.Values, func(v float64) bool { return !cwlens.IsMissing(v) && v != 0 })
}

// customMetrics adds a line per custom metric the metric filters publish
// (CW:MetricMonitorUsage), tiered over the account's metric-filter metrics,
// and prices the metrics of filters the scenario adds at the next band. A
// metric with dimensions exists once per combination of their values,
// which the snapshot does not count: it is listed as unknown.
func (pr *projector) customMetrics() {
	ms := metricFilterMetrics(pr.snap)
	ut := UsageType(pr.region, UsageCustomMetrics)
	p, err := pr.lookup(UsageCustomMetrics)
	var plain []filterMetric
	for _, m := range ms {
		if len(m.dimensions) > 0 {
			pr.unknown(m.subject, ut, fmt.Sprintf("metric %s (filter %s) has dimensions %s: one custom metric per combination of their values, which the scan does not count",
				m.id, strings.Join(m.filters, ", "), strings.Join(m.dimensions, ", ")))
			continue
		}
		if err != nil {
			pr.unknown(m.subject, ut, fmt.Sprintf("metric %s (filter %s): %v", m.id, strings.Join(m.filters, ", "), err))
			continue
		}
		plain = append(plain, m)
	}
	n := decimal.NewFromInt(int64(len(plain)))
	if len(plain) > 0 {
		r := newTieredRate(p, n, fmt.Sprintf("%d metric-filter metric(s):", len(plain)))
		pr.used[p.UsageType] = p
		for _, m := range plain {
			note := fmt.Sprintf("metric %s, published by filter %s; a custom metric is billed per month it is published (prorated by the hour); %s; the free tier (10 metrics) is not deducted",
				m.id, strings.Join(m.filters, ", "), r.note)
			pr.insertLine(cwlens.ProjectionLine{Subject: m.subject, Component: "custom metric", UsageType: ut, Unit: "Metrics",
				CurrentQuantity: decimal.NewFromInt(1), ProposedQuantity: decimal.NewFromInt(1), CurrentPrice: r.rate, ProposedPrice: r.rate,
				CurrentMonthly: Cents(r.rate), ProposedMonthly: Cents(r.rate), Note: note})
		}
	}
	// A metric filter the scenario adds publishes a new metric.
	added := n
	for i := range pr.p.Lines {
		l := &pr.p.Lines[i]
		if l.Component != string(ChangeMetricFilter) || l.UsageType != ut {
			continue
		}
		if err != nil {
			continue
		}
		price := MarginalPrice(p, added)
		added = added.Add(decimal.NewFromInt(1))
		l.CurrentPrice, l.ProposedPrice = price, price
		l.ProposedMonthly = Cents(l.ProposedQuantity.Mul(price))
		pr.used[p.UsageType] = p
	}
}

// insertLine queues l to go after the last line of its subject, so that a
// subject's lines stay together; placeLines puts the queued lines in place.
func (pr *projector) insertLine(l cwlens.ProjectionLine) { pr.queued = append(pr.queued, l) }

// placeLines puts the queued lines, in one pass, where inserting them one
// by one would: after the last line of their subject in the order queued,
// and those of a subject with no line at the end, grouped by subject in the
// order the subjects were first queued. (Inserting each into the middle of
// the lines was quadratic in an account's metric filters.)
func (pr *projector) placeLines() {
	if len(pr.queued) == 0 {
		return
	}
	bySubject := make(map[string][]cwlens.ProjectionLine, len(pr.queued))
	for _, l := range pr.queued {
		bySubject[l.Subject] = append(bySubject[l.Subject], l)
	}
	last := make(map[string]int, len(pr.p.Lines))
	for i, l := range pr.p.Lines {
		last[l.Subject] = i
	}
	out := make([]cwlens.ProjectionLine, 0, len(pr.p.Lines)+len(pr.queued))
	for i, l := range pr.p.Lines {
		out = append(out, l)
		if last[l.Subject] == i {
			out = append(out, bySubject[l.Subject]...)
			delete(bySubject, l.Subject)
		}
	}
	for _, l := range pr.queued {
		if ls, ok := bySubject[l.Subject]; ok {
			out = append(out, ls...)
			delete(bySubject, l.Subject)
		}
	}
	pr.p.Lines, pr.queued = out, nil
}
