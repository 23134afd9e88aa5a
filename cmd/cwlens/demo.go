package main

import (
	"io"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/report"
	"github.com/spf13/cobra"
)

func newDemoCmd(stdout io.Writer) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Show the full report on the built-in reference account",
		Long: `demo runs the full report on karmacadabra-prod, a reference account built into
cwlens (fixtures/karmacadabra-prod): eight Fargate services and their log
groups, one of which floods from a few MB a day to nearly 3 GB. It needs no
AWS access and no files.`,
		Example: `  cwlens demo
  cwlens demo --format json | jq '.inventory.log_groups[0]'`,
		Args: exactArgs(),
		RunE: runReport(stdout, &f, func([]string) (*cwlens.Snapshot, error) { return fixtures.Reference() }, report.SectionAll),
	}
	f.register(cmd)
	return cmd
}
