package main

import (
	"fmt"
	"io"
	"os"

	"github.com/cwlens/cwlens/internal/atomicfile"
)

// writeOutput runs write against stdout, or against path when one is given.
// A file is written atomically: into a temporary file beside it, renamed
// over path only once everything was written, so a failed run never leaves a
// half-written report.
func writeOutput(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	if err := atomicfile.Write(path, write); err != nil {
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
