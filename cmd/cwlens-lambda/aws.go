package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go"
	"github.com/cwlens/cwlens/internal/batch"
	"github.com/cwlens/cwlens/internal/sdkhttp"
)

// newRunner loads the AWS configuration the Lambda way and builds the run's
// clients.
func newRunner(ctx context.Context, logger *slog.Logger) (*batch.Runner, aws.Config, error) {
	cfg, err := lambdaConfig()
	if err != nil {
		return nil, cfg, fmt.Errorf("load AWS configuration: %w", err)
	}
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		// A custom endpoint (an emulator, MinIO, LocalStack) serves buckets
		// by path, not by virtual host name.
		o.UsePathStyle = o.BaseEndpoint != nil
	})
	return &batch.Runner{
		Scanner:       &scanner{cfg: cfg, log: logger},
		Store:         &s3Store{c: s3c},
		Publisher:     &snsPublisher{c: sns.NewFromConfig(cfg)},
		Analyze:       batch.Analyze,
		CheckScenario: batch.CheckScenario,
		Stdout:        os.Stdout,
		Log:           logger,
	}, cfg, nil
}

// lambdaConfig is the AWS configuration from the environment alone, which
// is where Lambda puts it: the execution role's credentials in
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, and the
// Region in AWS_REGION
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime,
// read 2026-12-07). AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are
// honoured, which is how the tests point it at the emulator. The SDK's
// whole default chain (profiles, SSO, IMDS, processes) finds the same
// credentials on Lambda and adds 1.3 MB to the bootstrap.
func lambdaConfig() (aws.Config, error) {
	env, err := config.NewEnvConfig()
	if err != nil {
		return aws.Config{}, err
	}
	cfg := aws.Config{Region: env.Region, ConfigSources: []any{env}, HTTPClient: sdkhttp.Client(nil)}
	if env.BaseEndpoint != "" {
		cfg.BaseEndpoint = aws.String(env.BaseEndpoint)
	}
	if env.Credentials.HasKeys() {
		cfg.Credentials = credentials.StaticCredentialsProvider{Value: env.Credentials}
	}
	return cfg, nil
}

// s3Store is batch.ObjectStore on S3.
type s3Store struct{ c *s3.Client }

// maxObjectBytes bounds what Get reads: scenarios are at most a few MB.
// Previous reports, which grow with the account, are streamed (Open).
const maxObjectBytes = 64 << 20

func (s *s3Store) Get(ctx context.Context, bucket, key string) ([]byte, error) {
	body, err := s.Open(ctx, bucket, key)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	b, err := io.ReadAll(io.LimitReader(body, maxObjectBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	if len(b) > maxObjectBytes {
		return nil, fmt.Errorf("s3://%s/%s is larger than %d MB", bucket, key, maxObjectBytes>>20)
	}
	return b, nil
}

// Open streams the object (batch.ObjectOpener): the previous report is
// decoded as S3 sends it, bounded by its reader.
func (s *s3Store) Open(ctx context.Context, bucket, key string) (io.ReadCloser, error) {
	out, err := s.c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		// S3 answers a missing key with 404 NoSuchKey only to a caller with
		// s3:ListBucket; without it, 403 AccessDenied (GetObject API
		// reference). The template grants ListBucket on the prefix.
		var nsk *s3types.NoSuchKey
		var ae smithy.APIError
		var re *awshttp.ResponseError
		if errors.As(err, &nsk) || (errors.As(err, &ae) && ae.ErrorCode() == "NotFound") ||
			(errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound) {
			return nil, fmt.Errorf("s3://%s/%s: %w", bucket, key, batch.ErrNotFound)
		}
		return nil, err
	}
	return out.Body, nil
}

func (s *s3Store) Put(ctx context.Context, bucket, key string, body []byte, contentType string) error {
	_, err := s.c.PutObject(ctx, &s3.PutObjectInput{
		Bucket:      aws.String(bucket),
		Key:         aws.String(key),
		Body:        bytes.NewReader(body),
		ContentType: aws.String(contentType),
	})
	return err
}

// snsPublisher is batch.Publisher on SNS.
type snsPublisher struct{ c *sns.Client }

func (p *snsPublisher) Publish(ctx context.Context, topicARN, subject, message string) (string, error) {
	out, err := p.c.Publish(ctx, &sns.PublishInput{
		TopicArn: aws.String(topicARN),
		Subject:  aws.String(subject),
		Message:  aws.String(message),
	})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.MessageId), nil
}

// countingClient counts the HTTP requests a scan sends, retries included:
// the run's "API calls made" metric, measured where no client can skip it.
type countingClient struct {
	inner aws.HTTPClient
	n     atomic.Int64
}

func (c *countingClient) Do(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.inner.Do(r)
}

func counting(cfg aws.Config) (aws.Config, *countingClient) {
	cfg = cfg.Copy()
	inner := cfg.HTTPClient
	if inner == nil {
		inner = awshttp.NewBuildableClient()
	}
	c := &countingClient{inner: inner}
	cfg.HTTPClient = c
	return cfg, c
}
