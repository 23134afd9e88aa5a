package cwlens

import (
	"time"

	"github.com/shopspring/decimal"
)

// PastEpisode is an anomaly of a log group's ingestion that started before
// the last days a report's findings cover (the analyzer's lookback, 7 days)
// and was over by the evaluation time: history, not news, but a monthly
// report must still show it.
type PastEpisode struct {
	// Kind is KindIngestionSpike: a rise that came back to its baseline.
	Kind    Kind   `json:"kind"`
	Subject string `json:"subject"`
	// Start is the first period above the baseline; End the end of the
	// last one, [Start, End).
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Peak is the highest point, in Unit per Period, on PeakAt.
	Peak   float64   `json:"peak"`
	PeakAt time.Time `json:"peak_at"`
	// Baseline is the median of the history before Start, per Period.
	Baseline      float64 `json:"baseline"`
	Unit          string  `json:"unit"`
	PeriodSeconds int64   `json:"period_seconds"`
	// ExtraBytes is what the episode ingested above its baseline, in all.
	ExtraBytes float64 `json:"extra_bytes"`
	// CostUSD is what ExtraBytes cost once, at the group's ingestion price;
	// nil until priced, or when the price is unknown.
	CostUSD *decimal.Decimal `json:"cost_usd"`
}
