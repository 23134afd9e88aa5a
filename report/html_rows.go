package report

import (
	"html/template"
	"strings"
)

// The two tables that grow with the account — the log groups and the
// projection's lines, tens of thousands of rows — are built here in Go, a
// row at a time, rather than cell by cell in html.tmpl: the template
// engine's reflection and escaping per value made the page take several
// times as long as the JSON. The output is what the template wrote, byte
// for byte (html_rows_test.go holds the template it replaces).

// escapeHTML appends s escaped as html/template escapes a string in text
// and in a quoted attribute value (its htmlReplacementTable): NUL becomes
// U+FFFD and " & ' + < > character references; nothing else changes.
func escapeHTML(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(repl)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// writeCell writes f as the "num" template does: a numeric cell naming
// where the JSON holds the figure.
func (f figure) writeCell(b *strings.Builder) {
	b.WriteString(`<td class="num`)
	if f.Class != "" {
		b.WriteByte(' ')
		escapeHTML(b, f.Class)
	}
	b.WriteString(`" data-json="`)
	escapeHTML(b, f.JSON)
	b.WriteString(`">`)
	f.writeFigure(b)
	b.WriteString(`</td>`)
}

// writeFigure writes f as the "fig" template does.
func (f figure) writeFigure(b *strings.Builder) {
	if f.Value == "" {
		b.WriteString(`<span class="unknown">`)
		escapeHTML(b, f.Text)
		b.WriteString(`</span>`)
		return
	}
	b.WriteString(`<data value="`)
	escapeHTML(b, f.Value)
	b.WriteString(`">`)
	escapeHTML(b, f.Text)
	b.WriteString(`</data>`)
	if f.Unknown != "" {
		b.WriteString(` <span class="unknown">`)
		escapeHTML(b, f.Unknown)
		b.WriteString(`</span>`)
	}
}

// Row is the group's row of the top log groups table.
func (g *groupView) Row() template.HTML {
	var b strings.Builder
	b.Grow(512)
	b.WriteString(`<tr><th scope="row" class="name">`)
	escapeHTML(&b, g.Name)
	b.WriteString(`</th><td>`)
	escapeHTML(&b, g.Class)
	b.WriteString(`</td><td>`)
	escapeHTML(&b, g.Retention)
	b.WriteString(`</td>`)
	g.Stored.writeCell(&b)
	g.LastDay.writeCell(&b)
	if g.Monthly != nil {
		g.Monthly.writeCell(&b)
	} else {
		b.WriteString(`<td class="num"><span class="unknown">not priced</span></td>`)
	}
	b.WriteString(`</tr>`)
	return template.HTML(b.String()) // every value above is escaped
}

// Body is the subject's tbody of the projection table: its heading row,
// then each line, with a row saying why under a line that has a change or
// a note.
func (lg *lineGroup) Body() template.HTML {
	var b strings.Builder
	b.Grow(256 + 1024*len(lg.lines))
	b.WriteString(`<tbody><tr class="subject"><th scope="rowgroup" colspan="7" class="name">`)
	escapeHTML(&b, lg.Subject)
	b.WriteString("</th></tr>\n")
	for _, i := range lg.lines {
		lv := newLineView(i, &lg.proj.Lines[i])
		l := &lv.Line
		why := l.Change != "" || l.Note != ""
		b.WriteString(`<tr`)
		if why {
			b.WriteString(` class="has-why"`)
		}
		b.WriteString(`><td>`)
		escapeHTML(&b, l.Component)
		b.WriteString(`</td><td class="usage">`)
		escapeHTML(&b, l.UsageType)
		if lv.Moves {
			b.WriteString(`<br>→ `)
			escapeHTML(&b, l.ProposedUsageType)
		}
		b.WriteString(`</td>`)
		lv.CurrentQuantity.writeCell(&b)
		lv.ProposedQuantity.writeCell(&b)
		lv.CurrentMonthly.writeCell(&b)
		lv.ProposedMonthly.writeCell(&b)
		lv.Delta.writeCell(&b)
		b.WriteString("</tr>\n")
		if why {
			b.WriteString(`<tr class="why"><td></td><td colspan="6">`)
			if l.Change != "" {
				b.WriteString(`<strong>`)
				escapeHTML(&b, l.Change)
				b.WriteString(`</strong>`)
			}
			if l.Change != "" && l.Note != "" {
				b.WriteString(`: `)
			}
			escapeHTML(&b, l.Note)
			b.WriteString("</td></tr>\n")
		}
	}
	b.WriteString(`</tbody>`)
	return template.HTML(b.String()) // every value above is escaped
}
