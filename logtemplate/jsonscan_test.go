package logtemplate

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cwlens/cwlens/internal/loggen"
)

// scanSeeds are JSON objects, valid and not, that loggers write or that
// probe the scanner's edges: escapes, surrogates, numbers, literals,
// nesting past maxDepth and maxScanDepth, arrays, repeated keys, trailing
// bytes.
var scanSeeds = []string{
	`{}`, `{ }`, `{"a":1}`, ` {"a":1}`, `{"a":1} `, "{\"a\":1}\t\r",
	`{"level":"info","msg":"request done","order_id":"ord_n02r5md0cc","ms":12}`,
	`{"level": "info", "ts": "2025-01-01T00:00:00Z", "msg": "a \"quoted\" word\nat x.y(z)"}`,
	`{"msg":"\u003cb\u003e \/ \b\f\r\t \\"}`, `{"msg":"\ud83d\ude00"}`, `{"msg":"\uDC00"}`, `{"msg":"\ud800\u0041"}`, `{"msg":"\uD800"}`, `{"msg":"x\udfff\ud800"}`, `{"msg":"\u12"}`, `{"msg":"\u00zz"}`,
	`{"msg":"\x"}`, "{\"msg\":\"tab\there\"}", `{"n":-0.5e+10,"m":0,"k":-1,"e":1E5,"f":1.0}`,
	`{"n":01}`, `{"n":1.}`, `{"n":.5}`, `{"n":-}`, `{"n":1e}`, `{"n":+1}`, `{"n":1.2.3}`,
	`{"t":true,"f":false,"z":null}`, `{"t":tru}`, `{"t":truex}`, `{"t":nul}`,
	`{"a":[1,"x",{"b":[]},[[]],null]}`, `{"a":[1,]}`, `{"a":[,1]}`, `{"a":[1 2]}`,
	`{"a":{"b":{"c":{"d":{"e":1}}}}}`, `{"a":{"b":{"c":{"d":{"e":{"f":2}}}}}}`,
	`{"":1}`, `{"a":1,"a":2}`, `{"a.b":1,"a":{"b":2}}`, `{"a":1,}`, `{,"a":1}`, `{"a" 1}`,
	`{"a":1}}`, `{"a":1} x`, `{"a":1} {"b":2}`, `{"a":1`, `{"a`, `{a:1}`, `{'a':1}`,
	`{"a":"caf` + "\xe9" + `"}`, "{\"a\":\"\x01\"}", "{\"a\":\"\x7f\"}", "{\"a\":1}\v",
	`{"record":{"requestId":"r","metrics":{"durationMs":1.5,"billedDurationMs":2}},"status":"success"}`,
	`{"level":"warn","msg":"slow query","db":{"table":"orders","rows":3,"ms":9},"trace_id":"x"}`,
	`{"a":{"msg":"nested"},"msg":"top","b":{"message":"x","c":{"log":"y"}}}`, `{"a":{}}`, `{"a":{"b":{}}}`, `{"a" : { "b" : [ ] } , "c" : "d" }`,
	`{"":{"msg":"x"}}`, `{"msg":"a long message \"with\" quotes\\ and \u00e9 escapes, past eight bytes\"","k":"12345678\"9"}`,
	"{\"msg\":\"eight by\x01tes and more\"}", "{\"msg\":\"0123456\x1f\"}", "{\"msg\":\"\xff\xfe\x80\x7f\x20\x21\x5b\x5d longer\"}",
}

// deepSeed nests past maxScanDepth, which the scan leaves to jsontext.
var deepSeed = `{"a":` + strings.Repeat(`[`, maxScanDepth+2) + strings.Repeat(`]`, maxScanDepth+2) + `}`

// wideSeed has more fields than maxFields, some of them nested.
var wideSeed = func() string {
	var b strings.Builder
	b.WriteString(`{"msg":"wide"`)
	for i := range maxFields + 6 {
		fmt.Fprintf(&b, `,"k%d":%d,"o%d":{"v":"x"}`, i, i, i)
	}
	return b.String() + "}"
}()

// checkScan compares the fast scan of obj with jsontext's: where the
// scan accepts obj, jsontext must too, with the same fields. It reports
// whether each accepted obj.
func checkScan(t *testing.T, tk *tokenizer, obj string) (fast, lib bool) {
	t.Helper()
	tk.fields, tk.path = tk.fields[:0], tk.path[:0]
	fast = tk.scanObject(obj)
	got := describeFields(tk.fields)
	tk.fields, tk.path = tk.fields[:0], tk.path[:0]
	lib = tk.decodeJSON(obj)
	want := describeFields(tk.fields)
	if fast && !lib {
		t.Fatalf("scanObject accepts %q, which jsontext refuses", obj)
	}
	if fast && got != want {
		t.Fatalf("scanObject(%q) fields\n%s\njsontext's\n%s", obj, got, want)
	}
	return fast, lib
}

func describeFields(fs []jsonField) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%q=%q kind %c msg %v\n", f.key.name, f.val, f.kind, f.msg)
	}
	return b.String()
}

// TestScanObjectAgreesWithJSONText: on the seeds, the mix's JSON lines
// and 120,000 random mutations of them (bytes inserted, deleted or
// replaced from JSON's punctuation, escapes, digits, literals' letters,
// control and non-UTF-8 bytes), the fast scan never accepts what jsontext
// refuses, and finds jsontext's fields where it accepts. It also checks
// that the inputs exercise both: many accepted, many refused.
func TestScanObjectAgreesWithJSONText(t *testing.T) {
	seeds := append(append([]string{}, scanSeeds...), deepSeed, wideSeed)
	for _, l := range loggen.Mix(4000, 9) {
		if j := jsonStart(l.Text); j >= 0 {
			seeds = append(seeds, l.Text[j:])
		}
	}
	tk := newTokenizer(DefaultConfig().MaxTokens)
	for _, s := range seeds {
		checkScan(t, tk, s)
	}
	if fast, _ := checkScan(t, tk, deepSeed); fast {
		t.Errorf("scanObject followed %d levels, past maxScanDepth", maxScanDepth+2)
	}
	const alphabet = "{}[]\":,\\/ \t\nu0123456789.eE+-abcdeftrulsn\x01\x7f\xe9"
	r := rand.New(rand.NewPCG(11, 12))
	accepted, refused, declined := 0, 0, 0
	for range 120000 {
		b := []byte(seeds[r.IntN(len(seeds))])
		for range 1 + r.IntN(3) {
			k := r.IntN(len(b) + 1)
			c := alphabet[r.IntN(len(alphabet))]
			switch r.IntN(3) {
			case 0:
				b = append(b[:k], append([]byte{c}, b[k:]...)...)
			case 1:
				if k < len(b) {
					b = append(b[:k], b[k+1:]...)
				}
			default:
				if k < len(b) {
					b[k] = c
				}
			}
		}
		fast, lib := checkScan(t, tk, string(b))
		switch {
		case fast:
			accepted++
		case lib:
			declined++
		default:
			refused++
		}
	}
	t.Logf("accepted %d, refused by both %d, left to jsontext and accepted by it %d", accepted, refused, declined)
	if accepted < 20000 || refused < 20000 {
		t.Errorf("accepted %d, refused %d: the mutations test too little", accepted, refused)
	}
}

// FuzzScanObject: the fast scan never accepts what jsontext refuses, and
// finds jsontext's fields where it accepts.
func FuzzScanObject(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add(s)
	}
	f.Add(deepSeed)
	f.Add(wideSeed)
	tk := newTokenizer(DefaultConfig().MaxTokens)
	f.Fuzz(func(t *testing.T, s string) {
		checkScan(t, tk, s)
	})
}

// TestNotKeyIsNotKeyable: the positions a JSON line's tokens are marked
// as known not keyable (notKey, which find skips) hold tokens keyable
// refuses, and every other token within keyScan is left for keyable to
// judge, on the mix and on fields whose tokens may be keyable (keys that
// are no kvKey, empty and null values).
func TestNotKeyIsNotKeyable(t *testing.T) {
	lines := append([]string{
		`{"@level":"info","@kind":null,"k":"","msg":"hi"}`,
		`{"@level":"info","@kind":null,"k":"","msg":"hi","a":"b"}`,
		`{"a b":"c","level":"warn","x":1}`,
		`prefix text {"level":"info","msg":"job Dec 07 done","ts":"12:00"}`,
		`{"msg":"job Dec 07 done","a":1,"b@x":"info"}`, // joinDates moves b@x=info to a marked place
	}, scanSeeds...)
	for _, l := range loggen.Mix(4000, 21) {
		lines = append(lines, l.Text)
	}
	tk := newTokenizer(DefaultConfig().MaxTokens)
	marked, keyables := 0, 0
	for range 2 { // the second pass takes word tokens from jsonKey's cache
		for _, l := range lines {
			toks := tk.tokens(l)
			for p := 0; p < len(toks) && p < keyScan; p++ {
				k := keyable(toks[p])
				if tk.notKey&(1<<p) != 0 {
					marked++
					if k {
						t.Fatalf("%q: token %d %q marked not keyable, but it is", l, p, toks[p])
					}
				} else if k {
					keyables++
				}
			}
		}
	}
	if marked < 10000 || keyables < 1000 {
		t.Fatalf("%d marked, %d keyable: the lines test too little", marked, keyables)
	}
}

// TestFindTakesKeyableBranches: find, which skips the positions marked
// notKey and scans the keys in its own loop, reaches the node that the
// walk by nextKey over every token (keyable judging each) reaches, on the
// mix and on JSON lines with keyable fields.
func TestFindTakesKeyableBranches(t *testing.T) {
	ref := func(m *Miner, toks []string) *node {
		n := m.rootOf(rootKey{len(toks), m.tok.shape})
		p := nextKey(toks, 0, 0)
		for d := 0; n != nil && d < m.cfg.PrefixTokens && p >= 0; d++ {
			next, ok := n.children[toks[p]]
			if !ok && len(n.children) >= m.cfg.MaxChildren {
				next = n.children[Wildcard]
			}
			n = next
			p = nextKey(toks, p+1, 0)
		}
		return n
	}
	var lines []string
	for i, l := range loggen.Mix(6000, 23) {
		lines = append(lines, l.Text, fmt.Sprintf(`{"msg":"job %d Dec 07 done","a":1,"b@x":"%s","@k":null}`, i%3, []string{"x", "y"}[i%2]))
	}
	m, _ := New(DefaultConfig())
	m.flush()
	found := 0
	for _, l := range lines {
		toks := m.tok.tokens(l)
		got, want := m.find(toks), ref(m, toks)
		if got != want {
			t.Fatalf("%q: find reached another node than nextKey's walk", l)
		}
		if got != nil {
			found++
		}
		m.Add(l)
	}
	if found < len(lines)/2 {
		t.Fatalf("only %d of %d lines found a leaf: the lines test too little", found, len(lines))
	}
}

// TestShapeMemoKeepsFewShapes: once warm, the JSON shape memo learns no
// shape again while a stream repeats a dozen key sequences (the mix's
// JSON events, in all their key orders, and a few more): they share its
// slots without evicting each other.
func TestShapeMemoKeepsFewShapes(t *testing.T) {
	var lines []string
	for _, l := range loggen.Mix(20000, 5) {
		if strings.Contains(l.Truth, "json") {
			lines = append(lines, l.Text)
		}
	}
	for i := range 4 {
		lines = append(lines, fmt.Sprintf(`{"svc%d":"a","level":"info","msg":"more shapes"}`, i))
	}
	tk := newTokenizer(DefaultConfig().MaxTokens)
	for _, l := range lines {
		tk.tokens(l)
	}
	learned := tk.shapeMisses
	if learned > 24 {
		t.Fatalf("%d shapes learned for a dozen key sequences", learned)
	}
	for range 3 {
		for _, l := range lines {
			tk.tokens(l)
		}
	}
	if n := tk.shapeMisses - learned; n != 0 {
		t.Errorf("%d shapes learned again over %d warm lines, want 0", n, 3*len(lines))
	}
}
