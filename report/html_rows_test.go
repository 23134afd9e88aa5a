package report

import (
	"html/template"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

// rowTemplates are the rows as html.tmpl wrote them before they were built
// in Go: Row and Body must write the same bytes.
var rowTemplates = template.Must(template.New("rows").Parse(`
{{- define "num"}}<td class="num{{with .Class}} {{.}}{{end}}" data-json="{{.JSON}}">{{template "fig" .}}</td>{{end -}}
{{define "fig"}}{{if .Value}}<data value="{{.Value}}">{{.Text}}</data>{{with .Unknown}} <span class="unknown">{{.}}</span>{{end}}{{else}}<span class="unknown">{{.Text}}</span>{{end}}{{end -}}
{{define "group"}}<tr><th scope="row" class="name">{{.Name}}</th><td>{{.Class}}</td><td>{{.Retention}}</td>{{template "num" .Stored}}{{template "num" .LastDay}}{{with .Monthly}}{{template "num" .}}{{else}}<td class="num"><span class="unknown">not priced</span></td>{{end}}</tr>{{end -}}
{{define "lines"}}<tbody><tr class="subject"><th scope="rowgroup" colspan="7" class="name">{{.Subject}}</th></tr>
{{range .Lines}}<tr{{if or .Line.Change .Line.Note}} class="has-why"{{end}}><td>{{.Line.Component}}</td><td class="usage">{{.Line.UsageType}}{{if .Moves}}<br>→ {{.Line.ProposedUsageType}}{{end}}</td>{{template "num" .CurrentQuantity}}{{template "num" .ProposedQuantity}}{{template "num" .CurrentMonthly}}{{template "num" .ProposedMonthly}}{{template "num" .Delta}}</tr>
{{if or .Line.Change .Line.Note}}<tr class="why"><td></td><td colspan="6">{{with .Line.Change}}<strong>{{.}}</strong>{{end}}{{if and .Line.Change .Line.Note}}: {{end}}{{.Line.Note}}</td></tr>
{{end}}{{end}}</tbody>{{end}}`))

func execRow(t *testing.T, name string, data any) string {
	t.Helper()
	var b strings.Builder
	if err := rowTemplates.ExecuteTemplate(&b, name, data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// hostile holds every character html/template escapes, a non-character,
// invalid UTF-8 and a line break.
const hostile = "a<b>&c\"d'e+f\x00g\uFDD0h\xffi\n</td><script>"

func TestRowsMatchTheTemplate(t *testing.T) {
	unknown := figure{JSON: "/x", Text: "unknown"}
	priced := usdFigure("/projection/lines/0/current_monthly_usd /projection/lines/3/current_monthly_usd", decimal.RequireFromString("1234.5678"))
	odd := figure{JSON: hostile, Value: hostile, Text: hostile, Class: hostile, Unknown: hostile}
	groups := []groupView{
		{Name: "/ecs/api", Class: cwlens.ClassStandard, Retention: "30 days",
			Stored: bytesFigure("/inventory/log_groups/0/stored_bytes", 123456789), LastDay: bytesPtrFigure("/inventory/log_groups/0/last_day_ingested_bytes", nil), Monthly: &priced},
		{Name: hostile, Class: hostile, Retention: hostile, Stored: odd, LastDay: unknown},
		{},
	}
	for i := range groups {
		if got, want := string(groups[i].Row()), execRow(t, "group", groups[i]); got != want {
			t.Errorf("group %d:\ngot  %q\nwant %q", i, got, want)
		}
	}
	line := func(subject, change, note, usage, proposed string) ProjectionLine {
		return ProjectionLine{ProjectionLine: cwlens.ProjectionLine{Subject: subject, Component: "ingestion", UsageType: usage,
			ProposedUsageType: proposed, Change: change, Note: note,
			CurrentQuantity: decimal.RequireFromString("2920.00041"), CurrentMonthly: decimal.RequireFromString("10"),
			ProposedMonthly: decimal.RequireFromString("2.5")}, Delta: decimal.RequireFromString("-7.5")}
	}
	proj := &Projection{Lines: []ProjectionLine{
		line("cluster/svc", "", "", "USE1-Fargate-vCPU-Hours:perCPU", ""),
		line(hostile, hostile, hostile, hostile, hostile+"x"),
		line("cluster/svc", "retention 30 → 7 days", "", "USE1-TimedStorage-ByteHrs", ""),
		line("cluster/svc", "", "assumes the same volume", "USE1-DataProcessing-Bytes", "USE1-DataProcessingIA-Bytes"),
		line("cluster/svc", "class → IA", "cheaper", "USE1-DataProcessing-Bytes", "USE1-DataProcessingIA-Bytes"),
	}}
	lineGroups := []lineGroup{
		{Subject: "cluster/svc", lines: []int{0, 2, 3, 4}, proj: proj},
		{Subject: hostile, lines: []int{1}, proj: proj},
		{Subject: "empty", proj: proj},
	}
	for i, lg := range lineGroups {
		// What the template was given: every line's view, made up front.
		old := struct {
			Subject string
			Lines   []lineView
		}{Subject: lg.Subject}
		for _, j := range lg.lines {
			old.Lines = append(old.Lines, newLineView(j, &proj.Lines[j]))
		}
		if got, want := string(lineGroups[i].Body()), execRow(t, "lines", old); got != want {
			t.Errorf("line group %d:\ngot  %q\nwant %q", i, got, want)
		}
	}
}
