package orgreport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/cwlens/cwlens"
)

// Object names, under ACCOUNT/REGION/ of a run's prefix.
const (
	ReportName = "report.json"
	FailedName = "failed.json"
)

// ParseKey reads an object key relative to a run's prefix,
// "ACCOUNT/REGION/report.json" or "ACCOUNT/REGION/failed.json". It returns
// false for any other key (other files of the run, the merged report).
func ParseKey(rel string) (Object, bool) {
	parts := strings.Split(rel, "/")
	if len(parts) != 3 || !cwlens.IsAccountID(parts[0]) || !cwlens.IsRegion(parts[1]) {
		return Object{}, false
	}
	o := Object{Member: Member{Account: parts[0], Region: parts[1]}, Key: rel}
	switch parts[2] {
	case ReportName:
	case FailedName:
		o.Failed = true
	default:
		return Object{}, false
	}
	return o, true
}

// SortObjects orders objects by member, each member's report before its
// failure record.
func SortObjects(objs []Object) {
	slices.SortFunc(objs, func(a, b Object) int {
		if c := strings.Compare(a.Member.String(), b.Member.String()); c != 0 {
			return c
		}
		switch {
		case a.Failed == b.Failed:
			return 0
		case a.Failed:
			return 1
		}
		return -1
	})
}

// DirSource reads a run stored on disk, as the organisation run writes it
// to S3: DIR/ACCOUNT/REGION/report.json or failed.json. It reads through an
// os.Root, so a symbolic link cannot lead it outside the directory.
type DirSource struct {
	root *os.Root
}

// OpenDir opens dir as a run's directory.
func OpenDir(dir string) (*DirSource, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &DirSource{root: root}, nil
}

// Close releases the directory.
func (d *DirSource) Close() error { return d.root.Close() }

// List returns the member objects under the directory, sorted.
func (d *DirSource) List(ctx context.Context) ([]Object, error) {
	var objs []Object
	err := fs.WalkDir(d.root.FS(), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.IsDir() {
			if strings.Count(p, "/") >= 2 {
				return fs.SkipDir
			}
			return nil
		}
		if o, ok := ParseKey(p); ok && e.Type().IsRegular() {
			objs = append(objs, o)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	SortObjects(objs)
	return objs, nil
}

// Open opens one member object.
func (d *DirSource) Open(_ context.Context, key string) (io.ReadCloser, error) {
	if !fs.ValidPath(key) || path.Clean(key) != key {
		return nil, fmt.Errorf("%q is not a path inside the run", key)
	}
	f, err := d.root.Open(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", key, fs.ErrNotExist)
	}
	return f, err
}

// Bucket is an object store holding runs: S3 in production.
type Bucket interface {
	// ListKeys returns every key under prefix, in any order.
	ListKeys(ctx context.Context, prefix string) ([]string, error)
	Open(ctx context.Context, key string) (io.ReadCloser, error)
}

// PrefixSource reads the run stored under prefix in b, as
// PREFIX/ACCOUNT/REGION/report.json or failed.json.
func PrefixSource(b Bucket, prefix string) Source {
	return &prefixSource{b: b, prefix: strings.TrimSuffix(prefix, "/") + "/"}
}

type prefixSource struct {
	b      Bucket
	prefix string
}

func (p *prefixSource) List(ctx context.Context) ([]Object, error) {
	keys, err := p.b.ListKeys(ctx, p.prefix)
	if err != nil {
		return nil, err
	}
	var objs []Object
	for _, k := range keys {
		if o, ok := ParseKey(strings.TrimPrefix(k, p.prefix)); ok && strings.HasPrefix(k, p.prefix) {
			o.Key = k
			objs = append(objs, o)
		}
	}
	SortObjects(objs)
	return objs, nil
}

func (p *prefixSource) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	return p.b.Open(ctx, key)
}
