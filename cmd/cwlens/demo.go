package main

import (
	"fmt"
	"io"
	"io/fs"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/pricing"
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
AWS access and no files. The projection prices the source analysis's
recommendations (fixtures/karmacadabra-prod/scenario.yaml).`,
		Example: `  cwlens demo
  cwlens demo --format json | jq '.inventory.log_groups[0]'`,
		Args: exactArgs(),
		RunE: runReport(stdout, &f, func([]string) (*cwlens.Snapshot, error) { return fixtures.Reference() }, report.SectionAll),
	}
	f.defaultScenario = referenceScenario
	f.register(cmd)
	return cmd
}

// referenceScenario parses the reference account's scenario, embedded with
// its snapshot.
func referenceScenario() (*pricing.Scenario, error) {
	const path = "karmacadabra-prod/scenario.yaml"
	data, err := fs.ReadFile(fixtures.FS(), path)
	if err != nil {
		return nil, fmt.Errorf("embedded scenario: %w", err)
	}
	return pricing.ParseScenario(data, "fixtures/"+path)
}
