package ingest

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/smithy-go"
)

// errorReason renders err for a Gap: the AWS error code and message when
// there is one, else the error text.
func errorReason(err error) string {
	if errors.Is(err, context.Canceled) {
		return context.Canceled.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return context.DeadlineExceeded.Error()
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		if m := ae.ErrorMessage(); m != "" {
			return ae.ErrorCode() + ": " + m
		}
		return ae.ErrorCode()
	}
	return err.Error()
}

// isExpiredToken reports whether err rejects a pagination token: CloudWatch
// answers InvalidNextToken; Logs and ECS an InvalidParameterException that
// names the token. Tokens expire (Logs: after 24 hours, per the SDK's
// DescribeLogGroupsOutput.NextToken doc), so a long scan restarts the
// listing rather than giving up.
func isExpiredToken(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	if ae.ErrorCode() == "InvalidNextToken" {
		return true
	}
	return ae.ErrorCode() == "InvalidParameterException" && strings.Contains(strings.ToLower(ae.ErrorMessage()), "token")
}

// canceled reports whether err comes from the scan's context ending.
func canceled(ctx context.Context, err error) bool {
	return ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}
