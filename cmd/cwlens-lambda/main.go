// Command cwlens-lambda is cwlens's scheduled run on AWS Lambda: built as
// "bootstrap" for the provided.al2023 runtime (arm64), invoked daily by an
// EventBridge schedule or by hand. Each invocation scans the account, analyzes
// and prices it, writes report.json, report.md and report.html to
// s3://$CWLENS_REPORT_BUCKET/$CWLENS_REPORT_PREFIX/YYYY/MM/DD/ and latest/,
// labels the findings new, ongoing or resolved against the previous
// latest/report.json, publishes one SNS message when there are new findings at
// or above $CWLENS_ALERT_SEVERITY, and prints CloudWatch Embedded Metric
// Format lines.
//
// Build (see the Makefile's lambda target):
//
//	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o bootstrap ./cmd/cwlens-lambda
//	zip -j cwlens-lambda.zip bootstrap
//
// Configuration is the CWLENS_* environment (README, "Scheduled runs on AWS
// Lambda"); a manual invocation's JSON payload may override any of it:
//
//	{"regions": ["eu-west-1"], "lookback_days": 14, "dry_run": true, "at": "2025-10-31T00:00:00Z"}
//
// This file only wires the AWS SDK clients to internal/batch, where the run
// lives.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/cwlens/cwlens/internal/batch"
)

func main() {
	setMemoryLimit(os.LookupEnv)
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	h := newHandler(context.Background(), os.LookupEnv, logger)
	lambda.Start(h.invoke)
}

// handler serves invocations. A bad configuration does not stop the process:
// each invocation returns the error, so it shows in the invocation's result
// and in the log, one line per bad setting.
type handler struct {
	base   batch.Config
	cfgErr error
	runner *batch.Runner
	// org runs the steps of an organisation-wide run; nil in a
	// single-account function (CWLENS_ORG_ROLE_NAME unset).
	org *batch.OrgRunner
	now func() time.Time
}

func newHandler(ctx context.Context, lookupEnv func(string) (string, bool), logger *slog.Logger) *handler {
	h := &handler{now: time.Now}
	h.base, h.cfgErr = batch.FromEnv(lookupEnv)
	if h.cfgErr != nil {
		logger.Error("configuration", "err", h.cfgErr)
		return h
	}
	org, isOrg, err := orgConfigFromEnv(lookupEnv)
	if err != nil {
		h.cfgErr = err
		logger.Error("configuration", "err", err)
		return h
	}
	runner, cfg, err := newRunner(ctx, logger)
	if err != nil {
		h.cfgErr = err
		logger.Error("AWS configuration", "err", err)
		return h
	}
	h.runner = runner
	if isOrg {
		h.org = newOrgRunner(cfg, runner, org, logger)
	}
	return h
}

// invoke handles one event: an EventBridge scheduled event or a manual
// payload (json.RawMessage, so both decode).
func (h *handler) invoke(ctx context.Context, payload json.RawMessage) (any, error) {
	if h.cfgErr != nil {
		return batch.Result{Status: "error", Errors: []string{h.cfgErr.Error()}}, h.cfgErr
	}
	if step, ok, err := batch.ParseOrgStep(payload); ok {
		return h.orgStep(ctx, step, err)
	}
	inv, err := batch.ParseEvent(h.base, payload, h.now())
	if err != nil {
		return batch.Result{Status: "error", Errors: []string{err.Error()}}, err
	}
	return h.runner.Run(ctx, inv)
}

// setMemoryLimit gives the Go runtime a soft memory limit of 90 % of the
// function's memory (AWS_LAMBDA_FUNCTION_MEMORY_SIZE, in MB), unless
// GOMEMLIMIT says otherwise: Lambda ends a function that outgrows its
// memory, and with the limit the collector works harder before that instead
// of letting garbage pile up to twice the live heap.
func setMemoryLimit(lookupEnv func(string) (string, bool)) int64 {
	if _, set := lookupEnv("GOMEMLIMIT"); set {
		return -1
	}
	v, _ := lookupEnv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
	mb, err := strconv.ParseInt(v, 10, 64)
	if err != nil || mb <= 0 {
		return -1
	}
	limit := mb << 20 * 9 / 10
	debug.SetMemoryLimit(limit)
	return limit
}

// orgStep runs a step of an organisation-wide run. Its output is the
// state machine's, so it returns it as is.
func (h *handler) orgStep(ctx context.Context, step batch.OrgStep, parseErr error) (any, error) {
	switch {
	case parseErr != nil:
		return nil, parseErr
	case h.org == nil:
		return nil, fmt.Errorf("an organisation step, but %s is not set: this function scans only its own account", batch.EnvOrgRoleName)
	}
	return h.org.Step(ctx, h.base, step, h.now())
}
