package logtemplate

import (
	"cmp"
	"slices"
	"strings"
)

// Template is one mined pattern with what it counted.
type Template struct {
	// Text is the template, tokens joined by single spaces, variables as
	// Wildcard.
	Text string `json:"template"`
	// Counts are the events and bytes of the Current window.
	Counts
	// Baseline counts the Baseline window (zero when none was mined).
	Baseline Counts `json:"baseline"`
}

// Evicted tells what MaxTemplates made the miner forget.
type Evicted struct {
	Templates int    `json:"templates"`
	Current   Counts `json:"current"`
	Baseline  Counts `json:"baseline"`
}

// Result is a Miner's templates at one moment.
type Result struct {
	// Templates, most bytes first (then most events, then by text).
	Templates []Template `json:"templates"`
	// Total counts every mined message of each window, evicted ones included.
	Total    Counts `json:"total"`
	Baseline Counts `json:"baseline_total"`
	// Evicted is non-zero when templates were dropped to honour MaxTemplates.
	Evicted Evicted `json:"evicted"`

	tok     *tokenizer
	tickets []ClusterID       // the learning sample's clusters (Miner.AddTo)
	byID    map[ClusterID]int // cluster → template index
	enums   map[ClusterID]int // cluster → enumerated position
	values  map[enumKey]int   // (cluster, value) → template index
}

type enumKey struct {
	id  ClusterID
	tok string
}

// part is a cluster, or one value of its enumeration, before rendering.
type part struct {
	tokens []string
	counts [2]Counts
	ids    []ClusterID // one for an enumeration value
	value  string
	enum   bool
}

// Result returns the templates mined so far. The Miner stays usable.
//
// Four steps refine Drain's clusters here, when everything is known:
// templates kept apart only by a leading variable word are merged (see
// families); a variable position whose few word values each recur is an enumeration
// and each value gets its own template; templates that render to the same
// text are one; and templates that differ only in how many variables a
// run holds (a list of 1, 2 or 3 files) are merged into one with a single
// Wildcard for the run.
func (m *Miner) Result() *Result {
	if m.learning {
		m.flush()
	}
	var parts []part
	inFamily := make(map[ClusterID]bool)
	for _, g := range m.families() {
		p := part{tokens: mergeTokens(g)}
		for _, c := range g {
			inFamily[c.id] = true
			p.ids = append(p.ids, c.id)
			p.counts[0].add(c.counts[0])
			p.counts[1].add(c.counts[1])
		}
		parts = append(parts, p)
	}
	for _, c := range m.clusters {
		if c == nil || inFamily[c.id] {
			continue
		}
		pos := m.enumPosition(c)
		if pos < 0 {
			parts = append(parts, part{tokens: c.tokens, counts: c.counts, ids: []ClusterID{c.id}})
			continue
		}
		for _, v := range c.slots[pos].values {
			toks := slices.Clone(c.tokens)
			toks[pos] = v.tok
			parts = append(parts, part{tokens: toks, counts: v.counts, ids: []ClusterID{c.id}, value: v.tok, enum: true})
		}
	}

	// Same text, same template; then runs of variables of any length.
	texts := make([]string, len(parts))
	for i, p := range parts {
		texts[i] = render(p.tokens)
	}
	runKey := make(map[string][]string) // collapsed text → distinct texts
	for _, t := range texts {
		k := collapseRuns(t)
		if !slices.Contains(runKey[k], t) {
			runKey[k] = append(runKey[k], t)
		}
	}
	final := func(t string) string {
		k := collapseRuns(t)
		if len(runKey[k]) > 1 {
			return k
		}
		return t
	}
	index := make(map[string]int)
	r := &Result{
		Total:    m.evicted.counts[0],
		Baseline: m.evicted.counts[1],
		Evicted:  Evicted{Templates: m.evicted.templates, Current: m.evicted.counts[0], Baseline: m.evicted.counts[1]},
		tok:      newTokenizer(m.cfg.MaxTokens),
		tickets:  m.tickets,
		byID:     make(map[ClusterID]int),
		enums:    make(map[ClusterID]int),
		values:   make(map[enumKey]int),
	}
	r.tok.hdr = m.tok.hdr
	partIndex := make([]int, len(parts))
	for i, p := range parts {
		t := final(texts[i])
		k, ok := index[t]
		if !ok {
			k = len(r.Templates)
			index[t] = k
			r.Templates = append(r.Templates, Template{Text: t})
		}
		r.Templates[k].Counts.add(p.counts[0])
		r.Templates[k].Baseline.add(p.counts[1])
		r.Total.add(p.counts[0])
		r.Baseline.add(p.counts[1])
		partIndex[i] = k
	}

	order := make([]int, len(r.Templates))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		ta, tb := &r.Templates[a], &r.Templates[b]
		return cmp.Or(
			cmp.Compare(tb.Bytes, ta.Bytes),
			cmp.Compare(tb.Events, ta.Events),
			cmp.Compare(tb.Baseline.Bytes, ta.Baseline.Bytes),
			strings.Compare(ta.Text, tb.Text))
	})
	rank := make([]int, len(order))
	sorted := make([]Template, len(order))
	for newIdx, old := range order {
		rank[old] = newIdx
		sorted[newIdx] = r.Templates[old]
	}
	r.Templates = sorted
	for i, p := range parts {
		k := rank[partIndex[i]]
		if p.enum {
			r.enums[p.ids[0]] = m.enumPosition(m.clusters[p.ids[0]])
			r.values[enumKey{p.ids[0], p.value}] = k
			continue
		}
		for _, id := range p.ids {
			r.byID[id] = k
		}
	}
	return r
}

// enumPosition returns the position of c to split into one template per
// value, or -1. It takes the qualifying position with the fewest values.
func (m *Miner) enumPosition(c *cluster) int {
	best := -1
	total := c.counts[0].Events + c.counts[1].Events
	for i, s := range c.slots {
		if s == nil || s.overflow || len(s.values) < 2 || len(s.values) > m.cfg.EnumMaxValues {
			continue
		}
		ok := true
		for _, v := range s.values {
			n := v.counts[0].Events + v.counts[1].Events
			if n < 2 || float64(n) < m.cfg.EnumMinShare*float64(total) {
				ok = false
				break
			}
		}
		if ok && (best < 0 || len(s.values) < len(c.slots[best].values)) {
			best = i
		}
	}
	return best
}

// Index returns the index in r.Templates of the template that the message
// msg, which Add put in cluster id, belongs to; -1 if its cluster was
// evicted or it had no tokens. It is not safe for concurrent use.
func (r *Result) Index(id ClusterID, msg string) int {
	if id < NoCluster {
		i := int(NoCluster - 1 - id)
		if i >= len(r.tickets) {
			return -1
		}
		id = r.tickets[i]
	}
	if k, ok := r.byID[id]; ok {
		return k
	}
	pos, ok := r.enums[id]
	if !ok {
		return -1
	}
	toks := r.tok.tokens(msg)
	if pos >= len(toks) {
		return -1
	}
	if k, ok := r.values[enumKey{id, toks[pos]}]; ok {
		return k
	}
	return -1
}

// Mask returns msg as the miner sees it before clustering: tokens joined
// by single spaces, obvious variables masked. It names a message whose
// template was evicted.
func (r *Result) Mask(msg string) string { return render(r.tok.tokens(msg)) }

// render joins template tokens and folds a protocol version that follows a
// variable request target into it ("<*> HTTP/<*>\"" → "<*>\""): the two
// make one request line field, as in Loghub's templates.
func render(toks []string) string {
	var b strings.Builder
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
		if strings.HasSuffix(t, Wildcard) && i+1 < len(toks) {
			if rest, ok := protocolVersion(toks[i+1]); ok {
				b.WriteString(rest)
				i++
			}
		}
	}
	return b.String()
}

// protocolVersion matches NAME/<*> followed by delimiters only (HTTP/<*>",
// SPDY/<*>) and returns the delimiters.
func protocolVersion(t string) (string, bool) {
	k := strings.Index(t, "/"+Wildcard)
	if k < 2 {
		return "", false
	}
	for i := 0; i < k; i++ {
		if c := t[i]; !(c >= 'A' && c <= 'Z') {
			return "", false
		}
	}
	rest := t[k+1+len(Wildcard):]
	for i := 0; i < len(rest); i++ {
		if !isDelim(rest[i]) {
			return "", false
		}
	}
	return rest, true
}

// collapseRuns replaces each run of space-separated Wildcards with one
// ("(<*> <*>)" becomes "(<*>)"), and each run of tokens that are one
// masked shape with a single one: a list
// such as "(stack @<*> @<*> @<*>)" becomes "(stack @<*>)". The last token
// of a run may end in closing punctuation, which is kept.
func collapseRuns(t string) string {
	const two = Wildcard + " " + Wildcard
	for strings.Contains(t, two) {
		t = strings.ReplaceAll(t, two, Wildcard)
	}
	if !strings.Contains(t, Wildcard) {
		return t
	}
	toks := strings.Split(t, " ")
	out := toks[:0]
	for i := 0; i < len(toks); {
		tok := toks[i]
		j := i + 1
		if strings.Contains(tok, Wildcard) {
			for j < len(toks) && toks[j] == tok {
				j++
			}
			if j < len(toks) && j > i && strings.HasPrefix(toks[j], tok) && closing(toks[j][len(tok):]) {
				tok = toks[j]
				j++
			}
		}
		out = append(out, tok)
		i = j
	}
	return strings.Join(out, " ")
}

// closing reports punctuation that ends a list: brackets, quotes, commas.
func closing(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDelim(s[i]) && s[i] != '.' {
			return false
		}
	}
	return len(s) > 0
}
