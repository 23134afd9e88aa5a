package report

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

// These helpers format figures the same way in every human view (table,
// Markdown, HTML). Byte units are decimal SI (1 MB = 10^6 bytes), the
// convention AWS bills CloudWatch Logs in (1 GB = 10^9 bytes).

// Missing is what a human view shows for a figure the snapshot lacks.
const Missing = "—"

var sparkBars = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws values as one bar per point, scaled from their minimum to
// their maximum; a missing point is a space, so a gap never looks like a
// quiet day. When width > 0 and there are more values than width, each bar
// shows the maximum of its bucket of consecutive points (missing only when
// the whole bucket is), so a one-hour spike stays visible.
func Sparkline(values []float64, width int) string {
	values = bucketMax(values, width)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if !cwlens.IsMissing(v) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	var b strings.Builder
	for _, v := range values {
		switch {
		case cwlens.IsMissing(v):
			b.WriteRune(' ')
		case hi == lo:
			b.WriteRune(sparkBars[0])
		default:
			i := int((v - lo) / (hi - lo) * float64(len(sparkBars)-1))
			b.WriteRune(sparkBars[i])
		}
	}
	return b.String()
}

func bucketMax(values []float64, width int) []float64 {
	if width <= 0 || len(values) <= width {
		return values
	}
	out := make([]float64, width)
	for i := range out {
		lo, hi := i*len(values)/width, (i+1)*len(values)/width
		out[i] = cwlens.Missing()
		for _, v := range values[lo:hi] {
			if !cwlens.IsMissing(v) && (cwlens.IsMissing(out[i]) || v > out[i]) {
				out[i] = v
			}
		}
	}
	return out
}

// FormatBytes writes a byte count in decimal SI units: "512 B", "3.91 MB",
// "202.4 MB", "2.89 GB". Two decimals below 10 of a unit, one above.
func FormatBytes(b float64) string {
	if cwlens.IsMissing(b) {
		return Missing
	}
	units := []string{"B", "kB", "MB", "GB", "TB", "PB"}
	v, u := b, 0
	for math.Abs(v) >= 999.95 && u < len(units)-1 {
		v /= 1000
		u++
	}
	switch {
	case u == 0:
		return strconv.FormatFloat(v, 'f', 0, 64) + " B"
	case math.Abs(v) < 9.995:
		return strconv.FormatFloat(v, 'f', 2, 64) + " " + units[u]
	default:
		return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[u]
	}
}

// FormatBytesPtr is FormatBytes for a figure that may be missing (nil).
func FormatBytesPtr(b *float64) string {
	if b == nil {
		return Missing
	}
	return FormatBytes(*b)
}

// FormatPercent writes a percentage with one decimal, two below 1 %:
// "3.6 %", "0.38 %"; "—" when missing.
func FormatPercent(p *float64) string {
	if p == nil || cwlens.IsMissing(*p) {
		return Missing
	}
	prec := 1
	if math.Abs(*p) < 1 {
		prec = 2
	}
	return strconv.FormatFloat(*p, 'f', prec, 64) + " %"
}

// FormatRetention writes a retention as "7 d", or "never" when the group
// never expires its events.
func FormatRetention(days *int) string {
	if days == nil {
		return "never"
	}
	return strconv.Itoa(*days) + " d"
}

// FormatTaskSize writes a task size in the units people read and the units
// ECS takes: "2 vCPU / 4 GiB (2048/4096)". 1024 CPU units are one vCPU;
// task memory is in MiB, so 4096 MiB is 4 GiB.
func FormatTaskSize(cpuUnits, memoryMiB int) string {
	if cpuUnits <= 0 {
		// Outside Fargate a task definition may size only its
		// containers, or have none (cwlens.Service.CPUUnits).
		return "size unknown"
	}
	vcpu := strconv.FormatFloat(float64(cpuUnits)/1024, 'f', -1, 64)
	gib := strconv.FormatFloat(float64(memoryMiB)/1024, 'f', -1, 64)
	return vcpu + " vCPU / " + gib + " GiB (" + itoa(cpuUnits) + "/" + itoa(memoryMiB) + ")"
}

// FormatUSD writes an amount rounded to cents with thousands separators:
// "$1,234.56", "-$0.50".
func FormatUSD(d decimal.Decimal) string {
	s := d.Abs().StringFixed(2)
	whole, cents, _ := strings.Cut(s, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	sign := ""
	if d.Round(2).IsNegative() {
		sign = "-"
	}
	return sign + "$" + whole + "." + cents
}

// FormatDeltaUSD is FormatUSD with an explicit "+" on increases.
func FormatDeltaUSD(d decimal.Decimal) string {
	if d.Round(2).IsPositive() {
		return "+" + FormatUSD(d)
	}
	return FormatUSD(d)
}

// FormatUSDPtr is FormatUSD for an amount that may be unknown (nil).
func FormatUSDPtr(d *decimal.Decimal) string {
	if d == nil {
		return "unknown"
	}
	return FormatUSD(*d)
}

// FormatDay writes the UTC date of t, "2025-10-29".
func FormatDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// FormatTime writes t in UTC to the minute, "2025-10-29 14:00 UTC", or only
// the date when t is midnight.
func FormatTime(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return FormatDay(t)
	}
	return t.Format("2006-01-02 15:04") + " UTC"
}

func itoa(i int) string { return strconv.Itoa(i) }

// Printable writes the control and text-direction characters of s and
// its bytes that are not UTF-8 as Go escapes ("\x1b", "\a", "\u202e",
// "\xff"), so that a log line shown in a terminal
// or a Markdown file cannot move the cursor, retitle the window, clear the
// screen or reorder what a reader sees. Other text is unchanged.
func Printable(s string) string {
	if !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case unprintable(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unprintable reports controls, text-direction marks and bytes that are
// not UTF-8 (which DecodeRune reads as RuneError).
func unprintable(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError
}

// codeSpan puts s in a Markdown code span, with a fence longer than any
// run of backticks in s (CommonMark 6.1), its controls escaped.
func codeSpan(s string) string {
	s = Printable(s)
	fence, run := "`", 0
	for i := 0; i < len(s); i++ {
		if s[i] != '`' {
			run = 0
			continue
		}
		if run++; run >= len(fence) {
			fence += "`"
		}
	}
	if fence == "`" {
		return fence + s + fence
	}
	return fence + " " + s + " " + fence
}
