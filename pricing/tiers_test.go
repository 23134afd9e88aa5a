package pricing

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestTieredCost(t *testing.T) {
	b := Default()
	vended, err := b.Lookup("us-east-1", UsageVendedLogs)
	if err != nil {
		t.Fatal(err)
	}
	metrics, err := b.Lookup("us-east-1", UsageCustomMetrics)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		p         Price
		qty, want string
		breakdown string
	}{
		{vended, "100", "50", "100 GB × $0.5"},
		// 12,000 GB: the first 10 TB (10,240 GB) at $0.50, 1,760 GB at $0.25.
		{vended, "12000", "5560", "10240 GB × $0.5 + 1760 GB × $0.25"},
		// 60,000 GB reaches the last band: 5120 + 5120 + 2048 + 8800 × 0.05.
		{vended, "60000", "12728", "10240 GB × $0.5 + 20480 GB × $0.25 + 20480 GB × $0.1 + 8800 GB × $0.05"},
		{metrics, "3", "0.9", "3 Metrics × $0.3"},
		{metrics, "10001", "3000.1", "10000 Metrics × $0.3 + 1 Metrics × $0.1"},
		{vended, "0", "0", "0 GB"},
	} {
		got, br := TieredCost(c.p, decimal.RequireFromString(c.qty))
		if !got.Equal(decimal.RequireFromString(c.want)) || br != c.breakdown {
			t.Errorf("TieredCost(%s, %s) = %s %q, want %s %q", c.p.UsageType, c.qty, got, br, c.want, c.breakdown)
		}
	}
	if got := MarginalPrice(metrics, decimal.NewFromInt(9999)); got.String() != "0.3" {
		t.Errorf("the 10,000th metric costs %s", got)
	}
	if got := MarginalPrice(metrics, decimal.NewFromInt(10000)); got.String() != "0.1" {
		t.Errorf("the 10,001st metric costs %s", got)
	}
}
