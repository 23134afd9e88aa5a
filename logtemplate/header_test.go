package logtemplate

import (
	"fmt"
	"strings"
	"testing"
)

// headerLines writes n lines of a format, each with one of four messages
// and a different time, request id, thread, host and pid.
func headerLines(format string, n int) []string {
	msgs := []string{"order placed", "payment captured for order 42", "cache refreshed in 12 ms", "retrying upstream call"}
	threads := []string{"main", "http-nio-8080-exec-3", "pool worker 2", "scheduler"}
	out := make([]string, n)
	for i := range out {
		r := strings.NewReplacer(
			"TS", fmt.Sprintf("2026-12-07T19:%02d:%02d.%03dZ", i%60, (i*7)%60, i),
			"DATE", "2026-12-07", "TIME", fmt.Sprintf("19:%02d:%02d,%03d", i%60, (i*7)%60, i),
			"REQ", fmt.Sprintf("%08x-1c2d-4e5f-8a9b-%012x", i*7919, i),
			"THREAD", threads[i%4], "HOST", []string{"web-1", "web-2", "api"}[i%3],
			"PID", fmt.Sprint(1000+i%17), "LVL", []string{"INFO", "WARN", "ERROR"}[i%3],
			"MSG", msgs[i%4])
		out[i] = r.Replace(format)
	}
	return out
}

func TestLearnHeader(t *testing.T) {
	tests := []struct {
		name, format string
		level        bool // the level is kept before the message
		none         bool // no header to learn
	}{
		{"lambda python", "[LVL]\tTS\tREQ\tMSG", true, false},
		{"lambda node", "TS\tREQ\tLVL\tMSG", true, false},
		{"logback with a thread holding spaces", "DATE TIME LVL [THREAD] com.example.Svc - MSG", true, false},
		{"python logging", "DATE TIME - app.worker - LVL - MSG", true, false},
		{"syslog", "Dec  7 19:00:01 HOST app[PID]: MSG", false, false},
		{"go log", "2026/12/07 19:00:01 MSG", false, false},
		{"rust tracing", "TS  LVL app::server: MSG", true, false},
		{"messages only", "MSG", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines := headerLines(tc.format, 200)
			tk := newTokenizer(128)
			h := tk.learnHeader(lines)
			if tc.none {
				if h != nil {
					t.Fatalf("learned %v from lines without a header", h.kinds)
				}
				return
			}
			if h == nil {
				t.Fatal("no header learned")
			}
			msgs := headerLines("MSG", len(lines))
			for i, l := range lines {
				level, msg, ok := h.strip(tk, l)
				want := msgs[i]
				if !ok || strings.TrimSpace(msg) != want {
					t.Fatalf("strip(%q) = %q, %v; want message %q (header %v)", l, msg, ok, want, h.kinds)
				}
				if tc.level != (level != "") {
					t.Fatalf("strip(%q): level %q", l, level)
				}
			}
		})
	}
}

// TestHeaderNotLearnedFromOneStatement: lines of one statement share
// every field; words at their start are the message, not a header.
func TestHeaderNotLearnedFromOneStatement(t *testing.T) {
	var lines []string
	for i := 0; i < 100; i++ {
		lines = append(lines, fmt.Sprintf("connection from 10.0.0.%d at Sat Jul %d 22:53:%02d 2005 closed", i, 9+i%2, i%60))
	}
	if h := newTokenizer(128).learnHeader(lines); h != nil {
		t.Fatalf("learned %v", h.kinds)
	}
}

// TestMinerHeaderLearned: one statement behind headers of different
// threads, hosts and levels is one template, the level kept.
func TestMinerHeaderLearned(t *testing.T) {
	lines := headerLines("DATE TIME LVL [THREAD] com.example.Svc - MSG", 400)
	got := mineTexts(t, lines...)
	seen := map[string]bool{}
	for _, g := range got {
		seen[g] = true
	}
	// Four messages at three levels, each message at every level.
	if len(seen) != 12 {
		t.Fatalf("%d templates, want 12: %q", len(seen), keys(seen))
	}
	if !seen["INFO order placed"] || !seen["WARN payment captured for order <*>"] {
		t.Fatalf("templates %q", keys(seen))
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
