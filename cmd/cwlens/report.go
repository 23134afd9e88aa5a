package main

import (
	"io"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/report"
	"github.com/spf13/cobra"
)

func newReportCmd(stdout io.Writer) *cobra.Command {
	var f reportFlags
	var live bool
	var sf scanFlags
	cmd := &cobra.Command{
		Use:   "report SNAPSHOT | report --live [scan flags]",
		Short: "Report a snapshot's inventory, findings and monthly costs",
		Long: `report reads a snapshot file and writes the full report: the log groups and
ECS services it holds, what the analysis found, and the monthly cost.

--live scans the account instead of reading a file (the scan's flags are
those of cwlens scan) and reports on what it read, without writing a
snapshot; a partial scan is reported with what is missing, exit status 3.

--at sets the evaluation time (default: the end of the snapshot's window):
the "last day" is the last whole UTC day before it.`,
		Example: `  cwlens report fixtures/karmacadabra-prod/snapshot.json
  cwlens report snapshot.json --format json --out report.json
  cwlens report snapshot.json --at 2025-10-30 --format markdown
  cwlens report snapshot.json --scenario changes.yaml --prices prices.json
  cwlens report --live --profile prod --region us-east-1 --days 14`,
		Args: func(cmd *cobra.Command, args []string) error {
			if live {
				return exactArgs()(cmd, args)
			}
			return exactArgs("SNAPSHOT")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			load := snapshotFile
			if live {
				load = func([]string) (*cwlens.Snapshot, error) { return scanAccount(cmd.Context(), cmd.ErrOrStderr(), &sf) }
			}
			return runReport(stdout, &f, load, report.SectionAll)(cmd, args)
		},
	}
	f.register(cmd)
	f.registerScenario(cmd)
	cmd.Flags().BoolVar(&live, "live", false, "scan the account now instead of reading SNAPSHOT")
	sf.register(cmd.Flags())
	return cmd
}
