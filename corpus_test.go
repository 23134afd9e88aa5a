package cwlens_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
)

// TestBadCorpus reads every file under testdata/bad and checks the one-line
// error: it must be an *InputError naming the file, the JSON path and the
// value. Each file is testdata/good.json with one thing broken.
func TestBadCorpus(t *testing.T) {
	tests := []struct {
		file string
		want []string // substrings of the error, in order
	}{
		{"truncated.json", []string{"log_groups[0].daily_incoming_events.start", "truncated JSON", "line 15, column 47"}},
		{"empty.json", []string{"empty file"}},
		{"schema99.json", []string{"schema_version: 99: unsupported schema version", "line 2"}},
		{"negative_stored_bytes.json", []string{"log_groups[0].stored_bytes: -5: must not be negative"}},
		{"nan.json", []string{"log_groups[0].daily_incoming_bytes.values[1]: NaN: ", "JSON has no NaN", "line 14, column 127"}},
		{"nan_string.json", []string{`log_groups[0].daily_incoming_bytes.values[1]: "NaN": want a number or null`, "line 14, column 127"}},
		{"inf_string.json", []string{`log_groups[0].daily_incoming_bytes.values[2]: "Infinity": want a number or null`}},
		{"inf_number.json", []string{"log_groups[0].daily_incoming_bytes.values[0]: 1e999: number out of range"}},
		{"negative_value.json", []string{"log_groups[0].daily_incoming_bytes.values[2]: -1: must not be negative"}},
		{"unsorted_points.json", []string{"log_groups[0].daily_incoming_events.points[1][0]: 2025-10-29T00:00:00Z: timestamps out of order"}},
		{"duplicate_points.json", []string{"log_groups[0].daily_incoming_events.points[1][0]: 2025-10-29T00:00:00Z: duplicate timestamp"}},
		{"off_grid_point.json", []string{"log_groups[0].daily_incoming_events.points[1][0]: 2025-10-30T12:00:00Z: not on the series' 1 day grid"}},
		{"point_triple.json", []string{"log_groups[0].daily_incoming_events.points[0][2]", "two elements"}},
		{"values_and_points.json", []string{"log_groups[0].daily_incoming_events.points", "either values or points"}},
		{"period_zero.json", []string{"log_groups[0].daily_incoming_bytes.period_seconds: 0: must be a positive whole number of seconds"}},
		{"period_fraction.json", []string{"log_groups[0].daily_incoming_bytes.period_seconds: 86400.5: want a whole number"}},
		{"unaligned_start.json", []string{"log_groups[0].daily_incoming_bytes.start: 2025-10-29T06:00:00Z: not aligned", "00:00 UTC"}},
		{"outside_window.json", []string{"log_groups[0].daily_incoming_bytes: 2025-10-30T00:00:00Z to 2025-11-02T00:00:00Z: series reaches outside the window"}},
		{"wrong_unit.json", []string{`log_groups[0].daily_incoming_bytes.unit: "Megabytes": want "Bytes"`}},
		{"bad_cpu_memory.json", []string{"services[0].cpu_units: 256 CPU units / 768 MiB: not a Fargate task size", "[512 1024 2048]"}},
		{"ec2_cpu.json", []string{"services[0].cpu_units: 64: an ECS task has 128 to 196608 CPU units"}},
		{"launch_and_strategy.json", []string{`services[0].launch_type: "FARGATE": `, "never both"}},
		{"missing_log_group.json", []string{`services[0].log_group: "/ecs/demo/gone": no such log group`}},
		{"unknown_field.json", []string{`log_groups[0].stored_byte: "stored_byte": unknown field`, "stored_bytes", "line 12, column 7"}},
		{"window_reversed.json", []string{"window.end: 2025-10-29T00:00:00Z: must be after window.start"}},
		{"unknown_class.json", []string{`log_groups[0].class: "STANDARD_IA": unknown log group class`}},
		{"bad_retention.json", []string{"log_groups[0].retention_days: 10: CloudWatch Logs accepts only"}},
		{"negative_count.json", []string{"services[0].running_count: -1: must not be negative"}},
		{"memory_over_100.json", []string{"services[0].memory_average.values[1]: 142: above 100"}},
		{"bad_time.json", []string{`captured_at: "yesterday": not an RFC 3339 timestamp`, "line 5"}},
		{"string_count.json", []string{`services[0].desired_count: "1": want a whole number, got a string`, "line 28, column 24"}},
		{"trailing_data.json", []string{"unexpected data after the snapshot object", "line 36"}},
		{"not_object.json", []string{"want an object, got an array", "line 1"}},
		// Keys match fields case-insensitively, as encoding/json matches them,
		// so the walk that locates the NaN must not stop at Retention_Days.
		{"case_field_and_error.json", []string{"log_groups[0].daily_incoming_bytes.values[2]: NaN: ", "line 14, column 133"}},
		{"duplicate_log_group.json", []string{`log_groups[1].name: "/ecs/demo/api": duplicate of log_groups[0]`}},
	}
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tests) {
		t.Errorf("%d files under testdata/bad, %d in this table: add the new file's expected error", len(files), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tt.file)
			_, err := cwlens.ReadSnapshot(path)
			if err == nil {
				t.Fatal("accepted")
			}
			if !cwlens.IsInputError(err) {
				t.Fatalf("not an *InputError: %v", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
			rest := msg
			for _, w := range append([]string{path + ": "}, tt.want...) {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error %q\nlacks %q (in order)", msg, w)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestGoodFile(t *testing.T) {
	s, err := cwlens.ReadSnapshot(filepath.Join("testdata", "good.json"))
	if err != nil {
		t.Fatal(err)
	}
	g := s.LogGroups[0]
	// values: the null is a missing point, not a zero.
	if d := g.DailyIncomingBytes; d.Len() != 3 || d.Values[0] != 5e6 || !cwlens.IsMissing(d.Values[1]) || d.Values[2] != 6e6 {
		t.Errorf("daily bytes %v", d.Values)
	}
	// points: the sparse form fills the day without a point with a missing one.
	if e := g.DailyIncomingEvents; e.Len() != 3 || e.Values[0] != 20000 || !cwlens.IsMissing(e.Values[1]) || e.Values[2] != 24000 || e.Period != cwlens.Day {
		t.Errorf("daily events %+v", e)
	}
	if _, err := os.Stat(filepath.Join("testdata", "good.json")); err != nil {
		t.Fatal(err)
	}
}

// TestKeysIgnoreCase documents that keys match as encoding/json matches them.
func TestKeysIgnoreCase(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "good.json"))
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.Replace(string(b), `"stored_bytes"`, `"Stored_Bytes"`, 1))
	s, err := cwlens.DecodeSnapshot(strings.NewReader(string(b)), "case.json")
	if err != nil {
		t.Fatal(err)
	}
	if s.LogGroups[0].StoredBytes != 1000 {
		t.Fatalf("Stored_Bytes read as %d", s.LogGroups[0].StoredBytes)
	}
}
