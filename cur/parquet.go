package cur

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/shopspring/decimal"
)

// MaxColumnChunkBytes bounds one column chunk of one row group, compressed
// or not: the reader holds a page of each column it reads at a time, so
// this bounds its memory whatever the file's size. A real export's chunk
// of one column is a few MB.
const MaxColumnChunkBytes = 256 << 20

// batchRows is how many rows are decoded per column before they are summed.
const batchRows = 4096

// column is one CUR column the reader takes, and how its value lands in a
// record.
type column struct {
	name string
	time bool // a timestamp, wherever the file keeps it as text
	// key columns say whether a line is kept; they are read first, and
	// the other columns are converted for kept lines only.
	key  bool
	set  func(r *record, c *cell) error
	leaf parquet.LeafColumn
}

// interner returns each distinct text of a column as one string: a
// column's values repeat (usage types, accounts), so a row costs no
// allocation. It stops adding past maxInterned distinct texts.
type interner map[string]string

const maxInterned = 4096

func (m interner) get(b []byte) string {
	if s, ok := m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(m) < maxInterned {
		m[s] = s
	}
	return s
}

// cell is one value of a column, typed by how the reader uses it.
type cell struct {
	null bool
	s    string
	d    decimal.Decimal
	t    time.Time
}

func stringCol(name string, f func(r *record) *string) column {
	return column{name: name, set: func(r *record, c *cell) error { *f(r) = c.s; return nil }}
}

func keyCol(name string, f func(r *record) *string) column {
	c := stringCol(name, f)
	c.key = true
	return c
}

func amountCol(name string, f func(r *record) *decimal.Decimal, has func(r *record) *bool) column {
	return column{name: name, set: func(r *record, c *cell) error {
		if c.null {
			return nil
		}
		*f(r) = c.d
		if has != nil {
			*has(r) = true
		}
		return nil
	}}
}

// columns are the columns read, each with its place in a record.
func columns() []column {
	return []column{
		keyCol(ColProductCode, func(r *record) *string { return &r.product }),
		keyCol(ColItemType, func(r *record) *string { return &r.itemType }),
		keyCol(ColAccount, func(r *record) *string { return &r.account }),
		{name: ColBillingPeriod, time: true, set: func(r *record, c *cell) error { r.period = c.t; return nil }},
		stringCol(ColUsageType, func(r *record) *string { return &r.usageType }),
		stringCol(ColCurrency, func(r *record) *string { return &r.currency }),
		stringCol(ColPricingUnit, func(r *record) *string { return &r.unit }),
		amountCol(ColUnblended, func(r *record) *decimal.Decimal { return &r.unblended }, nil),
		amountCol(ColUsageAmount, func(r *record) *decimal.Decimal { return &r.usage }, nil),
		amountCol(ColSPEffective, func(r *record) *decimal.Decimal { return &r.spEffective }, nil),
		amountCol(ColNetUnblended, func(r *record) *decimal.Decimal { return &r.netUnblended },
			func(r *record) *bool { return &r.hasNetUnblended }),
		amountCol(ColSPNetEffective, func(r *record) *decimal.Decimal { return &r.spNetEff },
			func(r *record) *bool { return &r.hasSPNetEff }),
	}
}

// ReadParquet adds the lines of the CUR 2.0 Parquet file in r (size bytes)
// to b, reading only the columns it needs, one row group and one page of
// each at a time. name names the file in errors, which are
// *cwlens.InputError.
func (b *Bill) ReadParquet(name string, r io.ReaderAt, size int64) (err error) {
	defer func() {
		// The Parquet decoder trusts lengths and offsets it reads from
		// the file; a damaged file must be an error, never a crash.
		if p := recover(); p != nil {
			err = cwlens.Inputf(name, "", "", "damaged Parquet file: %v", p)
		}
	}()
	f, err := parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return cwlens.Inputf(name, "", "", "not a Parquet file: %w", err)
	}
	cols, err := lookup(f.Schema())
	if err != nil {
		return cwlens.Inputf(name, "", "", "%w", err)
	}
	var base int64
	for i, rg := range f.RowGroups() {
		if err := checkChunks(f.Metadata(), i, cols, b.chunkLimit); err != nil {
			return cwlens.Inputf(name, "row group "+strconv.Itoa(i), "", "%w", err)
		}
		if err := checkPages(r, f.Metadata(), i, cols, b.chunkLimit); err != nil {
			return cwlens.Inputf(name, "row group "+strconv.Itoa(i), "", "%w", err)
		}
		if err := b.readRowGroup(rg, cols, base); err != nil {
			return cwlens.Inputf(name, "", "", "%w", err)
		}
		base += rg.NumRows()
	}
	return nil
}

// lookup finds the columns in the file's schema: flat leaves, the required
// ones all present. A missing optional column is left out.
func lookup(s *parquet.Schema) ([]column, error) {
	fields := map[string]parquet.Field{}
	for _, f := range s.Fields() {
		fields[f.Name()] = f
	}
	var cols []column
	var missing []string
	for _, c := range columns() {
		f, ok := fields[c.name]
		if !ok {
			if isRequired(c.name) {
				missing = append(missing, c.name)
			}
			continue
		}
		leaf, found := s.Lookup(c.name)
		if !f.Leaf() || f.Repeated() || !found || leaf.MaxRepetitionLevel > 0 {
			return nil, fmt.Errorf("column %s is not a single value a row: not the CUR 2.0 schema", c.name)
		}
		c.leaf = leaf
		cols = append(cols, c)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no column %v: not a CUR 2.0 export (the table dictionary's columns)", missing)
	}
	return cols, nil
}

func isRequired(name string) bool {
	for _, r := range required {
		if r == name {
			return true
		}
	}
	return false
}

// checkChunks refuses a row group whose chunks of the columns read exceed
// MaxColumnChunkBytes, before any is read.
func checkChunks(md *format.FileMetaData, rg int, cols []column, limit int64) error {
	if rg >= len(md.RowGroups) {
		return errors.New("row group missing from the footer")
	}
	chunks := md.RowGroups[rg].Columns
	for _, c := range cols {
		if c.leaf.ColumnIndex >= len(chunks) {
			return fmt.Errorf("column %s: chunk missing", c.name)
		}
		m := chunks[c.leaf.ColumnIndex].MetaData
		if m.TotalUncompressedSize > limit || m.TotalCompressedSize > limit ||
			m.TotalUncompressedSize < 0 || m.TotalCompressedSize < 0 {
			return fmt.Errorf("column %s: a chunk of %d bytes (%d compressed), over the limit of %d bytes a column and row group",
				c.name, m.TotalUncompressedSize, m.TotalCompressedSize, limit)
		}
	}
	return nil
}

// headerWindow is how much of a column chunk is read to decode one page
// header: headers are tens of bytes, or a few KB with statistics.
const headerWindow = 64 << 10

// checkPages walks the page headers of the chunks of rg that will be read
// and refuses a page that does not fit its chunk or is larger uncompressed
// than limit. The Parquet decoder allocates a page's sizes as its header
// states them before it reads the page, so a damaged header could make it
// allocate gigabytes; here every header is decoded from a bounded window
// (a thrift decoder over bytes checks each length against what is there)
// and only headers are read: the pages are skipped.
func checkPages(r io.ReaderAt, md *format.FileMetaData, rg int, cols []column, limit int64) error {
	buf := make([]byte, headerWindow)
	proto := thrift.CompactProtocol{}
	br := proto.NewReaderFromBytes(nil)
	for _, c := range cols {
		m := &md.RowGroups[rg].Columns[c.leaf.ColumnIndex].MetaData
		start := m.DataPageOffset
		if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < start {
			start = m.DictionaryPageOffset
		}
		end := start + m.TotalCompressedSize
		for pos := start; pos < end; {
			n, err := r.ReadAt(buf[:min(int64(len(buf)), end-pos)], pos)
			if n == 0 {
				return fmt.Errorf("column %s: page header at byte %d: %v", c.name, pos, err)
			}
			br.ResetBytes(buf[:n])
			var h format.PageHeader
			if err := thrift.NewDecoder(br).Decode(&h); err != nil {
				return fmt.Errorf("column %s: page header at byte %d: %w", c.name, pos, err)
			}
			rest, ok := br.Reader().(interface{ Len() int })
			if !ok {
				return fmt.Errorf("column %s: cannot tell the length of a page header", c.name)
			}
			used := int64(n - rest.Len())
			size := int64(h.CompressedPageSize)
			if size < 0 || h.UncompressedPageSize < 0 || pos+used+size > end || int64(h.UncompressedPageSize) > limit {
				return fmt.Errorf("column %s: the page at byte %d (%d bytes, %d uncompressed) does not fit its chunk (bytes %d to %d): damaged",
					c.name, pos, size, h.UncompressedPageSize, start, end)
			}
			pos += used + size
		}
	}
	return nil
}

// readRowGroup decodes the columns of rg batchRows rows at a time, in
// step, and adds each row. base is the index of rg's first row in the
// file, for errors.
func (b *Bill) readRowGroup(rg parquet.RowGroup, cols []column, base int64) error {
	chunks := rg.ColumnChunks()
	readers := make([]parquet.ColumnChunkValueReader, len(cols))
	for i, c := range cols {
		if c.leaf.ColumnIndex >= len(chunks) {
			return fmt.Errorf("column %s: chunk missing", c.name)
		}
		readers[i] = parquet.NewColumnChunkValueReader(chunks[c.leaf.ColumnIndex])
		defer readers[i].Close()
	}
	convs := make([]func(parquet.Value, *cell) error, len(cols))
	for i, c := range cols {
		convs[i] = converter(c)
	}
	recs := make([]record, batchRows)
	vals := make([]parquet.Value, batchRows)
	n := rg.NumRows()
	for done := int64(0); done < n; {
		m := int(min(int64(batchRows), n-done))
		clear(recs[:m])
		for i, c := range cols {
			if i > 0 && !c.key && cols[i-1].key {
				for j := range recs[:m] {
					recs[j].skip = !b.keeps(&recs[j])
				}
			}
			if err := readColumn(readers[i], c, convs[i], recs[:m], vals, base+done); err != nil {
				return err
			}
		}
		for j := range recs[:m] {
			if err := b.add(&recs[j]); err != nil {
				return fmt.Errorf("row %d: %w", base+done+int64(j)+1, err)
			}
		}
		done += int64(m)
	}
	return nil
}

// readColumn fills c's field of every record in recs from r. Values are
// converted as soon as read: a byte array points into the page, which the
// next read may release.
func readColumn(r parquet.ColumnChunkValueReader, c column, conv func(parquet.Value, *cell) error, recs []record, vals []parquet.Value, first int64) error {
	for got := 0; got < len(recs); {
		k, err := r.ReadValues(vals[:len(recs)-got])
		for j, v := range vals[:k] {
			if !c.key && recs[got+j].skip {
				continue
			}
			var cl cell
			if v.IsNull() {
				cl.null = true
			} else if cerr := conv(v, &cl); cerr != nil {
				return fmt.Errorf("row %d: column %s: %w", first+int64(got+j)+1, c.name, cerr)
			}
			if serr := c.set(&recs[got+j], &cl); serr != nil {
				return fmt.Errorf("row %d: column %s: %w", first+int64(got+j)+1, c.name, serr)
			}
		}
		got += k
		switch {
		case err == io.EOF && got < len(recs):
			return fmt.Errorf("column %s: %d values where the row group has more rows: truncated or damaged", c.name, first+int64(got))
		case err != nil && err != io.EOF:
			return fmt.Errorf("column %s: %w", c.name, err)
		case k == 0 && err == nil:
			return fmt.Errorf("column %s: no progress reading values", c.name)
		}
	}
	return nil
}

// converter returns how a value of the column's type becomes a cell.
func converter(col column) func(parquet.Value, *cell) error {
	typ := col.leaf.Node.Type()
	switch typ.Kind() {
	case parquet.ByteArray, parquet.FixedLenByteArray:
		texts := interner{}
		var lastText string
		var lastTime time.Time
		var lastErr error
		return func(v parquet.Value, c *cell) error {
			bs := v.ByteArray()
			if len(bs) > maxCellBytes {
				return fmt.Errorf("a text of %d bytes, over %d", len(bs), maxCellBytes)
			}
			c.s = texts.get(bs)
			if col.time {
				if c.s != lastText || (lastTime.IsZero() && lastErr == nil) {
					lastText = c.s
					lastTime, lastErr = parseTime(c.s)
				}
				if lastErr != nil {
					return fmt.Errorf("%q: %w", c.s, lastErr)
				}
				c.t = lastTime
			}
			return nil
		}
	case parquet.Double, parquet.Float:
		return func(v parquet.Value, c *cell) error {
			x := v.Double()
			if v.Kind() == parquet.Float {
				x = float64(v.Float())
			}
			d, err := amount(x)
			c.d = d
			return err
		}
	case parquet.Int32:
		return func(v parquet.Value, c *cell) error {
			c.d = decimal.NewFromInt32(v.Int32())
			if lt := typ.LogicalType(); lt != nil {
				if _, ok := lt.Value.(*format.DateType); ok {
					c.t = time.Unix(int64(v.Int32())*86400, 0).UTC()
				}
			}
			return nil
		}
	case parquet.Int64:
		unit := time.Duration(0)
		if lt := typ.LogicalType(); lt != nil {
			if ts, ok := lt.Value.(*format.TimestampType); ok && ts.Unit.Value != nil {
				unit = ts.Unit.Value.Duration()
			}
		}
		return func(v parquet.Value, c *cell) error {
			c.d = decimal.NewFromInt(v.Int64())
			if unit > 0 {
				c.t = unixIn(v.Int64(), unit)
			}
			return nil
		}
	case parquet.Int96:
		return func(v parquet.Value, c *cell) error {
			// INT96 timestamps (Impala, Spark): nanoseconds of the day,
			// then the Julian day number.
			x := v.Int96()
			nanos := int64(x[1])<<32 | int64(x[0])
			c.t = time.Unix((int64(x[2])-2440588)*86400, nanos).UTC()
			return nil
		}
	}
	return func(v parquet.Value, _ *cell) error { return fmt.Errorf("unexpected %s value", v.Kind()) }
}

func unixIn(n int64, unit time.Duration) time.Time {
	per := int64(time.Second / unit)
	return time.Unix(n/per, (n%per)*int64(unit)).UTC()
}

// amount turns a double of the file into an exact decimal: the shortest
// decimal that reads back as the same double, which is what the exporter
// wrote.
func amount(x float64) (decimal.Decimal, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e15 {
		return decimal.Zero, fmt.Errorf("%v is not an amount (at most 1e15 either way)", x)
	}
	if x == 0 {
		return decimal.Zero, nil // most lines have no Savings Plan cost
	}
	return decimal.NewFromFloat(x), nil
}
