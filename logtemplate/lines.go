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
// A line that is a JSON object with a string "message" field (as the AWS
// CLI and CloudWatch exports write events) gives that field; any other line
// — JSON without a message field included — is the message as written,
// without its line end. Each line is judged alone, so a file may mix both.
// Bytes that are not UTF-8 become U+FFFD rather than failing the file:
// logs collected from anywhere hold stray bytes, and one of them should not
// hide a flood. A byte-order mark before the first line is dropped.
// name is the file name used in errors, which are *cwlens.InputError for
// bad input (a JSON "message" that is not a string, a line past
// MaxLineBytes) and fn's error unchanged.
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
		msg, perr := message(line)
		if perr != nil {
			return cwlens.Inputf(name, fmt.Sprintf("line %d", n), "", "%v", perr)
		}
		if ferr := fn(n, msg); ferr != nil {
			return ferr
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

// message extracts the message of one line.
func message(line []byte) (string, error) {
	if !utf8.Valid(line) {
		line = bytes.ToValidUTF8(line, []byte("\ufffd"))
	}
	t := bytes.TrimLeft(line, " \t")
	if len(t) == 0 || t[0] != '{' {
		return string(line), nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(t, &obj) != nil {
		return string(line), nil // a log line that only starts with a brace
	}
	raw, ok := obj["message"]
	if !ok {
		return string(line), nil
	}
	var msg string
	if err := json.Unmarshal(raw, &msg); err != nil {
		v := string(raw)
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		return "", fmt.Errorf("message: %s: want a JSON string", v)
	}
	return msg, nil
}
