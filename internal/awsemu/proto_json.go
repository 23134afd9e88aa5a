package awsemu

import (
	"encoding/json"
	"net/http"
	"strings"
)

// JSON11 is the AWS JSON 1.1 protocol (CloudWatch Logs, ECS, Pricing):
// POST / with X-Amz-Target "<prefix>.<Op>", lowerCamel JSON members, errors
// as {"__type": code, "message": ...} with the code also in X-Amzn-ErrorType.
type JSON11 struct {
	// Target is the X-Amz-Target prefix, e.g. "Logs_20140328".
	Target string
}

// Route returns the operation of r if it is an AWS JSON request for j.Target.
func (j JSON11) Route(r *http.Request) string {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-amz-json-") {
		return ""
	}
	return targetOp(r, j.Target)
}

// Canonical re-encodes the JSON body with sorted keys.
func (JSON11) Canonical(body []byte) string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return string(body)
	}
	b, _ := json.Marshal(v) // maps marshal with sorted keys
	return string(b)
}

// WriteResponse writes v as the JSON body of a 200.
func (j JSON11) WriteResponse(w http.ResponseWriter, op string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		j.WriteError(w, &APIError{Status: 500, Code: "InternalFailure", Message: err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", requestID())
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// WriteError writes e as an AWS JSON error.
func (JSON11) WriteError(w http.ResponseWriter, e *APIError) {
	b, _ := json.Marshal(map[string]string{"__type": e.Code, "message": e.Message})
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Errortype", e.Code)
	w.Header().Set("X-Amzn-Requestid", requestID())
	w.WriteHeader(e.Status)
	w.Write(b)
}

// decodeJSON decodes an AWS JSON request body into v; an empty body is {}.
func decodeJSON(body []byte, v any) error {
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &APIError{Status: 400, Code: "SerializationException", Message: err.Error()}
	}
	return nil
}

// epochSeconds is a timestamp as AWS JSON writes it by default: a number of
// seconds since the epoch.
func epochSeconds(sec int64, nsec int) float64 {
	return float64(sec) + float64(nsec/1e6)/1e3
}

// requestID returns a request id; it only has to look like one.
func requestID() string { return "00000000-0000-4000-8000-000000000000" }
