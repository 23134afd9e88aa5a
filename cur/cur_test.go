package cur_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/cur"
	"github.com/cwlens/cwlens/ingest"
	"github.com/cwlens/cwlens/internal/curtest"
	"github.com/parquet-go/parquet-go"
	"github.com/shopspring/decimal"
)

var (
	sep = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	oct = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
)

const account = "123456789012"

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func line(svc, ut, cost, net, qty, unit string) cwlens.BillLine {
	return cwlens.BillLine{Service: svc, UsageType: ut, UnblendedCost: d(cost), NetAmortizedCost: d(net), UsageQuantity: d(qty), Unit: unit}
}

const ecs, cw = "Amazon Elastic Container Service", "AmazonCloudWatch"

// month is a bill month with a Savings Plan on Fargate, the Logs free tier,
// a line cwlens does not model, a sub-cent line and a zero-cost line.
func month() cwlens.BillMonth {
	return cwlens.BillMonth{Start: oct, End: oct.AddDate(0, 1, 0), Complete: true, Lines: []cwlens.BillLine{
		line(cw, "CW:Requests", "0.37", "0.37", "37000", "Requests"),
		line(cw, "DataProcessing-Bytes", "13.00", "13.00", "31", "GB"),
		line(cw, "USE1-TimedStorage-ByteHrs", "0.004", "0.004", "0.133", "GB-Mo"),
		line(ecs, "USE1-Fargate-GB-Hours", "5.00", "5.00", "1000", "GB-Hours"),
		line(ecs, "USE1-Fargate-vCPU-Hours:perCPU", "29.76", "21.43", "744", "Hrs"),
		line(ecs, "USE1-Fargate-Windows-OS-Hours:perCPU", "0", "0", "0", "Hrs"),
	}}
}

func writeParquet(t *testing.T, dir, name string, rows []curtest.Row, group int) string {
	t.Helper()
	var buf bytes.Buffer
	if err := curtest.WriteParquet(&buf, rows, group); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeCSV(t *testing.T, dir, name string, rows []curtest.Row) string {
	t.Helper()
	var buf bytes.Buffer
	if err := curtest.WriteCSVGz(&buf, rows); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func read(t *testing.T, paths ...string) *cur.Bill {
	t.Helper()
	b := cur.New(cur.Options{Account: account})
	for _, p := range paths {
		if err := b.ReadFile(p); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func sameLines(t *testing.T, got, want []cwlens.BillLine) {
	t.Helper()
	want = slices.Clone(want)
	slices.SortFunc(want, func(x, y cwlens.BillLine) int {
		return strings.Compare(x.Service+"\x00"+x.UsageType, y.Service+"\x00"+y.UsageType)
	})
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d:\n%v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Service != w.Service || g.UsageType != w.UsageType || g.Unit != w.Unit || !g.UnblendedCost.Equal(w.UnblendedCost) ||
			!g.NetAmortizedCost.Equal(w.NetAmortizedCost) || !g.UsageQuantity.Equal(w.UsageQuantity) {
			t.Errorf("line %d = %+v\nwant       %+v", i, g, w)
		}
	}
}

// TestRoundTrip: the lines Cost Explorer would give are the sums of the
// CUR lines made from them, read from Parquet in parts of several row
// groups and from CSV alike; tax, other services, other accounts and the
// month before stay out of October.
func TestRoundTrip(t *testing.T) {
	m := month()
	rows := curtest.Rows(m, account, "us-east-1")
	dir := t.TempDir()
	half := len(rows) / 2
	for name, paths := range map[string][]string{
		"parquet, two parts": {writeParquet(t, dir, "part-1.parquet", rows[:half], 4), writeParquet(t, dir, "part-2.parquet", rows[half:], 7)},
		"csv.gz":             {writeCSV(t, dir, "all.csv.gz", rows)},
		"parquet and csv":    {writeParquet(t, dir, "a.parquet", rows[:half], 1000), writeCSV(t, dir, "b.csv.gz", rows[half:])},
	} {
		t.Run(name, func(t *testing.T) {
			b := read(t, paths...)
			if got := b.Months(); !slices.Equal(got, []time.Time{sep, oct}) {
				t.Errorf("months %v, want September and October", got)
			}
			got, ok := b.Month(oct, true)
			if !ok || !got.Complete || !got.End.Equal(oct.AddDate(0, 1, 0)) {
				t.Fatalf("October: %v %+v", ok, got)
			}
			sameLines(t, got.Lines, m.Lines)
			if b.Rows() != int64(len(rows)) {
				t.Errorf("%d rows read, want %d", b.Rows(), len(rows))
			}
			if accts := b.OtherAccounts(); !slices.Equal(accts, []string{"210987654321"}) {
				t.Errorf("other accounts %v", accts)
			}
			prev, _ := b.Month(sep, true)
			for _, l := range prev.Lines {
				if !l.UnblendedCost.Equal(d("42")) {
					t.Errorf("September %s = %s, want the 42 written there", l.UsageType, l.UnblendedCost)
				}
			}
		})
	}
}

// TestLineTypes pins how each line type counts, one rule a case.
func TestLineTypes(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	row := func(typ string, cost float64, net *float64, usage, sp float64) curtest.Row {
		return curtest.Row{BillingPeriod: oct, Account: account, ItemType: typ, ProductCode: "AmazonECS", UsageType: "USE1-Fargate-vCPU-Hours:perCPU",
			Currency: "USD", Unblended: cost, NetUnblended: net, UsageAmount: usage, SPEffective: sp, PricingUnit: "Hrs"}
	}
	for _, tc := range []struct {
		name           string
		rows           []curtest.Row
		cost, net, qty string
	}{
		{"usage", []curtest.Row{row("Usage", 4, nil, 100, 0)}, "4", "4", "100"},
		{"usage with a discount", []curtest.Row{row("Usage", 4, f(3.6), 100, 0)}, "4", "3.6", "100"},
		{"covered and negated", []curtest.Row{row("SavingsPlanCoveredUsage", 4, f(4), 100, 2.5), row("SavingsPlanNegation", -4, f(-4), 100, 0)}, "0", "2.5", "100"},
		{"credit", []curtest.Row{row("Usage", 4, nil, 100, 0), row("Credit", -1.5, nil, 0, 0)}, "2.5", "2.5", "100"},
		{"refund", []curtest.Row{row("Usage", 4, nil, 100, 0), row("Refund", -4, nil, 3, 0)}, "0", "0", "100"},
		{"tax is its own service", []curtest.Row{row("Usage", 4, nil, 100, 0), row("Tax", 0.8, nil, 0, 0)}, "4", "4", "100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := read(t, writeParquet(t, t.TempDir(), "x.parquet", tc.rows, 10))
			m, ok := b.Month(oct, true)
			if !ok || len(m.Lines) != 1 {
				t.Fatalf("%v %+v", ok, m)
			}
			l := m.Lines[0]
			if !l.UnblendedCost.Equal(d(tc.cost)) || !l.NetAmortizedCost.Equal(d(tc.net)) || !l.UsageQuantity.Equal(d(tc.qty)) {
				t.Errorf("cost %s net %s qty %s, want %s %s %s", l.UnblendedCost, l.NetAmortizedCost, l.UsageQuantity, tc.cost, tc.net, tc.qty)
			}
		})
	}
}

// TestServicesMatchCostExplorer: the services kept are the ones the Cost
// Explorer scan asks for, under the same names.
func TestServicesMatchCostExplorer(t *testing.T) {
	var names []string
	for _, n := range cur.Services {
		names = append(names, n)
	}
	slices.Sort(names)
	want := slices.Sorted(slices.Values(ingest.BillServices))
	if !slices.Equal(names, want) {
		t.Errorf("services %v, want Cost Explorer's %v", names, want)
	}
}

// narrow is a Parquet file with some CUR columns but not all.
type narrow struct {
	Period    time.Time `parquet:"bill_billing_period_start_date,timestamp(millisecond)"`
	UsageType string    `parquet:"line_item_usage_type"`
	Cost      float64   `parquet:"line_item_unblended_cost"`
}

// repeated has the CUR columns, one of them as a list.
type repeated struct {
	Period      time.Time `parquet:"bill_billing_period_start_date,timestamp(millisecond)"`
	Account     string    `parquet:"line_item_usage_account_id"`
	ProductCode string    `parquet:"line_item_product_code"`
	UsageType   []string  `parquet:"line_item_usage_type,list"`
	ItemType    string    `parquet:"line_item_line_item_type"`
	Currency    string    `parquet:"line_item_currency_code"`
	Cost        float64   `parquet:"line_item_unblended_cost"`
	Usage       float64   `parquet:"line_item_usage_amount"`
	SP          float64   `parquet:"savings_plan_savings_plan_effective_cost"`
	Unit        string    `parquet:"pricing_unit"`
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	good := func() []byte {
		var buf bytes.Buffer
		if err := curtest.WriteParquet(&buf, curtest.Rows(month(), account, "us-east-1"), 5); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	csvGood := func() []byte {
		var buf bytes.Buffer
		_ = curtest.WriteCSVGz(&buf, curtest.Rows(month(), account, "us-east-1"))
		return buf.Bytes()
	}()
	gz := func(s string) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write([]byte(s))
		_ = zw.Close()
		return buf.Bytes()
	}
	pq := func(rows any) []byte {
		var buf bytes.Buffer
		var err error
		switch r := rows.(type) {
		case []narrow:
			err = parquet.Write(&buf, r)
		case []repeated:
			err = parquet.Write(&buf, r)
		}
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	csvHeader := "bill_billing_period_start_date,line_item_usage_account_id,line_item_product_code,line_item_usage_type,line_item_line_item_type,line_item_currency_code,line_item_unblended_cost,line_item_usage_amount,savings_plan_savings_plan_effective_cost,pricing_unit\n"
	csvRow := func(period, cost, currency string) string {
		return period + ",123456789012,AmazonECS,USE1-Fargate-GB-Hours,Usage," + currency + "," + cost + ",1,0,GB-Hours\n"
	}
	corrupt := slices.Clone(good)
	for i := 200; i < len(corrupt)/2; i++ {
		corrupt[i] ^= 0x5a
	}
	for _, tc := range []struct {
		name, want string
		data       []byte
	}{
		{"empty", "empty file", nil},
		{"text", "neither Parquet nor gzip-compressed CSV", []byte("line_item_usage_type,cost\n")},
		{"parquet truncated", "not a Parquet file", good[:len(good)-100]},
		{"parquet cut to its magic", "not a Parquet file", good[:4]},
		{"parquet damaged pages", "", corrupt},
		{"parquet without the CUR columns", "no column [line_item_product_code line_item_line_item_type line_item_usage_account_id", pq([]narrow{{Period: oct, UsageType: "x", Cost: 1}})},
		{"parquet with a repeated column", "line_item_usage_type is not a single value a row", pq([]repeated{{Period: oct, UsageType: []string{"a"}}})},
		{"csv truncated", "unexpected EOF", csvGood[:len(csvGood)-20]},
		{"csv without the CUR columns", "no column [bill_billing_period_start_date", gz("a,b\n1,2\n")},
		{"csv bad amount", "line 2: column line_item_unblended_cost \"1,5\"", gz(csvHeader + csvRow("2025-10-01T00:00:00Z", `"1,5"`, "USD"))},
		{"csv huge amount", "not an amount", gz(csvHeader + csvRow("2025-10-01T00:00:00Z", "1e20", "USD"))},
		{"csv bad period", "line 2: column bill_billing_period_start_date", gz(csvHeader + csvRow("October", "1", "USD"))},
		{"csv period mid-month", "starts on the first of a month", gz(csvHeader + csvRow("2025-10-15T00:00:00Z", "1", "USD"))},
		{"csv mixed currencies", "line 3: line_item_currency_code \"EUR\": the files mix currencies", gz(csvHeader + csvRow("2025-10-01T00:00:00Z", "1", "USD") + csvRow("2025-10-01T00:00:00Z", "1", "EUR"))},
		{"csv line without end", "a line longer than 1 MiB", gz(csvHeader + strings.Repeat("x", cur.MaxCSVLineBytes+10))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			if err := os.WriteFile(p, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			err := cur.New(cur.Options{Account: account}).ReadFile(p)
			var ie *cwlens.InputError
			if !errors.As(err, &ie) || ie.File != p {
				t.Fatalf("error %v, want an input error naming %s", err, p)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to say %q", err, tc.want)
			}
		})
	}
}

// TestChunkLimit: a row group whose column chunk is over the limit is
// refused from the footer, before it is read.
func TestChunkLimit(t *testing.T) {
	p := writeParquet(t, t.TempDir(), "x.parquet", curtest.Rows(month(), account, "us-east-1"), 1000)
	b := cur.New(cur.Options{})
	b.SetChunkLimit(16)
	err := b.ReadFile(p)
	if !cwlens.IsInputError(err) || !strings.Contains(err.Error(), "row group 0: column line_item_product_code: a chunk of") {
		t.Errorf("error %v", err)
	}
	if b.Rows() != 0 {
		t.Errorf("%d rows read before refusing", b.Rows())
	}
}

func TestNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	if err := cur.New(cur.Options{}).ReadFile(dir); !cwlens.IsInputError(err) || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: %v", err)
	}
	missing := filepath.Join(dir, "nope.parquet")
	if err := cur.New(cur.Options{}).ReadFile(missing); !cwlens.IsInputError(err) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v", err)
	}
}

// TestManyPages: columns split over many small pages (and dictionary
// pages) in several row groups read as one: every row counted once.
func TestManyPages(t *testing.T) {
	m := month()
	const n = 400
	rows := curtest.Repeat(curtest.Rows(m, account, "us-east-1"), n)
	var buf bytes.Buffer
	if err := curtest.WriteParquet(&buf, rows, 5000, parquet.PageBufferSize(512)); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "many.parquet")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b := read(t, p)
	got, _ := b.Month(oct, true)
	want := slices.Clone(m.Lines)
	for i, l := range want {
		k := decimal.NewFromInt(n)
		want[i].UnblendedCost, want[i].NetAmortizedCost, want[i].UsageQuantity = l.UnblendedCost.Mul(k), l.NetAmortizedCost.Mul(k), l.UsageQuantity.Mul(k)
	}
	sameLines(t, got.Lines, want)
	if b.Rows() != int64(len(rows)) {
		t.Errorf("%d rows, want %d", b.Rows(), len(rows))
	}
}

// BenchmarkReadParquet reads a 100,000-line export: the memory a read
// holds is a page of each column read, whatever the file's size.
func BenchmarkReadParquet(b *testing.B) {
	rows := curtest.Repeat(curtest.Rows(month(), account, "us-east-1"), 100_000/len(curtest.Rows(month(), account, "us-east-1"))+1)
	var buf bytes.Buffer
	if err := curtest.WriteParquet(&buf, rows, 50_000); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := cur.New(cur.Options{Account: account}).ReadParquet("x", bytes.NewReader(data), int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)), "rows/op")
}
