package cur

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

// MaxCSVLineBytes bounds one line of a CSV export, so a file without line
// breaks is refused instead of read into memory whole. A CUR 2.0 line with
// every column and a product map is a few KB.
const MaxCSVLineBytes = 1 << 20

// ReadCSV adds the lines of the gzip-compressed CUR 2.0 CSV export in r to
// b, streaming: one line at a time. name names the file in errors, which
// are *cwlens.InputError.
func (b *Bill) ReadCSV(name string, r io.Reader) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return cwlens.Inputf(name, "", "", "not a gzip-compressed CSV file: %w", err)
	}
	defer zr.Close()
	cr := csv.NewReader(&lineLimit{r: zr})
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return cwlens.Inputf(name, "line 1", "", "no CSV header: %w", err)
	}
	idx, err := csvColumns(header)
	if err != nil {
		return cwlens.Inputf(name, "line 1", "", "%w", err)
	}
	for line := 2; ; line++ {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		where := "line " + strconv.Itoa(line)
		if err != nil {
			return cwlens.Inputf(name, where, "", "%w", err)
		}
		var rec record
		if err := csvRecord(row, idx, &rec); err != nil {
			return cwlens.Inputf(name, where, "", "%w", err)
		}
		if err := b.add(&rec); err != nil {
			return cwlens.Inputf(name, where, "", "%w", err)
		}
	}
}

// csvColumns maps each column read to its index in header (-1 for a
// missing optional one).
func csvColumns(header []string) (map[string]int, error) {
	idx := map[string]int{}
	for _, c := range append(append([]string{}, required...), optional...) {
		idx[c] = -1
	}
	for i, h := range header {
		if j, ok := idx[h]; ok && j < 0 {
			idx[h] = i
		}
	}
	var missing []string
	for _, c := range required {
		if idx[c] < 0 {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no column %v: not a CUR 2.0 export (the table dictionary's columns)", missing)
	}
	return idx, nil
}

func csvRecord(row []string, idx map[string]int, r *record) error {
	get := func(c string) string {
		if i := idx[c]; i >= 0 && i < len(row) {
			return row[i]
		}
		return ""
	}
	r.account, r.product, r.usageType = get(ColAccount), get(ColProductCode), get(ColUsageType)
	r.itemType, r.currency, r.unit = get(ColItemType), get(ColCurrency), get(ColPricingUnit)
	if s := get(ColBillingPeriod); s != "" {
		t, err := parseTime(s)
		if err != nil {
			return fmt.Errorf("column %s %q: %w", ColBillingPeriod, s, err)
		}
		r.period = t
	}
	for _, a := range []struct {
		col string
		d   *decimal.Decimal
		has *bool
	}{{ColUnblended, &r.unblended, nil}, {ColUsageAmount, &r.usage, nil}, {ColSPEffective, &r.spEffective, nil},
		{ColNetUnblended, &r.netUnblended, &r.hasNetUnblended}, {ColSPNetEffective, &r.spNetEff, &r.hasSPNetEff}} {
		s := get(a.col)
		if s == "" {
			continue
		}
		d, err := decimal.NewFromString(s)
		if err != nil || d.Abs().GreaterThan(decimal.New(1, 15)) {
			return fmt.Errorf("column %s %q: not an amount (at most 1e15 either way)", a.col, s)
		}
		*a.d = d
		if a.has != nil {
			*a.has = true
		}
	}
	return nil
}

// timeLayouts are the ways exports write a timestamp.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00", time.DateOnly}

func parseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("not a timestamp")
}

// lineLimit fails a read once a line exceeds MaxCSVLineBytes.
type lineLimit struct {
	r   io.Reader
	run int
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			l.run = 0
			continue
		}
		if l.run++; l.run > MaxCSVLineBytes {
			return 0, fmt.Errorf("a line longer than %d MiB: not a CUR export", MaxCSVLineBytes>>20)
		}
	}
	return n, err
}
