package analyzer

import (
	"fmt"
	"math"
	"strconv"
)

// humanBytes writes a byte count in decimal units, as CloudWatch bills them:
// "5.1 MB", "2,886 MB", "12.3 GB". Values under 10 of a unit keep one decimal.
func humanBytes(b float64) string {
	abs := math.Abs(b)
	unit, div := "B", 1.0
	switch {
	case abs >= 1e12:
		unit, div = "TB", 1e12
	case abs >= 1e9 && abs >= 10e9:
		unit, div = "GB", 1e9
	case abs >= 1e6:
		unit, div = "MB", 1e6
	case abs >= 1e3:
		unit, div = "KB", 1e3
	}
	v := b / div
	if math.Abs(v) < 10 && unit != "B" {
		return fmt.Sprintf("%.1f %s", v, unit)
	}
	return commas(v) + " " + unit
}

// commas writes v rounded to a whole number with thousands separators.
func commas(v float64) string {
	s := strconv.FormatFloat(math.Round(math.Abs(v)), 'f', 0, 64)
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if v < 0 && math.Round(math.Abs(v)) != 0 {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
