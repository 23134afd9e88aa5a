package logtemplate

import (
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// This file turns one event into the tokens the miner compares, aware of
// the structures that containers and Lambda functions write to CloudWatch
// Logs: JSON objects (alone or after a text prefix), logfmt fields with
// quoted values, access-log lines and multi-line events that carry a stack
// trace. Plain text is split on white space (appendWords).

// maxFields bounds the fields taken from one JSON object; the rest of a
// larger one is left out of its template (a 256 KB event is one datum,
// not 10,000 tokens).
const maxFields = 64

// maxDepth bounds the nesting flattened into dotted keys; a deeper value
// is one variable.
const maxDepth = 4

// messageKey reports the keys whose string value is the message a logging
// statement wrote, mined as text: the names used by the common JSON
// loggers (zap, zerolog, logrus, slog, pino, bunyan, structlog, Lambda's
// JSON log format, Docker's and Fluent Bit's "log").
func messageKey(k string) bool {
	switch k {
	case "msg", "message", "Message", "MESSAGE", "log", "event", "@message", "@m", "@mt":
		return true
	}
	return false
}

// tokens splits msg into masked tokens and sets t.shape, the structure it
// found (the key set of a JSON object, or "" for text), which the miner's
// tree uses as its first branch. A learned header (t.hdr) is taken off
// the first line, its level kept as the first token. A message longer than maxTokens keeps its
// first maxTokens-1 tokens and a Wildcard for the rest. The returned slice
// is valid until the next call.
func (t *tokenizer) tokens(msg string) []string {
	t.shape = ""
	t.access = false
	t.notKey = 0
	first, rest := msg, ""
	if k := strings.IndexByte(msg, '\n'); k >= 0 {
		first, rest = msg[:k], msg[k+1:]
	}
	toks := t.toks[:0]
	if t.hdr != nil && !startsJSON(first) { // a JSON line has no header (learnHeader)
		if level, m, ok := t.hdr.strip(t, first); ok {
			if level != "" {
				toks = append(toks, t.mask(level))
			}
			first = m
		}
	}
	toks = t.appendLine(toks, first)
	if strings.TrimSpace(rest) != "" {
		toks = t.appendTrace(toks, rest, "\n")
	}
	if len(toks) > t.maxTokens {
		toks = append(toks[:t.maxTokens-1], Wildcard)
	}
	if t.maskDates(toks) {
		toks = t.joinDates(toks)
		t.notKey = 0 // positions moved
	}
	t.toks = toks
	return toks
}

// appendLine appends the tokens of one line: a JSON object where the line
// holds one (after any text prefix), text otherwise. A line that only
// looks like JSON is text: malformed input is mined, never refused.
func (t *tokenizer) appendLine(toks []string, s string) []string {
	if j := jsonStart(s); j >= 0 {
		n := len(toks)
		if out, ok := t.appendJSON(toks, s, j); ok {
			return out
		}
		toks = toks[:n]
		t.shape = ""
	}
	return t.appendText(toks, s)
}

// jsonStart returns where the JSON object that ends s starts: the first
// '{' of a line whose last non-blank byte is '}', or -1.
func jsonStart(s string) int {
	e := len(s)
	for e > 0 && isSpace(s[e-1]) {
		e--
	}
	if e < 2 || s[e-1] != '}' {
		return -1
	}
	return strings.IndexByte(s[:e], '{')
}

// startsJSON reports a line that is a JSON object from its first
// non-blank byte on.
func startsJSON(s string) bool {
	j := jsonStart(s)
	return j >= 0 && strings.TrimSpace(s[:j]) == ""
}

// appendText splits s on white space, masking each token. Two shapes are
// kept whole whatever spaces they hold: a key="quoted value" field
// (logfmt), one variable when it is data and its words when it is the
// message; and in an access-log line, the quoted request ("GET /x
// HTTP/1.1") and the quoted fields after it (referrer, user agent), so
// that a user agent's word count does not make a template of its own.
func (t *tokenizer) appendText(toks []string, s string) []string {
	for i := 0; ; {
		var j int
		var u uint16
		if i, j, u = nextWord(s, i); i >= len(s) {
			break
		}
		if len(toks) >= t.maxTokens {
			return append(toks, Wildcard)
		}
		tok := s[i:j]
		if tok[0] == '"' {
			if end := closingQuote(s, i+1); end > j {
				if m := httpMethod(s[i+1 : end]); m > 0 {
					toks = t.appendRequest(toks, s[i:end+1], m)
					i = end + 1
					continue
				}
				if t.access {
					toks = append(toks, `"`+Wildcard+`"`)
					i = end + 1
					continue
				}
			} else if t.access && end > i {
				toks = append(toks, `"`+Wildcard+`"`)
				i = end + 1
				continue
			}
		}
		if q := quotedValue(tok, u); q > 0 {
			if end := closingQuote(s, i+q+1); end >= j {
				toks = t.appendField(toks, s[i:i+q], s[i+q+1:end], s[i:end+1])
				i = end + 1
				continue
			}
		}
		toks = append(toks, t.maskOf(tok, u))
		i = j
	}
	return toks
}

// appendWords appends the white-space-separated, masked words of s.
func (t *tokenizer) appendWords(toks []string, s string) []string {
	for i := 0; ; {
		var j int
		var u uint16
		if i, j, u = nextWord(s, i); i >= len(s) {
			break
		}
		if len(toks) >= t.maxTokens {
			return append(toks, Wildcard)
		}
		toks = append(toks, t.maskOf(s[i:j], u))
		i = j
	}
	return toks
}

// nextWord returns the bounds of the first white-space-separated word of s
// at or after i, and the union of its bytes' classes; start is len(s)
// when there is none.
func nextWord(s string, i int) (start, end int, u uint16) {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	end = i
	// Four bytes a step while no space is among them: most words are
	// longer than four bytes, and this loop is the tokenizer's hottest.
	for ; end+4 <= len(s); end += 4 {
		b := s[end : end+4]
		c := class[b[0]] | class[b[1]] | class[b[2]] | class[b[3]]
		if c&space != 0 {
			break
		}
		u |= c
	}
	for ; end < len(s); end++ {
		c := class[s[end]]
		if c&space != 0 {
			break
		}
		u |= c
	}
	return i, end, u
}

// quotedValue returns the length of the key of tok when it is a key
// followed by = and an opening quote (msg="…), or 0. u is the union of
// tok's bytes' classes.
func quotedValue(tok string, u uint16) int {
	if u&equals == 0 {
		return 0
	}
	k := strings.IndexByte(tok, '=')
	if k < 1 || k+1 >= len(tok) || tok[k+1] != '"' || kvKey(tok) != k+1 {
		return 0
	}
	return k + 1
}

// closingQuote returns the index in s of the double quote that closes a
// string starting at from (after its opening quote), skipping escaped
// quotes, or -1. It jumps from quote to quote (strings.IndexByte): a user
// agent or a request holds few of them and many bytes. A quote is escaped
// when an odd run of backslashes, counted back to from, stands before it.
func closingQuote(s string, from int) int {
	for i := from; i < len(s); {
		k := strings.IndexByte(s[i:], '"')
		if k < 0 {
			return -1
		}
		q := i + k
		b := q
		for b > from && s[b-1] == '\\' {
			b--
		}
		if (q-b)%2 == 0 {
			return q
		}
		i = q + 1
	}
	return -1
}

// appendField appends a key="value" field: the message's words after its
// key when the key names the message, else the field as one masked token.
func (t *tokenizer) appendField(toks []string, key, val, whole string) []string {
	if messageKey(key[:len(key)-1]) {
		toks = append(toks, key)
		return t.appendWords(toks, val)
	}
	return append(toks, t.maskValue(key, val, whole))
}

// maskValue masks the value of a field as one datum: a value with a digit
// in it (an id, a number, a time, a version) or a phrase (free text) is a
// variable whole; other values (a level, a state, a name) stay for
// clustering to judge. whole is
// the field as written, returned when nothing is masked.
func (t *tokenizer) maskValue(key, val, whole string) string {
	masked := false
	for i := 0; i < len(val); i++ {
		if isDigit(val[i]) || isSpace(val[i]) {
			masked = true
			break
		}
	}
	if !masked {
		return t.mask(whole)
	}
	out := append(t.buf[:0], key...)
	out = append(out, Wildcard...)
	t.buf = out
	return t.internBytes(out)
}

// httpMethod returns the length of the HTTP method that starts a request
// line ("GET /x HTTP/1.1"), or 0.
func httpMethod(s string) int {
	k := strings.IndexByte(s, ' ')
	if k < 3 || k > 7 {
		return 0
	}
	switch s[:k] {
	case "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "CONNECT", "TRACE":
		if strings.Contains(s[k:], " HTTP/") || strings.Contains(s[k:], " HTTP2") {
			return k
		}
	}
	return 0
}

// appendRequest appends a quoted request line of an access log as its
// method, a variable target and the masked protocol, and marks the line as
// an access log.
func (t *tokenizer) appendRequest(toks []string, q string, m int) []string {
	t.access = true
	toks = append(toks, q[:m+1]) // "GET
	toks = append(toks, Wildcard)
	proto := q[strings.LastIndexByte(q, ' ')+1:]
	return append(toks, t.mask(proto))
}

// jsonField is one scalar (or cut-off) value of a JSON object, its key
// the dotted path from the top object.
type jsonField struct {
	key  *jsonKey
	val  string // as written in the line: quotes, escapes and all
	kind jsontext.Kind
	msg  bool // the message: mined as text
}

func hasSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if isSpace(s[i]) {
			return true
		}
	}
	return false
}

// jsonOptions make the scanner accept what loggers write: repeated keys
// and stray bytes are data, not a reason to read the line as text.
var jsonOptions = []jsontext.Options{jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)}

// appendJSON appends the tokens of a line whose JSON object starts at j:
// the text before it, the object's message words, then its other fields
// in key order as key=value tokens, values masked as in maskValue. The
// key set becomes t.shape, so that the events of one logging statement
// meet whatever their spacing and field order. It reports false when the
// object is not valid JSON.
func (t *tokenizer) appendJSON(toks []string, s string, j int) ([]string, bool) {
	if !t.readJSON(s[j:]) {
		return toks, false
	}
	toks = t.appendText(toks, s[:j])
	start := len(toks)
	fs := t.sortFields()
	for _, f := range fs {
		if f.msg {
			toks = t.appendMessage(toks, f.val[1:len(f.val)-1])
		}
	}
	for _, f := range fs {
		if !f.msg && len(toks) < t.maxTokens {
			tok, key := t.jsonToken(f)
			if !key && len(toks) < keyScan {
				t.notKey |= 1 << len(toks)
			}
			toks = append(toks, tok)
		}
	}
	if len(toks) == start { // {} or {"message":""}: still an event
		toks = append(toks, "{}")
	}
	return toks, true
}

// readJSON reads the fields of the object obj (which starts with its
// '{') into t.fields, and reports whether obj is one JSON object and
// white space: by the fast scan where it can tell (scanObject), else by
// jsontext.
func (t *tokenizer) readJSON(obj string) bool {
	t.fields = t.fields[:0]
	t.path = t.path[:0]
	if t.scanObject(obj) {
		return true
	}
	t.fields = t.fields[:0]
	t.path = t.path[:0]
	return t.decodeJSON(obj)
}

// decodeJSON is readJSON by jsontext alone.
func (t *tokenizer) decodeJSON(obj string) bool {
	t.jbuf.Reset()
	t.jbuf.WriteString(obj)
	if t.dec == nil {
		t.dec = jsontext.NewDecoder(&t.jbuf, jsonOptions...)
	} else {
		t.dec.Reset(&t.jbuf, jsonOptions...)
	}
	if tok, err := t.dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return false
	}
	return t.readObject(obj, 1) && int(t.dec.InputOffset()) == len(strings.TrimRight(obj, " \t\r\n"))
}

// readObject reads the members of an object whose '{' was read, at depth
// d, into t.fields. obj is the decoder's input, from which values are
// taken as substrings (no copy).
func (t *tokenizer) readObject(obj string, d int) bool {
	base := len(t.path)
	for {
		if t.dec.PeekKind() == '}' {
			_, err := t.dec.ReadToken()
			t.path = t.path[:base]
			return err == nil
		}
		name, err := t.dec.ReadValue()
		if err != nil || len(name) < 2 {
			return false
		}
		t.path = t.path[:base]
		if base > 0 {
			t.path = append(t.path, '.')
		}
		t.path = append(t.path, name[1:len(name)-1]...)
		kind := t.dec.PeekKind()
		if kind == '{' && d < maxDepth {
			if _, err := t.dec.ReadToken(); err != nil || !t.readObject(obj, d+1) {
				return false
			}
			continue
		}
		v, err := t.dec.ReadValue()
		if err != nil {
			return false
		}
		if len(t.fields) == maxFields {
			continue
		}
		end := int(t.dec.InputOffset())
		key := t.jsonKey(t.path)
		t.fields = append(t.fields, jsonField{
			key:  key,
			val:  obj[end-len(v) : end],
			kind: kind,
			msg:  d == 1 && kind == '"' && key.message,
		})
	}
}

// jsonToken renders one field as key=value, the value masked as one
// datum: numbers, booleans, arrays and cut-off objects are variables;
// strings as maskValue says. Keys with white space in them are variables
// whole (jsonKey). It also reports whether the token is keyable, known
// per key and value once, not scanned per line.
func (t *tokenizer) jsonToken(f jsonField) (string, bool) {
	switch f.kind {
	case '"':
		v := f.val[1 : len(f.val)-1]
		if f.key.spaced || datumString(v) || isPath(v) && strings.Count(v, "/") >= 2 {
			return f.key.wild, f.key.wildKey
		}
		return f.key.word(t, v)
	case 'n':
		return f.key.null, f.key.nullKey
	}
	return f.key.wild, f.key.wildKey
}

// datumString reports a string value with a digit, a space or a tab in it:
// an id, a number, a time or a phrase, a variable whole.
func datumString(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; isDigit(c) || c == ' ' || c == '\t' {
			return true
		}
	}
	return false
}

// appendMessage appends the words of a JSON message string. An escaped
// line break ends the message: what follows is a stack trace or a
// continuation (appendTrace).
func (t *tokenizer) appendMessage(toks []string, v string) []string {
	if k := strings.Index(v, `\n`); k >= 0 {
		toks = t.appendWords(toks, v[:k])
		return t.appendTrace(toks, v[k+2:], `\n`)
	}
	return t.appendWords(toks, v)
}

// Trace kinds name a stack trace's shape in a template: the frames of a
// trace are where the error passed, not a message of their own.
const (
	traceJava   = "[stack-trace]" // Java, Node.js: "at …" frames, "Caused by:"
	tracePython = "[traceback]"   // Python: File "…", line N
	traceGo     = "[goroutines]"  // Go panic: goroutine N [running]:
)

// appendTrace appends the shape of the lines after an event's first
// (rest, lines separated by sep): a stack trace is one token naming its
// kind, with the words of the exception line (the first unindented line
// that is no frame; in Python the last), so that one error logged with
// its trace is one template whatever the depth of the trace. Lines that
// are no trace are mined as text.
func (t *tokenizer) appendTrace(toks []string, rest, sep string) []string {
	kind, exc := "", ""
	all := rest
	for rest != "" {
		line := rest
		if k := strings.Index(rest, sep); k >= 0 {
			line, rest = rest[:k], rest[k+len(sep):]
		} else {
			rest = ""
		}
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, `\t`) { // an escaped tab in a JSON string
			l = strings.TrimSpace(l[2:])
		}
		indented := line != "" && (isSpace(line[0]) || strings.HasPrefix(line, `\t`))
		switch {
		case l == "":
		case strings.HasPrefix(l, "at ") || strings.HasPrefix(l, "Caused by:") || strings.HasPrefix(l, "Suppressed:") ||
			strings.HasPrefix(l, "...") && strings.HasSuffix(l, "more"):
			if kind == "" {
				kind = traceJava
			}
		case strings.HasPrefix(l, "Traceback (most recent call last)") || strings.HasPrefix(l, `File "`):
			kind = tracePython
		case strings.HasPrefix(l, "goroutine ") && strings.HasSuffix(l, ":"):
			kind = traceGo
		case kind == traceGo || indented:
		case kind == tracePython:
			exc = l
		case exc == "" && kind != "" || exc == "" && looksLikeException(l):
			exc = l
		}
	}
	if kind == "" {
		for all != "" {
			line := all
			if k := strings.Index(all, sep); k >= 0 {
				line, all = all[:k], all[k+len(sep):]
			} else {
				all = ""
			}
			toks = t.appendWords(toks, line)
		}
		return toks
	}
	toks = append(toks, kind)
	return t.appendWords(toks, exc)
}

// looksLikeException reports a line that names an exception class before
// the trace's frames: a dotted or CamelCase name ending in Exception or
// Error, then a colon or nothing.
func looksLikeException(l string) bool {
	name := l
	if k := strings.IndexAny(l, ": "); k >= 0 {
		name = l[:k]
	}
	return strings.HasSuffix(name, "Exception") || strings.HasSuffix(name, "Error") || strings.HasSuffix(name, "Throwable")
}
