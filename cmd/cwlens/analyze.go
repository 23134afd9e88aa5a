package main

import (
	"io"

	"github.com/cwlens/cwlens/report"
	"github.com/spf13/cobra"
)

func newAnalyzeCmd(stdout io.Writer) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "analyze SNAPSHOT",
		Short: "Show only the findings of a snapshot",
		Long: `analyze reads a snapshot file and shows what the analysis found: log floods,
error surges, over-provisioned services and the like, most severe first.

The table, Markdown and CSV formats show the findings only; --format json
writes the whole cwlens.report/v1 document, so that its schema holds.
With --fail-on, the exit status is 1 when a finding is at least that severe.`,
		Example: `  cwlens analyze snapshot.json
  cwlens analyze snapshot.json --fail-on high || echo "something needs a look"`,
		Args: exactArgs("SNAPSHOT"),
		RunE: runReport(stdout, &f, snapshotFile, report.SectionFindings),
	}
	f.register(cmd)
	return cmd
}
