// Package atomicfile writes files so that a reader sees either the old file
// or the whole new one, never half of either: the content goes to a
// temporary file beside the target, is synced, and is renamed over it.
//
// github.com/google/renameio does the same but does not build on Windows,
// where cwlens also runs; this is the small portable part of it we need.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Perm is the mode of a new file: a report or snapshot is no more secret
// than the account data it came from, and os.CreateTemp's 0600 would
// surprise a user sharing a report directory. A file replaced keeps its own
// mode, so a report a user made 0600 stays 0600.
const Perm = 0o644

// NotRegularError is returned for a path that exists and is not a regular
// file. Renaming over a symbolic link would replace the link and leave its
// target stale; over a FIFO, device or socket it would replace the node
// itself (as root, /dev/null).
type NotRegularError struct {
	Path string
	Kind string // "a symbolic link", "a directory", "a named pipe", ...
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file: cwlens writes only regular files", e.Path, e.Kind)
}

// Target returns the mode a file written to path gets: that of the regular
// file already there, or Perm when there is none. Anything else at path is
// a *NotRegularError.
func Target(path string) (os.FileMode, error) {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Perm, nil
	case err != nil:
		return 0, err
	case fi.Mode().IsRegular():
		return fi.Mode().Perm(), nil
	}
	return 0, &NotRegularError{Path: path, Kind: kind(fi.Mode())}
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// Write calls write with a temporary file beside path and renames it over
// path once write and the sync succeed. On any error the temporary file is
// removed and an existing file at path is left as it was. Only a regular
// file, or nothing, may be at path (see Target).
func Write(path string, write func(io.Writer) error) (err error) {
	perm, err := Target(path)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	// Sync the directory so the rename itself survives a crash; some
	// systems refuse to sync a directory, which is not worth failing for.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// WriteFile writes b to path atomically, as Write does.
func WriteFile(path string, b []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
