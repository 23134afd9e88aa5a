package awsemu

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/cwlens/cwlens"
)

// Org serves an AWS Organization over one listener: the management
// account's Organizations (ListAccounts) and STS (AssumeRole, beside
// GetCallerIdentity), plus whatever services are registered on its
// management emulator (S3, SNS); and each member account's services under
// the credentials AssumeRole issued for it.
//
// AWS serves a request in the account whose credentials signed it, in the
// Region of the signature's credential scope (Signature Version 4,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
// so Org routes by the access key id and the scope's Region of the
// Authorization header, never by host name.
type Org struct {
	Mgmt *Emulator

	roleName   string
	externalID string
	accounts   []orgAccount
	members    map[string]*Emulator // "ACCOUNT/REGION"
	denied     map[string]bool      // "ACCOUNT" or "ACCOUNT/REGION"

	mu     sync.Mutex
	issued map[string]string // access key id → account
}

type orgAccount struct {
	ID, Name, Status string
}

// OrgOptions describe an organisation.
type OrgOptions struct {
	// Management is the management (or delegated administrator) account id.
	Management string
	// RoleName is the member role AssumeRole grants, ExternalID the
	// sts:ExternalId its trust policy requires ("" for none).
	RoleName, ExternalID string
	// Members are the member accounts' snapshots, one per account and
	// Region; every account listed here is an ACTIVE account.
	Members []*cwlens.Snapshot
	// Suspended lists accounts ListAccounts shows as SUSPENDED.
	Suspended []string
	// Deny lists accounts ("ACCOUNT") whose member role cannot be assumed
	// (AssumeRole answers AccessDenied), or account Regions
	// ("ACCOUNT/REGION") where STS is not activated for the account, so
	// AssumeRole through that Region's STS endpoint answers
	// RegionDisabledException.
	Deny []string
	// Options apply to every account's emulator.
	Options Options
}

// NewOrg returns an organisation emulator.
func NewOrg(o OrgOptions) *Org {
	org := &Org{
		roleName: o.RoleName, externalID: o.ExternalID,
		members: map[string]*Emulator{}, denied: map[string]bool{}, issued: map[string]string{},
	}
	seen := map[string]bool{}
	for _, s := range o.Members {
		org.members[s.AccountID+"/"+s.Region] = New(s, o.Options)
		if !seen[s.AccountID] {
			seen[s.AccountID] = true
			org.accounts = append(org.accounts, orgAccount{ID: s.AccountID, Name: s.AccountName, Status: "ACTIVE"})
		}
	}
	for _, a := range o.Suspended {
		org.accounts = append(org.accounts, orgAccount{ID: a, Name: "suspended-" + a, Status: "SUSPENDED"})
	}
	for _, d := range o.Deny {
		org.denied[d] = true
	}
	region := "us-east-1"
	if len(o.Members) > 0 {
		region = o.Members[0].Region
	}
	org.Mgmt = New(&cwlens.Snapshot{SchemaVersion: cwlens.SchemaVersion, AccountID: o.Management, Region: region}, o.Options)
	org.Mgmt.Register(&organizations{JSON11: JSON11{Target: "AWSOrganizationsV20161128"}, org: org})
	org.Mgmt.assumeRole = org.assumeRole
	return org
}

// Member returns the emulator of one member account and Region.
func (o *Org) Member(account, region string) *Emulator { return o.members[account+"/"+region] }

// signedRegion returns the Region of r's signature, "" when unsigned.
func signedRegion(r *http.Request) string {
	if r == nil {
		return ""
	}
	if m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		return m[2]
	}
	return ""
}

// credentialScope is the Authorization header's
// Credential=AKID/DATE/REGION/SERVICE/aws4_request.
var credentialScope = regexp.MustCompile(`Credential=([^/]+)/[0-9]{8}/([^/]+)/`)

// ServeHTTP sends a request signed with a member's credentials to that
// member's emulator for the scope's Region, and any other to the
// management account.
func (o *Org) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		o.Mgmt.ServeHTTP(w, r)
		return
	}
	o.mu.Lock()
	account, assumed := o.issued[m[1]]
	o.mu.Unlock()
	if !assumed {
		o.Mgmt.ServeHTTP(w, r)
		return
	}
	member := o.members[account+"/"+m[2]]
	if member == nil || o.denied[account+"/"+m[2]] {
		// The role exists only where the StackSet deployed it; elsewhere
		// every call is refused.
		w.Header().Set("X-Amzn-Errortype", "AccessDeniedException")
		http.Error(w, fmt.Sprintf(`{"__type":"AccessDeniedException","message":"no cwlens member role for %s in %s"}`, account, m[2]), http.StatusForbidden)
		return
	}
	member.ServeHTTP(w, r)
}

// roleARN: arn:PARTITION:iam::ACCOUNT:role/NAME.
var roleARN = regexp.MustCompile(`^arn:aws[a-z-]*:iam::([0-9]{12}):role/(.+)$`)

// assumeRole answers STS AssumeRole
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html):
// temporary credentials for the member role, or AccessDenied "User: … is
// not authorized to perform: sts:AssumeRole on resource: …" when the role
// does not exist, its trust policy's sts:ExternalId does not match, or the
// account is denied.
func (o *Org) assumeRole(caller, region string, form url.Values) (any, error) {
	arn := form.Get("RoleArn")
	denied := &APIError{Status: 403, Code: "AccessDenied", Fault: "Sender", Message: fmt.Sprintf(
		"User: arn:aws:sts::%s:assumed-role/cwlens-org/cwlens is not authorized to perform: sts:AssumeRole on resource: %s", caller, arn)}
	m := roleARN.FindStringSubmatch(arn)
	if m == nil {
		return nil, &APIError{Status: 400, Code: "ValidationError", Fault: "Sender", Message: "invalid RoleArn " + arn}
	}
	account := m[1]
	if o.denied[account+"/"+region] {
		// RegionDisabledException (AssumeRole API reference, "Errors"):
		// STS is not activated in the Region of the endpoint called.
		return nil, &APIError{Status: 403, Code: "RegionDisabledException", Fault: "Sender", Message: fmt.Sprintf(
			"STS is not activated in this region for account:%s. Your account administrator can activate STS in this region using the IAM Console.", account)}
	}
	if m[2] != o.roleName || form.Get("ExternalId") != o.externalID || o.denied[account] || !o.isMember(account) {
		return nil, denied
	}
	key := fmt.Sprintf("ASIA%012s%04d", account, len(o.issued))
	o.mu.Lock()
	o.issued[key] = account
	o.mu.Unlock()
	type creds struct {
		AccessKeyID     string `xml:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Expiration      string
	}
	type user struct {
		Arn           string
		AssumedRoleID string `xml:"AssumedRoleId"`
	}
	type result struct {
		XMLName         xml.Name `xml:"AssumeRoleResult"`
		Credentials     creds
		AssumedRoleUser user
	}
	session := form.Get("RoleSessionName")
	return result{
		Credentials: creds{AccessKeyID: key, SecretAccessKey: "secret-" + key, SessionToken: "token-" + key,
			Expiration: time.Now().Add(time.Hour).UTC().Format(time.RFC3339)},
		AssumedRoleUser: user{Arn: fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", account, o.roleName, session),
			AssumedRoleID: "AROAEXAMPLE:" + session},
	}, nil
}

func (o *Org) isMember(account string) bool {
	for _, a := range o.accounts {
		if a.ID == account && a.Status == "ACTIVE" {
			return true
		}
	}
	return false
}

// organizations emulates AWS Organizations' ListAccounts
// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html):
// AWS JSON 1.1, MaxResults 1–20 (default 20 here), NextToken paging.
type organizations struct {
	JSON11
	org *Org
}

func (*organizations) Prefix() string                              { return "organizations" }
func (s *organizations) Protocol() Protocol                        { return s.JSON11 }
func (s *organizations) Route(r *http.Request, body []byte) string { return s.JSON11.Route(r) }

func (s *organizations) Error(kind ErrorKind, msg string) *APIError {
	switch kind {
	case ErrThrottle:
		return &APIError{Status: 400, Code: "TooManyRequestsException", Message: msg}
	case ErrInternal:
		return &APIError{Status: 500, Code: "ServiceException", Message: msg}
	case ErrAccessDenied:
		return &APIError{Status: 400, Code: "AccessDeniedException", Message: msg}
	}
	return &APIError{Status: 400, Code: "InvalidInputException", Message: msg}
}

func (s *organizations) Call(_ context.Context, op string, body []byte) (any, error) {
	if op != "ListAccounts" {
		return nil, s.Error(ErrValidation, "operation "+op+" is not emulated")
	}
	var in struct {
		MaxResults int    `json:"MaxResults"`
		NextToken  string `json:"NextToken"`
	}
	if err := decodeJSON(body, &in); err != nil {
		return nil, s.Error(ErrValidation, err.Error())
	}
	if in.MaxResults == 0 {
		in.MaxResults = 20
	}
	if in.MaxResults < 1 || in.MaxResults > 20 {
		return nil, s.Error(ErrValidation, "MaxResults must be between 1 and 20")
	}
	start := 0
	if in.NextToken != "" {
		if _, err := fmt.Sscanf(in.NextToken, "page-%d", &start); err != nil || start <= 0 || start > len(s.org.accounts) {
			return nil, s.Error(ErrValidation, "invalid NextToken")
		}
	}
	end := min(start+in.MaxResults, len(s.org.accounts))
	type account struct {
		ID     string `json:"Id"`
		Arn    string `json:"Arn"`
		Name   string `json:"Name"`
		Email  string `json:"Email"`
		Status string `json:"Status"`
	}
	out := struct {
		Accounts  []account `json:"Accounts"`
		NextToken string    `json:"NextToken,omitempty"`
	}{Accounts: []account{}}
	for _, a := range s.org.accounts[start:end] {
		out.Accounts = append(out.Accounts, account{ID: a.ID, Name: a.Name, Status: a.Status,
			Arn:   "arn:aws:organizations::" + s.org.Mgmt.snap.AccountID + ":account/o-example/" + a.ID,
			Email: strings.ToLower(a.ID) + "@example.com"})
	}
	if end < len(s.org.accounts) {
		out.NextToken = fmt.Sprintf("page-%d", end)
	}
	return out, nil
}
