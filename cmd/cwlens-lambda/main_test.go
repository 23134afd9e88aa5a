package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

// TestBadConfiguration: the process starts anyway and every invocation
// answers with the error, one line per bad setting, naming it and its value.
func TestBadConfiguration(t *testing.T) {
	env := map[string]string{
		"AWS_REGION":            "us-east-1",
		"CWLENS_REPORT_BUCKET":  "cwlens-reports",
		"CWLENS_LOOKBACK_DAYS":  "five weeks",
		"CWLENS_ALERT_SEVERITY": "urgent",
	}
	h := newHandler(context.Background(), func(k string) (string, bool) { v, ok := env[k]; return v, ok }, slog.New(slog.DiscardHandler))
	res, err := h.invoke(context.Background(), json.RawMessage(`{}`))
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{`CWLENS_LOOKBACK_DAYS: "five weeks": want a whole number of days from 1 to 455`,
		`CWLENS_ALERT_SEVERITY: "urgent": want one of info, low, medium, high, critical`}
	if got := strings.Split(err.Error(), "\n"); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("error:\n%s\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	if res.Status != "error" || len(res.Errors) != 1 {
		t.Errorf("result %+v", res)
	}
}

// TestBadPayload: a manual payload with a bad override is refused before
// anything runs.
func TestBadPayload(t *testing.T) {
	env := map[string]string{"AWS_REGION": "us-east-1", "CWLENS_REPORT_BUCKET": "cwlens-reports",
		"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"}
	for k, v := range env {
		t.Setenv(k, v)
	}
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	h := newHandler(context.Background(), func(k string) (string, bool) { v, ok := env[k]; return v, ok }, slog.New(slog.DiscardHandler))
	_, err := h.invoke(context.Background(), json.RawMessage(`{"lookback_days": 0}`))
	if err == nil || err.Error() != `payload: lookback_days: "0": want a whole number of days from 1 to 455 (CloudWatch keeps hourly data 455 days)` {
		t.Errorf("error %v", err)
	}
}
