package main

import (
	"io"

	"github.com/cwlens/cwlens/report"
	"github.com/spf13/cobra"
)

func newProjectCmd(stdout io.Writer) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "project SNAPSHOT --scenario FILE",
		Short: "Price a snapshot now and after the changes in a scenario",
		Long: `project prices the snapshot's Fargate services and CloudWatch Logs groups per
month, now and after the changes in the scenario file (docs/scenario.md):
resize, Fargate Spot, ARM64, desired count, log volume, retention, log class.

Every line names the AWS usage type it prices; the totals are the sums of
the lines as shown. A change AWS would not accept as written (256 CPU units
with 768 MiB) is listed as rejected, with the nearest valid size and its
cost; the rest is still projected. A malformed scenario is refused whole
(exit 2) with the file and line at fault.`,
		Example: `  cwlens project snapshot.json --scenario changes.yaml
  cwlens project fixtures/karmacadabra-prod/snapshot.json --scenario fixtures/karmacadabra-prod/scenario.yaml --format json`,
		Args: exactArgs("SNAPSHOT"),
		PreRunE: func(*cobra.Command, []string) error {
			if f.scenario == "" {
				return usagef("missing --scenario FILE")
			}
			return nil
		},
		RunE: runReport(stdout, &f, snapshotFile, report.SectionProjection),
	}
	f.register(cmd)
	f.registerScenario(cmd)
	return cmd
}
