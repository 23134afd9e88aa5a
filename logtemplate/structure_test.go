package logtemplate

import (
	"math/rand/v2"
	"testing"
)

// mine returns the template text of each message, mined together.
func mineTexts(t *testing.T, msgs ...string) []string {
	t.Helper()
	m, _ := New(DefaultConfig())
	ids := make([]ClusterID, len(msgs))
	for i, s := range msgs {
		ids[i] = m.Add(s)
	}
	r := m.Result()
	out := make([]string, len(msgs))
	for i, s := range msgs {
		if k := r.Index(ids[i], s); k >= 0 {
			out[i] = r.Templates[k].Text
		}
	}
	return out
}

func TestStructureOneTemplate(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
		want string
	}{
		{"json compact, spaced, reordered", []string{
			`{"level":"info","msg":"request done","order_id":"ord_n02r5md0cc","ms":12}`,
			`{"level": "info", "msg": "request done", "order_id": "ord_x9a1", "ms": 7}`,
			`{"ms":130,"order_id":"ord_zz","msg":"request done","level":"info"}`,
		}, "request done level=info ms=<*> order_id=<*>"},
		{"json nested", []string{
			`{"msg":"slow query","db":{"table":"orders","rows":12}}`,
			`{"msg":"slow query","db":{"table":"items","rows":7}}`,
		}, "slow query db.rows=<*> db.table=<*>"},
		{"json after a text prefix", []string{
			`2026-12-07T19:00:00.123Z INFO {"msg":"job started","job":"job_1"}`,
			`2026-12-07T19:00:01.999Z INFO {"msg":"job started","job":"job_27"}`,
		}, "<*> INFO job started job=<*>"},
		{"json message with a stack trace", []string{
			`{"level":"error","message":"boom\njava.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)"}`,
			`{"level":"error","message":"boom\njava.lang.IllegalStateException: y\n\tat a.B.c(B.java:1)"}`,
		}, "boom [stack-trace] java.lang.IllegalStateException: <*> level=error"},
		{"logfmt with quoted values", []string{
			`level=info msg="job finished" job_id=job_1 error="smtp timeout after 30s"`,
			`level=info msg="job finished" job_id=job_22 error="smtp timeout after 5s"`,
		}, "level=info msg= job finished job_id=<*> error=<*>"},
		{"access log whatever the user agent", []string{
			`10.0.0.1 - - [07/Dec/2026:19:00:00 +0000] "GET /api/orders/1 HTTP/1.1" 200 512 "-" "curl/8.4.0"`,
			`10.0.0.2 - - [07/Dec/2026:19:00:01 +0000] "GET /health HTTP/1.1" 200 2 "-" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"`,
		}, `<*> - - [<*>/Dec/<*>:<*>:<*>:<*> <*>] "GET <*>" <*> <*> "<*>" "<*>"`},
		{"java trace of any depth", []string{
			"ERROR [main] c.e.Svc - Order 1 failed\njava.lang.IllegalStateException: stock\n\tat a.b.C.d(C.java:1)\n\tat a.b.C.e(C.java:2)\nCaused by: x.Y: z\n\t... 3 more",
			"ERROR [main] c.e.Svc - Order 22 failed\njava.lang.IllegalStateException: stock\n\tat a.b.C.d(C.java:1)",
		}, "ERROR [main] c.e.Svc - Order <*> failed [stack-trace] java.lang.IllegalStateException: stock"},
		{"go panic", []string{
			"panic: runtime error: index out of range [5] with length 3\n\ngoroutine 1 [running]:\nmain.f(...)\n\t/app/main.go:5 +0x1d\nmain.main()\n\t/app/main.go:9 +0x25\nexit status 2",
			"panic: runtime error: index out of range [7] with length 1\n\ngoroutine 12 [running]:\nmain.main()\n\t/app/main.go:9 +0x25",
		}, "panic: runtime error: index out of range [<*>] with length <*> [goroutines]"},
		{"python traceback", []string{
			"unhandled error\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 3, in handler\n    charge(o)\nKeyError: 'amount'",
			"unhandled error\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 3, in handler\n    charge(o)\n  File \"/var/task/pay.py\", line 9, in charge\n    o['amount']\nKeyError: 'amount'",
		}, "unhandled error [traceback] KeyError: 'amount'"},
		{"node trace", []string{
			"Error: connect ECONNREFUSED 10.0.0.5:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)",
			"Error: connect ECONNREFUSED 10.0.0.9:5432\n    at a (x.js:1:2)\n    at b (x.js:3:4)",
		}, "Error: connect ECONNREFUSED <*>:<*> [stack-trace]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mineTexts(t, tc.msgs...)
			for i, g := range got {
				if g != tc.want {
					t.Errorf("message %d: template %q, want %q", i, g, tc.want)
				}
			}
		})
	}
}

func TestStructureKeepsStatementsApart(t *testing.T) {
	tests := []struct {
		name string
		a, b string
	}{
		{"json messages", `{"level":"info","msg":"request done","ms":1}`, `{"level":"info","msg":"cache miss","ms":1}`},
		{"json key sets", `{"level":"info","msg":"request done","ms":1}`, `{"level":"info","msg":"request done","bytes":1}`},
		{"logfmt messages", `level=info msg="job finished" id=1`, `level=info msg="job queued" id=1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Several of each, so that neither is a one-off.
			var msgs []string
			for i := 0; i < 3; i++ {
				msgs = append(msgs, tc.a, tc.b)
			}
			got := mineTexts(t, msgs...)
			if got[0] == got[1] {
				t.Errorf("one template %q for both", got[0])
			}
		})
	}
}

func TestStructureMalformedIsText(t *testing.T) {
	for _, s := range []string{
		`{"level":"info","msg":"cut off`,
		`{"level":"info" "msg":"no colon"}`,
		`{"a":1} trailing {"b":2}`,
		"{}",
		`{"message":{"nested":true}}`,
		`{"message":42}`,
		`{"message":""}`,
		"\x1b]0;title\a\x1b[2J plain text",
		`"GET /unterminated`,
		`key="unterminated value`,
	} {
		got := mineTexts(t, s)
		if got[0] == "" {
			t.Errorf("%q: no template", s)
		}
	}
}

// TestNextWord: the word scan, four bytes a step, finds the words and
// the unions of their classes that a scan byte by byte finds, whatever
// the words' lengths and where the spaces fall.
func TestNextWord(t *testing.T) {
	ref := func(s string, i int) (int, int, uint16) {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		j, u := i, uint16(0)
		for ; j < len(s) && !isSpace(s[j]); j++ {
			u |= class[s[j]]
		}
		return i, j, u
	}
	const alphabet = "ab1.:=\"<>/_ \t\n"
	r := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		s := randomString(r, alphabet, 0, 40)
		for i := 0; i < len(s); {
			gi, gj, gu := nextWord(s, i)
			wi, wj, wu := ref(s, i)
			if gi != wi || gj != wj || gu != wu {
				t.Fatalf("nextWord(%q, %d) = %d, %d, %#x; want %d, %d, %#x", s, i, gi, gj, gu, wi, wj, wu)
			}
			if gj <= i {
				break
			}
			i = gj
		}
	}
}

// TestClosingQuote: the quote-to-quote scan finds the closing quote that
// a scan byte by byte, skipping each escaped byte, finds, from any start.
func TestClosingQuote(t *testing.T) {
	ref := func(s string, from int) int {
		for i := from; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '"':
				return i
			}
		}
		return -1
	}
	const alphabet = `a"\\ `
	r := rand.New(rand.NewPCG(5, 6))
	found := 0
	for range 200000 {
		s := randomString(r, alphabet, 0, 48)
		from := r.IntN(len(s) + 1)
		got, want := closingQuote(s, from), ref(s, from)
		if got != want {
			t.Fatalf("closingQuote(%q, %d) = %d, want %d", s, from, got, want)
		}
		if want >= 0 {
			found++
		}
	}
	if found < 10000 {
		t.Fatalf("only %d closing quotes found: the inputs test too little", found)
	}
}

// randomString returns a string of lo to hi-1 bytes drawn from
// alphabet, for the tests that compare a fast scan with a plain one.
func randomString(r *rand.Rand, alphabet string, lo, hi int) string {
	b := make([]byte, lo+r.IntN(hi-lo))
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}
