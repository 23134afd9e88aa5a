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
