package logtemplate

import "strings"

// A log group's lines usually open with a header its logging library
// writes before each message: a timestamp, a level, a host, a process or
// thread, a logger name. The header is learned from the group's own first
// lines (learnHeader), as a sequence of field kinds that nearly all of them
// share, and then taken off each line that fits it (header.strip): the
// message is mined alone, with the level kept as its first token. Nothing
// in it names a format or a data set; it only knows what a time, a level,
// a bracketed field and a logger name ("name:") look like.

// fieldKind classifies one header field.
type fieldKind uint8

const (
	kindWord    fieldKind = iota // letters only: a host, a component, or a word of the message
	kindIdent                    // a name with digits or joints (node-7, unix.hw, nova-api.log.1): a host, a component
	kindTime                     // masks to variables and punctuation only: a date, a time, a pid, an id
	kindLevel                    // a log level: INFO, [warn], E, Notice
	kindBracket                  // a [bracketed] or (parenthesised) field, spaces and nesting included
	kindSep                      // a separator: - | --
	kindName                     // a word ending in a colon: the logger or program (sshd[42]:, c.e.Svc:)
	kindAny                      // in a learned header: a field of any kind (a label that is - or a word)
)

// maxFree bounds the positions of a header that may hold any field, and
// maxRun the names in a row.
const (
	maxFree = 2
	maxRun  = 3
)

// maxHeaderFields bounds the fields a header may have.
const maxHeaderFields = 12

// headerShare is the share of the sample's lines that must fit a header
// for it to be learned: a few lines of another writer (a stack trace, a
// banner) do not prevent it, a group of mixed writers does.
const headerShare = 0.9

// learnLines and learnBytes bound the sample a header is learned from.
const (
	learnLines = 256
	learnBytes = 1 << 20
	minLearn   = 16 // fewer lines than this teach nothing
)

// header is a learned header: the kinds of its fields, in order.
type header struct {
	kinds []fieldKind
}

// nextField returns the field of s that starts at or after i, and the
// index after it; a field that opens a bracket runs to the bracket that
// closes it, spaces included. It returns "" at the end of s.
func nextField(s string, i int) (string, int) {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i >= len(s) {
		return "", i
	}
	j := i
	if s[i] == '[' || s[i] == '(' {
		open, close := s[i], byte(']')
		if open == '(' {
			close = ')'
		}
		depth := 0
		for j = i; j < len(s); j++ {
			if s[j] == open {
				depth++
			} else if s[j] == close {
				if depth--; depth == 0 {
					j++
					break
				}
			}
		}
		// What is glued to the closing bracket belongs to the field ("[x]:").
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		return s[i:j], j
	}
	for j < len(s) && !isSpace(s[j]) && s[j] != '|' {
		j++
	}
	if j == i { // a '|' separator
		j++
	}
	return s[i:j], j
}

// classify returns the kind of a header field.
func (t *tokenizer) classify(f string) fieldKind {
	switch {
	case f == "-" || f == "|" || f == "--":
		return kindSep
	case isLevel(strings.Trim(f, "[]():<>")):
		return kindLevel
	case f[0] == '[' || f[0] == '(':
		if len(f) > 2 && f[len(f)-1] == ':' { // "([42]):" ends a name that holds a space
			return kindName
		}
		return kindBracket
	}
	if f[len(f)-1] == ':' && len(f) > 1 && hasLetter(f) {
		return kindName
	}
	core := strings.TrimRight(f, ",;")
	if calendarWord(core) || numericMask(t.mask(core)) {
		return kindTime
	}
	for i := 0; i < len(core); i++ {
		if !isLetter(core[i]) {
			return kindIdent
		}
	}
	return kindWord
}

// isLevel reports the names of log levels, in any case, and the one-letter
// levels of Android's and glog's headers.
func isLevel(s string) bool {
	switch len(s) {
	case 0:
		return false
	case 1:
		switch s[0] {
		case 'V', 'D', 'I', 'W', 'E', 'F':
			return true
		}
		return false
	}
	// The names are at most 8 letters: longer fields are no level, and a
	// short one is upper-cased on the stack, never allocated.
	var up [8]byte
	if len(s) > len(up) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		up[i] = c
	}
	switch string(up[:len(s)]) {
	case "TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "ERR", "CRIT", "CRITICAL",
		"FATAL", "SEVERE", "ALERT", "EMERG", "PANIC", "FINE", "FINER", "FINEST", "CONFIG":
		return true
	}
	return false
}

// fieldKinds appends the kinds of the first fields of s.
func (t *tokenizer) fieldKinds(out []fieldKind, s string) []fieldKind {
	i := 0
	for len(out) < maxHeaderFields {
		f, j := nextField(s, i)
		if f == "" {
			break
		}
		out = append(out, t.classify(f))
		i = j
	}
	return out
}

// learnHeader returns the header that at least headerShare of lines
// share, or nil: the longest run of field kinds, each position taking
// the kind most of the lines that fit so far have, that ends in a field
// that closes a header (a time, a level, a bracket, a separator or a
// name:) and leaves a message after it. Lines that start with a JSON
// object have no header and are not counted.
func (t *tokenizer) learnHeader(lines []string) *header {
	var rows [][]fieldKind
	for _, l := range lines {
		if k := strings.IndexByte(l, '\n'); k >= 0 {
			l = l[:k]
		}
		if startsJSON(l) || strings.TrimSpace(l) == "" {
			continue
		}
		rows = append(rows, t.fieldKinds(nil, l))
	}
	if len(rows) < minLearn {
		return nil
	}
	need := int(headerShare*float64(len(rows)) + 0.999)
	fit := rows
	var kinds []fieldKind
	best, free, run := 0, 0, 0
	for pos := 0; pos < maxHeaderFields; pos++ {
		var votes [kindAny]int
		n := 0
		for _, r := range fit {
			if len(r) > pos+1 { // a message must follow
				votes[r[pos]]++
				n++
			}
		}
		k := fieldKind(0)
		for i := range votes {
			if votes[i] > votes[k] {
				k = fieldKind(i)
			}
		}
		// A word opens no header ("connection from …"), and a header
		// holds few names in a row (a host, a component, a state) before
		// a time, a level or a name: more are the message's words.
		if pos == 0 && 2*votes[kindWord] >= n {
			break
		}
		switch {
		case votes[k] >= need:
		case n >= need && free < maxFree:
			k = kindAny
			free++
		default:
			pos = maxHeaderFields // stop
			continue
		}
		closes := k != kindWord && k != kindIdent && k != kindAny
		if !closes && run == maxRun {
			break
		}
		kinds = append(kinds, k)
		next := fit[:0:0]
		for _, r := range fit {
			if len(r) > pos+1 && (k == kindAny || r[pos] == k) {
				next = append(next, r)
			}
		}
		fit = next
		if closes {
			best = len(kinds)
			run = 0
		} else {
			run++
		}
	}
	if best == 0 {
		return nil
	}
	return &header{kinds: kinds[:best]}
}

// strip returns the level a line's header holds ("" when none) and the
// message after the header; ok is false when the line does not fit.
func (h *header) strip(t *tokenizer, s string) (level, msg string, ok bool) {
	i := 0
	for _, k := range h.kinds {
		f, j := nextField(s, i)
		if f == "" {
			return "", s, false
		}
		got := t.classify(f)
		// A separator or a name ends a field that may hold spaces
		// ("app.exe *64 -", "Google Chrome[42]:").
		for skip := 0; (k == kindSep || k == kindName) && got != k && skip < 2; skip++ {
			if f, j = nextField(s, j); f == "" {
				return "", s, false
			}
			got = t.classify(f)
		}
		// A host or component position takes any one field: a host may
		// be a number or a placeholder (#8#) in a few lines. Times,
		// levels, brackets, separators and names must be what they are.
		if k != kindAny && k != kindWord && k != kindIdent && got != k {
			return "", s, false
		}
		if k == kindLevel {
			level = f
		}
		i = j
	}
	msg = s[i:]
	if strings.TrimSpace(msg) == "" {
		return "", s, false
	}
	return level, msg, true
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if isLetter(s[i]) {
			return true
		}
	}
	return false
}
