package cwlens_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
)

// TestReadLimited: a file over its limit is refused with one line naming
// it, whether its size is known (a regular file, refused unread) or not (a
// stream, read up to the limit and no further).
func TestReadLimited(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: 2 GiB that take no disk and must not be read.
	if err := f.Truncate(cwlens.MaxSnapshotBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = cwlens.ReadSnapshot(big)
	var tl *cwlens.TooLargeError
	if !errors.As(err, &tl) || !cwlens.IsInputError(err) || err.Error() != big+": larger than 1 GiB, the limit for a snapshot: not a snapshot" {
		t.Errorf("a snapshot over the limit: %v", err)
	}

	// A stream of unknown length is read up to the limit.
	r := io.MultiReader(strings.NewReader("{"), strings.NewReader(strings.Repeat(" ", 100)))
	if _, err := cwlens.ReadAllLimited(r, "s", 50, "scenario"); err == nil || err.Error() != "s: larger than 50 bytes, the limit for a scenario: not a scenario" {
		t.Errorf("a stream over the limit: %v", err)
	}
	lr := cwlens.LimitReader(strings.NewReader(strings.Repeat("x", 100)), "lines", 99, "time series")
	if _, err := io.ReadAll(lr); err == nil || !strings.Contains(err.Error(), "lines: larger than 99 bytes") {
		t.Errorf("LimitReader over its limit: %v", err)
	}
	lr = cwlens.LimitReader(strings.NewReader(strings.Repeat("x", 99)), "lines", 99, "time series")
	if b, err := io.ReadAll(lr); err != nil || len(b) != 99 {
		t.Errorf("LimitReader at its limit: %d bytes, %v", len(b), err)
	}
}

// TestReadSnapshotStart: a file that does not start like JSON is refused
// after its first bytes (so /dev/zero is not read to the limit), naming the
// byte; a UTF-8 byte-order mark is skipped.
func TestReadSnapshotStart(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err == nil {
		_, err := cwlens.ReadSnapshot("/dev/zero")
		if err == nil || err.Error() != "/dev/zero: not a snapshot: want a JSON object, the file starts with byte 0x00" {
			t.Errorf("/dev/zero: %v", err)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "x.gz")
	os.WriteFile(bin, []byte{0x1f, 0x8b, 8, 0}, 0o644)
	if _, err := cwlens.ReadSnapshot(bin); err == nil || !strings.HasSuffix(err.Error(), "the file starts with byte 0x1f") {
		t.Errorf("gzip: %v", err)
	}
	good, err := os.ReadFile("testdata/good.json")
	if err != nil {
		t.Fatal(err)
	}
	bom := filepath.Join(dir, "bom.json")
	os.WriteFile(bom, append([]byte("\xef\xbb\xbf"), good...), 0o644)
	if _, err := cwlens.ReadSnapshot(bom); err != nil {
		t.Errorf("a snapshot with a byte-order mark: %v", err)
	}
	if _, err := cwlens.DecodeSnapshot(strings.NewReader("\xef\xbb\xbf"+string(good)), "stdin"); err != nil {
		t.Errorf("a stream with a byte-order mark: %v", err)
	}
}

// TestStringLimitReader: strings are measured between unescaped quotes
// (an escaped quote does not end one), and white space in a row likewise.
func TestStringLimitReader(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // "" = read whole
	}{
		{`{"a": "12345678", "b": "1234"}`, ""},
		{`{"a": "123456789"}`, "f: offset 6: a string longer than 8 bytes"},
		{`{"a": "12\"45678", "b": "x"}`, "f: offset 6: a string longer than 8 bytes"},
		{`{"a": "12\\", "b": "1234567"}`, ""},
		{"{\n      \n}", ""},
		{"{\n       \n}", "f: offset 9: more than 8 bytes of white space in a row"},
	} {
		_, err := io.ReadAll(cwlens.StringLimitReader(strings.NewReader(c.in), "f", 8))
		if (err == nil) != (c.want == "") || (err != nil && !strings.HasPrefix(err.Error(), c.want)) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
}
