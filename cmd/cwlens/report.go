package main

import (
	"io"

	"github.com/cwlens/cwlens/report"
	"github.com/spf13/cobra"
)

func newReportCmd(stdout io.Writer) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "report SNAPSHOT",
		Short: "Report a snapshot's inventory, findings and monthly costs",
		Long: `report reads a snapshot file and writes the full report: the log groups and
ECS services it holds, what the analysis found, and the monthly cost.

--at sets the evaluation time (default: the end of the snapshot's window):
the "last day" is the last whole UTC day before it.`,
		Example: `  cwlens report fixtures/karmacadabra-prod/snapshot.json
  cwlens report snapshot.json --format json --out report.json
  cwlens report snapshot.json --at 2025-10-30 --format markdown
  cwlens report snapshot.json --scenario changes.yaml --prices prices.json`,
		Args: exactArgs("SNAPSHOT"),
		RunE: runReport(stdout, &f, snapshotFile, report.SectionAll),
	}
	f.register(cmd)
	f.registerScenario(cmd)
	return cmd
}
