package main

import (
	"context"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/cwlens/cwlens/ingest"
	"github.com/cwlens/cwlens/internal/batch"
)

// scanner is batch.Scanner on ingest: one scan per region, with its own
// request counter.
type scanner struct {
	cfg aws.Config
	log *slog.Logger
}

func (s *scanner) Scan(ctx context.Context, req batch.ScanRequest) (batch.ScanResult, error) {
	cfg, counter := counting(s.cfg)
	cfg.Region = req.Region
	sc := ingest.New(cfg, ingest.Options{
		Region:         req.Region,
		Until:          req.Until,
		Days:           req.Days,
		LogGroupPrefix: req.LogGroupPrefix,
		Clusters:       req.Clusters,
		SampleEvents:   req.SampleEvents,
		Bill:           req.Bill,
		Logger:         s.log,
	})
	snap, err := sc.Scan(ctx)
	return batch.ScanResult{Snapshot: snap, APICalls: int(counter.n.Load())}, err
}
