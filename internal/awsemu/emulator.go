// Package awsemu is an in-process emulator of the AWS APIs cwlens reads. It
// serves an account given as a *cwlens.Snapshot over one HTTP listener and
// speaks the wire protocols the pinned aws-sdk-go-v2 clients send, so tests
// drive the real SDK clients against it:
//
//   - CloudWatch Logs, ECS and (for a snapshot with a bill) Cost Explorer:
//     AWS JSON 1.1 (X-Amz-Target: <prefix>.<Op>);
//   - CloudWatch: Smithy RPC v2 CBOR (POST /service/<service>/operation/<Op>);
//   - STS: awsQuery (form-encoded POST, XML response).
//
// Each request is routed by what it carries (target header, URL path or form
// Action), never by host name, so AWS_ENDPOINT_URL or --endpoint-url can send
// every client to the same URL. The emulator enforces AWS's page sizes and
// per-API request quotas (ThrottlingException past them), can inject faults
// (a fraction of throttles and 5xx, slow responses, AccessDenied on a service
// or API, an expired pagination token) and counts the calls per API.
//
// A service is one Service value registered with Emulator.Register; the
// built-in ones are in one file each (logs.go, cloudwatch.go, ecs.go, sts.go,
// costexplorer.go).
package awsemu

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/awsquota"
	"golang.org/x/time/rate"
)

// Service is one emulated AWS service. Implementations answer operations on
// the account the emulator serves; the emulator does routing, quotas, faults
// and call counting around them.
type Service interface {
	// Prefix is the service's IAM prefix, e.g. "logs", "ecs", "cloudwatch".
	// Calls are counted and quotas and faults keyed as "<prefix>:<Op>".
	Prefix() string
	// Route returns the operation r calls, or "" when r is not for this
	// service. body is the whole request body; Route must not keep it.
	Route(r *http.Request, body []byte) string
	// Protocol encodes this service's responses and errors.
	Protocol() Protocol
	// Call answers one operation. It returns the value the Protocol encodes,
	// or an error: an *APIError is sent as is, any other error as a 500.
	Call(ctx context.Context, op string, body []byte) (any, error)
	// Error returns the error this service sends for a kind of failure, so
	// that injected faults have the code and status AWS uses for it.
	Error(kind ErrorKind, message string) *APIError
}

// Protocol is an AWS wire protocol: how responses and errors are written and
// how a request is reduced to a canonical key.
type Protocol interface {
	// Canonical returns a form of body that is the same for the same logical
	// request, whatever order the client serialised its members in.
	Canonical(body []byte) string
	// WriteResponse writes a successful response for op.
	WriteResponse(w http.ResponseWriter, op string, v any)
	// WriteError writes e in the protocol's error shape.
	WriteError(w http.ResponseWriter, e *APIError)
}

// ErrorKind is a class of failure a Service maps to its own error code.
type ErrorKind int

// Error kinds the emulator injects or enforces.
const (
	ErrThrottle     ErrorKind = iota // request quota exceeded
	ErrInternal                      // a 5xx
	ErrAccessDenied                  // the caller may not call the API
	ErrExpiredToken                  // the pagination token has expired
	ErrValidation                    // a parameter is out of range
	ErrNotFound                      // the resource does not exist
)

// APIError is an error response: HTTP status, the error code clients branch
// on, and for awsQuery-compatible services the code and fault of the
// X-Amzn-Query-Error header.
type APIError struct {
	Status    int
	Code      string
	Message   string
	QueryCode string // awsQuery code, when the service is query-compatible
	Fault     string // "Sender" or "Receiver"
}

// Error formats the error as AWS names it: "Code: message".
func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// Options configure an Emulator. The zero value serves without faults at
// AWS's quotas.
type Options struct {
	// Faults injects failures; see ParseFaults.
	Faults Faults
	// TimeScale multiplies every request quota's rate, so tests can run a
	// quota-bound scan fast (the scanner must be given the same scale).
	// 0 means 1.
	TimeScale float64
	// NoQuotas turns quota enforcement off.
	NoQuotas bool
	// Now is the emulated current time, for CloudWatch's retention rules.
	// Zero means the end of the snapshot's window.
	Now time.Time
	// Logger receives one debug line per request; nil discards.
	Logger *slog.Logger
}

// CallCount counts the requests one API received, by outcome.
type CallCount struct {
	Requests  int // every request, retries included
	OK        int // answered with a 2xx
	Throttled int // ThrottlingException, injected or over quota
	Faulted   int // injected 5xx
	Denied    int // AccessDenied
	Failed    int // any other error
}

// Emulator serves one account over the AWS wire protocols. It is an
// http.Handler; Start or NewServer put it on a 127.0.0.1 listener.
type Emulator struct {
	snap     *cwlens.Snapshot
	opts     Options
	services []Service

	quotas  map[string]*rate.Limiter // by bucket name
	buckets map[string]string        // API → bucket name

	mu       sync.Mutex
	calls    map[string]*CallCount
	attempts map[string]int  // canonical request → attempts so far
	expired  map[string]bool // APIs whose token-expiry fault has fired

	// assumeRole answers sts:AssumeRole when the emulator is an
	// organisation's management account (NewOrg); nil otherwise.
	assumeRole func(caller, region string, form url.Values) (any, error)
}

// New returns an emulator serving snap with the built-in services (STS,
// CloudWatch Logs, CloudWatch, ECS, and Cost Explorer when snap has a bill)
// registered. snap is read, never changed.
func New(snap *cwlens.Snapshot, opts Options) *Emulator {
	if opts.TimeScale <= 0 {
		opts.TimeScale = 1
	}
	if opts.Now.IsZero() {
		opts.Now = snap.Window.End
	}
	e := &Emulator{
		snap:     snap,
		opts:     opts,
		quotas:   map[string]*rate.Limiter{},
		buckets:  map[string]string{},
		calls:    map[string]*CallCount{},
		attempts: map[string]int{},
		expired:  map[string]bool{},
	}
	e.Register(newSTS(snap, e))
	e.Register(newLogEvents(snap)) // before logs, which takes every other Logs op
	e.Register(newLogs(snap))
	cw := newCloudWatch(snap, opts.Now)
	cw.faults = opts.Faults
	if !opts.NoQuotas {
		dps := rate.NewLimiter(rate.Limit(awsquota.GetMetricDataDPS*opts.TimeScale), awsquota.GetMetricDataDPS)
		cw.dps = func(n int) bool { return dps.AllowN(time.Now(), min(n, awsquota.GetMetricDataDPS)) }
	}
	e.Register(cw)
	e.Register(newECS(snap))
	if snap.Bill != nil {
		e.Register(newCostExplorer(snap.Bill))
	}
	for _, q := range awsquota.Default() {
		e.SetQuota(q)
	}
	for _, q := range awsquota.Events(snap.Region) {
		e.SetQuota(q)
	}
	return e
}

// Snapshot returns the account the emulator serves.
func (e *Emulator) Snapshot() *cwlens.Snapshot { return e.snap }

// Register adds a service. Services are asked in registration order which
// of them a request is for; the first whose Route answers serves it.
func (e *Emulator) Register(s Service) { e.services = append(e.services, s) }

// SetQuota sets (or replaces) a request quota. APIs listed in q share one
// token bucket, as ECS's action categories do.
func (e *Emulator) SetQuota(q awsquota.Quota) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.quotas[q.Name] = rate.NewLimiter(rate.Limit(q.Rate*e.opts.TimeScale), q.Burst)
	for _, api := range q.APIs {
		e.buckets[api] = q.Name
	}
}

// Calls returns a copy of the call counts per API ("logs:DescribeLogGroups").
func (e *Emulator) Calls() map[string]CallCount {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]CallCount, len(e.calls))
	for k, v := range e.calls {
		out[k] = *v
	}
	return out
}

// APIs returns the sorted names of the APIs that answered at least one call
// successfully: the IAM actions a scan really used.
func (e *Emulator) APIs() []string {
	var out []string
	for api, c := range e.Calls() {
		if c.OK > 0 {
			out = append(out, api)
		}
	}
	sort.Strings(out)
	return out
}

// ResetCalls clears the call counts.
func (e *Emulator) ResetCalls() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = map[string]*CallCount{}
}

func (e *Emulator) count(api string, f func(*CallCount)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.calls[api]
	if c == nil {
		c = &CallCount{}
		e.calls[api] = c
	}
	f(c)
}

// route returns the service and operation a request is for.
func (e *Emulator) route(r *http.Request, body []byte) (Service, string) {
	for _, s := range e.services {
		if op := s.Route(r, body); op != "" {
			return s, op
		}
	}
	return nil, ""
}

// API returns the API ("logs:DescribeLogGroups") a request with this body
// calls, or "" when no registered service serves it.
func (e *Emulator) API(r *http.Request, body []byte) string {
	if s, op := e.route(r, body); s != nil {
		return s.Prefix() + ":" + op
	}
	return ""
}

// ServeHTTP routes one request to its service and operation.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
		return
	}
	svc, op := e.route(r, body)
	if svc == nil {
		http.Error(w, fmt.Sprintf("awsemu: no emulated service for %s %s", r.Method, r.URL.Path), http.StatusNotFound)
		return
	}
	api := svc.Prefix() + ":" + op
	proto := svc.Protocol()
	e.count(api, func(c *CallCount) { c.Requests++ })
	if e.opts.Logger != nil {
		e.opts.Logger.Debug("awsemu request", "api", api, "bytes", len(body))
	}

	if d := e.opts.Faults.Slow; d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}
	if e.opts.Faults.denies(svc.Prefix(), api) {
		e.count(api, func(c *CallCount) { c.Denied++ })
		proto.WriteError(w, svc.Error(ErrAccessDenied, fmt.Sprintf(
			"User: arn:aws:iam::%s:user/cwlens is not authorized to perform: %s", e.snap.AccountID, api)))
		return
	}
	if !e.opts.NoQuotas && !e.allow(api) {
		e.count(api, func(c *CallCount) { c.Throttled++ })
		proto.WriteError(w, svc.Error(ErrThrottle, "Rate exceeded"))
		return
	}
	if kind, ok := e.injected(api, proto.Canonical(body)); ok {
		e.count(api, func(c *CallCount) {
			if kind == ErrThrottle {
				c.Throttled++
			} else {
				c.Faulted++
			}
		})
		msg := "Rate exceeded"
		if kind == ErrInternal {
			msg = "injected internal error"
		}
		proto.WriteError(w, svc.Error(kind, msg))
		return
	}
	if e.expireToken(api, body) {
		e.count(api, func(c *CallCount) { c.Failed++ })
		proto.WriteError(w, svc.Error(ErrExpiredToken, "The specified nextToken has expired."))
		return
	}

	out, err := svc.Call(withRequest(r.Context(), r), op, body)
	if err != nil {
		ae, ok := err.(*APIError)
		if !ok {
			ae = svc.Error(ErrInternal, err.Error())
		}
		// A service may throttle by a quota of its own (GetMetricData's
		// datapoints per second).
		throttle := svc.Error(ErrThrottle, "")
		e.count(api, func(c *CallCount) {
			if ae.Code == throttle.Code && ae.Status == throttle.Status {
				c.Throttled++
			} else {
				c.Failed++
			}
		})
		proto.WriteError(w, ae)
		return
	}
	e.count(api, func(c *CallCount) { c.OK++ })
	proto.WriteResponse(w, op, out)
}

// allow takes a token from the API's quota bucket, if it has one.
func (e *Emulator) allow(api string) bool {
	e.mu.Lock()
	name, ok := e.buckets[api]
	lim := e.quotas[name]
	e.mu.Unlock()
	if !ok || lim == nil {
		return true
	}
	return lim.Allow()
}

// injected decides whether to fail this attempt with an injected throttle or
// 5xx. The decision hashes the seed, the API, the canonical request and the
// attempt number, so the same logical request meets the same faults whatever
// the order or concurrency of the calls: runs are reproducible.
func (e *Emulator) injected(api, canonical string) (ErrorKind, bool) {
	f := e.opts.Faults
	if f.Throttle <= 0 && f.Internal <= 0 {
		return 0, false
	}
	key := api + "\x00" + canonical
	e.mu.Lock()
	n := e.attempts[key]
	e.attempts[key] = n + 1
	e.mu.Unlock()
	h := fnv.New64a()
	fmt.Fprintf(h, "%d\x00%s\x00%d", f.Seed, key, n)
	u := float64(mix64(h.Sum64())>>11) / float64(1<<53) // uniform in [0,1)
	switch {
	case u < f.Throttle:
		return ErrThrottle, true
	case u < f.Throttle+f.Internal:
		return ErrInternal, true
	}
	return 0, false
}

// mix64 is SplitMix64's finaliser: FNV alone leaves the high bits nearly
// unchanged when only the last bytes (the attempt number) differ.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// expireToken reports whether this request carries a pagination token that
// the expired-token fault should reject: the first such request per API.
func (e *Emulator) expireToken(api string, body []byte) bool {
	if !e.opts.Faults.expires(api) || !hasToken(body) {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.expired[api] {
		return false
	}
	e.expired[api] = true
	return true
}

// hasToken reports whether a request body carries a pagination token, in
// any of the protocols' spellings.
func hasToken(body []byte) bool {
	return bytes.Contains(body, []byte("nextToken")) || bytes.Contains(body, []byte("NextToken"))
}

// Server is an Emulator on a 127.0.0.1 listener.
type Server struct {
	*Emulator
	URL string
	srv *httptest.Server
}

// Start serves e on a random 127.0.0.1 port.
func (e *Emulator) Start() *Server {
	srv := httptest.NewServer(e)
	return &Server{Emulator: e, URL: srv.URL, srv: srv}
}

// Close shuts the listener down.
func (s *Server) Close() { s.srv.Close() }

// NewServer starts an emulator for snap on 127.0.0.1 and closes it when the
// test ends.
func NewServer(t interface{ Cleanup(func()) }, snap *cwlens.Snapshot, opts Options) *Server {
	s := New(snap, opts).Start()
	t.Cleanup(s.Close)
	return s
}

// targetOp returns the operation of an AWS JSON request whose X-Amz-Target
// starts with prefix+".", or "".
func targetOp(r *http.Request, prefix string) string {
	t := r.Header.Get("X-Amz-Target")
	if op, ok := strings.CutPrefix(t, prefix+"."); ok {
		return op
	}
	return ""
}
