package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/cwlens/cwlens/internal/sdkhttp"
)

// TestStateDir: with --state-dir the emulator takes S3 objects and SNS
// messages and leaves them on disk for a person to read; --shift-to-now
// serves the window ending at the current hour.
func TestStateDir(t *testing.T) {
	dir := t.TempDir()
	r := startRun(t, "--snapshot", "../../fixtures/karmacadabra-prod/snapshot.json", "--shift-to-now",
		"--state-dir", dir, "--bucket", "reports")
	url := r.url
	if hour := time.Now().UTC().Truncate(time.Hour).Format(time.RFC3339); !strings.Contains(r.stdout.String(), "to "+hour) {
		t.Errorf("the window does not end at the current hour %s:\n%s", hour, r.stdout.String())
	}

	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""), BaseEndpoint: aws.String(url), HTTPClient: sdkhttp.Client(nil)}
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("reports"), Key: aws.String("cwlens/latest/report.md"),
		Body: strings.NewReader("# report\n")}); err != nil {
		t.Fatal(err)
	}
	if _, err := sns.NewFromConfig(cfg).Publish(context.Background(), &sns.PublishInput{TopicArn: aws.String("arn:aws:sns:us-east-1:123456789012:cwlens"),
		Subject: aws.String("cwlens: 1 new finding"), Message: aws.String("details")}); err != nil {
		t.Fatal(err)
	}
	r.stop(t)
	if b, err := os.ReadFile(filepath.Join(dir, "s3", "reports", "cwlens", "latest", "report.md")); err != nil || string(b) != "# report\n" {
		t.Errorf("s3 object on disk: %q, %v", b, err)
	}
	var msg struct{ Subject, Message string }
	b, err := os.ReadFile(filepath.Join(dir, "sns", "1.json"))
	if err != nil || json.Unmarshal(b, &msg) != nil || msg.Subject != "cwlens: 1 new finding" || msg.Message != "details" {
		t.Errorf("sns/1.json: %s, %v", b, err)
	}
	for _, api := range []string{"s3:PutObject", "sns:Publish"} {
		if !strings.Contains(r.stdout.String(), api) {
			t.Errorf("call counts lack %s:\n%s", api, r.stdout.String())
		}
	}
}
