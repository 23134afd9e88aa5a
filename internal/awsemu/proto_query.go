package awsemu

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
)

// Query is the awsQuery protocol (STS, SNS): a form-encoded POST with
// Action and Version, answered with XML <OpResponse><OpResult>...; errors as
// <ErrorResponse><Error><Type/><Code/><Message/></Error>.
type Query struct {
	// Version is the API version the service's requests carry, e.g.
	// "2011-06-15" for STS; it tells services that share the protocol apart.
	Version string
	// Namespace is the XML namespace of responses.
	Namespace string
}

// Route returns the Action of r if it is an awsQuery request for q.Version.
func (q Query) Route(r *http.Request, body []byte) string {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return ""
	}
	v, err := url.ParseQuery(string(body))
	if err != nil || v.Get("Version") != q.Version {
		return ""
	}
	return v.Get("Action")
}

// Canonical returns the form with its keys sorted.
func (Query) Canonical(body []byte) string {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return string(body)
	}
	return v.Encode()
}

// WriteResponse wraps v in <OpResponse>; v must marshal as the <OpResult>
// element (give it an XMLName).
func (q Query) WriteResponse(w http.ResponseWriter, op string, v any) {
	inner, err := xml.Marshal(v)
	if err != nil {
		q.WriteError(w, &APIError{Status: 500, Code: "InternalFailure", Message: err.Error(), Fault: "Receiver"})
		return
	}
	var b strings.Builder
	b.WriteString(`<` + op + `Response xmlns="` + q.Namespace + `">`)
	b.Write(inner)
	b.WriteString(`<ResponseMetadata><RequestId>` + requestID() + `</RequestId></ResponseMetadata></` + op + `Response>`)
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(b.String()))
}

// WriteError writes e as an awsQuery error.
func (q Query) WriteError(w http.ResponseWriter, e *APIError) {
	type errXML struct {
		Type    string
		Code    string
		Message string
	}
	type respXML struct {
		XMLName   xml.Name `xml:"ErrorResponse"`
		Xmlns     string   `xml:"xmlns,attr"`
		Error     errXML
		RequestID string `xml:"RequestId"`
	}
	fault := e.Fault
	if fault == "" {
		fault = "Sender"
	}
	b, _ := xml.Marshal(respXML{Xmlns: q.Namespace, Error: errXML{Type: fault, Code: e.Code, Message: e.Message}, RequestID: requestID()})
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(e.Status)
	w.Write(b)
}
