package s3keys_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/awsemu"
	"github.com/cwlens/cwlens/internal/s3keys"
	"github.com/cwlens/cwlens/internal/sdkhttp"
)

// TestList lists a prefix of 2,500 keys, three pages, through the real S3
// client against the emulator, and a bucket that does not exist.
func TestList(t *testing.T) {
	e := awsemu.New(&cwlens.Snapshot{SchemaVersion: cwlens.SchemaVersion, AccountID: "123456789012", Region: "us-east-1"}, awsemu.Options{})
	st, err := awsemu.NewS3("", "reports")
	if err != nil {
		t.Fatal(err)
	}
	e.Register(st)
	srv := e.Start()
	defer srv.Close()
	c := s3.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: sdkhttp.Client(nil),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}, func(o *s3.Options) { o.UsePathStyle = true })
	ctx := context.Background()
	var want []string
	for i := range 2500 {
		k := fmt.Sprintf("org/run-1/%04d/report.json", i)
		want = append(want, k)
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("reports"), Key: aws.String(k), Body: strings.NewReader("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("reports"), Key: aws.String("org/run-2/x"), Body: strings.NewReader("{}")}); err != nil {
		t.Fatal(err)
	}
	got, err := s3keys.List(ctx, c, "reports", "org/run-1/")
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("List = %d keys, %v; want the %d keys under the prefix", len(got), err, len(want))
	}
	if _, err := s3keys.List(ctx, c, "absent", "x/"); err == nil || !strings.Contains(err.Error(), "s3:ListObjectsV2 s3://absent/x/") {
		t.Errorf("absent bucket: err = %v", err)
	}
}
