package cwlens

import (
	"errors"
	"fmt"
)

// InputError reports bad user input — a snapshot, scenario, price book or CSV
// that cannot be used — naming the file, the place in it and the value, so
// the user can fix it from one line. The CLI exits with status 2 on it.
type InputError struct {
	File  string // the path as the user gave it
	Where string // a JSON path such as log_groups[2].stored_bytes, or "line 12"
	Value string // the offending value as written, if any
	Err   error  // what is wrong
}

// Error formats the error as "file: where: value: problem", leaving out the
// parts that are empty.
func (e *InputError) Error() string {
	s := e.File
	for _, part := range []string{e.Where, e.Value} {
		if part == "" {
			continue
		}
		if s != "" {
			s += ": "
		}
		s += part
	}
	if s != "" {
		s += ": "
	}
	return s + e.Err.Error()
}

// Unwrap returns the underlying problem.
func (e *InputError) Unwrap() error { return e.Err }

// Inputf returns an *InputError for file and where with a formatted problem.
func Inputf(file, where, value, format string, args ...any) error {
	return &InputError{File: file, Where: where, Value: value, Err: fmt.Errorf(format, args...)}
}

// IsInputError reports whether err is or wraps an *InputError.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}
