package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/cwlens/cwlens/analyzer"
	"github.com/spf13/cobra"
)

func newDetectCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "detect FILE.csv",
		Short: "Score every point of a time series with the analyzer's anomaly engine",
		Long: `detect reads a CSV with the header timestamp,value (timestamps as
YYYY-MM-DD HH:MM:SS, taken as UTC, or RFC 3339; an empty value is a missing
point) and writes timestamp,value,anomaly_score: one row per input row, in
input order, each score in [0, 1] computed only from that row and the rows
before it. A missing point gets an empty score.

Every point gets a graded score of how surprising it is: 0.5 is the default
alarm level, and higher scores are rarer. The scorer combines cheap channels,
each calibrated on the series' own history: the analyzer's engine (robust,
seasonal when the series shows a daily or weekly rhythm, with level-shift
handling), single points against the median of the last few (also on a log
scale for counts, so a drop to zero stands out), new extremes, noisier
spells and a change of the decimals the values are written with. An episode
alarms at its onset and again when it turns clearly stronger or after a
return to normal; its other points rank just under 0.5. The sampling period
is inferred from the timestamps (their median step); gaps are fed to the
scorer as missing points, and a repeated or earlier timestamp (an hour
exported twice at a daylight-saving change) is scored as the next point.`,
		Example: `  cwlens detect requests.csv > scored.csv`,
		Args:    exactArgs("FILE.csv"),
		RunE: func(_ *cobra.Command, args []string) error {
			return runDetect(stdout, args[0])
		},
	}
	return cmd
}

func runDetect(stdout io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	ts, err := analyzer.ReadCSV(bufio.NewReader(f), path)
	if err != nil {
		return err
	}
	if err := checkMostlyOrdered(ts, path); err != nil {
		return err
	}
	step := analyzer.InferStep(ts.Times)
	sc := analyzer.NewScorer(analyzer.DefaultScorerConfig(step))
	scores := analyzer.ScoreTimed(sc, ts, step)
	w := bufio.NewWriter(stdout)
	fmt.Fprintln(w, "timestamp,value,anomaly_score")
	for i, s := range scores {
		w.WriteString(ts.TimeText[i])
		w.WriteByte(',')
		w.WriteString(ts.ValueText[i])
		w.WriteByte(',')
		if !math.IsNaN(s) {
			w.WriteString(strconv.FormatFloat(s, 'g', -1, 64))
		}
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write scores: %w", err)
	}
	return nil
}

// maxDisordered is the largest fraction of rows whose timestamp repeats or
// goes back that detect scores rather than refuses.
const maxDisordered = 0.05

// checkMostlyOrdered refuses a file whose rows are not in time order, but
// scores one with a few repeated or earlier timestamps, each as the next
// point: exported metrics repeat an hour at a daylight-saving change (eight
// of NAB's files do, at most 11 rows in 4,000), and the command's contract
// is one score per input row. Shuffled or reversed rows are far beyond 5 %.
func checkMostlyOrdered(ts *analyzer.TimedSeries, path string) error {
	bad := 0
	for i := 1; i < len(ts.Times); i++ {
		if !ts.Times[i].After(ts.Times[i-1]) {
			bad++
		}
	}
	if bad == 0 || float64(bad) <= maxDisordered*float64(len(ts.Times)) {
		return nil
	}
	return analyzer.CheckOrder(ts, path)
}
