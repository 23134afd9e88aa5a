package report

import (
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
)

// chunkRows is how many body rows go-pretty renders at a time for a table
// that grows with the account. go-pretty's Render builds the whole table
// as one string beside its own copies of every cell; a table of 50,000
// log groups or 100,000 projection lines cost hundreds of megabytes that
// way.
const chunkRows = 1024

// chunked renders a table whose body is made a row at a time (body may be
// called any number of times and yields the same rows each time) exactly
// as go-pretty renders the whole table, chunkRows rows at a time:
//
//   - A first pass over the body finds each column's width as go-pretty
//     does (the longest line of the cell's text, at most the column's
//     WidthMax); every chunk is then rendered with those widths as its
//     columns' WidthMin, so its lines are the whole table's lines.
//   - The first chunk carries the title and the header, the last one the
//     footer; the borders a chunk draws where the whole table has none
//     (the bottom of all but the last, the top of all but the first) are
//     left out.
//
// Every cell must be a string, as every cell of the report's tables is.
type chunked struct {
	header, footer table.Row
	body           iter.Seq[table.Row]
	title          string
	style          table.Style
	// chunk is how many body rows go-pretty renders at a time; 0 is
	// chunkRows. Tests set a few, to cross chunk boundaries with tables of
	// tens of rows rather than thousands.
	chunk int
}

// chunkSize is how many body rows make a chunk of c.
func (c *chunked) chunkSize() int {
	if c.chunk > 0 {
		return c.chunk
	}
	return chunkRows
}

// layout is how a table is drawn: its column configurations (go-pretty's,
// by number or by header name; a later one for a column replaces an
// earlier one, as in go-pretty) and the allowed row length (0: none).
type layout struct {
	cfg    []table.ColumnConfig
	length int
}

// render writes the table's lines to emit, a chunk at a time, each line
// without its newline.
func (c *chunked) render(l layout, emit func(lines []string) error) error {
	cfg := c.resolve(l.cfg)
	widths := c.widths(cfg)
	for i := range cfg {
		cfg[i].WidthMin = widths[cfg[i].Number-1]
	}
	border := c.style.Options.DrawBorder
	return c.chunks(func(rows []table.Row, first, last bool) error {
		t := table.NewWriter()
		t.SetStyle(c.style)
		t.SetColumnConfigs(cfg)
		t.SetAllowedRowLength(l.length)
		if first {
			t.SetTitle("%s", c.title)
		}
		c.appendRows(t, rows, first, last)
		lines := strings.Split(t.Render(), "\n")
		if border && !first {
			lines = lines[1:] // the top border of a chunk in the middle
		}
		if border && !last {
			lines = lines[:len(lines)-1] // its bottom border
		}
		return emit(lines)
	})
}

// chunks calls draw with the body's rows, c.chunkSize() at a time (the rows
// are reused once draw returns), saying which chunk is the first and which
// the last. An empty body is one chunk, both first and last.
func (c *chunked) chunks(draw func(rows []table.Row, first, last bool) error) error {
	var rows []table.Row
	first := true
	for row := range c.body {
		if len(rows) == c.chunkSize() {
			if err := draw(rows, first, false); err != nil {
				return err
			}
			first, rows = false, rows[:0]
		}
		rows = append(rows, row)
	}
	return draw(rows, first, true)
}

// appendRows gives t a chunk's rows, with the header when it is the first
// chunk and the footer when it is the last.
func (c *chunked) appendRows(t table.Writer, rows []table.Row, first, last bool) {
	if first && c.header != nil {
		t.AppendHeader(c.header)
	}
	if last && c.footer != nil {
		t.AppendFooter(c.footer)
	}
	t.AppendRows(rows)
}

// resolve returns one configuration per column, numbered, in column order:
// go-pretty's own rule (a config names its column by number, or by a
// header cell; the later of two for a column wins) applied once, so that
// chunks without the header find their columns too.
func (c *chunked) resolve(cfgs []table.ColumnConfig) []table.ColumnConfig {
	out := make([]table.ColumnConfig, len(c.header))
	for i := range out {
		out[i].Number = i + 1
	}
	for _, cc := range cfgs {
		n := cc.Number
		if n == 0 {
			for i, h := range c.header {
				if fmt.Sprint(h) == cc.Name {
					n = i + 1
					break
				}
			}
		}
		if n > 0 && n <= len(out) {
			cc.Number, cc.Name = n, ""
			out[n-1] = cc
		}
	}
	return out
}

// widths returns each column's width in go-pretty's terms: the longest
// line of any of its cells, at most its WidthMax (hidden columns too; they
// are not drawn).
func (c *chunked) widths(cfg []table.ColumnConfig) []int {
	w := make([]int, len(cfg))
	measure := func(row table.Row) {
		for i, cell := range row {
			if i >= len(w) {
				break
			}
			n := text.LongestLineLen(cellText(cell))
			if m := cfg[i].WidthMax; m > 0 && m < n {
				n = m
			}
			w[i] = max(w[i], n)
		}
	}
	measure(c.header)
	for row := range c.body {
		measure(row)
	}
	measure(c.footer)
	return w
}

// cellText is a cell's text as go-pretty lays it out: tabs as four spaces,
// carriage returns resolved.
func cellText(cell any) string {
	s, ok := cell.(string)
	if !ok {
		s = fmt.Sprint(cell)
	}
	return text.ProcessCRLF(strings.ReplaceAll(s, "\t", "    "))
}

// renderMarkdown writes the table in Markdown as go-pretty's
// RenderMarkdown does, a chunk at a time: Markdown cells are not padded,
// so a chunk's lines need no widths.
func (c *chunked) renderMarkdown(cfg []table.ColumnConfig, emit func(lines []string) error) error {
	cfg = c.resolve(cfg)
	return c.chunks(func(rows []table.Row, first, last bool) error {
		t := table.NewWriter()
		t.SetColumnConfigs(cfg)
		c.appendRows(t, rows, first, last)
		return emit(strings.Split(t.RenderMarkdown(), "\n"))
	})
}

// lineWriter emits lines to w, each followed by a newline.
func lineWriter(w io.StringWriter) func([]string) error {
	return func(lines []string) error {
		for _, l := range lines {
			if _, err := w.WriteString(l); err != nil {
				return err
			}
			if _, err := w.WriteString("\n"); err != nil {
				return err
			}
		}
		return nil
	}
}

// widthOf returns a func that emits nothing and records in *w the widest
// line, in terminal columns.
func widthOf(w *int) func([]string) error {
	return func(lines []string) error {
		for _, l := range lines {
			*w = max(*w, text.RuneWidthWithoutEscSequences(l))
		}
		return nil
	}
}
