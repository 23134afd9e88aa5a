package logtemplate

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cwlens/cwlens"
)

func TestReadMessages(t *testing.T) {
	in := "\ufeffplain line\r\n" +
		`{"timestamp":1,"message":"from json\tline"}` + "\n" +
		`{"level":"info","msg":"no message field"}` + "\n" +
		`{"level":"info","message":"an application's own JSON is the event"}` + "\n" +
		`{"timestamp":1,"message":42}` + "\n" +
		"\n" +
		"{not json at all\n" +
		"stray \xff byte\n" +
		"last without newline"
	var got []string
	err := ReadMessages(strings.NewReader(in), "f.log", func(n int, msg string) error {
		if n != len(got)+1 {
			t.Errorf("line %d after %d lines", n, len(got))
		}
		got = append(got, msg)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"plain line", "from json\tline", `{"level":"info","msg":"no message field"}`,
		`{"level":"info","message":"an application's own JSON is the event"}`, `{"timestamp":1,"message":42}`, "", "{not json at all", "stray \ufffd byte", "last without newline"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

func TestReadMessagesBadInput(t *testing.T) {
	tests := []struct{ name, in, where string }{
		{"too long", strings.Repeat("x", MaxLineBytes+10), "f.log: line 1: line longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ReadMessages(strings.NewReader(tt.in), "f.log", func(int, string) error { return nil })
			if !cwlens.IsInputError(err) || !strings.HasPrefix(err.Error(), tt.where) {
				t.Fatalf("err = %v, want InputError starting %q", err, tt.where)
			}
		})
	}
	stop := errors.New("stop")
	if err := ReadMessages(strings.NewReader("a\nb\n"), "f", func(int, string) error { return stop }); err != stop {
		t.Fatalf("fn error not passed through: %v", err)
	}
}

// FuzzReadMessages checks that the reader never panics, numbers lines
// consecutively, and returns valid UTF-8 messages (a JSON message may hold
// escaped line ends: a stack trace).
func FuzzReadMessages(f *testing.F) {
	f.Add("a\nb\r\n{\"message\":\"x\"}\n")
	f.Add(`{"message":"\u00e9\n"}`)
	f.Add("{\"message\":null}\n\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		n := 0
		err := ReadMessages(strings.NewReader(in), "fuzz", func(line int, msg string) error {
			n++
			if line != n {
				t.Fatalf("line %d, want %d", line, n)
			}
			if !utf8.ValidString(msg) {
				t.Fatalf("message %q is not valid UTF-8", msg)
			}
			m, _ := New(DefaultConfig())
			id := m.Add(msg)
			if r := m.Result(); id != NoCluster && r.Index(id, msg) < 0 {
				t.Fatalf("message %q lost its template", msg)
			}
			return nil
		})
		if err != nil && !cwlens.IsInputError(err) {
			t.Fatalf("non-input error %v", err)
		}
	})
}

func TestReadEvents(t *testing.T) {
	type ev struct {
		line int
		text string
	}
	tests := []struct {
		name, in string
		want     []ev
	}{
		{"java", "ERROR [main] c.e.Svc - Order 1 failed\njava.lang.IllegalStateException: stock\n\tat a.B.c(B.java:1)\nCaused by: x.Y: z\n\t... 3 more\nINFO next\n",
			[]ev{{1, "ERROR [main] c.e.Svc - Order 1 failed\njava.lang.IllegalStateException: stock\n\tat a.B.c(B.java:1)\nCaused by: x.Y: z\n\t... 3 more"}, {6, "INFO next"}}},
		{"python", "unhandled error\nTraceback (most recent call last):\n  File \"a.py\", line 3, in f\n    g()\nKeyError: 'amount'\nINFO next\n",
			[]ev{{1, "unhandled error\nTraceback (most recent call last):\n  File \"a.py\", line 3, in f\n    g()\nKeyError: 'amount'"}, {6, "INFO next"}}},
		{"go panic", "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\nexit status 2\n",
			[]ev{{1, "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d"}, {6, "exit status 2"}}},
		{"node", "Error: connect ECONNREFUSED\n    at a (x.js:1:2)\nnext\n",
			[]ev{{1, "Error: connect ECONNREFUSED\n    at a (x.js:1:2)"}, {3, "next"}}},
		{"held lines not claimed stay events", "one\n\nValueError: alone\ntwo\n",
			[]ev{{1, "one"}, {2, ""}, {3, "ValueError: alone"}, {4, "two"}}},
		{"plain lines", "a\nb\n", []ev{{1, "a"}, {2, "b"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []ev
			err := ReadEvents(strings.NewReader(tc.in), "f", func(n int, s string) error {
				got = append(got, ev{n, s})
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("event %d: %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// FuzzReadEvents checks that joining never loses or reorders lines: the
// events, split again, are the lines ReadMessages gives, and their first
// line numbers increase.
func FuzzReadEvents(f *testing.F) {
	f.Add("ERROR x\njava.lang.E: y\n\tat a\nnext\n")
	f.Add("panic: p\n\ngoroutine 1 [running]:\nmain.main()\n\t/a.go:1\n")
	f.Add("a\nTraceback (most recent call last):\n  File \"x\"\nKeyError: 'k'\n\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		var lines, joined []string
		if ReadMessages(strings.NewReader(in), "f", func(_ int, s string) error { lines = append(lines, s); return nil }) != nil {
			return
		}
		last := 0
		err := ReadEvents(strings.NewReader(in), "f", func(n int, s string) error {
			if n <= last {
				t.Fatalf("event at line %d after line %d", n, last)
			}
			last = n
			joined = append(joined, strings.Split(s, "\n")...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(joined, "\n") != strings.Join(lines, "\n") {
			t.Fatalf("lines %q\nevents split %q", lines, joined)
		}
	})
}
