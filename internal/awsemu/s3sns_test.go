package awsemu

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/sdkhttp"
)

// newS3SNS serves an empty account with S3 (bucket "reports") and SNS,
// persisting under dir, and returns the real SDK clients pointed at it.
func newS3SNS(t *testing.T, dir string) (*Server, *S3, *SNS, *s3.Client, *sns.Client) {
	t.Helper()
	snap := &cwlens.Snapshot{SchemaVersion: cwlens.SchemaVersion, AccountID: "123456789012", Region: "us-east-1"}
	e := New(snap, Options{})
	st, err := NewS3(dir, "reports")
	if err != nil {
		t.Fatal(err)
	}
	sn, err := NewSNS(dir)
	if err != nil {
		t.Fatal(err)
	}
	e.Register(st)
	e.Register(sn)
	srv := e.Start()
	t.Cleanup(srv.Close)
	cfg := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint: aws.String(srv.URL),
	}
	cfg = sdkhttp.Config(cfg)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	return srv, st, sn, s3c, sns.NewFromConfig(cfg)
}

func TestS3PutGet(t *testing.T) {
	dir := t.TempDir()
	srv, st, _, c, _ := newS3SNS(t, dir)
	ctx := context.Background()
	body := []byte(`{"schema":"cwlens.report/v1"}` + "\n")
	for _, key := range []string{"cwlens/2025/10/31/report.json", "cwlens/latest/report.json"} {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("reports"), Key: aws.String(key),
			Body: bytes.NewReader(body), ContentType: aws.String("application/json")}); err != nil {
			t.Fatalf("PutObject %s: %v", key, err)
		}
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("reports"), Key: aws.String("cwlens/latest/report.json")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if !bytes.Equal(got, body) || aws.ToString(out.ContentType) != "application/json" {
		t.Errorf("GetObject = %q (%s), want %q", got, aws.ToString(out.ContentType), body)
	}
	if onDisk, err := os.ReadFile(filepath.Join(dir, "s3", "reports", "cwlens", "2025", "10", "31", "report.json")); err != nil || !bytes.Equal(onDisk, body) {
		t.Errorf("state dir holds %q, %v", onDisk, err)
	}
	if keys := st.Keys("reports"); strings.Join(keys, ",") != "cwlens/2025/10/31/report.json,cwlens/latest/report.json" {
		t.Errorf("keys %v", keys)
	}

	// A missing key is NoSuchKey; a missing bucket NoSuchBucket.
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("reports"), Key: aws.String("nope.json")})
	var nsk *s3types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Errorf("missing key: %v, want NoSuchKey", err)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("other"), Key: aws.String("k"), Body: bytes.NewReader(body)})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "NoSuchBucket" {
		t.Errorf("missing bucket: %v", err)
	}
	if c := srv.Calls()["s3:PutObject"]; c.OK != 2 {
		t.Errorf("s3:PutObject calls %+v", c)
	}

	// A new emulator on the same state directory serves what was written.
	_, _, _, c2, _ := newS3SNS(t, dir)
	if _, err := c2.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("reports"), Key: aws.String("cwlens/latest/report.json")}); err != nil {
		t.Errorf("after a restart: %v", err)
	}
}

func TestS3Unsigned(t *testing.T) {
	// An unsigned request (no SigV4 scope) is not S3's.
	srv, _, _, _, _ := newS3SNS(t, "")
	resp, err := srv.srv.Client().Get(srv.URL + "/reports/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("status %d", resp.StatusCode)
	}
}

func TestAwsChunked(t *testing.T) {
	body := "5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"
	r := httptest.NewRequest("PUT", "/b/k", strings.NewReader(body))
	r.Header.Set("Content-Encoding", "aws-chunked")
	got, err := decodePayload(r, []byte(body))
	if err != nil || string(got) != "hello world" {
		t.Errorf("decodePayload = %q, %v", got, err)
	}
	if _, err := decodePayload(r, []byte("zz\r\nhello")); err == nil {
		t.Error("a bad chunk size is accepted")
	}
}

func TestSNSPublish(t *testing.T) {
	dir := t.TempDir()
	_, _, sn, _, c := newS3SNS(t, dir)
	ctx := context.Background()
	topic := "arn:aws:sns:us-east-1:123456789012:cwlens-alerts"
	out, err := c.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topic), Subject: aws.String("cwlens: 1 new finding"), Message: aws.String("body\nline 2")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.MessageId) == "" {
		t.Error("no MessageId")
	}
	msgs := sn.Messages()
	if len(msgs) != 1 || msgs[0].Subject != "cwlens: 1 new finding" || msgs[0].Message != "body\nline 2" || msgs[0].TopicArn != topic {
		t.Fatalf("messages %+v", msgs)
	}
	var onDisk Message
	b, err := os.ReadFile(filepath.Join(dir, "sns", "1.json"))
	if err != nil || json.Unmarshal(b, &onDisk) != nil || onDisk.MessageID != aws.ToString(out.MessageId) {
		t.Errorf("sns/1.json: %s, %v", b, err)
	}

	for _, bad := range []*sns.PublishInput{
		{TopicArn: aws.String("cwlens-alerts"), Message: aws.String("m")},
		{TopicArn: aws.String(topic), Subject: aws.String(strings.Repeat("x", 100)), Message: aws.String("m")},
		{TopicArn: aws.String(topic), Subject: aws.String("two\nlines"), Message: aws.String("m")},
	} {
		_, err := c.Publish(ctx, bad)
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameter" {
			t.Errorf("Publish(%v) = %v, want InvalidParameter", aws.ToString(bad.Subject), err)
		}
	}
	if len(sn.Messages()) != 1 {
		t.Error("a refused message was kept")
	}
}

// TestS3StaysInItsDirectory: no key writes outside the bucket's directory,
// neither by ".." segments nor through a link planted in the bucket; the
// PUT fails and nothing appears outside.
func TestS3StaysInItsDirectory(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "state")
	outside := filepath.Join(base, "outside")
	if err := os.MkdirAll(filepath.Join(dir, "s3", "reports"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "s3", "reports", "link")); err != nil {
		t.Fatal(err)
	}
	_, _, _, c, _ := newS3SNS(t, dir)
	ctx := context.Background()
	for _, key := range []string{
		"../../../outside/x",   // dir/s3/reports/../../../outside/x is base/outside/x
		"../other-bucket/x",    // another bucket's directory
		"link/x",               // through the link to base/outside
		"cwlens/../../../../x", // out and back up
	} {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("reports"), Key: aws.String(key), Body: strings.NewReader("x")})
		if err == nil {
			t.Errorf("PutObject %q succeeded", key)
		}
	}
	var found []string
	filepath.WalkDir(base, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			found = append(found, p)
		}
		return err
	})
	if len(found) > 0 {
		t.Errorf("files written: %v", found)
	}
	// A key with directories inside the bucket still works.
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("reports"), Key: aws.String("a/b/c.json"), Body: strings.NewReader("{}")}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "s3", "reports", "a", "b", "c.json")); err != nil || string(b) != "{}" {
		t.Errorf("a/b/c.json on disk: %q, %v", b, err)
	}
}
