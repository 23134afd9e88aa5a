package ingest

import "context"

// paginate runs a listing page by page: page is called with the token of
// the page to read (nil first) and returns the next token (nil or "" at the
// end). A pagination token can expire under a long scan; the listing is then
// started again once, after reset forgets what the first pass gathered.
// A failure is recorded as a gap for api and resource; paginate reports
// whether the listing completed.
func (r *run) paginate(ctx context.Context, api, resource string, reset func(), page func(token *string) (*string, error)) bool {
	var token *string
	restarted := false
	for {
		next, err := page(token)
		if err != nil {
			if token != nil && !restarted && isExpiredToken(err) {
				r.log.Warn("pagination token expired; listing again", "api", api, "resource", resource)
				restarted, token = true, nil
				if reset != nil {
					reset()
				}
				continue
			}
			r.fail(ctx, api, resource, err)
			return false
		}
		r.reads.Add(1)
		if next == nil || *next == "" {
			return true
		}
		token = next
	}
}
