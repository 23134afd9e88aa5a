package pricing

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
)

func loadRefScenario(t *testing.T) *Scenario {
	t.Helper()
	path := "../fixtures/karmacadabra-prod/scenario.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ParseScenario(data, path)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestProjectCurrent(t *testing.T) {
	p, err := Project(refSnapshot(), nil, Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"karmacadabra-prod/facilitator": "72.08",
		"karmacadabra-prod/validator":   "9.01",
		"karmacadabra-prod/test-seller": "9.01", // 2 running for 1 desired: the rollout is transient
		"karmacadabra-prod/marketplace": "9.01",
	}
	for subject, w := range want {
		cur, prop := sumLines(subjectLines(p, subject))
		if cur.StringFixed(2) != w || !prop.Equal(cur) {
			t.Errorf("%s: current %s, proposed %s; want %s both", subject, cur.StringFixed(2), prop.StringFixed(2), w)
		}
	}
	// karma-hello runs on FARGATE_SPOT: Spot usage types at the Spot rate.
	kh := subjectLines(p, "karmacadabra-prod/karma-hello")
	if len(kh) != 2 || kh[0].UsageType != "USE1-SpotUsage-Fargate-vCPU-Hours:perCPU" || kh[0].CurrentPrice.String() != "0.01288871" ||
		kh[1].UsageType != "USE1-SpotUsage-Fargate-GB-Hours" || kh[1].CurrentPrice.String() != "0.00141527" {
		t.Fatalf("karma-hello lines = %+v", kh)
	}
	// 182.5 × 0.01288871 = 2.352189575 → 2.35; 365 × 0.00141527 = 0.51657355 → 0.52
	if cur, _ := sumLines(kh); cur.StringFixed(2) != "2.87" {
		t.Errorf("karma-hello = %s, want 2.87 at Spot rates", cur.StringFixed(2))
	}
	ts := subjectLines(p, "karmacadabra-prod/test-seller")
	if !strings.Contains(ts[0].Note, "2 tasks running for 1 desired") {
		t.Errorf("test-seller note = %q, want the rollout noted", ts[0].Note)
	}
	// facilitator ingestion now: the mean day of Oct 24–30, (2 + 5 + 8 + 6 +
	// 555 + 2,886 + 2,886) MB / 7 = 906.857… MB; × 730/24 = 27.5836 GB → $13.79.
	// If the last 24 h continued: 2,886 MB/day at $0.50/GB = $1.443/day;
	// × 730/24 = 87.7825 GB → $43.89.
	fl := subjectLines(p, "/ecs/karmacadabra-prod/facilitator")
	in := fl[0]
	if in.Component != "ingestion" || in.UsageType != "DataProcessing-Bytes" || in.CurrentQuantity.StringFixed(4) != "27.5836" ||
		in.CurrentMonthly.StringFixed(2) != "13.79" ||
		!strings.Contains(in.Note, "now: mean day 906.9 MB of 2025-10-24 to 2025-10-30 = $0.45/day") ||
		!strings.Contains(in.Note, "if the last 24 h continued: 2886.0 MB/day over the 24 h before 2025-10-31 00:00 UTC = $1.44/day") {
		t.Errorf("facilitator ingestion = %+v", in)
	}
	if in.RunRateQuantity == nil || in.RunRateQuantity.String() != "87.7825" || in.RunRateMonthly == nil || in.RunRateMonthly.StringFixed(2) != "43.89" {
		t.Errorf("facilitator run-rate = %v GB, $%v; want 87.7825 GB, $43.89", in.RunRateQuantity, in.RunRateMonthly)
	}
	// The run-rate total is the current total with each ingestion line at
	// its run-rate: the facilitator's $43.89 for $13.79, the validator's
	// 4 MB/day ($0.06) for its mean 3.714 MB/day ($0.06).
	if want := p.CurrentMonthly.Add(dec(t, "30.10")); !p.RunRateMonthly.Equal(want) {
		t.Errorf("run-rate total %s, want %s", p.RunRateMonthly, want)
	}
	// baseline: median day 8 MB → 0.2433… GB → $0.12
	if in.BaselineMonthly == nil || in.BaselineMonthly.StringFixed(2) != "0.12" {
		t.Errorf("facilitator baseline = %v, want 0.12", in.BaselineMonthly)
	}
	st := fl[1]
	if st.Component != "storage" || st.UsageType != "TimedStorage-ByteHrs" || st.CurrentQuantity.String() != "0.2024" || st.CurrentMonthly.StringFixed(2) != "0.01" {
		t.Errorf("facilitator storage = %+v", st)
	}
	checkTotals(t, p)
}

func checkTotals(t *testing.T, p *cwlens.Projection) {
	t.Helper()
	cur, prop := sumLines(p.Lines)
	if !cur.Equal(p.CurrentMonthly) || !prop.Equal(p.ProposedMonthly) {
		t.Errorf("totals %s / %s, lines add to %s / %s", p.CurrentMonthly, p.ProposedMonthly, cur, prop)
	}
	for _, l := range p.Lines {
		if !l.CurrentMonthly.Equal(l.CurrentMonthly.Round(2)) || !l.ProposedMonthly.Equal(l.ProposedMonthly.Round(2)) {
			t.Errorf("line %s %s not shown to the cent: %s / %s", l.Subject, l.Component, l.CurrentMonthly, l.ProposedMonthly)
		}
	}
}

func TestProjectReferenceScenario(t *testing.T) {
	p, err := Project(refSnapshot(), loadRefScenario(t), Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkTotals(t, p)
	_, prop := sumLines(subjectLines(p, "karmacadabra-prod/facilitator"))
	if prop.StringFixed(2) != "18.02" {
		t.Errorf("facilitator proposed = %s, want 18.02", prop.StringFixed(2))
	}
	// validator 256 / 768 is rejected, naming 1024 and its cost.
	if len(p.Rejected) != 1 {
		t.Fatalf("rejected = %+v", p.Rejected)
	}
	r := p.Rejected[0]
	if r.Subject != "karmacadabra-prod/validator" || !strings.Contains(r.Alternative, "256 CPU / 1024 MiB") ||
		r.AlternativeMonthly == nil || r.AlternativeMonthly.StringFixed(2) != "10.63" || !strings.Contains(r.Reason, "512, 1024 or 2048 MiB") {
		t.Errorf("rejected = %+v", r)
	}
	cur, prop := sumLines(subjectLines(p, "karmacadabra-prod/validator"))
	if !cur.Equal(prop) || cur.StringFixed(2) != "9.01" {
		t.Errorf("validator %s → %s; the rejected change must not be applied", cur, prop)
	}
	// test-seller and marketplace move to Spot at the book's Spot rate.
	for _, s := range []string{"karmacadabra-prod/test-seller", "karmacadabra-prod/marketplace"} {
		ls := subjectLines(p, s)
		if len(ls) != 2 || ls[0].ProposedUsageType != "USE1-SpotUsage-Fargate-vCPU-Hours:perCPU" || ls[0].ProposedPrice.String() != "0.01288871" ||
			ls[1].ProposedUsageType != "USE1-SpotUsage-Fargate-GB-Hours" || ls[1].ProposedPrice.String() != "0.00141527" {
			t.Errorf("%s lines = %+v", s, ls)
		}
		if _, prop := sumLines(ls); prop.StringFixed(2) != "2.87" {
			t.Errorf("%s proposed = %s, want 2.87", s, prop)
		}
	}
	// The facilitator group: −90 % ingestion, and a metric filter that saves $0.
	fl := subjectLines(p, "/ecs/karmacadabra-prod/facilitator")
	// 10 % of the mean day's 27.5836 GB.
	if fl[0].ProposedQuantity.StringFixed(4) != "2.7584" || fl[0].ProposedMonthly.StringFixed(2) != "1.38" {
		t.Errorf("facilitator ingestion after RUST_LOG=warn = %s GB, $%s", fl[0].ProposedQuantity, fl[0].ProposedMonthly)
	}
	var mf *cwlens.ProjectionLine
	for i := range fl {
		if fl[i].Component == "metric_filter" {
			mf = &fl[i]
		}
	}
	// It saves nothing on ingestion and adds one custom metric: +$0.30.
	if mf == nil || mf.UsageType != "CW:MetricMonitorUsage" || mf.DeltaMonthly().StringFixed(2) != "0.30" || !strings.Contains(mf.Note, "never drops") {
		t.Errorf("metric filter line = %+v", mf)
	}
	joined := strings.Join(p.Assumptions, "\n")
	for _, want := range []string{"730 hours", "10^9 bytes", "2026-09-28", "RUST_LOG=warn", "us-east-1"} {
		if !strings.Contains(joined, want) {
			t.Errorf("assumptions lack %q:\n%s", want, joined)
		}
	}
}

func TestProjectRetentionTrajectory(t *testing.T) {
	snap := refSnapshot()
	snap.LogGroups[1].RetentionDays = nil // never expires; 152 days old, 3.91 MB stored
	sc, err := ParseScenario([]byte("changes:\n  - log_group: /ecs/karmacadabra-prod/validator\n    retention_days: 30\n  - log_group: /ecs/karmacadabra-prod/facilitator\n    retention_days: 10\n"), "r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Project(snap, sc, Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Trajectories) != 1 || p.Trajectories[0].Subject != "/ecs/karmacadabra-prod/validator" || len(p.Trajectories[0].Monthly) != 1 {
		t.Fatalf("trajectories = %+v", p.Trajectories)
	}
	// 10 days is not a CloudWatch retention: rejected, 14 proposed, and
	// from 7 days of storage it grows to 14 days' worth in a month.
	if len(p.Rejected) != 1 || !strings.Contains(p.Rejected[0].Alternative, "retention_days 14") || p.Rejected[0].AlternativeMonthly == nil {
		t.Errorf("rejected = %+v", p.Rejected)
	}
	vl := subjectLines(p, "/ecs/karmacadabra-prod/validator")
	// 3.91 MB over 152 days × 30 days
	if got := vl[1].ProposedQuantity.StringFixed(6); got != "0.000772" {
		t.Errorf("validator storage after 30-day retention = %s GB, want 0.000772", got)
	}
	checkTotals(t, p)
}

func TestProjectUnknownPrices(t *testing.T) {
	snap := refSnapshot()
	snap.Region = "sa-east-1"
	book := defaultWithout("sa-east-1", logsSuffixes...) // Fargate priced, Logs prices absent
	p, err := Project(snap, nil, book, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(subjectLines(p, "/ecs/karmacadabra-prod/facilitator")) != 0 {
		t.Error("log group priced in sa-east-1 although the book has no Logs prices there")
	}
	found := false
	for _, u := range p.Unknown {
		if u.Subject == "/ecs/karmacadabra-prod/facilitator" && u.UsageType == "SAE1-DataProcessing-Bytes" {
			found = true
		}
	}
	if !found {
		t.Errorf("unknown = %+v", p.Unknown)
	}
	// 2 vCPU × 730 h × $0.0696 = $101.62; 4 GB × 730 h × $0.0076 = $22.19.
	if cur, _ := sumLines(subjectLines(p, "karmacadabra-prod/facilitator")); cur.StringFixed(2) != "123.81" {
		t.Errorf("facilitator in sa-east-1 = %s", cur)
	}
	// ARM on Spot has no price in sa-east-1: the change is not projected and
	// is listed as unknown rather than shown as $0.
	sc, err := ParseScenario([]byte("changes:\n  - service: karma-hello\n    architecture: ARM64\n"), "a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err = Project(snap, sc, book, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cur, prop := sumLines(subjectLines(p, "karmacadabra-prod/karma-hello"))
	if !cur.Equal(prop) || len(p.Unknown) == 0 || !hasUnknown(p, "SAE1-SpotUsage-Fargate-ARM-vCPU-Hours:perCPU") {
		t.Errorf("karma-hello ARM Spot: %s → %s, unknown %+v", cur, prop, p.Unknown)
	}
}

func TestProjectRefusesUnknownSubject(t *testing.T) {
	sc, err := ParseScenario([]byte("changes:\n  - service: facilitater\n    desired_count: 2\n"), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Project(refSnapshot(), sc, Default(), Options{})
	ie, ok := err.(*cwlens.InputError)
	if !ok || ie.Where != "line 2" || !strings.Contains(ie.Error(), `did you mean "facilitator"`) {
		t.Errorf("err = %v", err)
	}
}

func TestProjectAmbiguousServiceName(t *testing.T) {
	snap := refSnapshot()
	other := snap.Services[1]
	other.Cluster = "staging"
	snap.Services = append(snap.Services, other)
	sc, err := ParseScenario([]byte("changes:\n  - service: validator\n    desired_count: 2\n  - service: staging/validator\n    desired_count: 0\n"), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Project(snap, sc, Default(), Options{}); err == nil || !strings.Contains(err.Error(), "line 2: validator: service name is in 2 clusters") {
		t.Errorf("err = %v", err)
	}
	sc.Changes = sc.Changes[1:]
	p, err := Project(snap, sc, Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, prop := sumLines(subjectLines(p, "staging/validator")); !prop.IsZero() {
		t.Errorf("staging/validator with 0 tasks costs %s", prop)
	}
}

// TestProjectChanges checks each kind of change on one subject of the
// hand-built account: the proposed monthly figure of the subject and the
// usage types its lines end on.
func TestProjectChanges(t *testing.T) {
	const svc, grp = "karmacadabra-prod/validator", "/ecs/karmacadabra-prod/facilitator"
	tests := []struct {
		name, yaml, subject, proposed string
		usage                         []string // proposed usage type of each line, in order
	}{
		// 4 tasks, base 1 on demand, the other 3 split 1:3 → 1 + 0.75→1 on demand, 2 on Spot:
		// 365 × 0.04048 + 730 × 0.004445 + 365 × 0.01288871 + 730 × 0.00141527
		// = 14.78 + 3.24 + 4.70 + 1.03 (each line to the cent)
		{"capacity with base", "service: validator\n    capacity: {spot: 75 %, base: 1}\n  - service: validator\n    desired_count: 4", svc, "23.75",
			[]string{"USE1-Fargate-vCPU-Hours:perCPU", "USE1-SpotUsage-Fargate-vCPU-Hours:perCPU", "USE1-Fargate-GB-Hours", "USE1-SpotUsage-Fargate-GB-Hours"}},
		// 182.5 × 0.03238 + 365 × 0.00356 = 5.90935 + 1.2994 → 5.91 + 1.30
		{"ARM64", "service: validator\n    architecture: ARM64", svc, "7.21",
			[]string{"USE1-Fargate-ARM-vCPU-Hours:perCPU", "USE1-Fargate-ARM-GB-Hours"}},
		{"desired 0", "service: validator\n    desired_count: 0", svc, "0.00",
			[]string{"USE1-Fargate-vCPU-Hours:perCPU", "USE1-Fargate-GB-Hours"}},
		{"resize in vCPU and GB", "service: validator\n    resize: {cpu: 1 vCPU, memory: 2 GB}", svc, "36.04",
			[]string{"USE1-Fargate-vCPU-Hours:perCPU", "USE1-Fargate-GB-Hours"}},
		// 27.5836 GB (the mean day) at $0.25 = 6.8959 → 6.90; storage 0.01
		{"Infrequent Access", "log_group: " + grp + "\n    log_class: INFREQUENT_ACCESS", grp, "6.91",
			[]string{"DataProcessingIA-Bytes", "TimedStorage-ByteHrs"}},
		{"drop pattern saves nothing", "log_group: " + grp + "\n    drop_pattern: DEBUG", grp, "13.80",
			[]string{"DataProcessing-Bytes", "TimedStorage-ByteHrs", "DataProcessing-Bytes"}},
		// 50 % of 27.5836 GB: 13.7918 × 0.5 = 6.8959 → 6.90
		{"half the volume", "log_group: " + grp + "\n    log_volume: 50 %", grp, "6.91",
			[]string{"DataProcessing-Bytes", "TimedStorage-ByteHrs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := ParseScenario([]byte("changes:\n  - "+tt.yaml+"\n"), "s.yaml")
			if err != nil {
				t.Fatal(err)
			}
			p, err := Project(refSnapshot(), sc, Default(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			ls := subjectLines(p, tt.subject)
			var got []string
			for _, l := range ls {
				u := l.UsageType
				if l.ProposedUsageType != "" {
					u = l.ProposedUsageType
				}
				got = append(got, u)
			}
			if _, prop := sumLines(ls); prop.StringFixed(2) != tt.proposed || strings.Join(got, " ") != strings.Join(tt.usage, " ") {
				t.Errorf("proposed %s on %v; want %s on %v", prop.StringFixed(2), got, tt.proposed, tt.usage)
			}
			checkTotals(t, p)
		})
	}
}

func TestProjectEphemeralAndEC2(t *testing.T) {
	snap := refSnapshot()
	snap.Services[1].EphemeralStorageGiB = 50 // 30 GiB above the free 20
	snap.Services[2].CapacityProviderStrategy = nil
	snap.Services[2].LaunchType = cwlens.LaunchEC2
	p, err := Project(snap, nil, Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ls := subjectLines(p, "karmacadabra-prod/validator")
	// 30 GB × 730 h × $0.000111 = 2.4309 → 2.43
	if len(ls) != 3 || ls[2].Component != "ephemeral storage" || ls[2].CurrentQuantity.String() != "21900" || ls[2].CurrentMonthly.StringFixed(2) != "2.43" {
		t.Errorf("validator lines = %+v", ls)
	}
	// Not priced as Fargate, not an unknown price either: outside the
	// report, and the assumptions say so.
	if len(subjectLines(p, "karmacadabra-prod/karma-hello")) != 0 || len(p.Unknown) != 0 {
		t.Errorf("EC2 service priced or unknown: unknown = %+v", p.Unknown)
	}
	if !slices.ContainsFunc(p.Assumptions, func(a string) bool {
		return strings.Contains(a, "karmacadabra-prod/karma-hello run outside Fargate") && strings.Contains(a, "EC2 capacity is billed per instance, outside this report")
	}) {
		t.Errorf("assumptions do not name the EC2 service: %q", p.Assumptions)
	}
}

// TestProjectWindowsNeverLinux: a Windows Fargate task is priced on the
// Windows usage types with its OS licence, or is unknown where the book
// lacks them; never at the Linux rates; and Fargate Spot, which does not
// run Windows, is refused.
func TestProjectWindowsNeverLinux(t *testing.T) {
	snap := refSnapshot()
	snap.Services[1].OperatingSystem = "WINDOWS_SERVER_2022_CORE"
	snap.Services[1].CPUUnits, snap.Services[1].MemoryMiB = 1024, 2048
	snap.Services[2].OperatingSystem = "WINDOWS_SERVER_2019_FULL" // on FARGATE_SPOT
	book := Default()
	p, err := Project(snap, nil, book, Options{})
	if err != nil {
		t.Fatal(err)
	}
	unknown := map[string]string{}
	for _, u := range p.Unknown {
		unknown[u.Subject] = u.UsageType + " " + u.Reason
	}
	if !strings.Contains(unknown["karmacadabra-prod/karma-hello"], "a Windows task cannot run on Fargate Spot") {
		t.Errorf("Windows on Spot: %q", unknown["karmacadabra-prod/karma-hello"])
	}
	ls := subjectLines(p, "karmacadabra-prod/validator")
	if _, err := book.Lookup("us-east-1", UsageFargateWinVCPU); err != nil {
		// Until the book has Windows rates the service is unknown.
		if len(ls) != 0 || !strings.Contains(unknown["karmacadabra-prod/validator"], "Windows") {
			t.Errorf("Windows without Windows prices: lines %+v, unknown %q", ls, unknown["karmacadabra-prod/validator"])
		}
		return
	}
	var types []string
	for _, l := range ls {
		types = append(types, l.UsageType)
	}
	if len(ls) != 3 || !strings.HasSuffix(types[0], UsageFargateWinVCPU) || !strings.HasSuffix(types[1], UsageFargateWinGB) || !strings.HasSuffix(types[2], UsageFargateWinOS) {
		t.Errorf("Windows lines %q, want vCPU, GB and OS licence on the Windows usage types", types)
	}
}

func hasUnknown(p *cwlens.Projection, usageType string) bool {
	for _, u := range p.Unknown {
		if u.UsageType == usageType {
			return true
		}
	}
	return false
}
