package logtemplate

import "fmt"

// Config tunes a Miner. Start from DefaultConfig and change what you need;
// every default below says why it was chosen.
type Config struct {
	// SimThreshold is the least similarity for a message to join a
	// template of the same token count: the share of the template's
	// constant tokens that the message repeats exactly, where tokens both
	// sides masked the same way, key=value fields of one key, and
	// positions the template already holds as variables count for nothing
	// either way.
	//
	// Default 0.6. Drain uses 0.4–0.5 but counts masked tokens as matches,
	// which glues "Received disconnect from <*>: <*>: Bye Bye [preauth]" to
	// "... disconnected by user" (5 of 8 tokens equal, only 3 of 6 constants).
	// Counting constants only, one variable word among four or more constants
	// ("Invalid user webmaster from <*>": 3 of 4) still joins, and two
	// different words among four constants (a different message) do not.
	SimThreshold float64

	// PrefixTokens is how many tokens the search tree branches on, after
	// the token count: the first ones among the message's first 8 that are
	// neither masked, nor hold digits, nor are key=value fields (a leading
	// timestamp, address or user=alice is skipped). Default 2, Drain's depth 4 (root and length layer plus two
	// tokens): the first words of a message usually name its kind
	// ("Received block", "\"GET"), while later ones start to hold user names
	// and ids that would scatter one template over many leaves.
	PrefixTokens int

	// MaxChildren caps the children of a tree node; tokens beyond it share
	// a wildcard child. Default 100, Drain3's: enough for the distinct
	// leading words of real services, small enough that a leading id that
	// escaped masking cannot grow the tree without bound.
	MaxChildren int

	// MaxTokens caps the tokens of one message; the rest of a longer one
	// becomes a single variable tail token. Default 128: CloudWatch events
	// reach 256 KB (a stack trace, a JSON blob) and comparing such a message
	// token by token would cost more than it tells; 128 tokens keep any
	// ordinary log line whole.
	MaxTokens int

	// MaxTemplates bounds memory: past it the least-used templates (fewest
	// events, then least recently seen) are evicted and counted in
	// Result.Evicted. Default 10,000: a service has tens to a few thousand
	// templates; 10,000 of them use a few MB.
	MaxTemplates int

	// EnumMaxValues is the most distinct words a variable position may take
	// and still be treated as an enumeration — a state, an action, an HTTP
	// method — so that each value gets its own template ("VM Started",
	// "VM Paused"). Default 5: lifecycle states and verbs come in handfuls;
	// user names, hosts and ids come in many.
	EnumMaxValues int

	// EnumMinShare is the share of the template's events that the rarest
	// value of an enumeration must hold; it must also recur (2 events or
	// more). Default 0.01: an enumeration's values each recur, even when
	// one dominates ("client WindowsUpdateAgent" 608 times, "client SPP"
	// twice are two statements), while a value seen once, or in fewer
	// than 1 % of the events, is the long tail of a variable and stays in
	// its template. 0.05 kept such tails too: on Loghub's 16 raw logs the
	// mean grouping accuracy is 0.898 with it, 0.913 with 0.01.
	EnumMinShare float64
}

// DefaultConfig returns the configuration explained field by field in Config.
func DefaultConfig() Config {
	return Config{
		SimThreshold:  0.6,
		PrefixTokens:  2,
		MaxChildren:   100,
		MaxTokens:     128,
		MaxTemplates:  10000,
		EnumMaxValues: 5,
		EnumMinShare:  0.01,
	}
}

// Validate reports the first field that makes no sense.
func (c Config) Validate() error {
	switch {
	case !(c.SimThreshold > 0 && c.SimThreshold <= 1):
		return fmt.Errorf("SimThreshold %v: want 0 < t <= 1", c.SimThreshold)
	case c.PrefixTokens < 0:
		return fmt.Errorf("PrefixTokens %d: want >= 0", c.PrefixTokens)
	case c.MaxChildren < 1:
		return fmt.Errorf("MaxChildren %d: want >= 1", c.MaxChildren)
	case c.MaxTokens < 2:
		return fmt.Errorf("MaxTokens %d: want >= 2", c.MaxTokens)
	case c.MaxTemplates < 1:
		return fmt.Errorf("MaxTemplates %d: want >= 1", c.MaxTemplates)
	case c.EnumMaxValues < 0:
		return fmt.Errorf("EnumMaxValues %d: want >= 0 (0 turns enumerations off)", c.EnumMaxValues)
	case c.EnumMinShare < 0 || c.EnumMinShare > 1:
		return fmt.Errorf("EnumMinShare %v: want 0 <= s <= 1", c.EnumMinShare)
	}
	return nil
}
