package logtemplate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cwlens/cwlens/internal/loggen"
)

// corpus returns messages written for these tests: a checkout service's
// access log, its errors, a worker's lifecycle and a noisy debug line.
func corpus() []string {
	var msgs []string
	users := []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace"}
	states := []string{"Started", "Stopped", "Paused"}
	for i := 0; i < 300; i++ {
		msgs = append(msgs,
			fmt.Sprintf(`INFO http_request{method=GET uri=/health} status=200 elapsed=%dms`, i%17),
			fmt.Sprintf("order %08x placed by user %s total=%d.%02d EUR", 0xbeef0000+i, users[i%len(users)], 10+i, i%100),
		)
		if i%3 == 0 {
			msgs = append(msgs, fmt.Sprintf("[worker: %08x-0000-4000-8000-%012d] Task %s (lifecycle event)", i, i, states[i%9/3]))
		}
		if i%10 == 0 {
			msgs = append(msgs, fmt.Sprintf("ERROR payment declined for order %d: card expired at 2025-%02d-01T00:00:00Z", 5000+i, 1+i%12))
		}
		if i%50 == 0 {
			msgs = append(msgs, fmt.Sprintf("DEBUG cache sizes: %s", strings.Repeat("42 ", 1+i%4)))
		}
	}
	return msgs
}

func mine(t *testing.T, cfg Config, msgs []string) (*Result, []ClusterID) {
	t.Helper()
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]ClusterID, len(msgs))
	for i, msg := range msgs {
		ids[i] = m.Add(msg)
	}
	return m.Result(), ids
}

func TestMinerTemplates(t *testing.T) {
	r, ids := mine(t, DefaultConfig(), corpus())
	want := map[string]int64{
		`INFO http_request{method=GET uri=/health} status=<*> elapsed=<*>`: 300,
		`order <*> placed by user <*> total=<*> EUR`:                       300,
		`[worker: <*>] Task Started (lifecycle event)`:                     34,
		`[worker: <*>] Task Stopped (lifecycle event)`:                     33,
		`[worker: <*>] Task Paused (lifecycle event)`:                      33,
		`ERROR payment declined for order <*>: card expired at <*>`:        30,
		`DEBUG cache sizes: <*>`:                                           6,
	}
	got := map[string]int64{}
	for _, tp := range r.Templates {
		got[tp.Text] = tp.Events
	}
	for text, n := range want {
		if got[text] != n {
			t.Errorf("template %q: %d events, want %d", text, got[text], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d templates, want %d: %v", len(got), len(want), got)
	}
	var sum Counts
	for _, tp := range r.Templates {
		sum.add(tp.Counts)
	}
	if sum != r.Total || r.Total.Events != int64(len(corpus())) {
		t.Errorf("sum of templates %+v, total %+v, %d messages", sum, r.Total, len(corpus()))
	}
	// Every message maps to a template that counts it.
	msgs := corpus()
	perTemplate := make([]int64, len(r.Templates))
	for i, msg := range msgs {
		k := r.Index(ids[i], msg)
		if k < 0 {
			t.Fatalf("message %q has no template", msg)
		}
		perTemplate[k]++
	}
	for k, tp := range r.Templates {
		if perTemplate[k] != tp.Events {
			t.Errorf("%q: %d messages indexed, %d counted", tp.Text, perTemplate[k], tp.Events)
		}
	}
	// Most bytes first.
	if !slices.IsSortedFunc(r.Templates, func(a, b Template) int { return int(b.Bytes - a.Bytes) }) {
		t.Error("templates not sorted by bytes")
	}
}

func TestMinerDeterministic(t *testing.T) {
	first, _ := mine(t, DefaultConfig(), corpus())
	for range 5 { // map iteration order differs from run to run
		again, _ := mine(t, DefaultConfig(), corpus())
		if !slices.Equal(first.Templates, again.Templates) {
			t.Fatalf("results differ:\n%v\n%v", first.Templates, again.Templates)
		}
	}
}

func TestMinerEviction(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxTemplates = 3
	var msgs []string
	for i := 0; i < 10; i++ {
		for j := 0; j <= i; j++ { // kind i occurs i+1 times
			msgs = append(msgs, fmt.Sprintf("kind%c happened here now", 'a'+i))
		}
	}
	r, ids := mine(t, cfg, msgs)
	if len(r.Templates) > 3 {
		t.Errorf("%d templates kept, cap 3", len(r.Templates))
	}
	if r.Evicted.Templates+len(r.Templates) != 10 || r.Evicted.Templates == 0 {
		t.Errorf("evicted %d templates and kept %d, want 10 in all", r.Evicted.Templates, len(r.Templates))
	}
	var kept int64
	for _, tp := range r.Templates {
		kept += tp.Events
	}
	if kept+r.Evicted.Current.Events != int64(len(msgs)) || r.Total.Events != int64(len(msgs)) {
		t.Errorf("kept %d + evicted %d != %d (total %d)", kept, r.Evicted.Current.Events, len(msgs), r.Total.Events)
	}
	if r.Templates[0].Text != "kindj happened here now" {
		t.Errorf("most used template %q, want kindj", r.Templates[0].Text)
	}
	if k := r.Index(ids[0], msgs[0]); k != -1 {
		t.Errorf("evicted message indexed to %d", k)
	}
}

func TestMinerBaseline(t *testing.T) {
	m, _ := New(DefaultConfig())
	for i := 0; i < 10; i++ {
		m.AddTo(Baseline, fmt.Sprintf("served request %d in %dms", i, i))
	}
	for i := 0; i < 30; i++ {
		m.AddTo(Current, fmt.Sprintf("served request %d in %dms", i, i))
		m.AddTo(Current, fmt.Sprintf("retrying connection to db-%d.internal.example.com", i%3))
	}
	r := m.Result()
	if len(r.Templates) != 2 {
		t.Fatalf("templates %v", r.Templates)
	}
	for _, tp := range r.Templates {
		switch tp.Text {
		case "served request <*> in <*>":
			if tp.Events != 30 || tp.Baseline.Events != 10 {
				t.Errorf("%q: %d now, %d baseline", tp.Text, tp.Events, tp.Baseline.Events)
			}
		case "retrying connection to <*>":
			if tp.Baseline.Events != 0 {
				t.Errorf("%q: baseline %d", tp.Text, tp.Baseline.Events)
			}
		default:
			t.Errorf("unexpected template %q", tp.Text)
		}
	}
	if r.Baseline.Events != 10 || r.Total.Events != 60 {
		t.Errorf("totals %+v %+v", r.Total, r.Baseline)
	}
}

// TestMinerMergesVariableRuns checks that messages differing only in how
// many variables a run holds (files, stack frames) form one template.
func TestMinerMergesVariableRuns(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
		want string
	}{
		{"paths", []string{
			"removing files /tmp/a1/x",
			"removing files /tmp/a1/x /tmp/b2/y",
			"removing files /tmp/a1/x /tmp/b2/y /tmp/c3/z",
		}, "removing files <*>"},
		{"hex list", []string{
			"init called (stack @0x4a1000 @0x4a2b10 @0x4a3c20)",
			"init called (stack @0x4a1000 @0x4a2b10 @0x4a3c20 @0x4a4d30)",
			"init called (stack @0x4a1000 @0x4a2b10)",
			"init called (stack @0x4a1000 @0x4b2b10 @0x4b3c20 @0x4b4d30)",
		}, "init called (stack @<*>)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ids := mine(t, DefaultConfig(), tt.msgs)
			if len(r.Templates) != 1 || r.Templates[0].Text != tt.want {
				t.Fatalf("templates %v, want one: %q", r.Templates, tt.want)
			}
			for i, msg := range tt.msgs {
				if r.Index(ids[i], msg) != 0 {
					t.Errorf("%q not in the merged template", msg)
				}
			}
		})
	}
}

func TestCollapseRuns(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a <*> <*> b", "a <*> b"},
		{"update (<*> <*>): x", "update (<*>): x"},
		{"stack @<*> @<*> @<*>)", "stack @<*>)"},
		{"k=<*> k=<*>, end", "k=<*>, end"},
		{"k=<*> j=<*>", "k=<*> j=<*>"}, // different keys are not a list
		{"a a b", "a a b"},             // constants are words, not a list
	}
	for _, tt := range tests {
		if got := collapseRuns(tt.in); got != tt.want {
			t.Errorf("collapseRuns(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCommonAffixes(t *testing.T) {
	tests := []struct{ a, b, pre, suf string }{
		{"rhost=<*>", "rhost=host.example.com", "rhost=", ""},
		{"Started", "Stopped", "", ""},
		{"com.example.billing.daily:", "com.example.search:", "com.example.", ":"},
		{"(10.5)", "(10.7)", "(", ")"}, // a number's dot is not a namespace's
	}
	for _, tt := range tests {
		if pre, suf := commonAffixes(tt.a, tt.b); pre != tt.pre || suf != tt.suf {
			t.Errorf("commonAffixes(%q, %q) = %q, %q; want %q, %q", tt.a, tt.b, pre, suf, tt.pre, tt.suf)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.SimThreshold = 0 },
		func(c *Config) { c.SimThreshold = 1.5 },
		func(c *Config) { c.PrefixTokens = -1 },
		func(c *Config) { c.MaxChildren = 0 },
		func(c *Config) { c.MaxTokens = 1 },
		func(c *Config) { c.MaxTemplates = 0 },
		func(c *Config) { c.EnumMaxValues = -1 },
		func(c *Config) { c.EnumMinShare = 2 },
	}
	for i, f := range bad {
		c := DefaultConfig()
		f(&c)
		if _, err := New(c); err == nil {
			t.Errorf("case %d: New accepted %+v", i, c)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
}

// FuzzMiner mines the lines of the input with a small template cap and
// checks the bookkeeping: totals add up, and every message that kept its
// template is counted by it.
func FuzzMiner(f *testing.F) {
	f.Add("a 1\na 2\nb x y\nb x z\nc\n")
	f.Add("VM Started\nVM Paused\nVM Started\nVM Paused\n<*> <*>\n<*>\n")
	f.Fuzz(func(t *testing.T, in string) {
		cfg := DefaultConfig()
		cfg.MaxTemplates = 4
		cfg.MaxTokens = 6
		m, _ := New(cfg)
		msgs := strings.Split(in, "\n")
		ids := make([]ClusterID, len(msgs))
		var total Counts
		for i, msg := range msgs {
			ids[i] = m.Add(msg)
			if ids[i] != NoCluster {
				total.add(Counts{1, int64(len(msg))})
			}
		}
		r := m.Result()
		var kept Counts
		for _, tp := range r.Templates {
			kept.add(tp.Counts)
		}
		kept.add(r.Evicted.Current)
		if kept != total || r.Total != total {
			t.Fatalf("kept+evicted %+v, total %+v, counted %+v", kept, r.Total, total)
		}
		indexed := make([]int64, len(r.Templates))
		for i, msg := range msgs {
			if ids[i] == NoCluster {
				continue
			}
			if k := r.Index(ids[i], msg); k >= 0 {
				indexed[k]++
			}
		}
		for k, tp := range r.Templates {
			if indexed[k] != tp.Events {
				t.Fatalf("%q: %d indexed, %d counted", tp.Text, indexed[k], tp.Events)
			}
		}
	})
}

// TestMinerLeadingVariable: a message that starts with a variable word
// (here a program name) lands in a different tree leaf per word; once the
// words outnumber an enumeration the leaves are one template, while a
// handful of leading verbs stay apart.
func TestMinerLeadingVariable(t *testing.T) {
	progs := []string{"firefox.exe", "slack.exe", "outlook.exe", "teams.exe", "zoom.exe", "code.exe", "git.exe", "curl.exe"}
	var msgs []string
	for i := 0; i < 80; i++ {
		msgs = append(msgs, fmt.Sprintf("%s opened connection to mail.example.org:%d through proxy gw.example.net:3128 HTTPS", progs[i%len(progs)], 400+i))
	}
	msgs = append(msgs, "Started worker pool", "Started worker pool", "Stopped worker pool", "Stopped worker pool")
	r, ids := mine(t, DefaultConfig(), msgs)
	var texts []string
	for _, tp := range r.Templates {
		texts = append(texts, tp.Text)
	}
	want := []string{
		"<*> opened connection to mail.example.org:<*> through proxy gw.example.net:<*> HTTPS",
		"Started worker pool",
		"Stopped worker pool",
	}
	if !slices.Equal(texts, want) {
		t.Fatalf("templates\n%q\nwant\n%q", texts, want)
	}
	for i, msg := range msgs[:80] {
		if r.Index(ids[i], msg) != 0 {
			t.Fatalf("%q not in the merged template", msg)
		}
	}
}

// TestMinerDatesAreNotEnumerations: a short log shows few days of the
// week, evenly; they stay a variable, and the whole date is one.
func TestMinerDatesAreNotEnumerations(t *testing.T) {
	var msgs []string
	for i := 0; i < 40; i++ {
		day := []string{"Sat", "Sun"}[i%2]
		msgs = append(msgs, fmt.Sprintf("connection from 10.0.0.%d at %s Jul %d 22:53:%02d 2005", i, day, 9+i%2, i))
	}
	r, _ := mine(t, DefaultConfig(), msgs)
	if len(r.Templates) != 1 || r.Templates[0].Text != "connection from <*> at <*>" {
		t.Fatalf("templates %v", r.Templates)
	}
}

// TestMinerInterfaceEnumerations: interface names (letters and a final
// digit) that each recur are an enumeration; longer digit runs are ids.
func TestMinerInterfaceEnumerations(t *testing.T) {
	var msgs []string
	for i := 0; i < 40; i++ {
		msgs = append(msgs,
			fmt.Sprintf("link up on %s", []string{"eth0", "wlan1"}[i%2]),
			fmt.Sprintf("session for user%d closed", 1000+i%2))
	}
	r, _ := mine(t, DefaultConfig(), msgs)
	var got []string
	for _, tp := range r.Templates {
		got = append(got, tp.Text)
	}
	slices.Sort(got)
	want := []string{"link up on eth0", "link up on wlan1", "session for <*> closed"}
	if !slices.Equal(got, want) {
		t.Fatalf("templates %q, want %q", got, want)
	}
}

// TestMinerKeyValueFields: the values of key=value fields are data, so
// lines that differ only there are one template, even when the values are
// words (more of them than an enumeration) and hold the tree's key position.
func TestMinerKeyValueFields(t *testing.T) {
	var msgs []string
	tags := []string{`"CacheSync"`, `"ORDER_FLUSH"`, `"*boot*"`, `"PdfExport"`, `"SessionReaper"`, `"mailQueue"`, `"INDEX_BUILD"`}
	names := []string{"billing", "com.example.orders", "web", "com.example.search", "mailer", "com.example.notes"}
	for i := 0; i < 28; i++ {
		msgs = append(msgs, fmt.Sprintf("acquire lock=%d, flags=0x1, tag=%s, name=%s, uid=%d", 1000+i, tags[i%7], names[i%6], 1000+i%3))
	}
	msgs = append(msgs, "release lock=1, flags=0x1, tag=\"CacheSync\", name=billing, uid=1")
	r, _ := mine(t, DefaultConfig(), msgs)
	var got []string
	for _, tp := range r.Templates {
		got = append(got, tp.Text)
	}
	slices.Sort(got)
	want := []string{
		`acquire lock=<*>, flags=<*>, tag="<*>", name=<*>, uid=<*>`,
		`release lock=<*>, flags=<*>, tag="CacheSync", name=billing, uid=<*>`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("templates %q, want %q", got, want)
	}
}

// TestMinerKeysSkipVariables: whole syslog lines of two kinds make two
// templates, whatever their dates: the header (time, host, program) is
// learned and taken off, and what is left of it would not be what the
// tree branches on either.
func TestMinerKeysSkipVariables(t *testing.T) {
	var msgs []string
	for i := 0; i < 60; i++ {
		day := []string{"Mon", "Tue", "Wed"}[i%3]
		msgs = append(msgs,
			fmt.Sprintf("%s Dec %d 06:55:%02d web-%d sshd[%d]: Accepted password for deploy from 10.0.0.%d port %d ssh2", day, 1+i%28, i, i%4, 2000+i, i, 40000+i),
			fmt.Sprintf("%s Dec %d 06:56:%02d web-%d sshd[%d]: Connection closed by 10.0.1.%d [preauth]", day, 1+i%28, i, i%4, 3000+i, i))
	}
	r, _ := mine(t, DefaultConfig(), msgs)
	var texts []string
	for _, tp := range r.Templates {
		texts = append(texts, tp.Text)
	}
	want := []string{
		"Accepted password for deploy from <*> port <*> ssh2",
		"Connection closed by <*> [preauth]",
	}
	if !slices.Equal(texts, want) {
		t.Fatalf("templates\n%q\nwant\n%q", texts, want)
	}
}

// TestCandidatesBounded checks that a message is compared with the most
// recently matched templates of its leaf only, and that a match makes its
// template the most recent.
func TestCandidatesBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.SimThreshold = 1
	m, _ := New(cfg)
	m.flush() // no header: mine from the first line
	msgs := oneOffs(maxCandidates + 10)
	first := m.Add(msgs[0])
	for _, s := range msgs[1:] {
		m.Add(s)
	}
	leaf := m.find(m.tok.tokens(msgs[0]))
	if len(leaf.clusters) != len(msgs) {
		t.Fatalf("%d templates in the leaf, want %d", len(leaf.clusters), len(msgs))
	}
	// The first template is past the candidates now: its message starts
	// another; a recent one is matched and moved to the front.
	if again := m.Add(msgs[0]); again == first {
		t.Errorf("a template beyond the %d candidates was compared", maxCandidates)
	}
	recent := msgs[len(msgs)-5]
	id := m.Add(recent)
	if m.Add(recent) != id || leaf.clusters[len(leaf.clusters)-1].id != id {
		t.Errorf("matched template not moved to the most recent place")
	}
}

// TestSameMeansMergeChangesNothing: where similarity says toks fits a
// cluster as it is (same), merging toks changes none of its tokens,
// prefixes or suffixes, so that observe may stand in for merge. It checks
// every candidate of every line of the mix and of Loghub-like lines.
func TestSameMeansMergeChangesNothing(t *testing.T) {
	var lines []string
	for _, l := range loggen.Mix(6000, 13) {
		lines = append(lines, l.Text)
	}
	for i := range 3000 {
		lines = append(lines, fmt.Sprintf("user=u%d action=%s took %dms", i%7, []string{"login", "logout", "view"}[i%3], i),
			fmt.Sprintf("rhost=%s port %d", []string{"a.example.com", "10.0.0.1", "b"}[i%3], i%5),
			fmt.Sprintf("opened a local file for reading from %s", []string{"file:alpha", "file:beta", "dir:gamma", "file:delta", "disk:x"}[i%5]))
	}
	m, _ := New(DefaultConfig())
	m.flush()
	same, checked := 0, 0
	for _, l := range lines {
		toks := m.tok.tokens(l)
		if leaf := m.find(toks); leaf != nil {
			for _, c := range leaf.clusters {
				if _, _, s := similarity(c, toks); s {
					same++
					cp := cloneCluster(c)
					m.merge(cp, toks, Current, Counts{Events: 1})
					if !slices.Equal(cp.tokens, c.tokens) {
						t.Fatalf("%q: same, but merge made %q of %q", l, cp.tokens, c.tokens)
					}
					for i, s := range c.slots {
						if (s == nil) != (cp.slots[i] == nil) || s != nil && (s.pre != cp.slots[i].pre || s.suf != cp.slots[i].suf) {
							t.Fatalf("%q: same, but merge changed position %d of %q", l, i, c.tokens)
						}
					}
				}
				checked++
			}
		}
		m.Add(l)
	}
	if same < 1000 || same == checked {
		t.Fatalf("%d of %d candidates same: the lines test too little", same, checked)
	}
}

// cloneCluster copies c deeply enough for merge to change the copy only.
func cloneCluster(c *cluster) *cluster {
	cp := *c
	cp.tokens = slices.Clone(c.tokens)
	cp.slots = make([]*slot, len(c.slots))
	for i, s := range c.slots {
		if s != nil {
			sc := *s
			sc.values = slices.Clone(s.values)
			cp.slots[i] = &sc
		}
	}
	return &cp
}

// TestKeyableAgreesWithScan: keyable, which settles words and key=value
// fields in its first pass, agrees with the rule it implements, checked
// byte by byte: no digit, no Wildcard, and not a key=value field.
func TestKeyableAgreesWithScan(t *testing.T) {
	ref := func(tok string) bool {
		return !strings.ContainsAny(tok, "0123456789") && !strings.Contains(tok, Wildcard) && kvKey(tok) < 0
	}
	const alphabet = "aZq_-.=<*>1 :\"/"
	r := rand.New(rand.NewPCG(7, 8))
	keyables := 0
	for range 300000 {
		tok := randomString(r, alphabet, 1, 17)
		got, want := keyable(tok), ref(tok)
		if got != want {
			t.Fatalf("keyable(%q) = %v, want %v", tok, got, want)
		}
		if want {
			keyables++
		}
	}
	for _, tok := range []string{"level=info", "level=<*>", "a=", "a==b", "ab=1", "a.b-c_d=x", "word", "Word.", "x<*>", "k<=v", "1a", "a1"} {
		if got, want := keyable(tok), ref(tok); got != want {
			t.Errorf("keyable(%q) = %v, want %v", tok, got, want)
		}
	}
	if keyables < 10000 {
		t.Fatalf("only %d keyable tokens: the inputs test too little", keyables)
	}
}

// TestRootMemoAgreesWithMap: rootOf, which answers JSON roots from
// rootMemo when it can, returns what the root map holds for every key,
// while lines (the mix's and JSON lines of many shapes, in a miner small
// enough to evict) add and remove roots, and right after setRoot changes
// the root it had remembered.
func TestRootMemoAgreesWithMap(t *testing.T) {
	var lines []string
	for i, l := range loggen.Mix(4000, 31) {
		lines = append(lines, l.Text, fmt.Sprintf(`{"k%d":"v","msg":"%s"}`, i%50, strings.Repeat("w ", i%4)))
	}
	cfg := DefaultConfig()
	cfg.MaxTemplates = 40
	m, _ := New(cfg)
	m.flush()
	probe := []rootKey{{1, "{absent}"}}
	hits := 0
	for i, l := range lines {
		m.Add(l)
		if toks := m.tok.tokens(l); m.tok.shape != "" {
			// The shape with one token more: another root, or none.
			probe = append(probe, rootKey{len(toks), m.tok.shape}, rootKey{len(toks) + 1, m.tok.shape})
		}
		for _, k := range probe[max(0, len(probe)-8):] {
			for range 2 { // the second lookup may come from the memo
				if got, want := m.rootOf(k), m.root[k]; got != want {
					t.Fatalf("line %d: rootOf(%v) = %p, the map holds %p", i, k, got, want)
				}
			}
			if m.root[k] != nil {
				hits++
			}
		}
	}
	if len(m.root) == 0 || hits < 1000 || m.evicted.templates == 0 {
		t.Fatalf("%d roots, %d found, %d evicted: the lines test too little", len(m.root), hits, m.evicted.templates)
	}
	k := probe[len(probe)-1]
	old := m.rootOf(k)
	n := &node{children: map[string]*node{}}
	m.setRoot(k, n)
	if got := m.rootOf(k); got != n {
		t.Fatalf("after setRoot: rootOf = %p, want the new root %p (old %p)", got, n, old)
	}
	m.setRoot(k, nil)
	if got := m.rootOf(k); got != nil {
		t.Fatalf("after removing the root: rootOf = %p, want nil", got)
	}
}
