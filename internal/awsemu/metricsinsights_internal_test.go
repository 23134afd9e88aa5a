package awsemu

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseInsights(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want miQuery
		bad  bool
	}{
		{q: `SELECT SUM("Errors") FROM SCHEMA("App/Logs", "service", level)`, want: miQuery{stat: "Sum", metric: "Errors", namespace: "App/Logs", dims: []string{"level", "service"}}},
		{q: "select sum(Errors)\n from schema(App ,a)", want: miQuery{stat: "Sum", metric: "Errors", namespace: "App", dims: []string{"a"}}},
		{q: `SELECT SUM("a\"b\\c") FROM SCHEMA("n s")`, want: miQuery{stat: "Sum", metric: `a"b\c`, namespace: "n s"}},
		{q: `SELECT SUM(Errors) FROM App`, bad: true},
		{q: `SELECT SUM(Errors) FROM SCHEMA(App) WHERE a = 'b'`, bad: true},
		{q: `SELECT SUM("unterminated) FROM SCHEMA(App)`, bad: true},
		{q: `SELECT SUM(App/Logs) FROM SCHEMA(App)`, bad: true},
		{q: `SELECTSUM(a) FROM SCHEMA(App)`, bad: true},
		{q: `SELECT SUM("") FROM SCHEMA(App)`, bad: true},
	} {
		got, err := parseInsights(tc.q)
		if tc.bad {
			if err == nil {
				t.Errorf("%q: parsed as %+v, want an error", tc.q, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: %+v, %v; want %+v", tc.q, got, err, tc.want)
		}
	}
}

// FuzzParseInsights: the parser never panics, and a query it accepts,
// written back with every name quoted, parses to the same thing.
func FuzzParseInsights(f *testing.F) {
	f.Add(`SELECT SUM("Errors") FROM SCHEMA("App/Logs", "service", level)`)
	f.Add(`select sum(a) from schema(b)`)
	f.Add(`SELECT SUM("a\"b\\") FROM SCHEMA("\"")`)
	f.Fuzz(func(t *testing.T, q string) {
		got, err := parseInsights(q)
		if err != nil {
			return
		}
		quote := func(s string) string { return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"` }
		var b strings.Builder
		b.WriteString("SELECT SUM(" + quote(got.metric) + ") FROM SCHEMA(" + quote(got.namespace))
		for _, d := range got.dims {
			b.WriteString(", " + quote(d))
		}
		b.WriteString(")")
		again, err := parseInsights(b.String())
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("%q → %+v; written back %q → %+v, %v", q, got, b.String(), again, err)
		}
	})
}
