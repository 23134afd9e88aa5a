package logtemplate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
