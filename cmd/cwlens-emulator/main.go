// Command cwlens-emulator serves an account, given as a cwlens snapshot,
// over the AWS wire protocols the scan speaks (CloudWatch Logs, CloudWatch,
// ECS, STS), on one 127.0.0.1 listener: a development tool for trying
// cwlens scan, its progress, throttling and partial results without an AWS
// account. With --state-dir it also serves S3 PutObject/GetObject and SNS
// Publish, so the Lambda function's scheduled run can be tried against it:
//
//	cwlens-emulator --snapshot fixtures/karmacadabra-prod/snapshot.json --shift-to-now --state-dir emu-state --bucket reports
//
//	cwlens-emulator --snapshot fixtures/karmacadabra-prod/snapshot.json --faults throttle=0.3,5xx=0.05
//	cwlens scan --endpoint-url http://127.0.0.1:PORT --region us-east-1 --until 2025-11-01 --out snap.json
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/awsemu"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(code)
}

// run serves until ctx ends; it reports the URL on ready, when not nil.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(url string)) int {
	fs := flag.NewFlagSet("cwlens-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	snapPath := fs.String("snapshot", "", "the account to serve, as a cwlens snapshot `FILE` (required)")
	listen := fs.String("listen", "127.0.0.1:0", "`ADDRESS` to listen on (port 0: any free port)")
	faults := fs.String("faults", "", "faults to inject, e.g. `throttle=0.3,5xx=0.05,deny=ecs,slow=200ms,expire=logs:DescribeLogGroups,gmd-internal=0.2,seed=7` (README lists every kind)")
	scale := fs.Float64("time-scale", 1, "multiply AWS's request quotas by `N` (the scan must be given the same scale)")
	noQuotas := fs.Bool("no-quotas", false, "do not enforce AWS's request quotas")
	verbose := fs.Bool("v", false, "log every request")
	stateDir := fs.String("state-dir", "", "serve S3 PutObject/GetObject and SNS Publish, writing what they receive to `DIR`/s3/<bucket>/<key> and DIR/sns/<n>.json")
	var buckets []string
	fs.Func("bucket", "an S3 `BUCKET` that exists (repeatable; with --state-dir, its directories under DIR/s3 exist too)", func(b string) error {
		buckets = append(buckets, b)
		return nil
	})
	shift := fs.Bool("shift-to-now", false, "move the snapshot's timestamps so that its window ends at the current hour, as a scheduled run expects")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: cwlens-emulator --snapshot FILE [--listen 127.0.0.1:PORT] [--faults LIST] [--state-dir DIR --bucket B] [--shift-to-now]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0 // asked for: the usage was printed
		}
		return 2
	}
	if *snapPath == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	snap, err := cwlens.ReadSnapshot(*snapPath)
	if err != nil {
		fmt.Fprintf(stderr, "cwlens-emulator: %v\n", err)
		return 2
	}
	if *shift {
		if snap, err = awsemu.ShiftToNow(snap, time.Now()); err != nil {
			fmt.Fprintf(stderr, "cwlens-emulator: %v\n", err)
			return 2
		}
	}
	f, err := awsemu.ParseFaults(*faults)
	if err != nil {
		fmt.Fprintf(stderr, "cwlens-emulator: --faults: %v\n", err)
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	emu := awsemu.New(snap, awsemu.Options{Faults: f, TimeScale: *scale, NoQuotas: *noQuotas, Logger: logger})
	if *stateDir != "" || len(buckets) > 0 {
		st, err := awsemu.NewS3(*stateDir, buckets...)
		if err == nil {
			var sn *awsemu.SNS
			if sn, err = awsemu.NewSNS(*stateDir); err == nil {
				emu.Register(st)
				emu.Register(sn)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "cwlens-emulator: --state-dir: %v\n", err)
			return 2
		}
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "cwlens-emulator: %v\n", err)
		return 2
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "cwlens-emulator: account %s, %s: %d log groups, %d services; window %s to %s\n",
		snap.AccountID, snap.Region, len(snap.LogGroups), len(snap.Services),
		snap.Window.Start.Format(time.RFC3339), snap.Window.End.Format(time.RFC3339))
	fmt.Fprintf(stdout, "listening on %s\n  cwlens scan --endpoint-url %s --region %s --until %s --days %d%s --out snapshot.json\n",
		url, url, snap.Region, snap.Window.End.Format(time.RFC3339), int(snap.Window.Duration()/cwlens.Day), sampleFlag(snap))
	if ready != nil {
		ready(url)
	}

	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = srv.Shutdown(sctx)
		cancel()
	}
	printCalls(stdout, emu.Calls())
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "cwlens-emulator: %v\n", err)
		return 1
	}
	return 0
}

// printCalls writes the calls served per API, for comparing runs.
func printCalls(w io.Writer, calls map[string]awsemu.CallCount) {
	apis := make([]string, 0, len(calls))
	for api := range calls {
		apis = append(apis, api)
	}
	sort.Strings(apis)
	fmt.Fprintf(w, "%-30s %8s %8s %9s %7s %6s %6s\n", "API", "requests", "ok", "throttled", "5xx", "denied", "failed")
	for _, api := range apis {
		c := calls[api]
		fmt.Fprintf(w, "%-30s %8d %8d %9d %7d %6d %6d\n", api, c.Requests, c.OK, c.Throttled, c.Faulted, c.Denied, c.Failed)
	}
}

// sampleFlag returns a --sample flag for a snapshot whose log groups carry
// events, which FilterLogEvents serves: twice the largest sample, since a
// scan takes half before a jump and half since (it reads the reference
// fixture's sample back whole).
func sampleFlag(snap *cwlens.Snapshot) string {
	n := 0
	for _, g := range snap.LogGroups {
		n = max(n, len(g.Sample))
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" --sample %d", 2*n)
}
