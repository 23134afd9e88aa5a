// Package s3keys lists an S3 prefix, for the commands that read an
// organisation run's reports (cwlens merge and the function's merge step).
package s3keys

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// List returns every key under prefix in bucket, page by page
// (s3:ListObjectsV2, 1,000 keys a page).
func List(ctx context.Context, c s3.ListObjectsV2APIClient, bucket, prefix string) ([]string, error) {
	var keys []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("s3:ListObjectsV2 s3://%s/%s: %w", bucket, prefix, err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys, nil
}
