package cwlens

import (
	"time"

	"github.com/shopspring/decimal"
)

// PastEpisode is an anomaly of a log group's ingestion or error count that
// started before
// the last days a report's findings cover (the analyzer's lookback, 7 days)
// and was over by the evaluation time: history, not news, but a monthly
// report must still show it.
type PastEpisode struct {
	// Kind is KindIngestionSpike (a rise of the group's daily bytes that
	// came back to its baseline) or KindErrorSurge (of a metric filter's
	// hourly count).
	Kind    Kind   `json:"kind"`
	Subject string `json:"subject"`
	// Filter names the metric filter of an error surge.
	Filter string `json:"filter,omitempty"`
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
	// Extra is what the episode added above its baseline, in all, in Unit:
	// the bytes ingested, or the errors counted.
	Extra float64 `json:"extra"`
	// CostUSD is what the extra bytes cost once, at the group's ingestion
	// price; nil until priced, when the price is unknown, and for an error
	// surge (the errors' bytes are in the group's ingestion).
	CostUSD *decimal.Decimal `json:"cost_usd"`
}
