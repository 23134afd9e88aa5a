package pricing

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/cwlens/cwlens"
)

// ChangeKind names a kind of scenario change; its values are the YAML keys.
type ChangeKind string

// Kinds of scenario changes (docs/scenario.md).
const (
	ChangeResize        ChangeKind = "resize"
	ChangeCapacity      ChangeKind = "capacity"
	ChangeArchitecture  ChangeKind = "architecture"
	ChangeDesiredCount  ChangeKind = "desired_count"
	ChangeLogVolume     ChangeKind = "log_volume"
	ChangeRetentionDays ChangeKind = "retention_days"
	ChangeLogClass      ChangeKind = "log_class"
	ChangeMetricFilter  ChangeKind = "metric_filter"
	ChangeDropPattern   ChangeKind = "drop_pattern"
)

var serviceKinds = []ChangeKind{ChangeResize, ChangeCapacity, ChangeArchitecture, ChangeDesiredCount}
var logGroupKinds = []ChangeKind{ChangeLogVolume, ChangeRetentionDays, ChangeLogClass, ChangeMetricFilter, ChangeDropPattern}

// RetentionDays are the retention periods CloudWatch Logs accepts
// (PutRetentionPolicy retentionInDays,
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
var RetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// Scenario is a parsed scenario file: changes proposed to an account.
type Scenario struct {
	File    string
	Name    string
	Changes []Change
}

// Change is one proposed change to one service or log group.
type Change struct {
	Line int // where the change starts in the file
	Kind ChangeKind
	// Service ("name" or "cluster/name") or LogGroup names the subject as
	// written; exactly one is set.
	Service  string
	LogGroup string
	Note     string

	// resize: 0 keeps the current value.
	CPUUnits  int
	MemoryMiB int
	// capacity: the share of tasks on FARGATE_SPOT, in percent, and the
	// on-demand base.
	SpotPercent decimal.Decimal
	Base        int
	// architecture
	Architecture string
	// desired_count
	DesiredCount int
	// log_volume: the cut in percent of the bytes ingested, and the log
	// level change behind it with its stated assumption.
	CutPercent decimal.Decimal
	LogLevel   string
	Assumption string
	// retention_days
	RetentionDays int
	// log_class
	LogClass string
	// metric_filter, drop_pattern
	Pattern string
}

// Subject returns the service or log group the change applies to, as written.
func (c Change) Subject() string {
	if c.Service != "" {
		return c.Service
	}
	return c.LogGroup
}

// String describes the change in one short phrase.
func (c Change) String() string {
	switch c.Kind {
	case ChangeResize:
		var parts []string
		if c.CPUUnits > 0 {
			parts = append(parts, fmt.Sprintf("%d CPU", c.CPUUnits))
		}
		if c.MemoryMiB > 0 {
			parts = append(parts, fmt.Sprintf("%d MiB", c.MemoryMiB))
		}
		return "resize to " + strings.Join(parts, " / ")
	case ChangeCapacity:
		s := fmt.Sprintf("capacity %s %% FARGATE_SPOT", c.SpotPercent.String())
		if c.Base > 0 {
			s += fmt.Sprintf(", base %d on FARGATE", c.Base)
		}
		return s
	case ChangeArchitecture:
		return "architecture " + c.Architecture
	case ChangeDesiredCount:
		return fmt.Sprintf("desired_count %d", c.DesiredCount)
	case ChangeLogVolume:
		s := fmt.Sprintf("log_volume −%s %%", c.CutPercent.String())
		if c.LogLevel != "" {
			s = fmt.Sprintf("log level %s (−%s %%)", c.LogLevel, c.CutPercent.String())
		}
		return s
	case ChangeRetentionDays:
		return fmt.Sprintf("retention_days %d", c.RetentionDays)
	case ChangeLogClass:
		return "log_class " + c.LogClass
	case ChangeMetricFilter:
		return fmt.Sprintf("metric_filter %q", c.Pattern)
	case ChangeDropPattern:
		return fmt.Sprintf("drop_pattern %q", c.Pattern)
	}
	return string(c.Kind)
}

// LoadScenario parses the scenario file at path; see ParseScenario.
func LoadScenario(path string, data []byte) (*Scenario, error) { return ParseScenario(data, path) }

var topKeys = []string{"name", "description", "changes"}
var itemKeys = []string{"service", "log_group", "note",
	"resize", "capacity", "architecture", "desired_count",
	"log_volume", "retention_days", "log_class", "metric_filter", "drop_pattern"}

// ParseScenario parses a scenario in YAML. Anything malformed — not YAML, an
// unknown key, a wrong unit, a percentage outside 0–100 — refuses the whole
// file with one *cwlens.InputError naming file and line. Whether the subjects
// exist is checked against a snapshot by Validate (and by Project).
func ParseScenario(data []byte, file string) (*Scenario, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, cwlens.Inputf(file, "line 1", "", "empty scenario: want a mapping with a changes list")
		}
		return nil, yamlError(file, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, cwlens.Inputf(file, fmt.Sprintf("line %d", extra.Line), "", "a scenario is one YAML document; found another")
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, cwlens.Inputf(file, fmt.Sprintf("line %d", root.Line), short(root.Value), "not a scenario: want a mapping with a changes list")
	}
	sc := &Scenario{File: file}
	var changes *yaml.Node
	err := eachKey(file, root, topKeys, func(k, v *yaml.Node) error {
		switch k.Value {
		case "name":
			sc.Name = v.Value
		case "description":
		case "changes":
			if v.Kind != yaml.SequenceNode {
				return at(file, v, "want a list of changes")
			}
			changes = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if changes == nil {
		return nil, cwlens.Inputf(file, fmt.Sprintf("line %d", root.Line), "", "no changes list")
	}
	seen := map[string]int{}
	for _, item := range changes.Content {
		c, err := parseChange(file, item)
		if err != nil {
			return nil, err
		}
		k := string(c.Kind) + "\x00" + c.Subject()
		if c.Kind != ChangeMetricFilter && c.Kind != ChangeDropPattern {
			if first, dup := seen[k]; dup {
				return nil, cwlens.Inputf(file, fmt.Sprintf("line %d", c.Line), c.Subject(), "second %s change for the same subject (first at line %d)", c.Kind, first)
			}
			seen[k] = c.Line
		}
		sc.Changes = append(sc.Changes, c)
	}
	return sc, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the problems yaml.v3's parser (not its scanner)
// reports; for them it gives the 0-based line of the enclosing construct
// (yaml.v3 decode.go, parser.fail), so the 1-based line is one more.
var parserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected '-' indicator",
	"did not find expected key", "did not find expected node content", "found undefined tag handle",
}

func yamlError(file string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if slices.Contains(parserProblems, m[2]) {
			line++
		}
		return cwlens.Inputf(file, fmt.Sprintf("line %d", line), "", "not valid YAML: %s", m[2])
	}
	return cwlens.Inputf(file, "line 1", "", "not valid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

func at(file string, n *yaml.Node, format string, args ...any) error {
	return cwlens.Inputf(file, fmt.Sprintf("line %d", n.Line), short(n.Value), format, args...)
}

func short(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// eachKey walks a mapping, refusing keys outside allowed (with a
// did-you-mean) and keys given twice.
func eachKey(file string, m *yaml.Node, allowed []string, fn func(k, v *yaml.Node) error) error {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return at(file, k, "want a plain key")
		}
		if !slices.Contains(allowed, k.Value) {
			hint := ""
			if s := suggest(k.Value, allowed); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			return cwlens.Inputf(file, fmt.Sprintf("line %d", k.Line), k.Value, "unknown key%s; want one of %s", hint, strings.Join(allowed, ", "))
		}
		if first, dup := seen[k.Value]; dup {
			return cwlens.Inputf(file, fmt.Sprintf("line %d", k.Line), k.Value, "key given twice (first at line %d)", first)
		}
		seen[k.Value] = k.Line
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// suggest returns the allowed key closest to s when it is a plausible typo.
func suggest(s string, allowed []string) string {
	best, bestD := "", 1<<30
	for _, a := range allowed {
		if d := editDistance(strings.ToLower(s), a); d < bestD {
			best, bestD = a, d
		}
	}
	if bestD <= max(2, len(s)/3) {
		return best
	}
	return ""
}

// editDistance is the Levenshtein distance of two short keys.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func parseChange(file string, item *yaml.Node) (Change, error) {
	c := Change{Line: item.Line}
	if item.Kind != yaml.MappingNode {
		return c, at(file, item, "want a change such as {service: NAME, resize: {cpu: 512, memory: 1024}}")
	}
	var body *yaml.Node
	var kindKey *yaml.Node
	err := eachKey(file, item, itemKeys, func(k, v *yaml.Node) error {
		switch k.Value {
		case "service", "log_group":
			if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
				return at(file, v, "want a %s name", k.Value)
			}
			if k.Value == "service" {
				c.Service = strings.TrimSpace(v.Value)
			} else {
				c.LogGroup = strings.TrimSpace(v.Value)
			}
		case "note":
			c.Note = v.Value
		default:
			if kindKey != nil {
				return cwlens.Inputf(file, fmt.Sprintf("line %d", k.Line), k.Value, "one change per entry; this entry already has %s (line %d)", kindKey.Value, kindKey.Line)
			}
			kindKey, body = k, v
		}
		return nil
	})
	if err != nil {
		return c, err
	}
	if kindKey == nil {
		return c, cwlens.Inputf(file, fmt.Sprintf("line %d", item.Line), "", "entry has no change (want one of %s)", strings.Join(itemKeys[3:], ", "))
	}
	c.Kind = ChangeKind(kindKey.Value)
	switch {
	case c.Service != "" && c.LogGroup != "":
		return c, cwlens.Inputf(file, fmt.Sprintf("line %d", item.Line), "", "an entry names a service or a log group, not both")
	case slices.Contains(serviceKinds, c.Kind) && c.Service == "":
		return c, cwlens.Inputf(file, fmt.Sprintf("line %d", kindKey.Line), kindKey.Value, "%s applies to a service: add service: NAME", c.Kind)
	case slices.Contains(logGroupKinds, c.Kind) && c.LogGroup == "":
		return c, cwlens.Inputf(file, fmt.Sprintf("line %d", kindKey.Line), kindKey.Value, "%s applies to a log group: add log_group: NAME", c.Kind)
	}
	switch c.Kind {
	case ChangeResize:
		err = parseResize(file, body, &c)
	case ChangeCapacity:
		err = parseCapacity(file, body, &c)
	case ChangeArchitecture:
		v := strings.ToUpper(strings.TrimSpace(body.Value))
		if body.Kind != yaml.ScalarNode || (v != cwlens.ArchARM64 && v != cwlens.ArchX86_64) {
			return c, at(file, body, "want ARM64 or X86_64")
		}
		c.Architecture = v
	case ChangeDesiredCount:
		n, err := strconv.Atoi(strings.TrimSpace(body.Value))
		if body.Kind != yaml.ScalarNode || err != nil || n < 0 || n > cwlens.MaxTasksPerService {
			return c, at(file, body, "want a whole number of tasks, 0 to %d (ECS's tasks per service)", cwlens.MaxTasksPerService)
		}
		c.DesiredCount = n
	case ChangeLogVolume:
		err = parseLogVolume(file, body, &c)
	case ChangeRetentionDays:
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(body.Value), "days")))
		if body.Kind != yaml.ScalarNode || err != nil || n <= 0 {
			return c, at(file, body, "want a number of days such as 30")
		}
		c.RetentionDays = n
	case ChangeLogClass:
		v := strings.ToUpper(strings.TrimSpace(body.Value))
		if body.Kind != yaml.ScalarNode || (v != cwlens.ClassInfrequentAccess && v != cwlens.ClassStandard) {
			return c, at(file, body, "want INFREQUENT_ACCESS or STANDARD")
		}
		c.LogClass = v
	case ChangeMetricFilter, ChangeDropPattern:
		err = parsePattern(file, body, &c)
	}
	return c, err
}

func parseResize(file string, n *yaml.Node, c *Change) error {
	if n.Kind != yaml.MappingNode {
		return at(file, n, "want {cpu: 512, memory: 1024}")
	}
	err := eachKey(file, n, []string{"cpu", "memory"}, func(k, v *yaml.Node) error {
		if v.Kind != yaml.ScalarNode {
			return at(file, v, "want a size such as 512 or 1 GB")
		}
		var err error
		if k.Value == "cpu" {
			c.CPUUnits, err = ParseCPU(v.Value)
		} else {
			c.MemoryMiB, err = ParseMemory(v.Value)
		}
		if err != nil {
			return cwlens.Inputf(file, fmt.Sprintf("line %d", v.Line), v.Value, "%v", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if c.CPUUnits == 0 && c.MemoryMiB == 0 {
		return at(file, n, "resize needs cpu, memory or both")
	}
	return nil
}

var quantity = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$`)

// ParseCPU parses a task CPU size as ECS accepts it: CPU units ("256") or
// vCPU ("0.25 vCPU"), returning CPU units.
func ParseCPU(s string) (int, error) {
	m := quantity.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("want CPU units such as 256 or vCPU such as 0.25 vCPU")
	}
	n, _ := decimal.NewFromString(m[1])
	switch strings.ToLower(m[2]) {
	case "", "units", "unit", "cpu":
	case "vcpu", "vcpus":
		n = n.Mul(d1024)
	default:
		return 0, fmt.Errorf("unknown CPU unit %q (want CPU units or vCPU)", m[2])
	}
	if !n.IsInteger() || n.Sign() <= 0 || n.GreaterThan(decimal.NewFromInt(1<<20)) {
		return 0, fmt.Errorf("want a positive whole number of CPU units")
	}
	return int(n.IntPart()), nil
}

// ParseMemory parses a task memory size as ECS accepts it: MiB ("512",
// "1024 MiB") or GB ("0.5 GB", "1GB"), where ECS's GB is 1024 MiB, returning
// MiB.
func ParseMemory(s string) (int, error) {
	m := quantity.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("want MiB such as 1024 or GB such as 1 GB")
	}
	n, _ := decimal.NewFromString(m[1])
	switch strings.ToLower(m[2]) {
	case "", "mib", "mb":
	case "gb", "gib":
		n = n.Mul(d1024)
	default:
		return 0, fmt.Errorf("unknown memory unit %q (want MiB or GB)", m[2])
	}
	if !n.IsInteger() || n.Sign() <= 0 || n.GreaterThan(decimal.NewFromInt(1<<24)) {
		return 0, fmt.Errorf("want a positive whole number of MiB")
	}
	return int(n.IntPart()), nil
}

var percent = regexp.MustCompile(`^\s*([+-]?[0-9]+(?:\.[0-9]+)?)\s*(%?)\s*$`)

// ParsePercent parses "90 %", "90%" or "90" as a percentage in 0–100.
func ParsePercent(s string) (decimal.Decimal, error) {
	m := percent.FindStringSubmatch(s)
	if m == nil {
		return decimal.Zero, fmt.Errorf("want a percentage such as 90 %%")
	}
	p, _ := decimal.NewFromString(m[1])
	if p.IsNegative() || p.GreaterThan(d100) {
		return decimal.Zero, fmt.Errorf("percentage outside 0–100")
	}
	return p, nil
}

func parseCapacity(file string, n *yaml.Node, c *Change) error {
	if n.Kind == yaml.ScalarNode {
		switch strings.ToUpper(strings.TrimSpace(n.Value)) {
		case cwlens.ProviderSpot:
			c.SpotPercent = d100
			return nil
		case cwlens.ProviderFargate:
			c.SpotPercent = decimal.Zero
			return nil
		}
		return at(file, n, "want FARGATE_SPOT, FARGATE or {spot: 50 %%, base: 1}")
	}
	if n.Kind != yaml.MappingNode {
		return at(file, n, "want FARGATE_SPOT, FARGATE or {spot: 50 %%, base: 1}")
	}
	gotSpot := false
	err := eachKey(file, n, []string{"spot", "base"}, func(k, v *yaml.Node) error {
		switch k.Value {
		case "spot":
			p, err := ParsePercent(v.Value)
			if err != nil || v.Kind != yaml.ScalarNode {
				return cwlens.Inputf(file, fmt.Sprintf("line %d", v.Line), v.Value, "spot share: %v", errOr(err, "want a percentage"))
			}
			c.SpotPercent, gotSpot = p, true
		case "base":
			b, err := strconv.Atoi(strings.TrimSpace(v.Value))
			if err != nil || b < 0 || b > 100000 {
				return at(file, v, "base: want a whole number of tasks 0–100000")
			}
			c.Base = b
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !gotSpot {
		return at(file, n, "capacity needs spot: PERCENT")
	}
	return nil
}

func errOr(err error, s string) error {
	if err != nil {
		return err
	}
	return errors.New(s)
}

func parseLogVolume(file string, n *yaml.Node, c *Change) error {
	if n.Kind == yaml.ScalarNode {
		v := strings.TrimSpace(n.Value)
		v = strings.TrimPrefix(strings.TrimPrefix(v, "-"), "−")
		p, err := ParsePercent(v)
		if err != nil {
			return cwlens.Inputf(file, fmt.Sprintf("line %d", n.Line), n.Value, "log_volume cut: %v", err)
		}
		c.CutPercent = p
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return at(file, n, "want a cut such as 50 %% or {log_level: warn, cut: 90 %%, assumption: ...}")
	}
	gotCut := false
	err := eachKey(file, n, []string{"cut", "log_level", "assumption"}, func(k, v *yaml.Node) error {
		if v.Kind != yaml.ScalarNode {
			return at(file, v, "want a plain value")
		}
		switch k.Value {
		case "cut":
			p, err := ParsePercent(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(v.Value), "-"), "−"))
			if err != nil {
				return cwlens.Inputf(file, fmt.Sprintf("line %d", v.Line), v.Value, "log_volume cut: %v", err)
			}
			c.CutPercent, gotCut = p, true
		case "log_level":
			c.LogLevel = strings.TrimSpace(v.Value)
		case "assumption":
			c.Assumption = strings.TrimSpace(v.Value)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !gotCut {
		// A log level alone says nothing about volume: the cut is the
		// stated assumption that turns it into bytes.
		return at(file, n, "log_volume needs cut: PERCENT (with a log_level, the share of bytes you assume that level drops)")
	}
	return nil
}

func parsePattern(file string, n *yaml.Node, c *Change) error {
	switch n.Kind {
	case yaml.ScalarNode:
		c.Pattern = n.Value
	case yaml.MappingNode:
		err := eachKey(file, n, []string{"pattern", "name"}, func(k, v *yaml.Node) error {
			if k.Value == "pattern" {
				c.Pattern = v.Value
			}
			return nil
		})
		if err != nil {
			return err
		}
	default:
		return at(file, n, "want a filter pattern")
	}
	if strings.TrimSpace(c.Pattern) == "" {
		return at(file, n, "want a filter pattern")
	}
	return nil
}

// resolved is a scenario's changes matched to the snapshot.
type resolved struct {
	services  map[int][]Change // index into snap.Services
	logGroups map[int][]Change // index into snap.LogGroups
}

// Validate checks that every service and log group the scenario names is in
// snap, refusing the first that is not with an *cwlens.InputError.
func (sc *Scenario) Validate(snap *cwlens.Snapshot) error {
	_, err := sc.resolve(snap, newIndex(snap))
	return err
}

type snapIndex struct {
	// svcByName maps a service name to its index, or to -n when n services
	// in different clusters share the name.
	svcByName map[string]int
	svcByID   map[string]int
	groups    map[string]int
}

func newIndex(snap *cwlens.Snapshot) *snapIndex {
	ix := &snapIndex{svcByName: make(map[string]int, len(snap.Services)), svcByID: make(map[string]int, len(snap.Services)),
		groups: make(map[string]int, len(snap.LogGroups))}
	for i := range snap.Services {
		s := &snap.Services[i]
		if j, dup := ix.svcByName[s.Name]; dup {
			ix.svcByName[s.Name] = -(max(-j, 1) + 1)
		} else {
			ix.svcByName[s.Name] = i
		}
		ix.svcByID[s.ID()] = i
	}
	for i := range snap.LogGroups {
		ix.groups[snap.LogGroups[i].Name] = i
	}
	return ix
}

func (sc *Scenario) resolve(snap *cwlens.Snapshot, ix *snapIndex) (*resolved, error) {
	r := &resolved{services: map[int][]Change{}, logGroups: map[int][]Change{}}
	if sc == nil {
		return r, nil
	}
	for _, c := range sc.Changes {
		where := fmt.Sprintf("line %d", c.Line)
		if c.Service != "" {
			i, ok := ix.svcByID[c.Service]
			if !ok {
				j, found := ix.svcByName[c.Service]
				switch {
				case !found:
					return nil, cwlens.Inputf(sc.File, where, c.Service, "no such service in the snapshot%s", hintFrom(c.Service, keys(ix.svcByName)))
				case j < 0:
					return nil, cwlens.Inputf(sc.File, where, c.Service, "service name is in %d clusters; write cluster/name", -j)
				}
				i = j
			}
			r.services[i] = append(r.services[i], c)
			continue
		}
		i, ok := ix.groups[c.LogGroup]
		if !ok {
			return nil, cwlens.Inputf(sc.File, where, c.LogGroup, "no such log group in the snapshot%s", hintFrom(c.LogGroup, keys(ix.groups)))
		}
		r.logGroups[i] = append(r.logGroups[i], c)
	}
	return r, nil
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func hintFrom(s string, names []string) string {
	if len(names) > 1000 {
		return ""
	}
	if g := suggest(s, names); g != "" {
		return fmt.Sprintf(" (did you mean %q?)", g)
	}
	return ""
}
