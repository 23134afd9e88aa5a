package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// emulatorRun is the command running in the background, serving at url.
type emulatorRun struct {
	url            string
	stdout, stderr bytes.Buffer
	cancel         context.CancelFunc
	done           chan int
}

// startRun runs the command with args and waits until it serves.
func startRun(t *testing.T, args ...string) *emulatorRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &emulatorRun{cancel: cancel, done: make(chan int, 1)}
	t.Cleanup(cancel)
	urls := make(chan string, 1)
	go func() {
		r.done <- run(ctx, args, &r.stdout, &r.stderr, func(u string) { urls <- u })
	}()
	select {
	case r.url = <-urls:
	case code := <-r.done:
		t.Fatalf("exit %d before serving: %s", code, r.stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("not serving after 10 s")
	}
	return r
}

// stop interrupts the command and fails unless it exits 0.
func (r *emulatorRun) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	if code := <-r.done; code != 0 {
		t.Fatalf("exit %d: %s", code, r.stderr.String())
	}
}

func TestRunServesAndReportsCalls(t *testing.T) {
	r := startRun(t, "--snapshot", "../../fixtures/karmacadabra-prod/snapshot.json", "--faults", "deny=ecs")
	url := r.url
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("url %q is not on 127.0.0.1", url)
	}
	req, _ := http.NewRequest("POST", url+"/", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-Errortype") != "AccessDeniedException" {
		t.Errorf("denied ECS call: status %d, error type %q", resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"))
	}
	r.stop(t)
	if !strings.Contains(r.stdout.String(), "ecs:ListClusters") {
		t.Errorf("call counts missing from:\n%s", r.stdout.String())
	}
}

func TestRunBadInput(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--snapshot", "does-not-exist.json"},
		{"--snapshot", "../../fixtures/karmacadabra-prod/snapshot.json", "--faults", "throttle=2"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr, nil); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestRunHelp: asking for help is not a mistake. The usage goes to stderr
// and the exit status is 0, as for any command asked for its help.
func TestRunHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{arg}, &stdout, &stderr, nil); code != 0 || !strings.Contains(stderr.String(), "usage: cwlens-emulator --snapshot FILE") {
			t.Errorf("%s: exit %d, stderr %q", arg, code, stderr.String())
		}
	}
}
