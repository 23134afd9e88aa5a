package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// devPath matches what the product must never name: a path on a
// development machine or a tool of the development environment.
var devPath = regexp.MustCompile(`(?i)(/work/|\.\./shared|/tmp/|/home/|/root/|\.library|search tool|/Users/|aws-facts\.md|DESIGN\.md)`)

// TestNoDevelopmentPaths: the help of every command, the docs, the README
// and the price book (with the sources it is built from) name no path of a
// development machine and no development tool; every source is a URL a
// reader can open.
func TestNoDevelopmentPaths(t *testing.T) {
	texts := map[string]string{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		var b bytes.Buffer
		c.SetOut(&b)
		c.SetErr(io.Discard)
		if err := c.Help(); err != nil {
			t.Fatal(err)
		}
		texts["help of "+c.CommandPath()] = b.String()
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(io.Discard, io.Discard))
	if len(texts) < 8 {
		t.Fatalf("only %d commands' help read", len(texts))
	}
	files := []string{"../../README.md", "../../fixtures/karmacadabra-prod/README.md", "../../pricing/prices.json", "../../pricing/testdata/offers/sources.json"}
	docs, err := filepath.Glob("../../docs/*")
	if err != nil || len(docs) == 0 {
		t.Fatalf("docs: %v", err)
	}
	for _, f := range append(files, docs...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts[f] = string(data)
	}
	texts["cwlens prices"] = run(t, "prices").stdout
	for name, s := range texts {
		for _, line := range strings.Split(s, "\n") {
			if m := devPath.FindString(line); m != "" {
				t.Errorf("%s names %q: %s", name, m, strings.TrimSpace(line))
			}
		}
	}
}

// TestDevPathPattern: the check catches what it is for.
func TestDevPathPattern(t *testing.T) {
	for _, s := range []string{"see /work/shared/aws-facts.md", "../shared/benchdata", "found with the search tool", "--out /tmp/x.json", "/work/.library/env", "aws-facts.md §C", "the table of DESIGN.md"} {
		if !devPath.MatchString(s) {
			t.Errorf("%q not caught", s)
		}
	}
	for _, s := range []string{"https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonECS/current/us-east-1/index.json", "--out snap.json", "/aws/lambda/"} {
		if devPath.MatchString(s) {
			t.Errorf("%q caught", s)
		}
	}
}
