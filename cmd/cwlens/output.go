package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/cwlens/cwlens/internal/atomicfile"
	"golang.org/x/term"
)

// writeOutput runs write against stdout, or against path when one is given.
// A file is written atomically: into a temporary file beside it, renamed
// over path only once everything was written, so a failed run never leaves a
// half-written report.
//
// inputs are the files the command reads (or, for --state, also writes):
// path must be none of them, or the report would replace its own snapshot.
func writeOutput(stdout io.Writer, path string, write func(io.Writer) error, inputs ...string) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	if err := checkOut(path, inputs...); err != nil {
		return err
	}
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// checkOut refuses an output path that is one of inputs (the same file by
// device and inode, or the same path when it does not exist yet) or that is
// anything but a regular file (atomicfile.Target). Commands call it before
// reading anything, so a mistake fails fast; writeOutput calls it again.
func checkOut(path string, inputs ...string) error {
	if path == "" || path == "-" {
		return nil
	}
	if _, err := atomicfile.Target(path); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	out, outErr := os.Stat(path)
	absOut, _ := filepath.Abs(path)
	for _, in := range inputs {
		if in == "" || in == "-" {
			continue
		}
		same := false
		if fi, err := os.Stat(in); err == nil && outErr == nil {
			same = os.SameFile(fi, out)
		} else if abs, err := filepath.Abs(in); err == nil {
			same = abs == absOut
		}
		if same {
			return fmt.Errorf("--out %s is also an input of this command (%s): refusing to overwrite it", path, in)
		}
	}
	return nil
}

// useColor reports whether a table written to w may use colour: only on a
// terminal (any character device: /dev/null passes too, harmlessly), and
// only when NO_COLOR (https://no-color.org) is unset or empty.
func useColor(w io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && isTerminal(w)
}

// tableWidth is the width a table is fitted in: --width when given, else the
// terminal's when w is one, else $COLUMNS when w is standard output; 0 (no
// limit) for a file or a pipe.
func tableWidth(flag int, w io.Writer, stdout bool) int {
	if flag > 0 {
		return flag
	}
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		if c, _, err := term.GetSize(int(f.Fd())); err == nil && c > 0 {
			return c
		}
	}
	if stdout {
		if c, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && c > 0 {
			return c
		}
	}
	return 0
}
