//go:build e2e

// The fake Lambda Runtime API the bootstrap tests (lambda_test.go, -tags e2e)
// run against.

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRuntime is the Lambda Runtime API as a function process sees it
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):
//
//	GET  /2018-06-01/runtime/invocation/next            → the next event, with
//	     Lambda-Runtime-Aws-Request-Id and Lambda-Runtime-Deadline-Ms headers
//	POST /2018-06-01/runtime/invocation/{id}/response   ← the handler's result
//	POST /2018-06-01/runtime/invocation/{id}/error      ← the handler's error
//	POST /2018-06-01/runtime/init/error                 ← a failed start
//
// next blocks until the test queues an event, as Lambda does between
// invocations.
type fakeRuntime struct {
	srv    *httptest.Server
	events chan invocation
	mu     sync.Mutex
	done   map[string]chan outcome
	// firstNext is when the process first asked for an event: the end of
	// its cold start.
	firstNext time.Time
}

type invocation struct {
	id       string
	payload  string
	deadline time.Time
}

// outcome is what the function answered.
type outcome struct {
	err  bool // posted to /error
	body []byte
	at   time.Time
}

func newFakeRuntime(t testing.TB) *fakeRuntime {
	rt := &fakeRuntime{events: make(chan invocation, 1), done: map[string]chan outcome{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		rt.mu.Lock()
		if rt.firstNext.IsZero() {
			rt.firstNext = time.Now()
		}
		rt.mu.Unlock()
		select {
		case inv := <-rt.events:
			h := w.Header()
			h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
			h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
			h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:cwlens")
			h.Set("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0")
			h.Set("Content-Type", "application/json")
			io.WriteString(w, inv.payload)
		case <-r.Context().Done():
		}
	})
	post := func(isErr bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			rt.mu.Lock()
			ch := rt.done[r.PathValue("id")]
			rt.mu.Unlock()
			if ch == nil {
				http.Error(w, `{"errorType":"InvalidRequestID"}`, http.StatusBadRequest)
				return
			}
			ch <- outcome{err: isErr, body: body, at: time.Now()}
			w.WriteHeader(http.StatusAccepted)
			io.WriteString(w, `{"status":"OK"}`)
		}
	}
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", post(false))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", post(true))
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		t.Errorf("the function failed to start: %s", body)
		w.WriteHeader(http.StatusAccepted)
	})
	rt.srv = httptest.NewServer(mux)
	t.Cleanup(rt.srv.Close)
	return rt
}

// addr is AWS_LAMBDA_RUNTIME_API: host:port, without a scheme.
func (rt *fakeRuntime) addr() string { return strings.TrimPrefix(rt.srv.URL, "http://") }

// invoke queues one event with the given time budget and waits for the
// function's answer.
func (rt *fakeRuntime) invoke(t testing.TB, payload string, budget time.Duration) (outcome, time.Duration) {
	t.Helper()
	id := fmt.Sprintf("req-%d", time.Now().UnixNano())
	ch := make(chan outcome, 1)
	rt.mu.Lock()
	rt.done[id] = ch
	rt.mu.Unlock()
	start := time.Now()
	rt.events <- invocation{id: id, payload: payload, deadline: start.Add(budget)}
	select {
	case out := <-ch:
		return out, out.at.Sub(start)
	case <-time.After(budget + 30*time.Second):
		t.Fatalf("no answer to %s within %v", id, budget+30*time.Second)
	}
	return outcome{}, 0
}

// scheduledEvent is an EventBridge scheduled event at t, as Lambda delivers it.
func scheduledEvent(t time.Time) string {
	b, _ := json.Marshal(map[string]any{
		"version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
		"source": "aws.events", "account": "123456789012", "time": t.UTC().Format(time.RFC3339),
		"region": "us-east-1", "resources": []string{"arn:aws:events:us-east-1:123456789012:rule/cwlens-daily"},
		"detail": map[string]any{},
	})
	return string(b)
}
