package logtemplate

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ssh2", "ssh2"},
		{"Started", "Started"},
		{"6725", "<*>"},
		{"-2", "<*>"},
		{"0.2477829", "<*>"},
		{"19.05", "<*>"},
		{"64172MB", "<*>"},
		{"99.5%", "<*>"},
		{"1e-5", "<*>"},
		{"(uid=0)", "(uid=<*>)"},
		{"11:", "<*>:"},
		{"16,", "<*>,"},
		{"10.251.73.220:50010", "<*>:<*>"},
		{"/10.251.30.6:33145", "<*>:<*>"},
		{"[198.51.100.23]", "[<*>]"},
		{"10.0.0.7,10.0.0.1", "<*>"},
		{"blk_-4312980012345678901", "<*>"},
		{"job_1445144423722_0020", "<*>"},
		{"b9000564-fe1a-409b-b8cc-1e88b294cd1d]", "<*>]"},
		{"a489c868f0c37da93b76227c91bb03908ac0e742", "<*>"},
		{"0xdeadbeef", "<*>"},
		{"deadbeef", "deadbeef"}, // no digit: could be a word
		{"/var/log/app/2024/out.log", "<*>"},
		{"/usr/local/bin", "<*>"},
		{"/health", "/health"},
		{"/v1", "<*>"},
		{"uri=/health}", "uri=/health}"},
		{"rhost=web-7.eu-west-1.example.com", "rhost=<*>"},
		{"com.example.OrderService", "com.example.OrderService"},
		{"2017-05-16", "<*>-<*>-<*>"},
		{"05:00:00.", "<*>:<*>:<*>."},
		{"2025-01-01T00:00:00.123+02:00,", "<*>,"},
		{"at=2025-01-01T00:00:00Z.", "at=<*>."},
		{"00000000-0000-4000-8000-000000000001", "<*>"},
		{"HTTP/1.1\"", "HTTP/<*>\""},
		{"part-7", "part-<*>"},
		{"log4j", "log4j"},
		{"https://api.example.com/v1/orders/42?x=1", "https://<*>"},
		{"(https://example.com/a).", "(https://<*>)."},
		{"elapsed=12ms", "elapsed=<*>"},
		{"core.123", "core.<*>"},
		{"v6.1.7601.23505", "<*>"},
		{"v2", "v2"},
		{"core.2275", "core.<*>"},
		{"cache_init()", "cache_init()"},
		{"broadcast_7", "<*>"},
		{"x86", "x86"},
		{`C:\Windows\System32\drivers`, "C:<*>"},
		{`\\server\share`, "<*>"},
		{"1514038530000##7007", "<*>##<*>"},
		{"user1234", "user1234"}, // a word with digits: clustering decides
		{"@0x4a2b10", "@<*>"},
		{"[812/0x7f00c0de1000]", "[<*>/<*>]"},
		{"cached:false,", "cached:<*>,"},
		{"True", "<*>"},
		{"enabled=true)", "enabled=<*>)"},
		{"trueness", "trueness"},
		{"falsehood:", "falsehood:"},
		{"Yes", "Yes"}, // also names a state: clustering decides
	}
	tok := newTokenizer(128)
	for _, tt := range tests {
		if got := tok.mask(tt.in); got != tt.want {
			t.Errorf("mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokensCapsLength(t *testing.T) {
	tok := newTokenizer(4)
	got := tok.tokens("  a  b\tc d e f ")
	if strings.Join(got, "|") != "a|b|c|<*>" {
		t.Fatalf("tokens = %q", got)
	}
	if got := tok.tokens(" \t "); len(got) != 0 {
		t.Fatalf("blank message gave tokens %q", got)
	}
}

// FuzzTokens checks that tokenising never panics, yields tokens without
// white space, and that masking is idempotent (a template masks to itself).
func FuzzTokens(f *testing.F) {
	for _, s := range []string{
		"Received block blk_-1 of size 67108864 from /10.0.0.1",
		"pam_unix(sshd:auth): authentication failure; logname= uid=0 rhost=a.b.c",
		`10.0.0.1 "GET /v2/x/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.24`,
		"<*>.<*>,<*> :// http:// 0x -. 1e+ %",
		`{"level":"info","msg":"request done","order_id":"ord_n02r5md0cc","ms":12}`,
		`x {"a":{"b":{"c":{"d":{"e":1}}}},"m":"a\nb\tat c","s":"two words"}`,
		`level=info msg="a \"quoted\" word" k=v e="two words"`,
		`1.2.3.4 - - [x] "GET / HTTP/1.1" 200 1 "-" "ua (x; y)"`,
		"a\nTraceback (most recent call last):\n  File \"x\", line 1\nE: y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		tok := newTokenizer(16)
		toks := tok.tokens(msg)
		if len(toks) > 16 {
			t.Fatalf("%d tokens, cap 16", len(toks))
		}
		for _, x := range toks {
			if x == "" || strings.ContainsAny(x, " \t\n\r\v\f") {
				t.Fatalf("bad token %q", x)
			}
			if again := newTokenizer(16).mask(x); again != x {
				t.Fatalf("mask not idempotent: %q -> %q", x, again)
			}
		}
	})
}

func TestTokensMaskWrittenDates(t *testing.T) {
	tok := newTokenizer(128)
	for in, want := range map[string]string{
		"[Sun Mar 12 09:15:02 2006] [notice] cacheWorker.start() ok": "[<*>] [notice] cacheWorker.start() ok",
		"Jun 02 11:20:31 gateway sshd[3141]: Invalid user":           "<*> gateway sshd[<*>]: Invalid user",
		"May I help? Mon is free":                                    "May I help? Mon is free", // no number beside them
		"from 10.0.0.1 (h) at Tue Mar 04 18:20:07 2025":              "from <*> (h) at <*>",
		"Mar 04 1 2 3 4 5 6":                                         "<*> <*> <*>",          // at most six tokens
		"Mar 04 [12]":                                                "<*> [<*>]",            // an opening bracket is another field
		"at [Mar 04] 12:00:01":                                       "at [<*>] <*>:<*>:<*>", // a closing bracket ends the date
	} {
		if got := strings.Join(tok.tokens(in), " "); got != want {
			t.Errorf("tokens(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNumberMaskAgreesWithRules: the number shortcut gives what the
// rules give, on hand-picked shapes and on random strings of digits,
// dots and colons; it declines the shapes the rules keep or that it does
// not know.
func TestNumberMaskAgreesWithRules(t *testing.T) {
	tk := newTokenizer(DefaultConfig().MaxTokens)
	check := func(tok string) bool {
		t.Helper()
		u := classes(tok)
		m := numberMask(tok, u)
		if m == "" {
			return false
		}
		if got := tk.maskRules(tok, u); got != m {
			t.Errorf("numberMask(%q) = %q, but the rules give %q", tok, m, got)
		}
		return true
	}
	for _, tc := range []struct {
		tok  string
		want bool
	}{
		{"200", true}, {"0.285", true}, {"10.0.2.3", true}, {"2.31.0", true},
		{"10.0.2.3:8080", true}, {"19:34:55", true}, {"0:1:2:3", false},
		{"1..2", false}, {"1.", false}, {".5", false}, {"1.:2", false}, {"1:.2", false},
		{"12:", false}, {":12", false}, {"1.2a", false}, {"[1]", false}, {"1,2", false},
	} {
		if got := check(tc.tok); got != tc.want {
			t.Errorf("numberMask(%q) claimed it: %v, want %v", tc.tok, got, tc.want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 0, 24)
	claimed := 0
	for range 300000 {
		b = b[:0]
		for range 1 + r.IntN(24) {
			switch r.IntN(6) {
			case 0:
				b = append(b, '.')
			case 1:
				b = append(b, ':')
			default:
				b = append(b, byte('0'+r.IntN(10)))
			}
		}
		if check(string(b)) {
			claimed++
		}
	}
	if claimed < 1000 {
		t.Errorf("the random strings exercised the shortcut %d times", claimed)
	}
}
