// Package atomicfile writes files so that a reader sees either the old file
// or the whole new one, never half of either: the content goes to a
// temporary file beside the target, is synced, and is renamed over it.
//
// github.com/google/renameio does the same but does not build on Windows,
// where cwlens also runs; this is the small portable part of it we need.
package atomicfile

import (
	"io"
	"os"
	"path/filepath"
)

// Perm is the mode of the files written: a report or snapshot is no more
// secret than the account data it came from, and os.CreateTemp's 0600 would
// surprise a user sharing a report directory.
const Perm = 0o644

// Write calls write with a temporary file beside path and renames it over
// path once write and the sync succeed. On any error the temporary file is
// removed and an existing file at path is left as it was.
func Write(path string, write func(io.Writer) error) (err error) {
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
	if err = f.Chmod(Perm); err != nil {
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
