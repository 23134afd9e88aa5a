// Package sdkhttp provides the HTTP client cwlens gives the AWS SDK.
//
// The SDK wraps each request body in a reader that, once the SDK has
// closed it, answers WriteTo with io.EOF
// (github.com/aws/smithy-go transport/http/internal/io/safe.go; the SDK
// closes the body when the response arrives, smithy-go pull request 226).
// net/http writes a body of known length and then copies whatever is left
// of it; when the response comes back before that last copy, as it can
// from a nearby endpoint, the copy goes through WriteTo, io.Copy returns
// that io.EOF as an error, and the transport closes the connection while
// the SDK is still reading the response: "failed to decode response body
// ... use of closed network connection". Read on the same closed body
// answers 0, io.EOF, which io.Copy takes as the end of the body, so the
// client here hides WriteTo and lets the transport read.
package sdkhttp

import (
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// Client returns a client that sends requests through inner, with each
// request body stripped of every method but Read and Close. A nil inner is
// the SDK's default client.
func Client(inner aws.HTTPClient) aws.HTTPClient {
	if inner == nil {
		inner = awshttp.NewBuildableClient()
	}
	if _, ok := inner.(client); ok {
		return inner
	}
	return client{inner}
}

type client struct{ inner aws.HTTPClient }

// readCloser has only Read and Close, whatever the body it wraps has.
type readCloser struct{ io.ReadCloser }

func (c client) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		r = r.WithContext(r.Context()) // a shallow copy: the caller's request is not ours to change
		r.Body = readCloser{r.Body}
	}
	return c.inner.Do(r)
}

// Config returns a copy of cfg whose HTTP client is Client(cfg.HTTPClient).
func Config(cfg aws.Config) aws.Config {
	cfg = cfg.Copy()
	cfg.HTTPClient = Client(cfg.HTTPClient)
	return cfg
}
