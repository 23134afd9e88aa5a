package cwlens

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// seriesPath finds the JSON path of the series whose UnmarshalJSON returned
// ie, whose Where is relative to the series. encoding/json does not say which
// field an Unmarshaler failed on, so this re-reads the document and decodes
// each series-shaped object again until one fails the same way. It runs on
// the error path only. It returns "" when no series matches.
func seriesPath(data []byte, ie *InputError) string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return ""
	}
	return findSeries(doc, "", ie)
}

func findSeries(v any, path string, ie *InputError) string {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["period_seconds"]; ok {
			raw, err := json.Marshal(v)
			if err != nil {
				return ""
			}
			var s Series
			var got *InputError
			if errors.As(s.UnmarshalJSON(raw), &got) && got.Where == ie.Where && got.Value == ie.Value && got.Err.Error() == ie.Err.Error() {
				return path
			}
			return ""
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if found := findSeries(v[k], p, ie); found != "" {
				return found
			}
		}
	case []any:
		for i, x := range v {
			if found := findSeries(x, fmt.Sprintf("%s[%d]", path, i), ie); found != "" {
				return found
			}
		}
	}
	return ""
}
