package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cwlens/cwlens"
	"github.com/spf13/cobra"
)

// Exit statuses. Run is the only place errors become one of these.
//
// When several apply, the most serious wins: a failure (2) over a partial
// snapshot (3) over findings at or above --fail-on (1). A partial snapshot
// outranks findings because a report on a scan that missed something may be
// missing findings too; the report itself lists both.
const (
	exitOK       = 0 // done, nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitFailed   = 2 // bad input or usage, or the report could not be written
	exitPartial  = 3 // the snapshot is partial: the scan could not read everything
)

// Run runs cwlens with args (without the program name), writing the report
// to stdout and diagnostics to stderr, and returns the exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	started := false
	root.PersistentPreRun = func(*cobra.Command, []string) { started = true }

	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var st *statusError
	switch {
	case errors.As(err, &st):
		fmt.Fprintf(stderr, "cwlens: %s\n", st.msg)
		return st.code
	case !started || isUsage(err):
		// Cobra's own errors (unknown command or flag, wrong number of
		// arguments) come before the command starts.
		fmt.Fprintf(stderr, "cwlens: %s\nRun '%s --help' for usage.\n", err, cmd.CommandPath())
		return exitFailed
	case cwlens.IsInputError(err):
		fmt.Fprintf(stderr, "cwlens: %s\n", err)
		return exitFailed
	case ctx.Err() != nil:
		fmt.Fprintf(stderr, "cwlens: interrupted: %s\n", err)
		return exitFailed
	default:
		fmt.Fprintf(stderr, "cwlens: %s\n", err)
		return exitFailed
	}
}

// newRootCmd builds the command tree. Each subcommand lives in its own file
// as a newXxxCmd constructor; register new ones here.
func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "cwlens",
		Short: "Find CloudWatch log floods and error surges, and price logs and Fargate now and after a change",
		Long: `cwlens reads a snapshot of an AWS account's CloudWatch Logs groups and ECS
services and reports where logs are flooding, which error patterns are
surging, and what the logs and Fargate tasks cost per month.

Exit status: 0 done; 1 findings at or above --fail-on; 2 bad input or usage,
or the report could not be written; 3 the snapshot is partial (3 wins over 1).`,
		Example: `  cwlens demo
  cwlens report snapshot.json --format json --out report.json`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr(err) })
	root.AddCommand(
		newDemoCmd(stdout),
		newReportCmd(stdout),
		newAnalyzeCmd(stdout),
		newDetectCmd(stdout),
		newPatternsCmd(stdout, stderr),
		newVersionCmd(stdout),
		newProjectCmd(stdout),
		newPricesCmd(stdout, stderr),
		newScanCmd(stderr),
		newMergeCmd(stdout),
		newReconcileCmd(stdout),
	)
	return root
}

// usageError is a mistake in the command line: exit 2 with a pointer to --help.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErr(err error) error { return &usageError{err} }

func usagef(format string, args ...any) error { return usageErr(fmt.Errorf(format, args...)) }

func isUsage(err error) bool {
	var u *usageError
	return errors.As(err, &u)
}

// statusError ends a command that did its job with a non-zero status:
// findings at or above --fail-on, or a partial snapshot.
type statusError struct {
	code int
	msg  string
}

func (e *statusError) Error() string { return e.msg }

// exactArgs is cobra.ExactArgs with errors that name the missing argument.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) < len(names):
			return usagef("missing %s", strings.Join(names[len(args):], " "))
		case len(args) > len(names):
			return usagef("unexpected argument %q", args[len(names)])
		}
		return nil
	}
}
