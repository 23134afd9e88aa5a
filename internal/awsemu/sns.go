package awsemu

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// SNS emulates SNS Publish to a topic. The pinned SNS client speaks awsQuery
// (SDK service/sns api_client.go: awsquery.New): a form POST with
// Action=Publish&Version=2010-03-31&TopicArn=…&Subject=…&Message=…, answered
// with <PublishResponse><PublishResult><MessageId>.
//
// Messages are kept in memory and, when Dir is set, written to
// Dir/sns/<n>.json (n from 1) so a person can read what a run sent. Publish
// checks what SNS checks: the topic ARN, a subject of fewer than 100
// characters without line breaks or control characters, a non-empty UTF-8
// message of at most 256 KiB.
type SNS struct {
	Query
	root *os.Root // dir/sns, when dir is set

	mu   sync.Mutex
	sent []Message
}

// Message is one published SNS message.
type Message struct {
	MessageID string    `json:"message_id"`
	TopicArn  string    `json:"topic_arn"`
	Subject   string    `json:"subject,omitempty"`
	Message   string    `json:"message"`
	Time      time.Time `json:"time"`
}

// NewSNS returns an SNS that writes messages under dir/sns when dir is not
// empty, numbering after the messages already there.
func NewSNS(dir string) (*SNS, error) {
	s := &SNS{Query: Query{Version: "2010-03-31", Namespace: "http://sns.amazonaws.com/doc/2010-03-31/"}}
	if dir != "" {
		d := filepath.Join(dir, "sns")
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("sns state: %w", err)
		}
		root, err := os.OpenRoot(d)
		if err != nil {
			return nil, fmt.Errorf("sns state: %w", err)
		}
		old, _ := fs.Glob(root.FS(), "*.json")
		s.sent = make([]Message, len(old)) // numbering continues after them
		s.root = root
	}
	return s, nil
}

// Messages returns the messages published since the SNS was created (not
// those found on disk at start).
func (s *SNS) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.sent {
		if m.MessageID != "" {
			out = append(out, m)
		}
	}
	return out
}

// Prefix is the IAM prefix of SNS.
func (*SNS) Prefix() string { return "sns" }

// Protocol is awsQuery.
func (s *SNS) Protocol() Protocol { return s.Query }

// Route answers the awsQuery requests of SNS's API version.
func (s *SNS) Route(r *http.Request, body []byte) string { return s.Query.Route(r, body) }

var topicARN = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$`)

// maxSNSMessage is SNS's default maximum message size, 256 KiB.
const maxSNSMessage = 256 << 10

type publishResult struct {
	XMLName   xml.Name `xml:"PublishResult"`
	MessageID string   `xml:"MessageId"`
}

// Call answers Publish.
func (s *SNS) Call(_ context.Context, op string, body []byte) (any, error) {
	if op != "Publish" {
		return nil, s.Error(ErrValidation, "operation "+op+" is not emulated")
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, s.Error(ErrValidation, err.Error())
	}
	m := Message{TopicArn: v.Get("TopicArn"), Subject: v.Get("Subject"), Message: v.Get("Message"), Time: time.Now().UTC()}
	invalid := func(format string, args ...any) error {
		return &APIError{Status: 400, Code: "InvalidParameter", Message: "Invalid parameter: " + fmt.Sprintf(format, args...), Fault: "Sender"}
	}
	switch {
	case !topicARN.MatchString(m.TopicArn):
		return nil, invalid("TopicArn %q", m.TopicArn)
	case v.Has("Subject") && (m.Subject == "" || utf8.RuneCountInString(m.Subject) >= 100):
		return nil, invalid("Subject must be 1 to 99 characters, has %d", utf8.RuneCountInString(m.Subject))
	case strings.IndexFunc(m.Subject, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0:
		return nil, invalid("Subject contains line breaks or control characters")
	case m.Message == "":
		return nil, invalid("Empty message")
	case !utf8.ValidString(m.Message) || len(m.Message) > maxSNSMessage:
		return nil, invalid("Message must be UTF-8 and at most %d bytes, has %d", maxSNSMessage, len(m.Message))
	}
	s.mu.Lock()
	n := len(s.sent) + 1
	m.MessageID = fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	s.sent = append(s.sent, m)
	s.mu.Unlock()
	if s.root != nil {
		b, _ := json.MarshalIndent(m, "", "  ")
		if err := writeIn(s.root, fmt.Sprintf("%d.json", n), append(b, '\n')); err != nil {
			return nil, s.Error(ErrInternal, err.Error())
		}
	}
	return publishResult{MessageID: m.MessageID}, nil
}

// Error maps a failure to SNS's codes.
func (*SNS) Error(kind ErrorKind, msg string) *APIError {
	switch kind {
	case ErrThrottle:
		return &APIError{Status: 400, Code: "Throttled", Message: msg, Fault: "Sender"}
	case ErrInternal:
		return &APIError{Status: 500, Code: "InternalError", Message: msg, Fault: "Receiver"}
	case ErrAccessDenied:
		return &APIError{Status: 403, Code: "AuthorizationError", Message: msg, Fault: "Sender"}
	case ErrNotFound:
		return &APIError{Status: 404, Code: "NotFound", Message: msg, Fault: "Sender"}
	}
	return &APIError{Status: 400, Code: "InvalidParameter", Message: msg, Fault: "Sender"}
}
