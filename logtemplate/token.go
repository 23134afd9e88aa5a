package logtemplate

import (
	"bytes"
	"slices"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Wildcard stands for a variable part of a template.
const Wildcard = "<*>"

// isDelim reports the characters that separate the fields of a token: a
// key from its value (uid=0), a host from its port, a value from its
// brackets or quotes. Masking works on the fields between them, so that
// "(uid=0)" becomes "(uid=<*>)" and "10.0.0.1:50010" becomes "<*>:<*>".
// '.', '-', '_' and '/' are not among them: they join the parts of one
// value (a path, a host name, a float, a UUID).
func isDelim(c byte) bool { return class[c]&delim != 0 }

func isDigit(c byte) bool { return class[c]&digit != 0 }

// class holds each byte's character classes, for the hot loops: a scan
// that finds a token or a field takes the union of its bytes' classes,
// and the masking rules then skip the shapes the union rules out.
var class = func() (t [256]uint16) {
	for _, c := range []byte(",;:=|\"'[](){}!") {
		t[c] |= delim
	}
	for c := '0'; c <= '9'; c++ {
		t[c] |= digit
	}
	for _, c := range []byte(" \t\n\r\v\f") {
		t[c] |= space
	}
	for _, c := range []byte("/\\") {
		t[c] |= slash
	}
	t['='] |= equals
	t['<'] |= angle
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= otherLower
		t[c-'a'+'A'] |= otherUpper
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = t[c]&^otherLower | hexLower
		t[c-'a'+'A'] = t[c-'a'+'A']&^otherUpper | hexUpper
	}
	t['.'] |= dot
	t['-'] |= dash
	t['_'] |= underscore
	for _, c := range []byte("+@#$%&*") {
		t[c] |= subOther
	}
	return t
}()

const (
	delim uint16 = 1 << iota
	digit
	space
	slash
	equals
	hexLower   // a-f
	hexUpper   // A-F
	otherLower // g-z
	otherUpper // G-Z
	dot
	dash
	underscore
	subOther // the sub-delimiters (isSubDelim) other than . - /
	angle    // '<', which may open a Wildcard

	digitShift = 1 // digit == 1<<digitShift, to count digits without a branch

	hexChars  = digit | hexLower | hexUpper // may be a hex digest
	hostChars = digit | hexLower | otherLower | dash | dot
	numChars  = digit | dot | dash | slash | subOther // numbers and their joints
)

// classes returns the union of the classes of s's bytes.
func classes(s string) uint16 {
	u := uint16(0)
	for i := 0; i < len(s); i++ {
		u |= class[s[i]]
	}
	return u
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isHex(c byte) bool { return class[c]&hexChars != 0 }

func isSpace(c byte) bool { return class[c]&space != 0 }

// tokenizer splits messages into masked tokens. It reuses its buffers and
// interns masked tokens, so it is not safe for concurrent use.
type tokenizer struct {
	maxTokens int
	toks      []string
	buf       []byte
	date      []bool // per token: a day or month name maskDates masked
	intern    map[string]string
	memo      []memoEntry         // recent masks (maskOf); nil until first needed
	keys      map[string]*jsonKey // JSON keys, interned with their tokens

	hdr    *header // the log's header, once learned; nil for none
	shape  string  // the structure tokens found: a JSON key set, or ""
	access bool    // the line holds a quoted HTTP request
	notKey uint8   // bit p: toks[p] is known not keyable (a JSON field), for p < keyScan

	// JSON scanning, reused line after line.
	jbuf        bytes.Buffer
	dec         *jsontext.Decoder
	fields      []jsonField // in document order
	sorted      []jsonField // by key (sortFields)
	path        []byte
	keyCache    [256]*jsonKey
	keyIDs      uint32
	shapes      []shapeMemo // nil until the first JSON line
	shapeSlot   int         // the shapes slot of the last JSON line (Miner.rootOf)
	shapeTick   uint64      // sortFields calls, for the memo's recency
	shapeMisses int         // sortFields calls that had to learn the shape
}

// internCap bounds the intern table; past it the table starts over, which
// costs some allocations and keeps memory bounded on endless streams of
// distinct shapes.
const internCap = 1 << 16

func newTokenizer(maxTokens int) *tokenizer {
	return &tokenizer{maxTokens: maxTokens, intern: make(map[string]string), keys: make(map[string]*jsonKey)}
}

// maxDateTokens bounds a written-out date: weekday, month, day, time, year
// and zone ("Tue Mar 04 18:20:07 2025").
const maxDateTokens = 6

// joinDates makes each written-out date that maskDates found one
// variable: the masked day or month name and the masked numbers after it
// ("<*> <*> <*> <*>:<*>:<*> <*>" becomes "<*>"), keeping the brackets
// around them ("[<*>]"). A date is one value, however many fields it is
// printed in; a bracket that closes ends it, one that opens starts
// another field.
func (t *tokenizer) joinDates(toks []string) []string {
	w := 0
	for r := 0; r < len(toks); {
		if !t.date[r] {
			toks[w] = toks[r]
			w++
			r++
			continue
		}
		hi := r + 1
		for hi < len(toks) && hi-r < maxDateTokens && (t.date[hi] || numericMask(toks[hi])) &&
			!closes(toks[hi-1]) && !opens(toks[hi]) {
			hi++
		}
		first, last := toks[r], toks[hi-1]
		out := append(t.buf[:0], first[:strings.Index(first, Wildcard)]...)
		out = append(out, Wildcard...)
		out = append(out, last[strings.LastIndex(last, Wildcard)+len(Wildcard):]...)
		t.buf = out
		toks[w] = t.internBytes(out)
		w++
		r = hi
	}
	return toks[:w]
}

// closes reports a token that ends in a closing bracket.
func closes(tok string) bool {
	c := tok[len(tok)-1]
	return c == ']' || c == ')' || c == '}'
}

// opens reports a token that starts with an opening bracket: a new field.
func opens(tok string) bool {
	c := tok[0]
	return c == '[' || c == '(' || c == '{'
}

// maskDates masks day and month names that stand beside a masked number,
// as written-out dates have them ("[Sun Dec 04 04:47:44 2005]",
// "Dec 10 06:55:46 host sshd[24200]:"), keeping their brackets. It runs
// right to left so that "Sun Dec 04" masks Dec, then Sun beside it. It
// marks the names it masked in t.date and reports whether there were any.
func (t *tokenizer) maskDates(toks []string) bool {
	found := false
	for i := len(toks) - 1; i >= 0; i-- {
		tok := toks[i]
		if len(tok) < 3 || !(isUpper(tok[0]) || tok[0] == '[' || tok[0] == '(') {
			continue
		}
		lo, hi := 0, len(tok)
		for lo < hi && (tok[lo] == '[' || tok[lo] == '(') {
			lo++
		}
		for hi > lo && isDelim(tok[hi-1]) || hi > lo && tok[hi-1] == '.' {
			hi--
		}
		if !calendarWord(tok[lo:hi]) {
			continue
		}
		if !(i+1 < len(toks) && numericMask(toks[i+1]) || i > 0 && numericMask(toks[i-1])) {
			continue
		}
		out := append(t.buf[:0], tok[:lo]...)
		out = append(out, Wildcard...)
		out = append(out, tok[hi:]...)
		t.buf = out
		toks[i] = t.internBytes(out)
		if !found {
			t.date = slices.Grow(t.date[:0], len(toks))[:len(toks)]
			clear(t.date)
			found = true
		}
		t.date[i] = true
	}
	return found
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// numericMask reports a token that masking reduced to variables and
// punctuation: "<*>", "<*>:<*>:<*>", "<*>]", "[<*>".
func numericMask(tok string) bool {
	if !strings.Contains(tok, Wildcard) {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if isLetter(tok[i]) || isDigit(tok[i]) {
			return false
		}
	}
	return true
}

// mask returns tok with its variable fields replaced by Wildcard.
func (t *tokenizer) mask(tok string) string { return t.maskOf(tok, classes(tok)) }

// maskOf is mask for a token whose bytes' classes (their union) the
// caller has at hand, from the scan that found the token.
func (t *tokenizer) maskOf(tok string, u uint16) string {
	if !needsMask(tok, u) {
		return tok
	}
	if m := numberMask(tok, u); m != "" {
		return m
	}
	e := t.memoSlot(tok, u)
	if e != nil && int(e.n) == len(tok) && string(e.key[:e.n]) == tok {
		if e.same {
			return tok
		}
		return e.out
	}
	out := t.maskRules(tok, u)
	if e != nil {
		e.n = uint8(copy(e.key[:], tok))
		e.same = out == tok
		e.out = ""
		if !e.same { // tok is part of the line: only an interned mask is kept
			e.out = out
		}
	}
	return out
}

// numberMask returns the mask of a token of numbers joined by colons,
// each of digits and single dots, starting and ending with a digit (200,
// 0.285, 10.0.2.3, 10.0.2.3:8080, 19:34:55): one Wildcard a number, as
// the rules would give, known here without them or the memo. Access logs
// print several such tokens a line. It returns "" for other tokens, and
// for a double dot ("1..2"), which the rules keep.
func numberMask(tok string, u uint16) string {
	if u&^(digit|dot|delim) != 0 {
		return ""
	}
	n, prev := 0, byte(':')
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case isDigit(c):
		case c == '.' || c == ':':
			if !isDigit(prev) {
				return ""
			}
			if c == ':' {
				n++
			}
		default:
			return ""
		}
		prev = tok[i]
	}
	if !isDigit(prev) || n >= len(numberMasks) {
		return ""
	}
	return numberMasks[n]
}

var numberMasks = [...]string{Wildcard, Wildcard + ":" + Wildcard, Wildcard + ":" + Wildcard + ":" + Wildcard}

// maskRules masks a token that needsMask, by the rules.
func (t *tokenizer) maskRules(tok string, u uint16) string {
	out := appendMasked(t.buf[:0], tok, u&slash != 0)
	t.buf = out
	if string(out) == Wildcard { // a number, a time, an id: the commonest
		return Wildcard
	}
	if string(out) == tok {
		return tok
	}
	return t.internBytes(out)
}

// The memo remembers the masks of recent tokens by their bytes: tokens
// that need masking and recur (a protocol, a user agent, a cipher, a
// version, "HTTP/1.1\"") cost the rules a dozen passes, the memo one
// comparison. Its slot is chosen by the token's length and three of its
// bytes, in constant time, so that a token it does not hold costs next to
// nothing. It is direct-mapped and fixed in size (64 KB): it never
// allocates after its first use. Its keys hold up to 104 bytes, so that
// an ARN (an ALB log's target group, some 90 bytes), which the rules take
// microseconds to mask, is kept too; an entry is then 128 bytes, two
// cache lines.
const (
	memoKey   = 104
	memoSlots = 512
)

type memoEntry struct {
	key  [memoKey]byte
	n    uint8  // key length; 0 for an empty slot
	same bool   // the token masks to itself
	out  string // its mask, interned, when not same
}

// memoSlot returns the memo's slot for tok, or nil for a token the memo
// does not keep: one too long, and the numbers and times that the rules
// mask at once and that seldom recur.
func (t *tokenizer) memoSlot(tok string, u uint16) *memoEntry {
	n := len(tok)
	if n > memoKey || u&^(digit|dot) == 0 || isDigit(tok[0]) {
		return nil
	}
	if t.memo == nil {
		t.memo = make([]memoEntry, memoSlots)
	}
	h := uint(n)*0x9E3779B1 ^ uint(tok[0])<<3 ^ uint(tok[n/2])<<7 ^ uint(tok[n-1])<<11
	return &t.memo[(h^h>>9)%memoSlots]
}

// internBytes returns b as a string, shared with earlier equal ones.
func (t *tokenizer) internBytes(b []byte) string {
	if s, ok := t.intern[string(b)]; ok {
		return s
	}
	if len(t.intern) >= internCap {
		clear(t.intern)
	}
	s := string(b)
	t.intern[s] = s
	return s
}

// needsMask is the fast path: a token without digits, slashes (either
// way) or a boolean field has no field that masking would change. u is
// the union of its bytes' classes.
func needsMask(tok string, u uint16) bool {
	if u&(digit|slash) != 0 {
		return true
	}
	n := len(tok)
	return n >= 4 && (tok[n-1]|0x20 == 'e' || isDelim(tok[n-1])) && boolLast(tok)
}

// boolLast reports whether the last field of tok is a boolean
// ("cached:false,", "true"). Only the last is looked at, in constant
// time: a flag is printed last in its token, and the masking of a token
// that has digits or slashes looks at every field anyway.
func boolLast(tok string) bool {
	end := len(tok)
	for end > 0 && isDelim(tok[end-1]) {
		end--
	}
	if end < 4 || tok[end-1]|0x20 != 'e' {
		return false
	}
	for _, n := range [2]int{4, 5} {
		if k := end - n; k >= 0 && (k == 0 || isDelim(tok[k-1])) && boolAt(tok[k:]) {
			return true
		}
	}
	return false
}

// boolAt reports whether s starts with a whole field true or false, in
// any case.
func boolAt(s string) bool {
	const lower = 0x20
	n := 0
	switch {
	case len(s) >= 4 && s[0]|lower == 't' && s[1]|lower == 'r' && s[2]|lower == 'u' && s[3]|lower == 'e':
		n = 4
	case len(s) >= 5 && s[0]|lower == 'f' && s[1]|lower == 'a' && s[2]|lower == 'l' && s[3]|lower == 's' && s[4]|lower == 'e':
		n = 5
	default:
		return false
	}
	return n == len(s) || isDelim(s[n])
}

// appendMasked appends tok to out with each variable field masked;
// slashes says whether tok holds a slash (else it is no URL).
func appendMasked(out []byte, tok string, slashes bool) []byte {
	// A URL is one value whatever its punctuation: keep the scheme.
	if k := urlScheme(tok, slashes); k > 0 {
		end := len(tok)
		for end > k+3 && (isDelim(tok[end-1]) || tok[end-1] == '.') {
			end--
		}
		out = append(out, tok[:k+3]...)
		out = append(out, Wildcard...)
		return append(out, tok[end:]...)
	}
	start := len(out)
	for i := 0; i < len(tok); {
		c := tok[i]
		if isDigit(c) && len(tok)-i >= len(isoShape) {
			if n := timestampLen(tok[i:]); n > 0 {
				out = append(out, Wildcard...)
				i += n
				continue
			}
		}
		if isDelim(c) {
			out = append(out, c)
			i++
			continue
		}
		// One pass finds the field's end, its classes and its digits.
		j, u, digits := i, uint16(0), 0
		for ; j < len(tok); j++ {
			k := class[tok[j]]
			if k&delim != 0 {
				break
			}
			u |= k
			digits += int(k&digit) >> digitShift
		}
		out = appendField(out, tok[i:j], u, digits)
		i = j
	}
	return collapse(out, start)
}

// isoShape is the start of an ISO 8601 date-time, d a digit.
const isoShape = "dddd-dd-ddTdd:dd"

// timestampLen returns the length of the ISO 8601 date-time that s starts
// with (2025-01-01T00:00:00.123+02:00, 2025-01-01T00:00:00Z), or 0.
func timestampLen(s string) int {
	const shape = isoShape
	if len(s) < len(shape) {
		return 0
	}
	for i := 0; i < len(shape); i++ {
		if shape[i] == 'd' && !isDigit(s[i]) || shape[i] != 'd' && shape[i] != s[i] {
			return 0
		}
	}
	n := len(shape)
	for n < len(s) {
		c := s[n]
		if !(isDigit(c) || c == ':' || c == '.' || c == '+' || c == '-' || c == 'Z') {
			break
		}
		n++
	}
	for n > 0 && (s[n-1] == '.' || s[n-1] == ':') { // sentence or field punctuation
		n--
	}
	return n
}

// isUUID accepts the 8-4-4-4-12 hex shape, whatever its digits.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return false
			}
		} else if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// urlScheme returns the length of the scheme of a URL that tok starts
// with ("https://…" gives 5), or 0; slashes says whether tok holds a
// slash at all.
func urlScheme(tok string, slashes bool) int {
	if !slashes {
		return 0
	}
	if k := strings.Index(tok, "://"); k > 0 && isScheme(tok[:k]) {
		return k
	}
	return 0
}

func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; isDelim(c) {
			continue
		} else if !isLetter(c) && !(i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return len(s) > 0
}

// appendField masks one field (a token part without delimiters); u is
// the union of its bytes' classes and digits the count of its digits,
// from the scan that found it. The union only rules shapes out: each rule
// is still checked where the union allows it.
func appendField(out []byte, f string, u uint16, digits int) []byte {
	if digits == len(f) && digits > 0 { // a whole number: the commonest field
		return append(out, Wildcard...)
	}
	if isPath(f) {
		if digits > 0 || strings.Count(strings.TrimRight(f, "/\\"), f[:1]) >= 2 {
			return append(out, Wildcard...)
		}
		return append(out, f...)
	}
	if digits == 0 {
		// A boolean is the value of a flag, whatever it says
		// (cached:false, retry true): a variable, never a word of the
		// message. Yes/no and on/off stay words: they also name states.
		if (len(f) == 4 || len(f) == 5) && boolAt(f) {
			return append(out, Wildcard...)
		}
		return append(out, f...)
	}
	// A number with or without unit (-2, 0.25, 64172MB, 15%), a UUID, a
	// version (v6.1.7601).
	if isNumber(f) || u&^(hexChars|dash) == 0 && isUUID(f) || isVersion(f) {
		return append(out, Wildcard...)
	}
	// An id: digits after an underscore (blk_-4312980012345678901,
	// task_201703141200_0042_r_000017_3, broadcast_7), an address, a hex
	// digest, a host name with digits. The rule looks at shape, never at
	// how many digits there are, so that core.123 and core.2275 mask alike.
	// Numbers joined by dots, dashes or slashes (2017-05-16, 10.0.0.1,
	// 1.2.3) keep their joints; collapse then folds dotted ones into one.
	numeric := u&^numChars == 0 && numericParts(f)
	if numeric && u&^(digit|dot) == 0 && isDigit(f[len(f)-1]) {
		// Dotted numbers (10.0.0.1, 1.2.3): what collapse would fold the
		// masked parts into.
		return append(out, Wildcard...)
	}
	if !numeric && (u&underscore != 0 && idRun(f) ||
		u&^(digit|dot|slash) == 0 && isIPv4(f) ||
		(u&^(hexChars|dash) == 0 || hexPrefix(f)) && isHexID(f) ||
		u&^hostChars == 0 && isHostname(f)) {
		return append(out, Wildcard...)
	}
	// Otherwise mask the pure-digit parts and the hex ids: part-7,
	// HTTP/1.1, cn-north-1, @0x4a2b10 (a sigil before an address);
	// words with a digit in them (ssh2, log4j, utf8) stay.
	i := 0
	for i < len(f) {
		j := i
		for j < len(f) && !isSubDelim(f[j]) {
			j++
		}
		if j > i && (allDigits(f[i:j]) || j-i > 2 && isHexID(f[i:j])) {
			out = append(out, Wildcard...)
		} else {
			out = append(out, f[i:j]...)
		}
		if j < len(f) {
			out = append(out, f[j])
			j++
		}
		i = j
	}
	return out
}

// idRun reports digits after an underscore (blk_-4312980012345678901,
// broadcast_7): an id.
func idRun(f string) bool {
	for i := 0; i+1 < len(f); i++ {
		if f[i] == '_' && (isDigit(f[i+1]) || f[i+1] == '-' && i+2 < len(f) && isDigit(f[i+2])) {
			return true
		}
	}
	return false
}

// hexPrefix reports a field that starts 0x or 0X.
func hexPrefix(f string) bool {
	return len(f) > 2 && f[0] == '0' && (f[1] == 'x' || f[1] == 'X')
}

// isVersion accepts v or V followed by dotted numbers: v1.2, V6.1.7601.
func isVersion(f string) bool {
	return len(f) > 3 && (f[0] == 'v' || f[0] == 'V') && isDigit(f[1]) && strings.IndexByte(f, '.') > 0 &&
		numericParts(f[1:]) && !strings.ContainsAny(f[1:], "-/+@#$%&*")
}

// numericParts reports whether every part of f between sub-delimiters is
// a number, with the final part possibly empty (a sentence's full stop).
func numericParts(f string) bool {
	i := 0
	for i < len(f) {
		j := i
		for j < len(f) && !isSubDelim(f[j]) {
			j++
		}
		if !allDigits(f[i:j]) {
			return false
		}
		i = j + 1
	}
	return true
}

// isPath reports an absolute path: /var/log/x, \\server\share, C:\Windows
// (after the drive's colon, a delimiter, the field starts with a backslash).
func isPath(f string) bool {
	return len(f) > 1 && (f[0] == '/' || f[0] == '\\')
}

func isSubDelim(c byte) bool {
	switch c {
	case '.', '-', '/', '+', '@', '#', '$', '%', '&', '*':
		return true
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

// isNumber accepts a signed decimal number with an optional exponent and a
// unit of up to three letters or a percent sign: -2, 0.2477829, 1e-5, 64172MB,
// 250ms, 99.5%.
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	d := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		d++
	}
	if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			d++
		}
	}
	if d == 0 {
		return false
	}
	if i+1 < len(s) && (s[i] == 'e' || s[i] == 'E') && (isDigit(s[i+1]) || s[i+1] == '-' || s[i+1] == '+') {
		j := i + 1
		if s[j] == '-' || s[j] == '+' {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k > j {
			i = k
		}
	}
	if i < len(s) && s[i] == '%' {
		i++
	} else {
		u := 0
		for i < len(s) && isLetter(s[i]) && u < 3 {
			i++
			u++
		}
	}
	return i == len(s)
}

// isIPv4 accepts a dotted quad with an optional /prefix, leading slash or
// trailing dot.
func isIPv4(s string) bool {
	s = strings.TrimPrefix(s, "/")
	s = strings.TrimSuffix(s, ".")
	if k := strings.IndexByte(s, '/'); k >= 0 {
		if !allDigits(s[k+1:]) {
			return false
		}
		s = s[:k]
	}
	parts := 0
	for len(s) > 0 || parts == 0 {
		p := s
		if k := strings.IndexByte(s, '.'); k >= 0 {
			p, s = s[:k], s[k+1:]
			if len(s) == 0 {
				return false
			}
		} else {
			s = ""
		}
		if len(p) == 0 || len(p) > 3 || !allDigits(p) {
			return false
		}
		parts++
	}
	return parts == 4
}

// isHexID accepts UUIDs and hex digests: at least eight hex digits, with
// digits and letters mixed, optionally grouped by dashes, or 0x-prefixed.
func isHexID(s string) bool {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		for i := 2; i < len(s); i++ {
			if !isHex(s[i]) {
				return false
			}
		}
		return true
	}
	hex, letters := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-':
			if i == 0 || i == len(s)-1 || s[i-1] == '-' {
				return false
			}
		case isHex(c):
			hex++
			if !isDigit(c) {
				letters++
			}
		default:
			return false
		}
	}
	return hex >= 8 && letters > 0
}

// isHostname accepts a DNS name with a digit in it and at least three
// labels, ending in an alphabetic label: cp-1.slowvm1.example.com,
// ec2-52-80-34-196.compute.amazonaws.com. Without digits a name may be
// a Java class or a configuration key, and is left to clustering.
func isHostname(s string) bool {
	labels := 0
	last := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if i == last {
				return false
			}
			labels++
			last = i + 1
			continue
		}
		c := s[i]
		if !(c >= 'a' && c <= 'z') && !isDigit(c) && c != '-' {
			return false
		}
	}
	tld := s[strings.LastIndexByte(s, '.')+1:]
	for i := 0; i < len(tld); i++ {
		if !isLetter(tld[i]) {
			return false
		}
	}
	return labels >= 3 && len(tld) >= 2
}

// collapse rewrites, in out[start:], the runs that masking leaves behind:
// "<*><*>" and "<*>.<*>" (a float or an address split in parts) become one
// Wildcard, and so does "<*>,<*>": a comma-separated list of values is one
// variable of variable length. It works in place: the write index never
// passes the read index. Each rewrite needs two Wildcards, so a token with
// fewer (most) is left without a pass over it, and the bytes before the
// first are left where they are.
func collapse(out []byte, start int) []byte {
	first := bytes.Index(out[start:], wildcardBytes)
	if first < 0 || !bytes.Contains(out[start+first+len(Wildcard):], wildcardBytes) {
		return out
	}
	w, wildEnd := start+first, -1 // wildEnd: w right after the last Wildcard written
	for r := w; r < len(out); {
		if out[r] == '<' && wildAt(out, r) {
			if wildEnd != w {
				copy(out[w:], Wildcard)
				w += 3
				wildEnd = w
			}
			r += 3
			continue
		}
		if wildEnd == w && (out[r] == '.' || out[r] == ',') && wildAt(out, r+1) {
			r += 4
			continue
		}
		out[w] = out[r]
		w++
		r++
	}
	return out[:w]
}

var wildcardBytes = []byte(Wildcard)

func wildAt(b []byte, i int) bool {
	return i+3 <= len(b) && b[i] == '<' && b[i+1] == '*' && b[i+2] == '>'
}
