package cwlens_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
)

func TestRoundTrip(t *testing.T) {
	s, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "snap.json")
	if err := cwlens.WriteSnapshot(path, s); err != nil {
		t.Fatal(err)
	}
	back, err := cwlens.ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := cwlens.EncodeSnapshot(s)
	b, _ := cwlens.EncodeSnapshot(back)
	if !bytes.Equal(a, b) {
		t.Fatal("snapshot changed in a write/read round trip")
	}
	written, _ := os.ReadFile(path)
	if !bytes.Equal(written, fixtures.ReferenceJSON()) {
		t.Fatal("WriteSnapshot of the reference differs from the committed file")
	}
}
