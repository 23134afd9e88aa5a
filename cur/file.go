package cur

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/cwlens/cwlens"
)

// ReadFile adds the lines of the export at path to b, Parquet or
// gzip-compressed CSV as its first bytes say (an export's format is
// TEXT_OR_CSV with GZIP compression, or PARQUET:
// https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_DataExports_S3OutputConfigurations.html).
func (b *Bill) ReadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return cwlens.Inputf(path, "", "", "%w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return cwlens.Inputf(path, "", "", "%w", err)
	}
	if !fi.Mode().IsRegular() {
		return cwlens.Inputf(path, "", "", "not a regular file")
	}
	var magic [4]byte
	n, err := io.ReadFull(f, magic[:])
	switch {
	case n == 4 && string(magic[:]) == "PAR1":
		return b.ReadParquet(path, f, fi.Size())
	case n >= 2 && bytes.Equal(magic[:2], []byte{0x1f, 0x8b}):
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return cwlens.Inputf(path, "", "", "%w", err)
		}
		return b.ReadCSV(path, f)
	case err != nil && n == 0:
		return cwlens.Inputf(path, "", "", "empty file: not a CUR export")
	}
	return cwlens.Inputf(path, "", fmt.Sprintf("%q", magic[:n]), "neither Parquet nor gzip-compressed CSV: not a CUR 2.0 export")
}
