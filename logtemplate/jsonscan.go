package logtemplate

import "github.com/go-json-experiment/json/jsontext"

// This file is the fast path of a JSON line's scan. jsontext (readObject)
// reads any JSON and is the authority on what is valid; on the small,
// flat objects that loggers write, its general decoder (a state machine,
// a reader and a token API per name and per value) costs about a third of
// a JSON line's time. scanObject reads the same objects in one pass over
// the line, taking names and values as substrings, and gives up on
// whatever it does not handle plainly (deep nesting,
// anything invalid): jsontext then reads the line as before. So it never
// accepts a line that jsontext would refuse, and where it accepts one it
// finds the fields jsontext finds (TestScanObjectAgreesWithJSONText).

// maxScanDepth bounds the nesting scanObject follows; deeper input is
// left to jsontext.
const maxScanDepth = 32

// jsonWS reports JSON's white space: space, tab, line feed, return.
func jsonWS(c byte) bool { return c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r') }

// scanObject reads the object that obj holds ('{' first, then only JSON
// white space after its '}') into t.fields and reports true, or reports
// false, with t.fields and t.path in any state, to leave obj to jsontext.
func (t *tokenizer) scanObject(obj string) bool {
	if len(obj) == 0 || obj[0] != '{' {
		return false
	}
	end, ok := t.scanMembers(obj, 1, 1)
	if !ok {
		return false
	}
	for ; end < len(obj); end++ {
		if !jsonWS(obj[end]) {
			return false
		}
	}
	return true
}

// scanMembers reads the members of the object whose '{' ends at i, at
// depth d, as readObject does, and returns the index after its '}'.
func (t *tokenizer) scanMembers(obj string, i, d int) (int, bool) {
	base := len(t.path)
	i = skipWS(obj, i)
	if i < len(obj) && obj[i] == '}' {
		return i + 1, true
	}
	for {
		if i >= len(obj) || obj[i] != '"' {
			return 0, false
		}
		ne, ok := scanString(obj, i)
		if !ok {
			return 0, false
		}
		// A top-level name is its own key, taken from the line; nested
		// ones are dotted paths, built in t.path.
		name := obj[i+1 : ne-1]
		t.path = t.path[:base]
		if base > 0 {
			t.path = append(t.path, '.')
			t.path = append(t.path, name...)
		}
		i = skipWS(obj, ne)
		if i >= len(obj) || obj[i] != ':' {
			return 0, false
		}
		i = skipWS(obj, i+1)
		if i >= len(obj) {
			return 0, false
		}
		if obj[i] == '{' && d < maxDepth {
			if base == 0 {
				t.path = append(t.path, name...)
			}
			if i, ok = t.scanMembers(obj, i+1, d+1); !ok {
				return 0, false
			}
		} else {
			start := i
			kind := obj[i]
			if i, ok = skipValue(obj, i, d); !ok {
				return 0, false
			}
			if kind == '-' || kind >= '0' && kind <= '9' {
				kind = '0'
			}
			if len(t.fields) < maxFields {
				var key *jsonKey
				if base == 0 {
					key = t.topKey(name)
				} else {
					key = t.jsonKey(t.path)
				}
				t.fields = append(t.fields, jsonField{
					key:  key,
					val:  obj[start:i],
					kind: jsontext.Kind(kind),
					msg:  d == 1 && kind == '"' && key.message,
				})
			}
		}
		i = skipWS(obj, i)
		if i >= len(obj) {
			return 0, false
		}
		switch obj[i] {
		case '}':
			return i + 1, true
		case ',':
			i = skipWS(obj, i+1)
		default:
			return 0, false
		}
	}
}

func skipWS(s string, i int) int {
	for i < len(s) && jsonWS(s[i]) {
		i++
	}
	return i
}

// skipValue returns the index after the value that starts at s[i], at
// depth d, or false where scanObject gives up.
func skipValue(s string, i, d int) (int, bool) {
	switch c := s[i]; {
	case c == '"':
		return scanString(s, i)
	case c == '-' || c >= '0' && c <= '9':
		return scanNumber(s, i)
	case c == 't':
		return literal(s, i, "true")
	case c == 'f':
		return literal(s, i, "false")
	case c == 'n':
		return literal(s, i, "null")
	case c == '{' || c == '[':
		if d >= maxScanDepth {
			return 0, false
		}
		return skipContainer(s, i, d)
	}
	return 0, false
}

// skipContainer skips the object or array that opens at s[i].
func skipContainer(s string, i, d int) (int, bool) {
	close := byte(']')
	if s[i] == '{' {
		close = '}'
	}
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == close {
		return i + 1, true
	}
	for {
		var ok bool
		if i >= len(s) {
			return 0, false
		}
		if close == '}' {
			if s[i] != '"' {
				return 0, false
			}
			if i, ok = scanString(s, i); !ok {
				return 0, false
			}
			if i = skipWS(s, i); i >= len(s) || s[i] != ':' {
				return 0, false
			}
			if i = skipWS(s, i+1); i >= len(s) {
				return 0, false
			}
		}
		if i, ok = skipValue(s, i, d+1); !ok {
			return 0, false
		}
		if i = skipWS(s, i); i >= len(s) {
			return 0, false
		}
		switch s[i] {
		case close:
			return i + 1, true
		case ',':
			i = skipWS(s, i+1)
		default:
			return 0, false
		}
	}
}

// literal matches the literal lit at s[i].
func literal(s string, i int, lit string) (int, bool) {
	if len(s)-i < len(lit) || s[i:i+len(lit)] != lit {
		return 0, false
	}
	return i + len(lit), true
}

// scanNumber returns the index after the JSON number at s[i]:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. What follows it is the
// caller's to judge: a delimiter, or a refusal (01, 1.2.3).
func scanNumber(s string, i int) (int, bool) {
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = digitsFrom(s, i)
	default:
		return 0, false
	}
	if i < len(s) && s[i] == '.' {
		j := digitsFrom(s, i+1)
		if j == i+1 {
			return 0, false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digitsFrom(s, i)
		if j == i {
			return 0, false
		}
		i = j
	}
	return i, true
}

func digitsFrom(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// scanString returns the index after the string whose opening quote is
// s[i]. It accepts any byte from 0x20 on (jsontext is told to allow
// invalid UTF-8) and the escapes \" \\ \/ \b \f \n \r \t and \uXXXX;
// it gives up on anything else.
func scanString(s string, i int) (int, bool) {
	for i++; ; {
		if i >= len(s) {
			return 0, false
		}
		switch c := s[i]; {
		case c == '"':
			return i + 1, true
		case c < 0x20:
			return 0, false
		case c == '\\':
			if i+1 >= len(s) {
				return 0, false
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u': // surrogates paired or not: jsontext allows them with invalid UTF-8
				if len(s)-i < 6 || !hex4(s[i+2:i+6]) {
					return 0, false
				}
				i += 6
			default:
				return 0, false
			}
		default:
			i++
		}
	}
}

func hex4(s string) bool {
	for i := 0; i < 4; i++ {
		c := s[i]
		if !(isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f') {
			return false
		}
	}
	return true
}
