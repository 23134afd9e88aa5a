package awsemu

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	orgsdk "github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	stssdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/sdkhttp"
)

func memberSnap(account, region string) *cwlens.Snapshot {
	return &cwlens.Snapshot{SchemaVersion: cwlens.SchemaVersion, AccountID: account, Region: region}
}

// newOrgServer serves an organisation of n member accounts in us-east-1 and
// eu-west-1, the second account's role refused, and returns the management
// account's SDK configuration.
func newOrgServer(t *testing.T, n int) (*Org, aws.Config) {
	t.Helper()
	var members []*cwlens.Snapshot
	for i := range n {
		a := fmt.Sprintf("%012d", 100000000001+i)
		members = append(members, memberSnap(a, "us-east-1"), memberSnap(a, "eu-west-1"))
	}
	org := NewOrg(OrgOptions{Management: "999999999999", RoleName: "cwlens-member", ExternalID: "ext-1",
		Members: members, Suspended: []string{"555555555555"}, Deny: []string{"100000000002", "100000000003/eu-west-1"}})
	srv := httptest.NewServer(org)
	t.Cleanup(srv.Close)
	return org, sdkhttp.Config(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDMGMT", "secret", ""),
		BaseEndpoint: aws.String(srv.URL)})
}

func TestOrgListAccountsPages(t *testing.T) {
	_, cfg := newOrgServer(t, 25)
	p := orgsdk.NewListAccountsPaginator(orgsdk.NewFromConfig(cfg), &orgsdk.ListAccountsInput{})
	var ids []string
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, a := range page.Accounts {
			ids = append(ids, aws.ToString(a.Id)+":"+string(a.Status))
		}
	}
	if pages != 2 || len(ids) != 26 || ids[25] != "555555555555:SUSPENDED" {
		t.Errorf("%d pages, %d accounts, last %q", pages, len(ids), ids[len(ids)-1])
	}
	_, err := orgsdk.NewFromConfig(cfg).ListAccounts(context.Background(), &orgsdk.ListAccountsInput{MaxResults: aws.Int32(21)})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidInputException" {
		t.Errorf("MaxResults 21: err = %v", err)
	}
}

func TestOrgAssumeRoleRoutesToTheMember(t *testing.T) {
	org, cfg := newOrgServer(t, 3)
	stsc := stssdk.NewFromConfig(cfg)
	// Each member Region's roles are assumed through that Region's STS
	// endpoint, as the organisation function does.
	assumed := func(account, role, externalID, region string) aws.Config {
		c := cfg.Copy()
		c.Region = region
		c.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(stssdk.NewFromConfig(c), "arn:aws:iam::"+account+":role/"+role,
			func(o *stscreds.AssumeRoleOptions) { o.ExternalID = aws.String(externalID) }))
		return c
	}
	ctx := context.Background()
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		id, err := stssdk.NewFromConfig(assumed("100000000001", "cwlens-member", "ext-1", region)).GetCallerIdentity(ctx, &stssdk.GetCallerIdentityInput{})
		if err != nil || aws.ToString(id.Account) != "100000000001" {
			t.Fatalf("%s: the member answers as %v, %v", region, aws.ToString(id.Account), err)
		}
		if org.Member("100000000001", region).Calls()["sts:GetCallerIdentity"].OK != 1 {
			t.Errorf("%s: the member's own emulator did not serve the call", region)
		}
	}
	// The management account answers as itself.
	if id, err := stsc.GetCallerIdentity(ctx, &stssdk.GetCallerIdentityInput{}); err != nil || aws.ToString(id.Account) != "999999999999" {
		t.Errorf("management answers as %v, %v", aws.ToString(id.Account), err)
	}
	for _, tc := range []struct{ name, account, role, ext string }{
		{"wrong external id", "100000000001", "cwlens-member", "guess"},
		{"another role", "100000000001", "admin", "ext-1"},
		{"denied account", "100000000002", "cwlens-member", "ext-1"},
		{"outside the organisation", "123456789012", "cwlens-member", "ext-1"},
		{"suspended", "555555555555", "cwlens-member", "ext-1"},
	} {
		_, err := assumed(tc.account, tc.role, tc.ext, "us-east-1").Credentials.Retrieve(ctx)
		if err == nil || !strings.Contains(err.Error(), "is not authorized to perform: sts:AssumeRole on resource") {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
	// A Region where STS is not activated for the account.
	if _, err := assumed("100000000003", "cwlens-member", "ext-1", "us-east-1").Credentials.Retrieve(ctx); err != nil {
		t.Errorf("100000000003 in us-east-1: %v", err)
	}
	_, err := assumed("100000000003", "cwlens-member", "ext-1", "eu-west-1").Credentials.Retrieve(ctx)
	if err == nil || !strings.Contains(err.Error(), "RegionDisabledException") {
		t.Errorf("STS not activated in the Region: err = %v", err)
	}
}

func TestS3ListObjectsV2Pages(t *testing.T) {
	_, _, _, c, _ := newS3SNS(t, "")
	var want []string
	for i := range 2500 {
		k := fmt.Sprintf("org/run-1/%04d/report.json", i)
		want = append(want, k)
		if _, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("reports"), Key: aws.String(k), Body: strings.NewReader("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("reports"), Key: aws.String("other/x"), Body: strings.NewReader("{}")})
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("reports"), Prefix: aws.String("org/run-1/")})
	var got []string
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, o := range page.Contents {
			got = append(got, aws.ToString(o.Key))
		}
	}
	if pages != 3 || !slices.Equal(got, want) {
		t.Errorf("%d pages, %d keys (want 3 pages, %d keys)", pages, len(got), len(want))
	}
}
