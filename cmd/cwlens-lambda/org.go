package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/batch"
	"github.com/cwlens/cwlens/internal/s3keys"
)

// roleNameRE: IAM role names are 1–64 of letters, digits and +=,.@_-
// (IAM User Guide, "IAM object quotas and names").
var roleNameRE = regexp.MustCompile(`^[A-Za-z0-9+=,.@_-]{1,64}$`)

// orgConfigFromEnv reads the organisation run's settings. It returns false
// when CWLENS_ORG_ROLE_NAME is unset: the function is then a single-account
// function and refuses organisation steps.
func orgConfigFromEnv(lookupEnv func(string) (string, bool)) (batch.OrgConfig, bool, error) {
	var c batch.OrgConfig
	role, ok := lookupEnv(batch.EnvOrgRoleName)
	if !ok || role == "" {
		return c, false, nil
	}
	var errs []error
	if !roleNameRE.MatchString(role) {
		errs = append(errs, cwlens.Inputf("", batch.EnvOrgRoleName, strconv.Quote(role), "not an IAM role name (1 to 64 of A-Z a-z 0-9 +=,.@_-)"))
	}
	c.RoleName = role
	c.ExternalID, _ = lookupEnv(batch.EnvOrgExternalID)
	if v, _ := lookupEnv(batch.EnvOrgAccounts); v != "" {
		for _, a := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
			if !cwlens.IsAccountID(a) {
				errs = append(errs, cwlens.Inputf("", batch.EnvOrgAccounts, strconv.Quote(a), "want a 12-digit AWS account id"))
			}
			c.Accounts = append(c.Accounts, a)
		}
	}
	if v, ok := lookupEnv(batch.EnvOrgConcurrency); ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			// 10,000 is the Distributed Map's largest MaxConcurrency
			// (Step Functions Developer Guide, "Map state in Distributed mode").
			errs = append(errs, cwlens.Inputf("", batch.EnvOrgConcurrency, strconv.Quote(v), "want a whole number from 1 to 10000"))
		}
		c.Concurrency = n
	}
	return c, true, errors.Join(errs...)
}

// newOrgRunner builds the organisation steps' clients on the function's
// own configuration.
func newOrgRunner(cfg aws.Config, runner *batch.Runner, org batch.OrgConfig, logger *slog.Logger) *batch.OrgRunner {
	return &batch.OrgRunner{
		Runner:   runner,
		Org:      org,
		Accounts: &orgLister{c: organizations.NewFromConfig(cfg)},
		Assume:   &assumer{cfg: cfg, role: org.RoleName, externalID: org.ExternalID, log: logger},
		Keys:     runner.Store.(*s3Store),
	}
}

// orgLister lists the organisation's ACTIVE accounts, page by page
// (organizations:ListAccounts, at most 20 a page).
type orgLister struct{ c *organizations.Client }

func (l *orgLister) ListAccounts(ctx context.Context) ([]string, error) {
	var ids []string
	p := organizations.NewListAccountsPaginator(l.c, &organizations.ListAccountsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, a := range page.Accounts {
			if a.Status == orgtypes.AccountStatusActive {
				ids = append(ids, aws.ToString(a.Id))
			}
		}
	}
	return ids, nil
}

// assumer scans member accounts under the member role.
type assumer struct {
	cfg        aws.Config
	role       string
	externalID string
	log        *slog.Logger
}

func (a *assumer) ScannerFor(ctx context.Context, account, region string) (batch.Scanner, error) {
	roleARN := fmt.Sprintf("arn:%s:iam::%s:role/%s", partition(region), account, a.role)
	// Through the member Region's own STS endpoint, as AWS recommends
	// (IAM User Guide, "Manage AWS STS in an AWS Region"): the credentials
	// are then valid in every Region, and an opt-in Region the account has
	// not enabled fails here, as that member only.
	stsc := sts.NewFromConfig(a.cfg, func(o *sts.Options) { o.Region = region })
	provider := stscreds.NewAssumeRoleProvider(stsc, roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "cwlens-" + account
		if a.externalID != "" {
			o.ExternalID = aws.String(a.externalID)
		}
	})
	cfg := a.cfg.Copy()
	cfg.Credentials = aws.NewCredentialsCache(provider)
	// Fetched now, so that a role that cannot be assumed fails the member
	// before it scans anything.
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, fmt.Errorf("sts:AssumeRole %s: %w", roleARN, err)
	}
	return &scanner{cfg: cfg, log: a.log}, nil
}

// ListKeys makes s3Store a batch.KeyLister (s3:ListObjectsV2, 1,000 keys a
// page).
func (s *s3Store) ListKeys(ctx context.Context, bucket, prefix string) ([]string, error) {
	return s3keys.List(ctx, s.c, bucket, prefix)
}

// partition is the ARN partition of a Region: the function assumes roles in
// its own partition (AWS General Reference, "Amazon Resource Names").
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}
