package awsemu

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// listObjectsV2 answers S3 ListObjectsV2
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)
// over keys, sorted: the keys that begin with prefix, at most max-keys
// (1,000, S3's default and largest page) a page, the next page's
// continuation token when IsTruncated. Delimiters are not emulated.
func listObjectsV2(bucket string, keys []string, q url.Values) (any, error) {
	prefix := q.Get("prefix")
	maxKeys := 1000
	if v := q.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidArgument", Message: "Provided max-keys not an integer or within integer range"}
		}
		maxKeys = min(n, 1000)
	}
	after := q.Get("start-after")
	if tok := q.Get("continuation-token"); tok != "" {
		after = strings.TrimPrefix(tok, "after:")
		if after == tok {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidArgument", Message: "The continuation token provided is incorrect"}
		}
	}
	type content struct {
		Key  string
		Size int
	}
	type result struct {
		XMLName               xml.Name `xml:"ListBucketResult"`
		Xmlns                 string   `xml:"xmlns,attr"`
		Name                  string
		Prefix                string
		KeyCount              int
		MaxKeys               int
		IsTruncated           bool
		NextContinuationToken string `xml:",omitempty"`
		Contents              []content
	}
	out := result{Xmlns: "http://s3.amazonaws.com/doc/2006-03-01/", Name: bucket, Prefix: prefix, MaxKeys: maxKeys}
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix) || k <= after {
			continue
		}
		if len(out.Contents) == maxKeys {
			out.IsTruncated = true
			out.NextContinuationToken = "after:" + out.Contents[len(out.Contents)-1].Key
			break
		}
		out.Contents = append(out.Contents, content{Key: k})
	}
	out.KeyCount = len(out.Contents)
	body, err := xml.Marshal(out)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	h.Set("Content-Type", "application/xml")
	return s3Response{header: h, body: append([]byte(xml.Header), body...)}, nil
}
