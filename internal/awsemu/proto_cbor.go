package awsemu

import (
	"net/http"
	"strings"

	"github.com/fxamacker/cbor/v2"
)

// RPCv2CBOR is the Smithy RPC v2 CBOR protocol (CloudWatch in the pinned
// SDK): POST /service/<Service>/operation/<Op> with Smithy-Protocol:
// rpc-v2-cbor, CBOR maps keyed by member name, timestamps as tag 1 around
// float64 epoch seconds; errors as a CBOR map {"__type", "message"} and, for
// awsQuery-compatible services, the header X-Amzn-Query-Error: Code;Fault.
type RPCv2CBOR struct {
	// Service is the service shape name in the path, e.g.
	// "GraniteServiceVersion20100801".
	Service string
	// QueryCompatible makes errors carry X-Amzn-Query-Error.
	QueryCompatible bool
}

var (
	cborEnc = mustEncMode(cbor.EncOptions{Time: cbor.TimeUnixMicro, TimeTag: cbor.EncTagRequired})
	cborDet = mustEncMode(cbor.CoreDetEncOptions())
)

func mustEncMode(o cbor.EncOptions) cbor.EncMode {
	m, err := o.EncMode()
	if err != nil {
		panic(err)
	}
	return m
}

// Route returns the operation of r if it is an RPC v2 CBOR request for
// p.Service.
func (p RPCv2CBOR) Route(r *http.Request) string {
	if r.Method != http.MethodPost || r.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
		return ""
	}
	op, ok := strings.CutPrefix(r.URL.Path, "/service/"+p.Service+"/operation/")
	if !ok || strings.Contains(op, "/") {
		return ""
	}
	return op
}

// Canonical re-encodes the CBOR body deterministically (sorted map keys):
// the SDK's CBOR encoder does not promise a member order.
func (RPCv2CBOR) Canonical(body []byte) string {
	var v any
	if err := cbor.Unmarshal(body, &v); err != nil {
		return string(body)
	}
	b, err := cborDet.Marshal(v)
	if err != nil {
		return string(body)
	}
	return string(b)
}

// WriteResponse writes v as the CBOR body of a 200.
func (p RPCv2CBOR) WriteResponse(w http.ResponseWriter, op string, v any) {
	b, err := cborEnc.Marshal(v)
	if err != nil {
		p.WriteError(w, &APIError{Status: 500, Code: "InternalFailure", Message: err.Error(), QueryCode: "InternalFailure", Fault: "Receiver"})
		return
	}
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("X-Amzn-Requestid", requestID())
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// WriteError writes e as an RPC v2 CBOR error.
func (p RPCv2CBOR) WriteError(w http.ResponseWriter, e *APIError) {
	b, _ := cborEnc.Marshal(map[string]string{"__type": e.Code, "message": e.Message})
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("X-Amzn-Requestid", requestID())
	if p.QueryCompatible && e.QueryCode != "" {
		w.Header().Set("X-Amzn-Query-Error", e.QueryCode+";"+e.Fault)
	}
	w.WriteHeader(e.Status)
	w.Write(b)
}

// decodeCBOR decodes an RPC v2 CBOR request body into v; empty is {}.
func decodeCBOR(body []byte, v any) error {
	if len(body) == 0 {
		return nil
	}
	if err := cbor.Unmarshal(body, v); err != nil {
		return &APIError{Status: 400, Code: "SerializationException", Message: err.Error(), QueryCode: "SerializationException", Fault: "Sender"}
	}
	return nil
}
