package batch

import (
	"fmt"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/analyzer"
	"github.com/cwlens/cwlens/pricing"
)

// Analyze is the AnalyzeFunc of production runs: the analyzer's findings
// with the default configuration, priced with the embedded price book, and
// the projection of the account's monthly cost now and under the scenario.
func Analyze(snap *cwlens.Snapshot, at time.Time, scenarioName string, scenario []byte) ([]cwlens.Finding, *cwlens.Projection, error) {
	findings, err := analyzer.Analyze(snap, at, analyzer.DefaultConfig())
	if err != nil {
		return nil, nil, fmt.Errorf("analyze: %w", err)
	}
	book := pricing.Default()
	pricing.PriceFindings(findings, snap, book, pricing.Options{})
	var sc *pricing.Scenario
	if scenario != nil {
		if sc, err = pricing.ParseScenario(scenario, scenarioName); err != nil {
			return findings, nil, err
		}
	}
	proj, err := pricing.Project(snap, sc, book, pricing.Options{})
	if err != nil {
		return findings, nil, fmt.Errorf("project: %w", err)
	}
	return findings, proj, nil
}

// PastEpisodes returns the analyzer's past episodes of snap at at (the
// anomalies over before the findings' lookback), priced with the embedded
// price book.
func PastEpisodes(snap *cwlens.Snapshot, at time.Time) ([]cwlens.PastEpisode, error) {
	past, err := analyzer.PastEpisodes(snap, at, analyzer.DefaultConfig())
	if err != nil {
		return nil, fmt.Errorf("past episodes: %w", err)
	}
	pricing.PricePastEpisodes(past, snap, pricing.Default())
	return past, nil
}

// CheckScenario parses a scenario without a snapshot, so that a malformed
// one stops the run before the scan; whether its subjects exist is checked
// against each region's snapshot by Analyze.
func CheckScenario(name string, data []byte) error {
	_, err := pricing.ParseScenario(data, name)
	return err
}
