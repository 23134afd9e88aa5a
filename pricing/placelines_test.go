package pricing

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cwlens/cwlens"
)

// insertOneByOne is what placeLines must equal: each queued line inserted
// after the last line of its subject, at the end when it has none.
func insertOneByOne(lines, queued []cwlens.ProjectionLine) []cwlens.ProjectionLine {
	lines = slices.Clone(lines)
	for _, l := range queued {
		at := len(lines)
		for i := len(lines) - 1; i >= 0; i-- {
			if lines[i].Subject == l.Subject {
				at = i + 1
				break
			}
		}
		lines = slices.Insert(lines, at, l)
	}
	return lines
}

func TestPlaceLinesEqualsInsertingOneByOne(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 500 {
		var lines, queued []cwlens.ProjectionLine
		for i := range r.IntN(12) {
			lines = append(lines, cwlens.ProjectionLine{Subject: fmt.Sprint("s", r.IntN(5)), Component: fmt.Sprint("line", i)})
		}
		for i := range r.IntN(8) {
			queued = append(queued, cwlens.ProjectionLine{Subject: fmt.Sprint("s", r.IntN(8)), Component: fmt.Sprint("queued", i)})
		}
		pr := &projector{p: &cwlens.Projection{Lines: slices.Clone(lines)}}
		for _, l := range queued {
			pr.insertLine(l)
		}
		pr.placeLines()
		want := insertOneByOne(lines, queued)
		if !slices.Equal(pr.p.Lines, want) {
			t.Fatalf("trial %d: placeLines\n %v\nwant\n %v", trial, pr.p.Lines, want)
		}
	}
}
