package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// maxAlloc bounds what any hostile input may make cwlens allocate, in all
// (so its peak heap too).
const maxAlloc = 256 << 20

// hostileCase is one bad input given to Run: it must exit 2 with one line
// naming what is wrong (and nothing on stdout), or exit 0 with a correct
// report, within maxAlloc bytes allocated.
type hostileCase struct {
	name string
	args []string
	code int
	want []string // substrings of stderr (exit 2) or stdout (exit 0)
	not  []string // never in stdout
	// usage: a mistake in the command line, whose line is followed by a
	// pointer to --help.
	usage bool
}

// TestHostileInputs runs the corpus under testdata/bad, and inputs made
// here that are too big to keep in the repository, through Run.
func TestHostileInputs(t *testing.T) {
	bad := func(f string) string { return filepath.Join("testdata", "bad", f) }
	dir := t.TempDir()
	cases := []hostileCase{
		{name: "missing services", args: []string{"report", bad("missing_services.json")}, code: exitFailed,
			want: []string{"missing_services.json: services: missing (required; [] for none)"}},
		{name: "a value of 1e307 bytes", args: []string{"report", bad("value_1e307.json")}, code: exitFailed,
			want: []string{"log_groups[0].daily_incoming_bytes.values[2]: 1e+307: above 9.007199254740992e+15"}},
		{name: "every value 1e308", args: []string{"report", bad("values_1e308.json"), "--format", "json"}, code: exitFailed,
			want: []string{"daily_incoming_bytes.values[0]: 1e+308"}},
		{name: "a daily series by the second", args: []string{"report", bad("daily_period_1s.json")}, code: exitFailed,
			want: []string{"log_groups[0].daily_incoming_bytes.period_seconds: 1: want 86400 (1 day)"}},
		{name: "1e18 desired tasks", args: []string{"report", bad("desired_1e18.json")}, code: exitFailed,
			want: []string{"services[0].desired_count: 1000000000000000000: above ECS's 5000 tasks per service"}},
		{name: "a 51-character account name", args: []string{"report", bad("account_name_51.json")}, code: exitFailed,
			want: []string{"account_name: 51 characters: longer than 50"}},
		{name: "a duplicate region", args: []string{"report", bad("duplicate_region.json")}, code: exitFailed,
			want: []string{"duplicate_region.json", "region", "duplicate"}},
		{name: "invalid UTF-8", args: []string{"report", bad("invalid_utf8.json")}, code: exitFailed,
			want: []string{"invalid_utf8.json", "UTF-8"}},
		{name: "a gzip file", args: []string{"report", bad("gzip.json")}, code: exitFailed,
			want: []string{"gzip.json: not a snapshot: want a JSON object, the file starts with byte 0x1f"}},
		{name: "a byte-order mark", args: []string{"report", bad("bom.json")}, code: exitOK, want: []string{"/ecs/small/api"}},
		{name: "escape sequences in the account name", args: []string{"report", bad("escapes_in_name.json")}, code: exitOK,
			want: []string{`acme\x1b]0;pwned\a\x1b[2J\u202e (123456789012)`}, not: []string{"\x1b]", "\a", "\u202e"}},
		{name: "escape sequences in Markdown", args: []string{"report", bad("escapes_in_name.json"), "--format", "markdown"}, code: exitOK,
			want: []string{`# cwlens report · acme\\x1b\]0;pwned\\a`}, not: []string{"\x1b", "\a", "\u202e"}},
		{name: "2^63-1 desired tasks in a scenario", args: []string{"project", small, "--scenario", bad("desired_max.yaml")}, code: exitFailed,
			want: []string{"desired_max.yaml: line 3: 9223372036854775807: want a whole number of tasks, 0 to 5000"}},
		{name: "another account's state", args: []string{"report", small, "--state", bad("other_account.state.json"), "--fail-on", "high"}, code: exitFailed,
			want: []string{"other_account.state.json: the state belongs to another account or Region: it holds account 210987654321"}},
		{name: "NaN in detect", args: []string{"detect", bad("nan.csv")}, code: exitFailed, want: []string{"nan.csv: line 3 value: NaN: not a finite number"}},
		{name: "unsorted detect", args: []string{"detect", bad("unsorted.csv")}, code: exitFailed, want: []string{"unsorted.csv: row 2 timestamp: 2014-04-01 00:00:00: not after"}},
		{name: "a repeated time in detect", args: []string{"detect", bad("duplicate_time.csv")}, code: exitFailed, want: []string{"duplicate_time.csv: row 2 timestamp"}},
		{name: "an empty --fail-on", args: []string{"report", small, "--fail-on", ""}, code: exitFailed, usage: true,
			want: []string{`invalid argument "" for "--fail-on" flag: must not be empty`}},
		{name: "an empty --sensitivity", args: []string{"report", small, "--sensitivity", ""}, code: exitFailed, usage: true,
			want: []string{`invalid argument "" for "--sensitivity" flag: must not be empty`}},
	}
	cases = append(cases, generated(t, dir)...)
	for _, c := range cases {
		t.Run(c.name, c.check)
	}
}

// generated makes the inputs too big for the repository.
func generated(t *testing.T, dir string) []hostileCase {
	t.Helper()
	write := func(name string, size int64, fill func(*os.File) error) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := fill(f); err != nil {
			t.Fatal(err)
		}
		if size > 0 {
			if err := f.Truncate(size); err != nil { // sparse: no disk
				t.Fatal(err)
			}
		}
		return p
	}
	sparse := write("huge.json", 2<<30, func(*os.File) error { return nil })
	longName := write("long_name.json", 0, func(f *os.File) error {
		_, err := f.WriteString(`{"schema_version": 1, "account_id": "123456789012", "account_name": "` + strings.Repeat("a", 20<<20) + `"}`)
		return err
	})
	blank := write("blank.json", 0, func(f *os.File) error {
		_, err := f.WriteString(strings.Repeat(" \n", 5<<20))
		return err
	})
	manyLines := write("lines.log", 0, func(f *os.File) error {
		_, err := f.WriteString("x" + strings.Repeat("y", 5<<20) + "\n")
		return err
	})
	cases := []hostileCase{
		{name: "a 2 GiB snapshot", args: []string{"report", sparse}, code: exitFailed, want: []string{"huge.json: larger than 1 GiB, the limit for a snapshot"}},
		{name: "a 20 MB account name", args: []string{"report", longName}, code: exitFailed,
			want: []string{"long_name.json: offset 68: a string longer than 8 MiB"}},
		{name: "10 MB of white space", args: []string{"report", blank}, code: exitFailed, want: []string{"blank.json: offset 8388608: more than 8 MiB of white space in a row"}},
		{name: "a 5 MB log line", args: []string{"patterns", "--lines", manyLines}, code: exitFailed, want: []string{"lines.log: line 1: line longer than"}},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases = append(cases, hostileCase{name: "/dev/zero", args: []string{"report", "/dev/zero"}, code: exitFailed,
			want: []string{"/dev/zero: not a snapshot: want a JSON object, the file starts with byte 0x00"}})
	}
	return cases
}

func (c hostileCase) check(t *testing.T) {
	var out, errb bytes.Buffer
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code := Run(context.Background(), c.args, &out, &errb)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("exit %d, %.1f MB allocated", code, float64(alloc)/1e6)
	if alloc > maxAlloc {
		t.Errorf("allocated %d MB, more than %d MB", alloc>>20, maxAlloc>>20)
	}
	if code != c.code {
		t.Fatalf("exit %d, want %d; stderr %q", code, c.code, errb.String())
	}
	got := out.String()
	if c.code == exitFailed {
		got = errb.String()
		lines := 1
		if c.usage {
			lines = 2
		}
		if out.Len() != 0 || strings.Count(got, "\n") != lines {
			t.Errorf("want one line on stderr and nothing on stdout; stdout %d bytes, stderr %q", out.Len(), got)
		}
	}
	for _, w := range c.want {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q:\n%.2000s", w, got)
		}
	}
	for _, n := range c.not {
		if strings.Contains(out.String(), n) {
			t.Errorf("stdout holds %q raw", n)
		}
	}
}
