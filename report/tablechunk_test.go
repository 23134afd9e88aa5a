package report

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
)

// hostileCells are cell texts whose width go-pretty works out with care:
// wide and zero-width runes, escapes, tabs, line breaks, long words.
var hostileCells = []string{
	"", "a", "/ecs/karmacadabra-prod/facilitator", "漢字のロググループ", "🙂 emoji", "e\u0301 combining",
	"tab\there", "cr\r\nlf", "two\nlines", "trailing ", text.Colors{text.FgRed, text.Bold}.Sprint("red"),
	"supercalifragilisticexpialidocious-and-then-some-more", "a summary with several words that wraps somewhere",
	"pipe | in it", "$1,234.56", "—",
}

// randomTable makes a table of n rows of cols columns from hostileCells.
func randomTable(rng *rand.Rand, n, cols int) (header, footer table.Row, rows []table.Row) {
	cell := func() any { return hostileCells[rng.IntN(len(hostileCells))] }
	for c := range cols {
		header = append(header, fmt.Sprintf("col %d", c+1))
		footer = append(footer, cell())
	}
	for range n {
		row := make(table.Row, cols)
		for c := range row {
			row[c] = cell()
		}
		rows = append(rows, row)
	}
	return header, footer, rows
}

// wholeTable is go-pretty's own rendering of the whole table: what the
// chunks must reproduce.
func wholeTable(c *chunked, rows []table.Row, l layout) table.Writer {
	t := table.NewWriter()
	t.SetStyle(c.style)
	t.SetTitle("%s", c.title)
	if c.header != nil {
		t.AppendHeader(c.header)
	}
	t.AppendRows(rows)
	if c.footer != nil {
		t.AppendFooter(c.footer)
	}
	t.SetColumnConfigs(l.cfg)
	t.SetAllowedRowLength(l.length)
	return t
}

// testChunk is the tests' chunk size: a few rows, so that a table of tens
// of rows spans several chunks.
const testChunk = 16

func TestChunkedIsGoPretty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	layouts := []layout{
		{},
		{cfg: []table.ColumnConfig{{Number: 2, WidthMax: 12, WidthMaxEnforcer: text.WrapSoft}, {Number: 3, Align: text.AlignRight, AlignFooter: text.AlignRight}}},
		{cfg: []table.ColumnConfig{{Number: 1, WidthMax: 20, WidthMaxEnforcer: text.WrapSoft}, {Name: "col 2", Hidden: true}, {Number: 2, Align: text.AlignRight}}},
		{cfg: []table.ColumnConfig{{Name: "col 4", WidthMax: 16, WidthMaxEnforcer: text.WrapSoft}, {Name: "col 1", Hidden: true}}, length: 40},
		{cfg: []table.ColumnConfig{{Number: 3, WidthMax: 8}}, length: 25},
	}
	styles := map[string]table.Style{"report": style(newPalette(false)), "colour": style(newPalette(true)), "summary": summaryStyle(newPalette(true))}
	// Chunks of testChunk rows cross their boundaries as chunkRows would;
	// the last size runs at chunkRows itself, once.
	sizes := []struct{ rows, chunk int }{{0, testChunk}, {1, testChunk}, {testChunk - 1, testChunk},
		{testChunk, testChunk}, {2*testChunk + 3, testChunk}, {chunkRows + 1, 0}}
	for _, size := range sizes {
		n := size.rows
		header, footer, rows := randomTable(rng, n, 4)
		for name, st := range styles {
			for li, l := range layouts {
				if size.chunk == 0 && (name != "report" || li != 1) {
					continue
				}
				for _, title := range []string{"", "A title long enough to wrap when the table is narrow"} {
					c := &chunked{header: header, footer: footer, body: slices.Values(rows), title: title, style: st, chunk: size.chunk}
					if li == 0 && title == "" {
						c.footer = nil
					}
					want := wholeTable(c, rows, l).Render() + "\n"
					var got strings.Builder
					if err := c.render(l, lineWriter(&got)); err != nil {
						t.Fatal(err)
					}
					if got.String() != want {
						t.Errorf("%d rows, style %s, layout %d, title %q: the chunks differ from go-pretty's table\n%s", n, name, li, title, firstDiff(got.String(), want))
					}
				}
			}
		}
	}
}

func TestChunkedMarkdownIsGoPretty(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, testChunk, 2*testChunk + 3} {
		header, footer, rows := randomTable(rng, n, 5)
		cfg := []table.ColumnConfig{{Number: 2, Align: text.AlignRight}, {Name: "col 5", Align: text.AlignCenter}}
		c := &chunked{header: header, footer: footer, body: slices.Values(rows), chunk: testChunk}
		w := table.NewWriter()
		w.AppendHeader(header)
		w.AppendRows(rows)
		w.AppendFooter(footer)
		w.SetColumnConfigs(cfg)
		want := w.RenderMarkdown() + "\n"
		var got strings.Builder
		if err := c.renderMarkdown(cfg, lineWriter(&got)); err != nil {
			t.Fatal(err)
		}
		if got.String() != want {
			t.Errorf("%d rows: the chunks differ from go-pretty's Markdown\n%s", n, firstDiff(got.String(), want))
		}
	}
}

// TestChunkedFitMeasuresTheTable checks that fit, which measures the table
// a chunk at a time, lays out a table of many chunks as the terminal width
// asks: no line wider than it.
func TestChunkedFitMeasuresTheTable(t *testing.T) {
	header, footer, rows := randomTable(rand.New(rand.NewPCG(5, 6)), 3*testChunk, 4)
	sec := section{tab: chunked{header: header, footer: footer, body: slices.Values(rows), style: style(palette{}), chunk: testChunk},
		cfg:  []table.ColumnConfig{{Number: 4, WidthMax: 40, WidthMaxEnforcer: text.WrapSoft}},
		drop: []string{"col 2", "col 3"}}
	for _, width := range []int{0, 200, 90, 60, 30} {
		l := sec.fit(width)
		want := wholeTable(&sec.tab, rows, l).Render() + "\n"
		var got strings.Builder
		if err := sec.tab.render(l, lineWriter(&got)); err != nil {
			t.Fatal(err)
		}
		if got.String() != want {
			t.Fatalf("width %d: the chunks differ from go-pretty's table\n%s", width, firstDiff(got.String(), want))
		}
		if width > 0 {
			if w := sec.width(l); w > width {
				t.Errorf("width %d: the table is %d columns wide", width, w)
			}
		}
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}
