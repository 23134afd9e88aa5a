package logtemplate

import (
	"slices"
	"strings"
)

// Window says which of the two compared periods a message belongs to.
type Window int

const (
	// Current is the period under study (the flood).
	Current Window = iota
	// Baseline is the period it is compared with.
	Baseline
)

// Counts are the events and bytes a template saw in one window.
type Counts struct {
	Events int64 `json:"events"`
	Bytes  int64 `json:"bytes"`
}

func (c *Counts) add(o Counts) { c.Events += o.Events; c.Bytes += o.Bytes }

// ClusterID names the cluster a message was put in; Result.Index turns it
// into the message's final template.
type ClusterID int32

// NoCluster is returned for a message that had no tokens.
const NoCluster ClusterID = -1

// Miner groups log messages into templates in the manner of Drain (He et
// al., ICWS 2017): a tree keyed by token count and leading tokens leads to a
// few candidate templates, the most similar one takes the message if it is
// similar enough, and the positions where they differ become variables.
// Unlike Drain it masks variables with general rules rather than
// per-dataset regular expressions, keeps a field's constant prefix and
// suffix when it turns it into a variable ("rhost=<*>"), splits variables
// that turn out to be small enumerations back into separate templates,
// and merges templates that differ only in the length of a run of
// variables (see Result).
//
// A Miner is not safe for concurrent use. Its memory is bounded by
// Config.MaxTemplates.
type Miner struct {
	cfg      Config
	tok      *tokenizer
	root     map[rootKey]*node // roots of structured (JSON) events
	rootGen  uint64            // changes of root, which void rootMemo
	rootMemo [shapeSlots]rootMemo
	text     []*node    // roots of text events, by token count
	clusters []*cluster // by id; nil once evicted
	live     int
	seq      uint64
	evicted  evicted

	// The first lines wait here until the header is learned from them
	// (learnHeader); Add hands out tickets for them, which tickets then
	// maps to their clusters.
	learning bool
	pending  []pendingLine
	pendingB int
	tickets  []ClusterID
}

type pendingLine struct {
	w   Window
	msg string
}

// ticket is the ClusterID Add returns for the i-th line of the learning
// sample, below NoCluster so that it is never a cluster's.
func ticket(i int) ClusterID { return NoCluster - 1 - ClusterID(i) }

// rootKey is the tree's first level: the token count, as in Drain, and the
// structure the tokenizer found (a JSON key set), so that events of other
// shapes are never compared.
type rootKey struct {
	n     int
	shape string
}

// rootMemo remembers a root looked up in Miner.root, by the tokenizer's
// shape memo slot of the line (shapeSlot): a JSON line of a known shape
// then finds its root without hashing the key set. It holds while gen is
// Miner.rootGen.
type rootMemo struct {
	k   rootKey
	n   *node
	gen uint64
}

type evicted struct {
	templates int
	counts    [2]Counts
}

type node struct {
	children map[string]*node
	clusters []*cluster // at the leaves, least recently matched first
	dead     int        // evicted clusters still in clusters
}

type cluster struct {
	id     ClusterID
	tokens []string
	slots  []*slot // per position; nil while the position is constant
	masked []bool  // per position: the constant token holds a Wildcard
	counts [2]Counts
	last   uint64
	path   []*node // root-to-leaf, for pruning on eviction
	key    []string
	keyPos []int // positions of the tokens the tree branched on
	n      int
	root   rootKey
	dead   bool // evicted, still in its leaf until pruned
}

// slot is a position that became a variable: the constant text around the
// Wildcard, and the values it took while they are few enough to be an
// enumeration.
type slot struct {
	pre, suf string
	overflow bool
	values   []value
}

type value struct {
	tok    string
	counts [2]Counts
}

// New returns a Miner, or an error if cfg does not validate.
func New(cfg Config) (*Miner, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Miner{cfg: cfg, tok: newTokenizer(cfg.MaxTokens), root: make(map[rootKey]*node), learning: true}, nil
}

// Add mines msg as part of the Current window.
func (m *Miner) Add(msg string) ClusterID { return m.AddTo(Current, msg) }

// AddTo mines msg and counts it in window w. Bytes are the message's
// length in bytes. The first lines (up to 256 or 1 MiB) are held until the
// log's header is learned from them, then mined; the ID returned for them
// is valid for Result.Index all the same.
func (m *Miner) AddTo(w Window, msg string) ClusterID {
	if !m.learning {
		return m.add(w, msg)
	}
	if strings.TrimSpace(msg) == "" {
		return NoCluster
	}
	m.pending = append(m.pending, pendingLine{w, msg})
	m.pendingB += len(msg)
	id := ticket(len(m.pending) - 1)
	if len(m.pending) >= learnLines || m.pendingB >= learnBytes {
		m.flush()
	}
	return id
}

// flush learns the header from the held lines and mines them.
func (m *Miner) flush() {
	m.learning = false
	msgs := make([]string, len(m.pending))
	for i, p := range m.pending {
		msgs[i] = p.msg
	}
	m.tok.hdr = m.tok.learnHeader(msgs)
	m.tickets = make([]ClusterID, len(m.pending))
	for i, p := range m.pending {
		m.tickets[i] = m.add(p.w, p.msg)
	}
	m.pending = nil
}

func (m *Miner) add(w Window, msg string) ClusterID {
	toks := m.tok.tokens(msg)
	if len(toks) == 0 {
		return NoCluster
	}
	m.seq++
	c, same := m.best(m.find(toks), toks)
	size := Counts{Events: 1, Bytes: int64(len(msg))}
	switch {
	case c == nil:
		leaf, path, keys, pos := m.leaf(toks, true)
		c = m.newCluster(toks, path, keys, pos)
		leaf.clusters = append(leaf.clusters, c)
	case same:
		m.observe(c, toks, w, size)
	default:
		m.merge(c, toks, w, size)
	}
	c.counts[w].add(size)
	c.last = m.seq
	if m.live > m.cfg.MaxTemplates {
		m.evict()
	}
	return c.id
}

// rootOf returns the tree's root for k, or nil.
func (m *Miner) rootOf(k rootKey) *node {
	if k.shape != "" {
		// The shape is interned: equal shapes are mostly one string, and
		// comparing one with itself is a pointer comparison.
		e := &m.rootMemo[m.tok.shapeSlot]
		if e.gen == m.rootGen && e.k == k {
			return e.n
		}
		n := m.root[k]
		*e = rootMemo{k: k, n: n, gen: m.rootGen}
		return n
	}
	if k.n < len(m.text) {
		return m.text[k.n]
	}
	return nil
}

// setRoot sets (n nil: removes) the root for k. Text roots, the
// commonest, are a slice by token count (at most MaxTokens+1 long): no
// hashing on each line's way into the tree.
func (m *Miner) setRoot(k rootKey, n *node) {
	switch {
	case k.shape == "":
		if k.n >= len(m.text) {
			m.text = append(m.text, make([]*node, k.n+1-len(m.text))...)
		}
		m.text[k.n] = n
	case n == nil:
		delete(m.root, k)
		m.rootGen++
	default:
		m.root[k] = n
		m.rootGen++
	}
}

// keyScan bounds how far into a message the tree looks for its key tokens.
const keyScan = 8

// keyable reports whether a token may branch the tree: not a variable
// (masked) and without digits left after masking (test9, ssh2), which may
// be variables too. Skipping them, rather than branching on a wildcard as
// Drain does, keeps a leading timestamp, address or host:port from taking
// the place of the words that name a message ("<*>:<*> Served block",
// "<*> <*> <*>:<*>:<*> host sshd[<*>]: Accepted password").
func keyable(tok string) bool {
	// The commonest shapes end in the first pass: a word of letters, and
	// a key=value field (a JSON event's tokens), known by its key alone.
	i := 0
	if len(tok) > 0 && isLetter(tok[0]) {
		for i = 1; i < len(tok) && class[tok[i]]&keyChars != 0; i++ {
		}
		switch {
		case i == len(tok):
			return true
		case tok[i] == '=' && i < len(tok)-1:
			return false // kvKey(tok) == i+1
		}
	}
	eq := false
	for ; i < len(tok); i++ {
		k := class[tok[i]]
		if k&(digit|equals|angle) == 0 { // most bytes: one test
			continue
		}
		if k&digit != 0 || k&angle != 0 && strings.HasPrefix(tok[i:], Wildcard) {
			return false
		}
		eq = eq || k&equals != 0
	}
	// A key=value token is a field, not the words that name a message:
	// its value would scatter one template over many leaves.
	return !eq || kvKey(tok) < 0
}

// keyChars are the classes of a key's bytes after its first letter, in
// kvKey, but digits.
const keyChars = hexLower | hexUpper | otherLower | otherUpper | underscore | dash | dot

// kvKey returns the length of the key of a key=value token, "=" included
// ("user=\"alice\"," gives 5), or -1 when tok is not one: the key must
// start with a letter and the value must not be empty.
func kvKey(tok string) int {
	k := strings.IndexByte(tok, '=')
	if k < 1 || k == len(tok)-1 || !isLetter(tok[0]) {
		return -1
	}
	for i := 1; i < k; i++ {
		if c := tok[i]; !(isLetter(c) || isDigit(c) || c == '_' || c == '-' || c == '.') {
			return -1
		}
	}
	return k + 1
}

// sameKey reports whether a and b are key=value tokens of one key.
func sameKey(a, b string) bool {
	k := kvKey(a)
	return k > 0 && len(b) > k && a[:k] == b[:k] && b[k] != '='
}

// nextKey returns the position of the first keyable token at or after i
// within keyScan, or -1; the positions in skip (bit p for toks[p]) are
// known not to be keyable, and are not scanned.
func nextKey(toks []string, i int, skip uint8) int {
	for ; i < len(toks) && i < keyScan; i++ {
		if skip&(1<<i) == 0 && keyable(toks[i]) {
			return i
		}
	}
	return -1
}

// find returns the leaf for toks without changing the tree or allocating,
// or nil where leaf would have to create a node. It takes the branches
// leaf takes.
func (m *Miner) find(toks []string) *node {
	// The loop is nextKey's, written out: find runs once a line.
	n := m.rootOf(rootKey{len(toks), m.tok.shape})
	for p, d := 0, 0; n != nil && d < m.cfg.PrefixTokens && p < min(len(toks), keyScan); p++ {
		if m.tok.notKey&(1<<p) != 0 || !keyable(toks[p]) {
			continue
		}
		next, ok := n.children[toks[p]]
		if !ok && len(n.children) >= m.cfg.MaxChildren {
			next = n.children[Wildcard]
		}
		n = next
		d++
	}
	return n
}

// leaf finds (and with create, makes) the leaf for toks, with the path,
// branch keys and key positions that lead to it when create is set.
func (m *Miner) leaf(toks []string, create bool) (*node, []*node, []string, []int) {
	rk := rootKey{len(toks), m.tok.shape}
	n := m.rootOf(rk)
	if n == nil {
		if !create {
			return nil, nil, nil, nil
		}
		n = &node{children: make(map[string]*node)}
		m.setRoot(rk, n)
	}
	var path []*node
	var keys []string
	var pos []int
	if create {
		path = append(make([]*node, 0, m.cfg.PrefixTokens+1), n)
	}
	p := nextKey(toks, 0, m.tok.notKey)
	for d := 0; d < m.cfg.PrefixTokens && p >= 0; d++ {
		k := toks[p]
		next, ok := n.children[k]
		if !ok {
			switch {
			case create && len(n.children) < m.cfg.MaxChildren:
				next = &node{children: make(map[string]*node)}
				n.children[k] = next
			case n.children[Wildcard] != nil:
				k, next = Wildcard, n.children[Wildcard]
			case create:
				// Past the cap only the shared wildcard branch may be added.
				k, next = Wildcard, &node{children: make(map[string]*node)}
				n.children[k] = next
			default:
				return nil, nil, nil, nil
			}
		}
		n = next
		if create {
			path = append(path, n)
			keys = append(keys, strings.Clone(k))
			pos = append(pos, p)
		}
		p = nextKey(toks, p+1, m.tok.notKey)
	}
	return n, path, keys, pos
}

// maxCandidates bounds the templates a message is compared with: the
// most recently matched ones of its leaf. Drain compares a message with
// every template of its leaf, which costs O(templates) per line where a
// leaf fills up (thousands of one-off templates of an unmasked id); 64 keep
// the cost per line bounded whatever the number of templates, and the
// templates a stream repeats stay near the front.
const maxCandidates = 64

// best returns the most similar cluster among the maxCandidates most
// recent of leaf (its last ones) that clears the threshold, and whether
// toks fits it as it is (similarity's same), and moves it to the end of
// the leaf, the most recent place.
func (m *Miner) best(leaf *node, toks []string) (*cluster, bool) {
	if leaf == nil {
		return nil, false
	}
	cs := leaf.clusters
	bestAt, bestSame := -1, false
	bestSim, bestConst := -1.0, -1
	for i := len(cs) - 1; i >= max(0, len(cs)-maxCandidates); i-- {
		sim, cons, same := similarity(cs[i], toks)
		if sim > bestSim || sim == bestSim && cons > bestConst {
			bestAt, bestSim, bestConst, bestSame = i, sim, cons, same
		}
	}
	if bestAt < 0 || bestSim < m.cfg.SimThreshold {
		return nil, false
	}
	best := cs[bestAt]
	copy(cs[bestAt:], cs[bestAt+1:])
	cs[len(cs)-1] = best
	return best, bestSame
}

// similarity is the share of the template's constant tokens that toks
// repeats. Equal masked tokens, key=value fields of one key, and positions
// the template holds as variables (when toks fits their prefix and suffix)
// are neutral: they say the two have the same shape, not that they say the
// same thing. same reports that toks fits c as it is: each constant
// token equal, each variable within its prefix and suffix, so that
// merging toks changes no token of c (observe does it).
func similarity(c *cluster, toks []string) (sim float64, cons int, same bool) {
	match, total := 0, 0
	same = true
	for i, t := range c.tokens {
		if s := c.slots[i]; s != nil {
			if fits(s, toks[i]) {
				continue
			}
			total++
			same = false
			continue
		}
		if t == toks[i] {
			if c.masked[i] {
				continue
			}
			match++
			total++
			continue
		}
		same = false
		if sameKey(t, toks[i]) {
			// The key names the field; its value is data, whatever it says.
			continue
		}
		total++
	}
	if total == 0 {
		return 1, 0, same
	}
	return float64(match) / float64(total), match, same
}

func fits(s *slot, tok string) bool {
	return len(tok) >= len(s.pre)+len(s.suf) && strings.HasPrefix(tok, s.pre) && strings.HasSuffix(tok, s.suf)
}

func (m *Miner) newCluster(toks []string, path []*node, keys []string, pos []int) *cluster {
	c := &cluster{
		id:     ClusterID(len(m.clusters)),
		tokens: slices.Clone(toks),
		slots:  make([]*slot, len(toks)),
		masked: make([]bool, len(toks)),
		path:   path,
		key:    keys,
		keyPos: pos,
		n:      len(toks),
		root:   rootKey{len(toks), m.tok.shape},
	}
	for i, t := range toks {
		c.masked[i] = strings.Contains(t, Wildcard)
	}
	m.clusters = append(m.clusters, c)
	m.live++
	return c
}

// observe is merge for toks that fit c as it is (similarity's same):
// only the variables record their values.
func (m *Miner) observe(c *cluster, toks []string, w Window, size Counts) {
	for i, s := range c.slots {
		if s != nil {
			s.observe(toks[i], w, size, m.cfg.EnumMaxValues)
		}
	}
}

// merge folds toks into c: differing constants become variables, and
// variables record the values they take.
func (m *Miner) merge(c *cluster, toks []string, w Window, size Counts) {
	for i, t := range toks {
		s := c.slots[i]
		if s == nil {
			if c.tokens[i] == t {
				continue
			}
			old := c.tokens[i]
			pre, suf := commonAffixes(old, t)
			s = &slot{pre: pre, suf: suf}
			// A JSON field's values are data, however few: the key names
			// what they are, and one statement writes them all.
			if enumWord(old) && m.cfg.EnumMaxValues > 0 && !(c.root.shape != "" && kvKey(old) > 0) {
				s.values = append(s.values, value{tok: old, counts: c.counts})
			} else {
				s.overflow = true
			}
			c.slots[i] = s
			c.tokens[i] = pre + Wildcard + suf
		} else if !fits(s, t) {
			pre, suf := commonAffixes(c.tokens[i], t)
			s.pre, s.suf = pre, suf
			c.tokens[i] = pre + Wildcard + suf
		}
		s.observe(t, w, size, m.cfg.EnumMaxValues)
	}
}

func (s *slot) observe(tok string, w Window, size Counts, max int) {
	if s.overflow {
		return
	}
	for i := range s.values {
		if s.values[i].tok == tok {
			s.values[i].counts[w].add(size)
			return
		}
	}
	if len(s.values) >= max || !enumWord(tok) {
		s.overflow = true
		s.values = nil
		return
	}
	v := value{tok: strings.Clone(tok)}
	v.counts[w].add(size)
	s.values = append(s.values, v)
}

// enumWord reports whether tok can be the value of an enumeration: a
// word, not a number, id or masked field, nor the day or month of a
// date written out ("Sat Jul  9 22:53:22 2005"), which is a variable
// however few values a short log shows of it.
func enumWord(tok string) bool {
	if tok == "" || strings.Contains(tok, Wildcard) || calendarWord(tok) {
		return false
	}
	// A device or interface name (eth0, wlan1, sda2) ends in a digit or
	// two after its letters; other digits make an id or a number.
	end := len(tok)
	for end > 0 && isDigit(tok[end-1]) && len(tok)-end < 2 {
		end--
	}
	for i := 0; i < end; i++ {
		if isDigit(tok[i]) {
			return false
		}
	}
	return end == len(tok) || end >= 2 && isLetter(tok[end-1]) && isLetter(tok[0])
}

// calendarWord reports the English day and month names and their
// three-letter abbreviations, as dates write them.
func calendarWord(tok string) bool {
	lo, hi := 0, len(tok)
	for lo < hi && dateTrim(tok[lo]) {
		lo++
	}
	for hi > lo && dateTrim(tok[hi-1]) {
		hi--
	}
	if n := hi - lo; n < 3 || n > 9 || !isUpper(tok[lo]) { // the names' lengths: a cheap no for most words
		return false
	}
	switch tok[lo:hi] {
	case "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
		"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
		"January", "February", "March", "April", "June", "July", "August", "September", "October", "November", "December":
		return true
	}
	return false
}

// dateTrim reports the brackets and punctuation around a date's names.
func dateTrim(c byte) bool {
	switch c {
	case '[', ']', '(', ')', ',', '.':
		return true
	}
	return false
}

// commonAffixes returns the longest prefix and suffix that a and b share
// and that end (start) at a field delimiter, so that "rhost=<*>" and
// "rhost=host.example.com" keep "rhost=" but "Started" and "Stopped" keep
// nothing. A prefix may also end at the dot after a word: dotted names
// that share a namespace keep it ("com.example.<*>:").
func commonAffixes(a, b string) (string, string) {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	for p > 0 && !isDelim(a[p-1]) && !(a[p-1] == '.' && p > 1 && isLetter(a[p-2])) { // "1." is a number's
		p--
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	for s > 0 && !isDelim(a[len(a)-s]) {
		s--
	}
	return a[:p], a[len(a)-s:]
}

// evict drops the least-used clusters, a hundredth of the cap at a time so
// that sorting is rare, and records what they held.
func (m *Miner) evict() {
	target := m.cfg.MaxTemplates - max(1, m.cfg.MaxTemplates/100)
	live := make([]*cluster, 0, m.live)
	for _, c := range m.clusters {
		// The cluster just added or fed is spared: evicting it would make
		// a new template churn in and out.
		if c != nil && c.last != m.seq {
			live = append(live, c)
		}
	}
	slices.SortFunc(live, func(a, b *cluster) int {
		ea, eb := a.counts[0].Events+a.counts[1].Events, b.counts[0].Events+b.counts[1].Events
		switch {
		case ea != eb:
			return cmpInt64(ea, eb)
		case a.last != b.last:
			return cmpInt64(int64(a.last), int64(b.last))
		}
		return int(a.id - b.id)
	})
	victims := live[:max(0, m.live-target)]
	for _, c := range victims {
		c.dead = true
		c.path[len(c.path)-1].dead++
		m.clusters[c.id] = nil
		m.live--
		m.evicted.templates++
		m.evicted.counts[0].add(c.counts[0])
		m.evicted.counts[1].add(c.counts[1])
	}
	// One pass over each leaf that lost templates, not one per template.
	for _, c := range victims {
		m.prune(c)
	}
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// prune takes the dead clusters out of c's leaf, then removes the nodes
// left empty on c's path.
func (m *Miner) prune(c *cluster) {
	leaf := c.path[len(c.path)-1]
	if leaf.dead > 0 {
		leaf.clusters = slices.DeleteFunc(leaf.clusters, func(x *cluster) bool { return x.dead })
		leaf.dead = 0
	}
	for d := len(c.path) - 1; d > 0; d-- {
		n := c.path[d]
		if len(n.clusters) > 0 || len(n.children) > 0 {
			return
		}
		delete(c.path[d-1].children, c.key[d-1])
	}
	if n := c.path[0]; len(n.clusters) == 0 && len(n.children) == 0 && m.rootOf(c.root) == n {
		m.setRoot(c.root, nil)
	}
}
