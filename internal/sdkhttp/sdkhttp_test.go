package sdkhttp_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/cwlens/cwlens/internal/sdkhttp"
)

// closedBody is a request body as the SDK's is once the SDK has closed it
// while the transport still holds it: its bytes are all readable, but
// WriteTo answers io.EOF, as smithy-go's safeWriteToReadCloser does.
type closedBody struct{ r *bytes.Reader }

func (b closedBody) Read(p []byte) (int, error)       { return b.r.Read(p) }
func (b closedBody) Close() error                     { return nil }
func (b closedBody) WriteTo(io.Writer) (int64, error) { return 0, io.EOF }

// send posts a 230-byte body and reads a 1 MiB answer through c.
func send(t *testing.T, c aws.HTTPClient, url string) (int, error) {
	t.Helper()
	body := strings.Repeat("x", 230)
	req, err := http.NewRequest(http.MethodPost, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Body, req.ContentLength = closedBody{bytes.NewReader([]byte(body))}, int64(len(body))
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return len(b), err
}

func server(t *testing.T) *httptest.Server {
	answer := bytes.Repeat([]byte("y"), 1<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, _ := io.ReadAll(r.Body); len(b) != 230 {
			t.Errorf("server read %d bytes of the body, want 230", len(b))
		}
		w.Write(answer)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestClosedBodyKeepsTheConnection: through Client the whole answer
// arrives, and the request's body is whole at the server.
func TestClosedBodyKeepsTheConnection(t *testing.T) {
	srv := server(t)
	c := sdkhttp.Client(nil)
	for i := range 20 {
		n, err := send(t, c, srv.URL)
		if err != nil || n != 1<<20 {
			t.Fatalf("request %d: read %d bytes, err %v; want %d, nil", i, n, err, 1<<20)
		}
	}
}

// TestPlainClientLosesTheConnection shows what Client is for: the same
// request through net/http directly fails, the transport having closed
// the connection on WriteTo's io.EOF.
func TestPlainClientLosesTheConnection(t *testing.T) {
	srv := server(t)
	failed := 0
	for range 20 {
		if n, err := send(t, &http.Client{Transport: &http.Transport{}}, srv.URL); err != nil || n != 1<<20 {
			failed++
		}
	}
	if failed == 0 {
		t.Fatal("every request succeeded without the wrapper: the test no longer reproduces the SDK's failure")
	}
}

// TestClientLeavesTheCallersRequest: the caller's request keeps its body.
func TestClientLeavesTheCallersRequest(t *testing.T) {
	srv := server(t)
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(strings.Repeat("x", 230)))
	orig := req.Body
	resp, err := sdkhttp.Client(nil).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if req.Body != orig {
		t.Error("Client replaced the caller's request body")
	}
}

// TestClientWrapsOnce: Config applied twice does not stack wrappers.
func TestClientWrapsOnce(t *testing.T) {
	c := sdkhttp.Client(nil)
	if sdkhttp.Client(c) != c {
		t.Error("Client wrapped its own client again")
	}
	cfg := sdkhttp.Config(aws.Config{})
	if cfg.HTTPClient == nil || sdkhttp.Config(cfg).HTTPClient != cfg.HTTPClient {
		t.Error("Config did not set, or re-wrapped, the HTTP client")
	}
}
