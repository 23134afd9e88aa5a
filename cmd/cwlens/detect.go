package main

import (
	"bufio"
	"fmt"
	"io"
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
before it.

It is the engine the analyzer runs on every log group and metric: robust
(medians, clipped scales), seasonal when the series' own autocorrelation shows
a daily or weekly rhythm, and reporting an incident at its onset rather than
on every point of it. The sampling period is inferred from the timestamps
(their median step); gaps are fed to the engine as missing points.`,
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
	step := analyzer.InferStep(ts.Times)
	d := analyzer.NewDetector(analyzer.DefaultDetectorConfig(step))
	scores := analyzer.ScoreTimed(d, ts, step)
	w := bufio.NewWriter(stdout)
	fmt.Fprintln(w, "timestamp,value,anomaly_score")
	for i, s := range scores {
		w.WriteString(ts.TimeText[i])
		w.WriteByte(',')
		w.WriteString(ts.ValueText[i])
		w.WriteByte(',')
		w.WriteString(strconv.FormatFloat(s, 'g', -1, 64))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write scores: %w", err)
	}
	return nil
}
