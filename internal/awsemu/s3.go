package awsemu

import (
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// S3 emulates the two S3 operations cwlens's scheduled run uses, PutObject
// and GetObject, in the protocol the pinned S3 client speaks: REST-XML, with
// the bucket in the path (path-style addressing, which the client uses when
// an endpoint is overridden and UsePathStyle is set). Requests are recognised
// by their SigV4 credential scope (".../s3/aws4_request"), since every
// service shares the emulator's one URL.
//
// Objects live in memory and, when Dir is set, also in Dir/s3/<bucket>/<key>
// so a person can read what a run wrote. Buckets must exist: those given to
// NewS3, and the directories already under Dir/s3. Every file is reached
// through an os.Root on its bucket's directory, so no key (one with ".."
// segments, or one through a symbolic link planted in the bucket) reaches a
// file outside it.
type S3 struct {
	dir string

	mu      sync.Mutex
	buckets map[string]map[string]object
	roots   map[string]*os.Root // bucket → its directory, when dir is set
}

type object struct {
	body        []byte
	contentType string
	modified    time.Time
}

// NewS3 returns an S3 with the given buckets, persisting objects under
// dir/s3 when dir is not empty (existing objects there are served).
func NewS3(dir string, buckets ...string) (*S3, error) {
	s := &S3{dir: dir, buckets: map[string]map[string]object{}, roots: map[string]*os.Root{}}
	for _, b := range buckets {
		s.buckets[b] = map[string]object{}
	}
	if dir == "" {
		return s, nil
	}
	if err := s.open(filepath.Join(dir, "s3"), buckets); err != nil {
		return nil, fmt.Errorf("s3 state: %w", err)
	}
	return s, nil
}

// open makes the directories of buckets under dir, then loads every bucket
// directory there.
func (s *S3) open(dir string, buckets []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	top, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer top.Close()
	for _, b := range buckets {
		if err := top.Mkdir(b, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	entries, err := fs.ReadDir(top.FS(), ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		root, err := top.OpenRoot(e.Name())
		if err != nil {
			return err
		}
		objs, err := loadBucket(root)
		if err != nil {
			root.Close()
			return err
		}
		s.buckets[e.Name()], s.roots[e.Name()] = objs, root
	}
	return nil
}

// loadBucket reads the objects stored under a bucket's directory.
func loadBucket(root *os.Root) (map[string]object, error) {
	objs := map[string]object{}
	fsys := root.FS()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".tmp-") {
			return err // objects are regular files; a link is none
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		objs[p] = object{body: b, contentType: "binary/octet-stream", modified: info.ModTime().UTC()}
		return nil
	})
	return objs, err
}

// Object returns the body of an object and whether it exists.
func (s *S3) Object(bucket, key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.buckets[bucket][key]
	return o.body, ok
}

// Keys returns the sorted keys of a bucket.
func (s *S3) Keys(bucket string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.buckets[bucket] {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Prefix is the IAM prefix of S3.
func (*S3) Prefix() string { return "s3" }

// Protocol is REST-XML.
func (*S3) Protocol() Protocol { return restXML{} }

// Route answers PutObject and GetObject on /bucket/key.
func (*S3) Route(r *http.Request, _ []byte) string {
	if credentialService(r) != "s3" {
		return ""
	}
	_, key, ok := bucketKey(r)
	if ok && key == "" && r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2" {
		return "ListObjectsV2"
	}
	if !ok || key == "" {
		return "Unsupported"
	}
	switch r.Method {
	case http.MethodPut:
		if r.Header.Get("X-Amz-Copy-Source") != "" {
			return "Unsupported"
		}
		return "PutObject"
	case http.MethodGet:
		return "GetObject"
	}
	return "Unsupported"
}

// credentialService returns the service of a SigV4 Authorization header's
// credential scope (Credential=AKID/DATE/REGION/SERVICE/aws4_request).
func credentialService(r *http.Request) string {
	auth := r.Header.Get("Authorization")
	_, cred, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return ""
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return ""
	}
	return parts[3]
}

// bucketKey splits a path-style URL /bucket/key.
func bucketKey(r *http.Request) (bucket, key string, ok bool) {
	p := strings.TrimPrefix(r.URL.Path, "/")
	bucket, key, _ = strings.Cut(p, "/")
	return bucket, key, bucket != ""
}

// s3Response is what the REST-XML protocol writes for a successful call.
type s3Response struct {
	header http.Header
	body   []byte
}

// Call answers one operation of the request in ctx.
func (s *S3) Call(ctx context.Context, op string, body []byte) (any, error) {
	r := requestOf(ctx)
	if r == nil {
		return nil, s.Error(ErrInternal, "no request in context")
	}
	bucket, key, _ := bucketKey(r)
	s.mu.Lock()
	objs, ok := s.buckets[bucket]
	s.mu.Unlock()
	if !ok {
		return nil, &APIError{Status: http.StatusNotFound, Code: "NoSuchBucket", Message: "The specified bucket does not exist"}
	}
	switch op {
	case "ListObjectsV2":
		s.mu.Lock()
		keys := slices.Sorted(maps.Keys(objs))
		s.mu.Unlock()
		return listObjectsV2(bucket, keys, r.URL.Query())
	case "PutObject":
		data, err := decodePayload(r, body)
		if err != nil {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidRequest", Message: err.Error()}
		}
		if want := r.Header.Get("Content-Md5"); want != "" {
			sum := md5.Sum(data)
			if !strings.EqualFold(want, base64Std(sum[:])) {
				return nil, &APIError{Status: http.StatusBadRequest, Code: "BadDigest", Message: "The Content-MD5 you specified did not match what we received."}
			}
		}
		o := object{body: data, contentType: r.Header.Get("Content-Type"), modified: time.Now().UTC().Truncate(time.Second)}
		if root := s.roots[bucket]; root != nil {
			if err := storeObject(root, key, data); err != nil {
				return nil, err
			}
		}
		s.mu.Lock()
		objs[key] = o
		s.mu.Unlock()
		h := http.Header{}
		h.Set("ETag", etag(data))
		return s3Response{header: h}, nil
	case "GetObject":
		s.mu.Lock()
		o, ok := objs[key]
		s.mu.Unlock()
		if !ok {
			return nil, &APIError{Status: http.StatusNotFound, Code: "NoSuchKey", Message: "The specified key does not exist."}
		}
		h := http.Header{}
		h.Set("ETag", etag(o.body))
		h.Set("Content-Type", cmpOr(o.contentType, "binary/octet-stream"))
		h.Set("Content-Length", strconv.Itoa(len(o.body)))
		h.Set("Last-Modified", o.modified.Format(http.TimeFormat))
		return s3Response{header: h, body: o.body}, nil
	}
	return nil, &APIError{Status: http.StatusNotImplemented, Code: "NotImplemented", Message: "awsemu serves only PutObject and GetObject on path-style URLs"}
}

// Error maps a failure to S3's codes.
func (*S3) Error(kind ErrorKind, msg string) *APIError {
	switch kind {
	case ErrThrottle:
		return &APIError{Status: http.StatusServiceUnavailable, Code: "SlowDown", Message: msg}
	case ErrAccessDenied:
		return &APIError{Status: http.StatusForbidden, Code: "AccessDenied", Message: msg}
	case ErrNotFound:
		return &APIError{Status: http.StatusNotFound, Code: "NoSuchKey", Message: msg}
	case ErrValidation:
		return &APIError{Status: http.StatusBadRequest, Code: "InvalidArgument", Message: msg}
	}
	return &APIError{Status: http.StatusInternalServerError, Code: "InternalError", Message: msg}
}

// decodePayload returns the object bytes of a PutObject body, undoing the
// aws-chunked content encoding the SDK uses for streamed bodies with a
// trailing checksum.
func decodePayload(r *http.Request, body []byte) ([]byte, error) {
	chunked := strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked") ||
		strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-")
	if !chunked {
		return body, nil
	}
	var out bytes.Buffer
	br := bufio.NewReader(bytes.NewReader(body))
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("aws-chunked: %w", err)
		}
		sizeHex, _, _ := strings.Cut(strings.TrimRight(line, "\r\n"), ";")
		n, err := strconv.ParseInt(sizeHex, 16, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("aws-chunked: bad chunk size %q", sizeHex)
		}
		if n == 0 {
			return out.Bytes(), nil // trailers follow; the emulator does not check them
		}
		if _, err := io.CopyN(&out, br, n); err != nil {
			return nil, fmt.Errorf("aws-chunked: %w", err)
		}
		if crlf, err := br.ReadString('\n'); err != nil || strings.TrimRight(crlf, "\r\n") != "" {
			return nil, errors.New("aws-chunked: chunk not followed by CRLF")
		}
	}
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func etag(b []byte) string {
	sum := md5.Sum(b)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// storeObject writes key's body to its file under the bucket's root.
//
// S3 takes any UTF-8 key up to 1,024 bytes, "../x" and "a//b" included
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html,
// read 2026-12-07). Such a key names no file inside the bucket's directory,
// so the emulator refuses it rather than store it somewhere else: a
// difference from AWS, confined to keys cwlens never writes.
func storeObject(root *os.Root, key string, data []byte) error {
	if !fs.ValidPath(key) || key == "." {
		return &APIError{Status: http.StatusBadRequest, Code: "InvalidArgument", Message: "awsemu stores objects as files: key " + strconv.Quote(key) + " names no file inside the bucket's directory"}
	}
	if err := writeIn(root, key, data); err != nil {
		return storeError(key, err)
	}
	return nil
}

// writeIn writes the file name under root through a temporary file and a
// rename, so a reader never sees half of it; os.Root keeps every step
// inside root.
func writeIn(root *os.Root, name string, data []byte) error {
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp := path.Join(path.Dir(name), fmt.Sprintf(".tmp-%d", time.Now().UnixNano()))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		root.Remove(tmp)
	}
	return err
}

// storeError is a failure to store key; one through a link that leads out
// of the bucket's directory is the os.Root's refusal.
func storeError(key string, err error) error {
	return &APIError{Status: http.StatusInternalServerError, Code: "InternalError", Message: "store " + strconv.Quote(key) + ": " + err.Error()}
}

// restXML is S3's protocol: the result in status, headers and raw body;
// errors as <Error><Code/><Message/></Error> (no body for HEAD).
type restXML struct{}

func (restXML) Canonical(body []byte) string { return string(body) }

func (restXML) WriteResponse(w http.ResponseWriter, _ string, v any) {
	resp, _ := v.(s3Response)
	for k, vs := range resp.header {
		w.Header()[k] = vs
	}
	w.Header().Set("X-Amz-Request-Id", "0000000000000000")
	w.WriteHeader(http.StatusOK)
	w.Write(resp.body)
}

func (restXML) WriteError(w http.ResponseWriter, e *APIError) {
	type errXML struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		RequestID string `xml:"RequestId"`
	}
	b, _ := xml.Marshal(errXML{Code: e.Code, Message: e.Message, RequestID: "0000000000000000"})
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("X-Amz-Request-Id", "0000000000000000")
	w.WriteHeader(e.Status)
	w.Write(append([]byte(xml.Header), b...))
}

// requestKey carries the HTTP request to services whose operations read
// more than the body (S3: the bucket and key in the path, headers).
type requestKey struct{}

func withRequest(ctx context.Context, r *http.Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

func requestOf(ctx context.Context) *http.Request {
	r, _ := ctx.Value(requestKey{}).(*http.Request)
	return r
}
