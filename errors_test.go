package cwlens

import (
	"fmt"
	"testing"
)

func TestInputError(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{Inputf("s.json", "log_groups[2].stored_bytes", "-5", "must not be negative"), "s.json: log_groups[2].stored_bytes: -5: must not be negative"},
		{Inputf("s.yaml", "line 3", "", "unknown key %q", "memroy"), `s.yaml: line 3: unknown key "memroy"`},
		{Inputf("", "", "", "empty"), "empty"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
		wrapped := fmt.Errorf("read: %w", tt.err)
		if !IsInputError(wrapped) {
			t.Errorf("IsInputError(%v) = false", wrapped)
		}
	}
	if IsInputError(fmt.Errorf("plain")) {
		t.Error("IsInputError(plain) = true")
	}
}
