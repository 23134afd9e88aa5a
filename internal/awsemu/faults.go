package awsemu

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Faults are failures the emulator injects.
type Faults struct {
	// Throttle is the fraction of requests answered with a
	// ThrottlingException, Internal the fraction answered with a 5xx.
	Throttle, Internal float64
	// Seed makes the injected throttles and 5xx reproducible.
	Seed int64
	// Slow delays every response.
	Slow time.Duration
	// Deny answers AccessDenied to every call of these services ("ecs") or
	// APIs ("logs:DescribeMetricFilters").
	Deny []string
	// ExpireToken rejects the first request of these APIs that carries a
	// pagination token, as AWS does with a token older than its lifetime.
	ExpireToken []string
	// GetMetricData faults, fractions of the results (or calls) they hit:
	// GMDInternal answers a result with StatusCode InternalError and a
	// NextToken to retry with; GMDPartial makes a result's last page a
	// final PartialData missing its later points; GMDMessage adds a
	// message to a result, GMDCallMessage one to a call.
	GMDInternal, GMDPartial, GMDMessage, GMDCallMessage float64
	// InsightsCap, when above 0, lowers the number of metrics a Metrics
	// Insights query processes from 10,000.
	InsightsCap int
}

// ParseFaults parses a comma-separated fault list, as the emulator's
// --faults flag takes it:
//
//	throttle=0.3     fraction of requests throttled
//	5xx=0.05         fraction of requests answered with a 5xx
//	seed=7           seed of the fault decisions (default 1)
//	slow=200ms       delay of every response
//	deny=ecs         AccessDenied on a service or an API (repeatable)
//	expire=logs:DescribeLogGroups  expire the first pagination token of an API (repeatable)
//	gmd-internal=0.2 fraction of GetMetricData results answered InternalError with a NextToken
//	gmd-partial=0.1  fraction of GetMetricData results ending in a final PartialData
//	gmd-message=0.1  fraction of GetMetricData results carrying a message
//	gmd-call-message=0.1  fraction of GetMetricData calls carrying a message
//	insights-cap=100 metrics a Metrics Insights query processes (AWS: 10,000)
func ParseFaults(s string) (Faults, error) {
	f := Faults{Seed: 1}
	if strings.TrimSpace(s) == "" {
		return f, nil
	}
	for _, item := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok || v == "" {
			return f, fmt.Errorf("fault %q: want key=value", item)
		}
		var err error
		switch k {
		case "throttle":
			f.Throttle, err = fraction(v)
		case "5xx":
			f.Internal, err = fraction(v)
		case "seed":
			f.Seed, err = strconv.ParseInt(v, 10, 64)
		case "slow":
			if f.Slow, err = time.ParseDuration(v); err == nil && f.Slow < 0 {
				err = fmt.Errorf("%q is negative", v)
			}
		case "deny":
			f.Deny = append(f.Deny, v)
		case "expire":
			f.ExpireToken = append(f.ExpireToken, v)
		case "gmd-internal":
			f.GMDInternal, err = fraction(v)
		case "gmd-partial":
			f.GMDPartial, err = fraction(v)
		case "gmd-message":
			f.GMDMessage, err = fraction(v)
		case "gmd-call-message":
			f.GMDCallMessage, err = fraction(v)
		case "insights-cap":
			if f.InsightsCap, err = strconv.Atoi(v); err == nil && f.InsightsCap <= 0 {
				err = fmt.Errorf("%q is not a positive number of metrics", v)
			}
		default:
			return f, fmt.Errorf("fault %q: unknown kind %q (want throttle, 5xx, seed, slow, deny, expire, gmd-internal, gmd-partial, gmd-message, gmd-call-message or insights-cap)", item, k)
		}
		if err != nil {
			return f, fmt.Errorf("fault %q: %w", item, err)
		}
	}
	if f.GMDInternal >= 1 {
		return f, fmt.Errorf("faults: gmd-internal=%v would never let a result through; want below 1", f.GMDInternal)
	}
	if f.Throttle+f.Internal > 1 {
		return f, fmt.Errorf("faults: throttle + 5xx = %v, more than 1", f.Throttle+f.Internal)
	}
	return f, nil
}

func fraction(v string) (float64, error) {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || !(x >= 0 && x <= 1) { // NaN fails both
		return 0, fmt.Errorf("%q is not a fraction between 0 and 1", v)
	}
	return x, nil
}

// denies reports whether calls of api (of service prefix) are denied.
func (f Faults) denies(prefix, api string) bool {
	for _, d := range f.Deny {
		if d == prefix || d == api {
			return true
		}
	}
	return false
}

func (f Faults) expires(api string) bool {
	for _, x := range f.ExpireToken {
		if x == api {
			return true
		}
	}
	return false
}
