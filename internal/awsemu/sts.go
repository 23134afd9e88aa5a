package awsemu

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"

	"github.com/cwlens/cwlens"
)

// sts emulates AWS STS's GetCallerIdentity. The pinned STS client speaks
// awsQuery (SDK service/sts api_client.go: awsquery.New), so requests are
// form posts with Action=GetCallerIdentity&Version=2011-06-15.
type sts struct {
	Query
	account string
	em      *Emulator // for AssumeRole, which an organisation (Org) answers
}

func newSTS(snap *cwlens.Snapshot, em *Emulator) *sts {
	return &sts{Query: Query{Version: "2011-06-15", Namespace: "https://sts.amazonaws.com/doc/2011-06-15/"}, account: snap.AccountID, em: em}
}

func (*sts) Prefix() string                              { return "sts" }
func (s *sts) Protocol() Protocol                        { return s.Query }
func (s *sts) Route(r *http.Request, body []byte) string { return s.Query.Route(r, body) }

type callerIdentity struct {
	XMLName xml.Name `xml:"GetCallerIdentityResult"`
	Account string   `xml:"Account"`
	Arn     string   `xml:"Arn"`
	UserID  string   `xml:"UserId"`
}

func (s *sts) Call(ctx context.Context, op string, body []byte) (any, error) {
	if op == "AssumeRole" && s.em.assumeRole != nil {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, s.Error(ErrValidation, err.Error())
		}
		return s.em.assumeRole(s.account, signedRegion(requestOf(ctx)), form)
	}
	if op != "GetCallerIdentity" {
		return nil, s.Error(ErrValidation, "operation "+op+" is not emulated")
	}
	return callerIdentity{Account: s.account, Arn: "arn:aws:iam::" + s.account + ":user/cwlens", UserID: "AIDAEXAMPLECWLENS"}, nil
}

func (s *sts) Error(kind ErrorKind, msg string) *APIError {
	switch kind {
	case ErrThrottle:
		return &APIError{Status: 400, Code: "Throttling", Message: msg, Fault: "Sender"}
	case ErrInternal:
		return &APIError{Status: 500, Code: "InternalFailure", Message: msg, Fault: "Receiver"}
	case ErrAccessDenied:
		return &APIError{Status: 403, Code: "AccessDenied", Message: msg, Fault: "Sender"}
	}
	return &APIError{Status: 400, Code: "InvalidAction", Message: msg, Fault: "Sender"}
}
