// Package emf writes CloudWatch Embedded Metric Format (EMF) log lines: JSON
// objects that CloudWatch Logs turns into metrics when a Lambda function (or
// the CloudWatch agent) writes them to its log, with no PutMetricData call and
// no cloudwatch:PutMetricData permission.
//
// The format follows "Specification: Embedded metric format"
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
//
//	{"_aws": {"Timestamp": <epoch ms>,
//	          "CloudWatchMetrics": [{"Namespace": "...",
//	                                 "Dimensions": [["Dim1", ...]],
//	                                 "Metrics": [{"Name": "...", "Unit": "..."}]}]},
//	 "Dim1": "value", "MetricName": 1.5, "other": "properties"}
//
// Each referenced dimension and metric is a member of the root object (the
// "target members"); Validate checks a line against those rules.
package emf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Unit is a CloudWatch metric unit, as MetricDatum.Unit accepts it.
type Unit string

// Units cwlens emits; the full list is in validUnits.
const (
	Count        Unit = "Count"
	Milliseconds Unit = "Milliseconds"
	Seconds      Unit = "Seconds"
	Bytes        Unit = "Bytes"
	None         Unit = "None"
)

// validUnits are the values of StandardUnit in the CloudWatch API reference
// (MetricDatum.Unit), the set the EMF specification allows for Unit.
var validUnits = map[Unit]bool{
	"Seconds": true, "Microseconds": true, "Milliseconds": true,
	"Bytes": true, "Kilobytes": true, "Megabytes": true, "Gigabytes": true, "Terabytes": true,
	"Bits": true, "Kilobits": true, "Megabits": true, "Gigabits": true, "Terabits": true,
	"Percent": true, "Count": true,
	"Bytes/Second": true, "Kilobytes/Second": true, "Megabytes/Second": true, "Gigabytes/Second": true, "Terabytes/Second": true,
	"Bits/Second": true, "Kilobits/Second": true, "Megabits/Second": true, "Gigabits/Second": true, "Terabits/Second": true,
	"Count/Second": true, "None": true,
}

// Limits of the specification.
const (
	maxMetricsPerDirective = 100
	maxDimensionsPerSet    = 30
	maxNamespaceLen        = 1024
	maxDimensionValueLen   = 1024 // CloudWatch Dimension.Value
	maxNameLen             = 255  // CloudWatch metric and dimension names
	// maxEventBytes is CloudWatch Logs' maximum event size, which applies to
	// EMF documents (1 MB since 2025; 256 KB before).
	maxEventBytes = 1 << 20
)

// Metric is one value to emit.
type Metric struct {
	Name  string
	Unit  Unit
	Value float64
}

// Dimension is one dimension name and value; order is kept.
type Dimension struct {
	Name, Value string
}

// Line is one EMF document: the metrics of one dimension set at one time,
// with extra properties that are searchable in Logs Insights but are not
// metrics.
type Line struct {
	Namespace  string
	Time       time.Time
	Dimensions []Dimension
	Metrics    []Metric
	Properties map[string]any
}

// Marshal returns the line as one line of JSON without the newline, after
// checking it against the specification.
func (l Line) Marshal() ([]byte, error) {
	root := map[string]any{}
	for k, v := range l.Properties {
		root[k] = v
	}
	dimNames := make([]string, 0, len(l.Dimensions))
	for _, d := range l.Dimensions {
		dimNames = append(dimNames, d.Name)
		root[d.Name] = d.Value
	}
	defs := make([]map[string]any, 0, len(l.Metrics))
	for _, m := range l.Metrics {
		if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
			return nil, fmt.Errorf("emf: metric %s is %v; JSON cannot carry it", m.Name, m.Value)
		}
		def := map[string]any{"Name": m.Name}
		if m.Unit != "" {
			def["Unit"] = string(m.Unit)
		}
		defs = append(defs, def)
		root[m.Name] = m.Value
	}
	root["_aws"] = map[string]any{
		"Timestamp": l.Time.UnixMilli(),
		"CloudWatchMetrics": []map[string]any{{
			"Namespace":  l.Namespace,
			"Dimensions": [][]string{dimNames},
			"Metrics":    defs,
		}},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("emf: %w", err)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if err := Validate(b); err != nil {
		return nil, err
	}
	return b, nil
}

// Write writes each line to w, one JSON document per line, as the Lambda
// runtime expects on stdout: each write becomes one log event.
func Write(w io.Writer, lines ...Line) error {
	for _, l := range lines {
		b, err := l.Marshal()
		if err != nil {
			return err
		}
		if _, err := w.Write(append(b, '\n')); err != nil {
			return fmt.Errorf("emf: write: %w", err)
		}
	}
	return nil
}

// Validate checks that b is one EMF document CloudWatch will accept: a JSON
// object with _aws.Timestamp in epoch milliseconds and a non-empty
// _aws.CloudWatchMetrics, each directive with a Namespace, Dimensions (sets
// of at most 30 keys, each a string member of the root) and Metrics (at most
// 100, each with a Name that is a numeric member of the root, or an array of
// at most 100 numbers, and a valid Unit if any).
func Validate(b []byte) error {
	if len(b) > maxEventBytes {
		return fmt.Errorf("emf: document is %d bytes, more than a log event's %d", len(b), maxEventBytes)
	}
	if bytes.ContainsAny(b, "\n\r") {
		return errors.New("emf: document spans lines")
	}
	var root map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		return fmt.Errorf("emf: root is not a JSON object: %w", err)
	}
	if dec.More() {
		return errors.New("emf: data after the JSON object")
	}
	rawAWS, ok := root["_aws"]
	if !ok {
		return errors.New("emf: no _aws member")
	}
	var meta struct {
		Timestamp         *json.Number      `json:"Timestamp"`
		CloudWatchMetrics []json.RawMessage `json:"CloudWatchMetrics"`
	}
	if err := strictDecode(rawAWS, &meta); err != nil {
		return fmt.Errorf("emf: _aws: %w", err)
	}
	if meta.Timestamp == nil {
		return errors.New("emf: _aws.Timestamp missing")
	}
	ms, err := meta.Timestamp.Int64()
	if err != nil || ms < 0 {
		return fmt.Errorf("emf: _aws.Timestamp %s is not epoch milliseconds", meta.Timestamp)
	}
	// A seconds timestamp would be read as 1970; catch that mistake.
	if ms < 1e12 {
		return fmt.Errorf("emf: _aws.Timestamp %d looks like seconds, not milliseconds", ms)
	}
	if len(meta.CloudWatchMetrics) == 0 {
		return errors.New("emf: _aws.CloudWatchMetrics is empty")
	}
	for i, raw := range meta.CloudWatchMetrics {
		var d struct {
			Namespace  *string    `json:"Namespace"`
			Dimensions [][]string `json:"Dimensions"`
			Metrics    []struct {
				Name              *string `json:"Name"`
				Unit              *string `json:"Unit"`
				StorageResolution *int    `json:"StorageResolution"`
			} `json:"Metrics"`
		}
		where := fmt.Sprintf("emf: CloudWatchMetrics[%d]", i)
		if err := strictDecode(raw, &d); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if d.Namespace == nil || len(*d.Namespace) == 0 || len(*d.Namespace) > maxNamespaceLen {
			return fmt.Errorf("%s.Namespace must be 1 to %d characters", where, maxNamespaceLen)
		}
		if d.Dimensions == nil {
			return fmt.Errorf("%s.Dimensions missing", where)
		}
		for j, set := range d.Dimensions {
			if len(set) > maxDimensionsPerSet {
				return fmt.Errorf("%s.Dimensions[%d] has %d keys, more than %d", where, j, len(set), maxDimensionsPerSet)
			}
			for _, name := range set {
				var v string
				if err := json.Unmarshal(root[name], &v); err != nil || len(name) > maxNameLen {
					return fmt.Errorf("%s: dimension %q is not a string member of the root", where, name)
				}
				if v == "" || len(v) > maxDimensionValueLen {
					return fmt.Errorf("%s: dimension %q value must be 1 to %d characters", where, name, maxDimensionValueLen)
				}
			}
		}
		if len(d.Metrics) == 0 || len(d.Metrics) > maxMetricsPerDirective {
			return fmt.Errorf("%s.Metrics has %d entries, want 1 to %d", where, len(d.Metrics), maxMetricsPerDirective)
		}
		for j, m := range d.Metrics {
			if m.Name == nil || *m.Name == "" || len(*m.Name) > maxNameLen {
				return fmt.Errorf("%s.Metrics[%d].Name must be 1 to %d characters", where, j, maxNameLen)
			}
			if m.Unit != nil && !validUnits[Unit(*m.Unit)] {
				return fmt.Errorf("%s.Metrics[%d].Unit %q is not a CloudWatch unit", where, j, *m.Unit)
			}
			if m.StorageResolution != nil && *m.StorageResolution != 1 && *m.StorageResolution != 60 {
				return fmt.Errorf("%s.Metrics[%d].StorageResolution %d: want 1 or 60", where, j, *m.StorageResolution)
			}
			if err := numericMember(root[*m.Name]); err != nil {
				return fmt.Errorf("%s: metric %q: %w", where, *m.Name, err)
			}
		}
	}
	return nil
}

// numericMember checks a metric's target member: a number or an array of at
// most 100 numbers.
func numericMember(raw json.RawMessage) error {
	if raw == nil {
		return errors.New("no member of that name in the root")
	}
	var n float64
	if json.Unmarshal(raw, &n) == nil {
		return nil
	}
	var ns []float64
	if err := json.Unmarshal(raw, &ns); err != nil {
		return errors.New("value is not a number or an array of numbers")
	}
	if len(ns) > 100 {
		return fmt.Errorf("array of %d values, more than 100", len(ns))
	}
	return nil
}

// strictDecode decodes raw into v, refusing members the specification does
// not define: "objects defined by this specification MUST NOT contain any
// additional members".
func strictDecode(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
