package logtemplate

import (
	"slices"
	"strings"
)

// maxFamilyScan bounds the pairwise comparison of same-length templates at
// Result time (n² pairs): above it, families are not looked for.
const maxFamilyScan = 2000

// families finds templates that the search tree kept apart only because
// a leading token differed — Drain's blind spot when a message starts with
// a variable word (a program name, a user, a host without digits). Two
// templates of one length are kin when they differ in the constants of a
// single leading position and are otherwise as similar as SimThreshold
// asks. Leading words usually name a message's kind, so the tree's split
// stands unless the position behaves like a variable: a family of more
// members than an enumeration may have (EnumMaxValues) is one template.
// It returns the families to merge, each sorted by cluster id.
func (m *Miner) families() [][]*cluster {
	byLen := make(map[int][]*cluster)
	var lengths []int
	for _, c := range m.clusters {
		if c == nil {
			continue
		}
		if _, ok := byLen[c.n]; !ok {
			lengths = append(lengths, c.n)
		}
		byLen[c.n] = append(byLen[c.n], c)
	}
	slices.Sort(lengths)
	var out [][]*cluster
	for _, n := range lengths {
		cs := byLen[n]
		if len(cs) < 2 || len(cs) > maxFamilyScan {
			continue
		}
		parent := make([]int, len(cs))
		for i := range parent {
			parent[i] = i
		}
		find := func(i int) int {
			for parent[i] != i {
				parent[i] = parent[parent[i]]
				i = parent[i]
			}
			return i
		}
		pos := make(map[int]int) // root → the differing position
		for i := range cs {
			for j := i + 1; j < len(cs); j++ {
				p, ok := m.kin(cs[i], cs[j])
				if !ok {
					continue
				}
				ri, rj := find(i), find(j)
				if ri == rj {
					continue
				}
				pi, iok := pos[ri]
				pj, jok := pos[rj]
				if iok && pi != p || jok && pj != p {
					continue // one family, one varying position
				}
				lo, hi := min(ri, rj), max(ri, rj)
				parent[hi] = lo
				delete(pos, hi)
				pos[lo] = p
			}
		}
		groups := make(map[int][]*cluster)
		var roots []int
		for i, c := range cs {
			r := find(i)
			if _, ok := groups[r]; !ok {
				roots = append(roots, r)
			}
			groups[r] = append(groups[r], c)
		}
		slices.Sort(roots)
		for _, r := range roots {
			g := groups[r]
			if len(g) > m.cfg.EnumMaxValues {
				out = append(out, g)
			}
		}
	}
	return out
}

// kin reports whether a and b (of one length, in different leaves) differ
// in the constants of one leading position only and are similar enough
// elsewhere; it returns that position.
func (m *Miner) kin(a, b *cluster) (int, bool) {
	p := -1
	match, total := 0, 0
	for i := range a.tokens {
		if a.slots[i] != nil || b.slots[i] != nil {
			continue
		}
		if a.tokens[i] == b.tokens[i] {
			if !a.masked[i] {
				match++
				total++
			}
			continue
		}
		if p >= 0 || !slices.Contains(a.keyPos, i) || !slices.Contains(b.keyPos, i) {
			return -1, false
		}
		p = i
	}
	if p < 0 || !enumWord(a.tokens[p]) || !enumWord(b.tokens[p]) {
		return -1, false
	}
	total++ // the differing position itself
	return p, float64(match)/float64(total) >= m.cfg.SimThreshold
}

// mergeTokens generalises the members' templates into one.
func mergeTokens(g []*cluster) []string {
	out := slices.Clone(g[0].tokens)
	for _, c := range g[1:] {
		for i, t := range c.tokens {
			if out[i] != t {
				pre, suf := commonAffixes(out[i], t)
				out[i] = pre + Wildcard + suf
			}
		}
	}
	for i, t := range out {
		if strings.Contains(t, Wildcard+Wildcard) {
			out[i] = strings.ReplaceAll(t, Wildcard+Wildcard, Wildcard)
		}
	}
	return out
}
