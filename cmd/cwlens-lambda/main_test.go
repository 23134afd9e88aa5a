package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/cwlens/cwlens/internal/batch"
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
	if res, ok := res.(batch.Result); !ok || res.Status != "error" || len(res.Errors) != 1 {
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

func TestSetMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1)) // restore
	tests := []struct {
		env  []string
		want int64
	}{
		{[]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"}, 512 << 20 * 9 / 10},
		{[]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512", "GOMEMLIMIT", "300MiB"}, -1},
		{[]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots"}, -1},
		{nil, -1},
	}
	for _, tt := range tests {
		env := map[string]string{}
		for i := 0; i+1 < len(tt.env); i += 2 {
			env[tt.env[i]] = tt.env[i+1]
		}
		got := setMemoryLimit(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if got != tt.want {
			t.Errorf("%v: limit %d, want %d", tt.env, got, tt.want)
		}
		if tt.want > 0 && debug.SetMemoryLimit(-1) != tt.want {
			t.Errorf("%v: the runtime's limit is not set", tt.env)
		}
	}
}

func TestOrgConfigFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env   map[string]string
		isOrg bool
		want  string
	}{
		{map[string]string{}, false, ""},
		{map[string]string{"CWLENS_ORG_ROLE_NAME": "cwlens-member", "CWLENS_ORG_ACCOUNTS": "111111111111, 222222222222", "CWLENS_ORG_CONCURRENCY": "40"}, true, ""},
		{map[string]string{"CWLENS_ORG_ROLE_NAME": "no/slashes"}, true, `CWLENS_ORG_ROLE_NAME: "no/slashes"`},
		{map[string]string{"CWLENS_ORG_ROLE_NAME": "r", "CWLENS_ORG_ACCOUNTS": "1234"}, true, `CWLENS_ORG_ACCOUNTS: "1234"`},
		{map[string]string{"CWLENS_ORG_ROLE_NAME": "r", "CWLENS_ORG_CONCURRENCY": "0"}, true, `CWLENS_ORG_CONCURRENCY: "0"`},
	} {
		c, isOrg, err := orgConfigFromEnv(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
		if isOrg != tc.isOrg || (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%v: isOrg %v, err %v; want %v, %q", tc.env, isOrg, err, tc.isOrg, tc.want)
		}
		if tc.want == "" && tc.isOrg && (len(c.Accounts) != 2 || c.Concurrency != 40) {
			t.Errorf("%v: config %+v", tc.env, c)
		}
	}
}

// TestOrgStepOnSingleAccountFunction: a function deployed for one account
// refuses the organisation's steps with a clear error.
func TestOrgStepOnSingleAccountFunction(t *testing.T) {
	env := map[string]string{"AWS_REGION": "us-east-1", "CWLENS_REPORT_BUCKET": "cwlens-reports",
		"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"}
	for k, v := range env {
		t.Setenv(k, v)
	}
	h := newHandler(context.Background(), func(k string) (string, bool) { v, ok := env[k]; return v, ok }, slog.New(slog.DiscardHandler))
	_, err := h.invoke(context.Background(), json.RawMessage(`{"org":{"step":"plan"}}`))
	if err == nil || !strings.Contains(err.Error(), "CWLENS_ORG_ROLE_NAME is not set") {
		t.Errorf("err = %v", err)
	}
	_, err = h.invoke(context.Background(), json.RawMessage(`{"org":{"step":"merge","run":"../../x"}}`))
	if err == nil || !strings.Contains(err.Error(), "org.run") {
		t.Errorf("bad run name: err = %v", err)
	}
}
