// Package cwlens holds the domain types of cwlens, a CloudWatch log anomaly and
// cost analyzer: the Snapshot an ingest run captures, the Series inside it, the
// Findings the analyzer derives and the Projection the pricing engine computes.
//
// The package has no AWS dependency, so the analyzer and pricing packages can be
// read and tested without the SDK. Data flows one way:
//
//	ingest → Snapshot → analyzer → []Finding ─┐
//	                  → pricing  → Projection ─┴→ report
package cwlens
