package logtemplate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cwlens/cwlens"
)

// MaxLineBytes bounds one input line. CloudWatch Logs caps an event at
// 1 MB (SDK PutLogEvents doc); a JSON line wraps it with a timestamp and
// escapes, so 4 MiB leaves room without letting a file with no line ends
// fill memory.
const MaxLineBytes = 4 << 20

// ReadMessages calls fn with each line of r, numbered from 1, as a message.
// A line that is an exported CloudWatch event (a JSON object with a string
// "message" beside a timestamp, ingestionTime, logStreamName or eventId,
// as the AWS CLI writes events) gives that field; any other line — an
// application's JSON included — is the message as written, without its
// line end. Each line is judged alone, so a file may mix both.
// Bytes that are not UTF-8 become U+FFFD rather than failing the file:
// logs collected from anywhere hold stray bytes, and one of them should not
// hide a flood. A byte-order mark before the first line is dropped.
// name is the file name used in errors, which are *cwlens.InputError for
// bad input (a line past MaxLineBytes) and fn's error unchanged.
func ReadMessages(r io.Reader, name string, fn func(line int, msg string) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte
	for n := 1; ; n++ {
		chunk, err := br.ReadSlice('\n')
		line := chunk
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], chunk...)
			for errors.Is(err, bufio.ErrBufferFull) {
				chunk, err = br.ReadSlice('\n')
				long = append(long, chunk...)
				if len(long) > MaxLineBytes {
					return cwlens.Inputf(name, fmt.Sprintf("line %d", n), "", "line longer than %d bytes", MaxLineBytes)
				}
			}
			line = long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if len(line) == 0 && errors.Is(err, io.EOF) {
			return nil
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\ufeff"))
		}
		msg := message(line)
		if ferr := fn(n, msg); ferr != nil {
			return ferr
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

// message extracts the event of one line. Only an exported CloudWatch
// event — an object with a string "message" beside one of the fields the
// AWS CLI and the console's export write (timestamp, ingestionTime,
// logStreamName, eventId) — is unwrapped: an application's own JSON line
// with a "message" field is the event as CloudWatch stores and bills it,
// whole. A "message" that is not a string leaves the line as written.
func message(line []byte) string {
	if !utf8.Valid(line) {
		line = bytes.ToValidUTF8(line, []byte("\ufffd"))
	}
	t := bytes.TrimLeft(line, " \t")
	if len(t) == 0 || t[0] != '{' || !bytes.Contains(t, []byte(`"message"`)) {
		return string(line)
	}
	var ev struct {
		Message       *string         `json:"message"`
		Timestamp     json.RawMessage `json:"timestamp"`
		IngestionTime json.RawMessage `json:"ingestionTime"`
		LogStreamName json.RawMessage `json:"logStreamName"`
		EventID       json.RawMessage `json:"eventId"`
	}
	if json.Unmarshal(t, &ev) != nil || ev.Message == nil {
		return string(line) // a log line that only starts with a brace, or a message that is no string
	}
	if ev.Timestamp == nil && ev.IngestionTime == nil && ev.LogStreamName == nil && ev.EventID == nil {
		return string(line)
	}
	return *ev.Message
}

// ReadEvents is ReadMessages for files written one line at a time, where
// a multi-line event — an error with its stack trace — was split into
// lines: it joins the lines of a trace to the event before them (with
// "\n", as CloudWatch keeps a multi-line event) and calls fn with each
// event and the number of its first line. A trace line is indented, or
// opens a trace block (Caused by:, Traceback (most recent call last):,
// goroutine N [running]:), or is a Go frame inside a goroutine dump, or
// is the exception line (java.lang.IllegalStateException: …, KeyError: …)
// or blank line just before such a line.
func ReadEvents(r io.Reader, name string, fn func(line int, event string) error) error {
	var (
		cur   []string
		first int
		held  []string // blank and exception lines that a trace may claim
		heldN int
	)
	emit := func() error {
		if len(cur) > 0 {
			if err := fn(first, strings.Join(cur, "\n")); err != nil {
				return err
			}
		}
		for i, h := range held {
			if err := fn(heldN+i, h); err != nil {
				return err
			}
		}
		cur, held = nil, nil
		return nil
	}
	err := ReadMessages(r, name, func(n int, line string) error {
		switch {
		case len(cur) > 0 && continues(cur, line):
			cur = append(append(cur, held...), line)
			held = nil
			return nil
		case len(cur) > 0 && (strings.TrimSpace(line) == "" || looksLikeException(line)):
			if len(held) == 0 {
				heldN = n
			}
			held = append(held, line)
			return nil
		}
		if err := emit(); err != nil {
			return err
		}
		cur, first = []string{line}, n
		return nil
	})
	if err != nil {
		return err
	}
	return emit()
}

// continues reports whether line belongs to the event of lines: see
// ReadEvents.
func continues(lines []string, line string) bool {
	if line == "" {
		return false
	}
	if isSpace(line[0]) && strings.TrimSpace(line) != "" {
		return true
	}
	for _, p := range []string{"Caused by:", "Suppressed:", "Traceback (most recent call last)", "goroutine "} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	last := lines[len(lines)-1]
	inGo := false
	for _, l := range lines {
		if strings.HasPrefix(l, "goroutine ") {
			inGo = true
			break
		}
	}
	switch {
	case inGo && (strings.HasSuffix(line, ")") && strings.Contains(line, "(") || strings.HasPrefix(line, "created by ")):
		return true // a Go frame's function line
	case strings.HasPrefix(lines[0], "Traceback") || slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "Traceback") }):
		// Python's exception line closes its traceback.
		return last != "" && isSpace(last[0]) && looksLikeException(line)
	}
	return false
}
