package cur_test

import (
	"bytes"
	"compress/gzip"
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/cur"
	"github.com/cwlens/cwlens/internal/curtest"
)

// FuzzReadParquet: whatever the bytes, ReadParquet returns nil or an input
// error naming the file, and never panics or hangs.
func FuzzReadParquet(f *testing.F) {
	var buf bytes.Buffer
	if err := curtest.WriteParquet(&buf, curtest.Rows(month(), account, "us-east-1"), 3); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:buf.Len()/2])
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := cur.New(cur.Options{Account: account}).ReadParquet("x.parquet", bytes.NewReader(data), int64(len(data)))
		if err != nil && !cwlens.IsInputError(err) {
			t.Fatalf("%T %v: not an input error", err, err)
		}
	})
}

// FuzzReadCSV: the same for the CSV export, fuzzing the text before it is
// compressed (the gzip layer is the standard library's).
func FuzzReadCSV(f *testing.F) {
	var buf bytes.Buffer
	if err := curtest.WriteCSVGz(&buf, curtest.Rows(month(), account, "us-east-1")); err != nil {
		f.Fatal(err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		f.Fatal(err)
	}
	var text bytes.Buffer
	if _, err := text.ReadFrom(zr); err != nil {
		f.Fatal(err)
	}
	f.Add(text.Bytes())
	f.Add([]byte("bill_billing_period_start_date\n\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		_, _ = zw.Write(data)
		_ = zw.Close()
		err := cur.New(cur.Options{}).ReadCSV("x.csv.gz", &z)
		if err != nil && !cwlens.IsInputError(err) {
			t.Fatalf("%T %v: not an input error", err, err)
		}
	})
}
