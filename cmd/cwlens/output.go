package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeOutput runs write against stdout, or against path when one is given.
// A file is written atomically: into a temporary file beside it, renamed
// over path only once everything was written, so a failed run never leaves a
// half-written report.
func writeOutput(stdout io.Writer, path string, write func(io.Writer) error) (err error) {
	if path == "" || path == "-" {
		return write(stdout)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes the file 0600; a report is no more secret than the
	// snapshot it came from.
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// useColor reports whether a table written to w may use colour: only on a
// terminal (any character device: /dev/null passes too, harmlessly), and
// only when NO_COLOR (https://no-color.org) is unset or empty.
func useColor(w io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && isTerminal(w)
}
