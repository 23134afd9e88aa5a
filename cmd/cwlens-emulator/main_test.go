package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRunServesAndReportsCalls(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr bytes.Buffer
	urls := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--snapshot", "../../fixtures/karmacadabra-prod/snapshot.json", "--faults", "deny=ecs"}, &stdout, &stderr, func(u string) { urls <- u })
	}()
	var url string
	select {
	case url = <-urls:
	case code := <-done:
		t.Fatalf("exit %d before serving: %s", code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("not serving after 10 s")
	}
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
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "ecs:ListClusters") {
		t.Errorf("call counts missing from:\n%s", stdout.String())
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
