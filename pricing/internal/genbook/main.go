// Command genbook rebuilds the embedded price book, pricing/prices.json,
// from the AWS Price List offer files under pricing/testdata/offers. It runs
// under `go generate ./pricing`.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cwlens/cwlens/pricing/pricelist"
)

func main() {
	offers := flag.String("offers", "testdata/offers", "the offers directory")
	out := flag.String("out", "prices.json", "the price book to write")
	flag.Parse()
	if err := run(*offers, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genbook:", err)
		os.Exit(1)
	}
}

func run(offers, out string) error {
	book, err := pricelist.BuildBook(os.DirFS(offers))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := book.WriteJSON(&b); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".prices-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}
