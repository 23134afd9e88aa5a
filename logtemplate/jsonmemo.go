package logtemplate

// This file interns what a JSON event's tokens need per key and per key
// set, so that a line of a known shape costs no map lookup per key, no
// sort and no shape building: JSON events of one logging statement repeat
// the same keys, in the same order, line after line.

// jsonKey is an interned dotted key with what its tokens need, worked out
// once per key rather than once per line: the token of a variable value
// (key=<*>) and of a null one, whether the key names a message, and the
// tokens of the last few word values it had (a level, a logger, a state:
// the values a key repeats).
type jsonKey struct {
	id         uint32 // unique for the tokenizer's life (shapeMemo)
	name       string
	wild, null string
	message    bool
	spaced     bool
	words      [4]string // key=word tokens, most recent at next-1
	wordKey    [4]bool   // keyable(words[i])
	next       int

	wildKey, nullKey bool // keyable(wild), keyable(null)
}

// word returns the token key=v for a word value, from k.words when one of
// them holds it, and whether it may branch the tree (keyable). Only
// tokens that masking left as key=v are kept: their value is their tail,
// so nothing is copied from the line.
func (k *jsonKey) word(t *tokenizer, v string) (string, bool) {
	n := len(k.name) + 1
	for i, w := range k.words {
		if len(w) == n+len(v) && w[n:] == v {
			return w, k.wordKey[i]
		}
	}
	tok := t.keyValue(k.name, v)
	key := keyable(tok)
	if len(tok) == n+len(v) && tok[n:] == v {
		k.words[k.next], k.wordKey[k.next] = tok, key
		k.next = (k.next + 1) % len(k.words)
	}
	return tok, key
}

// jsonKey returns the interned key for path: from a small direct-mapped
// cache when it holds it (one comparison), else from the intern map.
func (t *tokenizer) jsonKey(path []byte) *jsonKey {
	if len(path) == 0 {
		return t.topKey("")
	}
	slot := &t.keyCache[keySlot(len(path), path[0], path[len(path)-1])]
	if k := *slot; k != nil && k.name == string(path) {
		return k
	}
	k := t.internKey(path)
	*slot = k
	return k
}

// topKey is jsonKey for the name of a top-level member, taken from the
// line as it is: the commonest key needs no copy into a path.
func (t *tokenizer) topKey(name string) *jsonKey {
	slot := &t.keyCache[0]
	if len(name) > 0 {
		slot = &t.keyCache[keySlot(len(name), name[0], name[len(name)-1])]
	}
	if k := *slot; k != nil && k.name == name {
		return k
	}
	k, ok := t.keys[name]
	if !ok {
		k = t.internKey([]byte(name))
	}
	*slot = k
	return k
}

// keySlot spreads keys over keyCache by their length (n) and end bytes,
// which a hash of all of them would hardly do better for a few dozen
// keys.
func keySlot(n int, first, last byte) uint8 {
	return uint8(n)*31 ^ first*7 ^ last*131
}

func (t *tokenizer) internKey(path []byte) *jsonKey {
	if k, ok := t.keys[string(path)]; ok {
		return k
	}
	if len(t.keys) >= internCap {
		clear(t.keys)
	}
	name := string(path)
	// Keys with white space in them (rare, but JSON allows it) are
	// variables whole: a token holds no space.
	t.keyIDs++
	k := &jsonKey{id: t.keyIDs, name: name, wild: Wildcard, null: Wildcard, message: messageKey(name), spaced: hasSpace(name)}
	if !k.spaced {
		k.wild = t.keyValue(name, Wildcard)
		k.null = t.keyValue(name, "null")
	}
	k.wildKey, k.nullKey = keyable(k.wild), keyable(k.null)
	t.keys[name] = k
	return k
}

// keyValue returns the masked token key=val; a key may hold digits.
func (t *tokenizer) keyValue(key, val string) string {
	out := append(t.buf[:0], key...)
	out = append(out, '=')
	out = append(out, val...)
	t.buf = out
	return t.mask(t.internBytes(out))
}

// shapeMemo remembers, for one sequence of keys in document order, the
// order that sorts them and the shape (the key set) they make.
type shapeMemo struct {
	n     int
	ids   [maxFields]uint32
	order [maxFields]uint8
	shape string
	used  uint64 // shapeTick when last used
}

// shapeSlots sizes the shape memo (some 11 KB): a log group writes a few
// JSON shapes, a mix of services some dozens.
const (
	shapeBits  = 5
	shapeSlots = 1 << shapeBits
)

// sortFields returns t.fields sorted by key (stably: repeated keys keep
// their order) and sets t.shape to their key set, from the shape memo
// when the same keys came in the same order before.
func (t *tokenizer) sortFields() []jsonField {
	fs := t.fields
	h := uint32(len(fs))
	for _, f := range fs {
		h = (h ^ f.key.id) * 16777619
	}
	if t.shapes == nil {
		t.shapes = make([]shapeMemo, shapeSlots)
	}
	// Two slots may hold the sequence, picked by the hash's high bits
	// (a product's low bits see only the ids' low bits): two sequences
	// that share one slot then do not evict each other line after line.
	i, i2 := int(h>>(32-shapeBits)), int(h>>(32-2*shapeBits)%shapeSlots)
	e, e2 := &t.shapes[i], &t.shapes[i2]
	t.shapeTick++
	switch {
	case e.holds(fs):
	case e2.holds(fs):
		e, i = e2, i2
	default:
		if e2.used < e.used {
			e, i = e2, i2
		}
		t.learnShape(e, fs)
		t.shapeMisses++
	}
	t.shapeSlot = i
	e.used = t.shapeTick
	t.sorted = t.sorted[:0]
	for _, i := range e.order[:e.n] {
		t.sorted = append(t.sorted, fs[i])
	}
	t.shape = e.shape
	return t.sorted
}

// holds reports whether e is the memo of the keys of fs, in their order.
func (e *shapeMemo) holds(fs []jsonField) bool {
	if e.n != len(fs) || e.shape == "" {
		return false
	}
	for i, f := range fs {
		if e.ids[i] != f.key.id {
			return false
		}
	}
	return true
}

// learnShape fills e for fs: their ids, the stable order that sorts them
// by key (an insertion sort: few fields, no allocation) and the interned
// key set.
func (t *tokenizer) learnShape(e *shapeMemo, fs []jsonField) {
	e.n = len(fs)
	for i, f := range fs {
		e.ids[i] = f.key.id
		e.order[i] = uint8(i)
	}
	ord := e.order[:e.n]
	for i := 1; i < len(ord); i++ {
		for k := i; k > 0 && fs[ord[k]].key.name < fs[ord[k-1]].key.name; k-- {
			ord[k], ord[k-1] = ord[k-1], ord[k]
		}
	}
	sb := append(t.buf[:0], '{')
	for i, o := range ord {
		if i > 0 {
			sb = append(sb, ',')
		}
		sb = append(sb, fs[o].key.name...)
	}
	sb = append(sb, '}')
	t.buf = sb
	e.shape = t.internBytes(sb)
}
