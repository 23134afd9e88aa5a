package awsemu_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/cwlens/cwlens/ingest"
	"github.com/cwlens/cwlens/internal/awsemu"
)

// The SDK modules ship request and response snapshots of every operation
// (request_snapshot/<Op>.request.snap, response_snapshot/<Op>.response.snap):
// what the generated client sends and what it reads. These tests hold the
// emulator, and the scanner's requests, to them.

// sdkModules maps each IAM prefix to the SDK module of its client; the
// version is the one go.mod requires.
var sdkModules = map[string]string{
	"logs":       "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs",
	"cloudwatch": "github.com/aws/aws-sdk-go-v2/service/cloudwatch",
	"ecs":        "github.com/aws/aws-sdk-go-v2/service/ecs",
	"sts":        "github.com/aws/aws-sdk-go-v2/service/sts",
}

// snapFile is a parsed snapshot: a request line or status, headers, body.
type snapFile struct {
	first  string
	header http.Header
	body   []byte
}

func readSnap(t *testing.T, path string) snapFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		// A check that cannot run must not pass: the module is in the
		// cache (moduleDir made sure), so the SDK no longer ships it.
		t.Fatalf("SDK snapshot missing: %v", err)
	}
	r := bufio.NewReader(bytes.NewReader(b))
	first, _ := r.ReadString('\n')
	s := snapFile{first: strings.TrimSpace(first), header: http.Header{}}
	// A request snapshot has a blank line between the request line and
	// the headers; a response snapshot has none after its status.
	for i := 0; ; i++ {
		line, err := r.ReadString('\n')
		line = strings.TrimRight(line, "\n")
		if line == "" && i == 0 && strings.Contains(s.first, " ") {
			continue
		}
		if line == "" || err != nil {
			break
		}
		k, v, _ := strings.Cut(line, ": ")
		s.header.Add(k, v)
	}
	s.body, _ = io.ReadAll(r)
	return s
}

// moduleDirs caches moduleDir's answers for the test binary's life.
var moduleDirs sync.Map // module path → directory

// moduleDir returns the directory of module path at the version go.mod
// requires, downloading it through the module proxy if the cache lacks it.
func moduleDir(t *testing.T, path string) string {
	t.Helper()
	if d, ok := moduleDirs.Load(path); ok {
		return d.(string)
	}
	out, err := exec.Command("go", "mod", "download", "-json", path).Output()
	var m struct{ Path, Version, Dir, Error string }
	if jerr := json.Unmarshal(out, &m); err != nil || jerr != nil || m.Error != "" || m.Dir == "" {
		t.Fatalf("go mod download %s: %v %s %s", path, err, m.Error, out)
	}
	moduleDirs.Store(path, m.Dir)
	return m.Dir
}

func snapPath(t *testing.T, api, kind string) string {
	prefix, op, _ := strings.Cut(api, ":")
	mod, ok := sdkModules[prefix]
	if !ok {
		t.Fatalf("no SDK module for %s", api)
	}
	return filepath.Join(moduleDir(t, mod), kind+"_snapshot", op+"."+kind+".snap")
}

// keyPaths lists the member paths of a decoded JSON or CBOR document
// ("logGroups.storedBytes"), array elements folded into their array.
func keyPaths(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out[prefix+k] = true
			keyPaths(e, prefix+k+".", out)
		}
	case map[any]any:
		for k, e := range x {
			ks, _ := k.(string)
			out[prefix+ks] = true
			keyPaths(e, prefix+ks+".", out)
		}
	case []any:
		for _, e := range x {
			keyPaths(e, prefix, out)
		}
	}
}

// isKnown reports whether member path p is in known, where the snapshot
// writes a map's keys (data, not members) as key0.
func isKnown(known map[string]bool, p string) bool {
	prefix := ""
	for _, seg := range strings.Split(p, ".") {
		switch {
		case known[prefix+seg]:
			prefix += seg + "."
		case known[prefix+"key0"]:
			prefix += "key0."
		default:
			return false
		}
	}
	return true
}

// xmlPaths lists the element paths of an XML document.
func xmlPaths(b []byte) map[string]bool {
	out := map[string]bool{}
	d := xml.NewDecoder(bytes.NewReader(b))
	var stack []string
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		switch e := tok.(type) {
		case xml.StartElement:
			stack = append(stack, e.Name.Local)
			out[strings.Join(stack, ".")] = true
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

// paths decodes a body by its content type and lists its member paths.
func paths(t *testing.T, contentType string, body []byte) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	switch {
	case len(body) == 0:
	case strings.Contains(contentType, "json"):
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatalf("decode JSON: %v", err)
		}
		keyPaths(v, "", out)
	case strings.Contains(contentType, "cbor"):
		var v any
		if err := cbor.Unmarshal(body, &v); err != nil {
			t.Fatalf("decode CBOR: %v", err)
		}
		keyPaths(v, "", out)
	case strings.Contains(contentType, "xml"):
		out = xmlPaths(body)
	case strings.Contains(contentType, "x-www-form-urlencoded"):
		v, _ := url.ParseQuery(string(body))
		for k := range v {
			out[k] = true
		}
	}
	return out
}

// exchange is one recorded call.
type exchange struct {
	reqHeader, respHeader http.Header
	reqBody, respBody     []byte
	status                int
}

// recorder serves through the emulator and keeps the first successful
// exchange per API.
type recorder struct {
	emu *awsemu.Emulator
	mu  sync.Mutex
	got map[string]exchange
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	api := rc.emu.API(r, body)
	rw := httptest.NewRecorder()
	rc.emu.ServeHTTP(rw, r)
	rc.mu.Lock()
	if _, ok := rc.got[api]; !ok && rw.Code == http.StatusOK {
		rc.got[api] = exchange{reqHeader: r.Header.Clone(), reqBody: body, respHeader: rw.Header().Clone(), respBody: rw.Body.Bytes(), status: rw.Code}
	}
	rc.mu.Unlock()
	for k, v := range rw.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rw.Code)
	w.Write(rw.Body.Bytes())
}

// TestScanMatchesSDKSnapshots runs a scan through the emulator and checks
// every API it called against the SDK's snapshots: the scanner's request
// carries the snapshot's protocol headers and only members the snapshot
// knows; the emulator's response has the snapshot's content type and only
// members the client reads.
func TestScanMatchesSDKSnapshots(t *testing.T) {
	emu := awsemu.New(account(), awsemu.Options{NoQuotas: true})
	rc := &recorder{emu: emu, got: map[string]exchange{}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	opts := ingest.Options{Until: end, Days: 35, Now: func() time.Time { return end }}
	if _, err := ingest.New(cfg(srv.URL), opts).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	apis := emu.APIs()
	if len(apis) != 8 {
		t.Fatalf("scan called %v, want 8 APIs", apis)
	}
	for _, api := range apis {
		ex := rc.got[api]
		req := readSnap(t, snapPath(t, api, "request"))
		resp := readSnap(t, snapPath(t, api, "response"))

		// Request: method and path, protocol headers, members.
		method, path, _ := strings.Cut(req.first, " ")
		if method != http.MethodPost || (path != "/" && !strings.HasPrefix(path, "/service/")) {
			t.Errorf("%s: unexpected snapshot request line %q", api, req.first)
		}
		for _, h := range []string{"Content-Type", "X-Amz-Target", "Smithy-Protocol", "Accept", "X-Amzn-Query-Mode"} {
			if want, got := req.header.Get(h), ex.reqHeader.Get(h); want != got {
				t.Errorf("%s request header %s = %q, SDK snapshot has %q", api, h, got, want)
			}
		}
		known := paths(t, req.header.Get("Content-Type"), req.body)
		for p := range paths(t, ex.reqHeader.Get("Content-Type"), ex.reqBody) {
			if !isKnown(known, p) {
				t.Errorf("%s request member %q is not in the SDK snapshot", api, p)
			}
		}

		// Response: status, content type (and protocol), members.
		if resp.first != "200" {
			t.Errorf("%s: snapshot status %q", api, resp.first)
		}
		for _, h := range []string{"Content-Type", "Smithy-Protocol"} {
			want, got := resp.header.Get(h), ex.respHeader.Get(h)
			if h == "Content-Type" && strings.Contains(want, "xml") && strings.Contains(got, "xml") {
				continue // application/xml and text/xml are both awsQuery's
			}
			if want != got {
				t.Errorf("%s response header %s = %q, SDK snapshot has %q", api, h, got, want)
			}
		}
		known = paths(t, resp.header.Get("Content-Type"), resp.body)
		var unknown []string
		for p := range paths(t, ex.respHeader.Get("Content-Type"), ex.respBody) {
			if !isKnown(known, p) && !strings.Contains(p, "ResponseMetadata") {
				unknown = append(unknown, p)
			}
		}
		sort.Strings(unknown)
		if len(unknown) > 0 {
			t.Errorf("%s response members not in the SDK snapshot (the client would ignore them): %v", api, unknown)
		}
	}
}

// TestSDKSnapshotRequestsRoute feeds the SDK's own request snapshots to the
// emulator: each must reach the emulated operation and decode (the
// placeholder values may still be refused, as AWS would).
func TestSDKSnapshotRequestsRoute(t *testing.T) {
	for _, api := range []string{"sts:GetCallerIdentity", "logs:DescribeLogGroups", "logs:DescribeMetricFilters", "cloudwatch:GetMetricData",
		"ecs:ListClusters", "ecs:ListServices", "ecs:DescribeServices", "ecs:DescribeTaskDefinition"} {
		s := readSnap(t, snapPath(t, api, "request"))
		method, path, _ := strings.Cut(s.first, " ")
		r := httptest.NewRequest(method, path, bytes.NewReader(s.body))
		r.Header = s.header
		emu := awsemu.New(account(), awsemu.Options{NoQuotas: true})
		w := httptest.NewRecorder()
		emu.ServeHTTP(w, r)
		if c := emu.Calls()[api]; c.Requests != 1 {
			t.Errorf("%s: the SDK's request snapshot was not routed to it (calls %v)", api, emu.Calls())
			continue
		}
		if strings.Contains(w.Body.String(), "SerializationException") {
			t.Errorf("%s: the SDK's request snapshot does not decode: %s", api, w.Body.String())
		}
	}
}

// TestSDKModulesFollowGoMod: the snapshots come from the SDK versions go.mod
// requires, so an upgrade checks the new ones.
func TestSDKModulesFollowGoMod(t *testing.T) {
	for prefix, mod := range sdkModules {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", mod).Output()
		if err != nil {
			t.Fatalf("go list -m %s: %v", mod, err)
		}
		want := "@" + strings.TrimSpace(string(out))
		if dir := moduleDir(t, mod); !strings.HasSuffix(dir, want) {
			t.Errorf("%s: snapshots from %s, want the go.mod version %s", prefix, dir, want)
		}
	}
}
