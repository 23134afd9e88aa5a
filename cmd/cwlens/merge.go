package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/s3keys"
	"github.com/cwlens/cwlens/orgreport"
	"github.com/spf13/cobra"
)

func newMergeCmd(stdout io.Writer) *cobra.Command {
	var aws scanFlags
	var format, out, run string
	var keep int
	var expect []string
	cmd := &cobra.Command{
		Use:   "merge DIR|s3://BUCKET/PREFIX",
		Short: "Merge the reports of an organisation-wide run into one report",
		Long: `merge reads the reports an organisation-wide run wrote, one per account and
Region (ACCOUNT/REGION/report.json, or ACCOUNT/REGION/failed.json for a
member that failed), from a directory or an S3 prefix, and writes one report
for the organisation: a row per member with its status and monthly cost, the
totals, the monthly cost by usage type, the worst findings across accounts
and every member's gaps.

A member that failed, or that --expect names and that left nothing, is listed
as such, and the totals say they are incomplete; the exit status is then 3.
Members are read one at a time, so memory grows with the findings kept
(--keep), not with the number of accounts.`,
		Example: `  cwlens merge s3://my-cwlens-reports/cwlens/org/2025-11-01T06-00-00Z
  cwlens merge ./org-run --format json --out org.json
  cwlens merge ./org-run --expect 111111111111/us-east-1 --expect 222222222222/us-east-1`,
		Args: exactArgs("DIR|s3://BUCKET/PREFIX"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := mergeOptions{format: format, out: out, opt: orgreport.Options{Run: run, Keep: keep}}
			if keep < 0 {
				return usagef("--keep %d: want 0 (the default, %d) or more", keep, orgreport.DefaultKeep)
			}
			for _, e := range expect {
				m, err := parseMember(e)
				if err != nil {
					return usagef("--expect: %w", err)
				}
				o.opt.Expect = append(o.opt.Expect, m)
			}
			return runMerge(cmd.Context(), stdout, args[0], &aws, o)
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&format, "format", "f", orgreport.FormatTable, "output `FORMAT`: table, markdown or json")
	fs.StringVarP(&out, "out", "o", "", "write the report to `FILE` (atomically; - is standard output)")
	fs.StringVar(&run, "run", "", "the run's `NAME`, shown in the report (default: the directory or prefix's last element)")
	fs.IntVar(&keep, "keep", 0, fmt.Sprintf("keep the `N` worst findings (default %d)", orgreport.DefaultKeep))
	fs.StringArrayVar(&expect, "expect", nil, "`ACCOUNT/REGION` the run planned (repeatable); one that left nothing is reported missing")
	fs.StringVar(&aws.profile, "profile", "", "AWS shared config `PROFILE`, for an s3:// location")
	fs.StringVar(&aws.region, "region", "", "AWS `REGION` of the bucket, for an s3:// location")
	fs.StringVar(&aws.endpoint, "endpoint-url", "", "send the S3 calls to `URL`")
	return cmd
}

type mergeOptions struct {
	format, out string
	opt         orgreport.Options
}

func runMerge(ctx context.Context, stdout io.Writer, location string, f *scanFlags, o mergeOptions) error {
	switch o.format {
	case orgreport.FormatTable, orgreport.FormatMarkdown, orgreport.FormatJSON:
	default:
		return usagef("--format %q: want table, markdown or json", o.format)
	}
	src, closeSrc, err := openRun(ctx, location, f)
	if err != nil {
		return err
	}
	defer closeSrc()
	if o.opt.Run == "" {
		o.opt.Run = lastElement(location)
	}
	r, err := orgreport.Merge(ctx, src, o.opt)
	var me *orgreport.MemberError
	switch {
	case errors.As(err, &me):
		return cwlens.Inputf(location+"/"+me.Key, "", "", "%v", me.Err)
	case err != nil:
		return fmt.Errorf("merge %s: %w", location, err)
	}
	if err := writeOutput(stdout, o.out, func(w io.Writer) error { return orgreport.Write(w, r, o.format) }); err != nil {
		return err
	}
	if r.Partial {
		return &statusError{code: exitPartial, msg: "the organisation report is incomplete: " + strings.Join(r.Totals.Incomplete, "; ")}
	}
	return nil
}

// openRun opens a run's directory or S3 prefix.
func openRun(ctx context.Context, location string, f *scanFlags) (orgreport.Source, func(), error) {
	rest, isS3 := strings.CutPrefix(location, "s3://")
	if !isS3 {
		d, err := orgreport.OpenDir(location)
		if err != nil {
			return nil, nil, cwlens.Inputf(location, "", "", "cannot open the run's directory: %v", err)
		}
		return d, func() { d.Close() }, nil
	}
	bucket, prefix, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return nil, nil, usagef("%q: want s3://BUCKET/PREFIX", location)
	}
	cfg, err := f.awsConfig(ctx)
	if err != nil {
		return nil, nil, err
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = f.endpoint != "" })
	return orgreport.PrefixSource(&s3Bucket{client: client, bucket: bucket}, prefix), func() {}, nil
}

func lastElement(location string) string {
	location = strings.TrimRight(location, "/")
	return location[strings.LastIndex(location, "/")+1:]
}

func parseMember(s string) (orgreport.Member, error) {
	account, region, ok := strings.Cut(s, "/")
	if !ok || !cwlens.IsAccountID(account) || !cwlens.IsRegion(region) {
		return orgreport.Member{}, fmt.Errorf("%q: want ACCOUNT/REGION, e.g. 123456789012/us-east-1", s)
	}
	return orgreport.Member{Account: account, Region: region}, nil
}

// s3Bucket is an orgreport.Bucket on S3.
type s3Bucket struct {
	client *s3.Client
	bucket string
}

func (b *s3Bucket) ListKeys(ctx context.Context, prefix string) ([]string, error) {
	return s3keys.List(ctx, b.client, b.bucket, prefix)
}

func (b *s3Bucket) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("s3:GetObject s3://%s/%s: %w", b.bucket, key, err)
	}
	return out.Body, nil
}
