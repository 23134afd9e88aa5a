package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at link time by release builds:
//
//	go build -ldflags "-X main.version=v1.2.3" ./cmd/cwlens
//
// Without it, the module version recorded by go install is used.
var version string

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version of cwlens",
		Example: `  cwlens version`,
		Args:    exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			info, _ := debug.ReadBuildInfo()
			_, err := fmt.Fprintln(stdout, versionString(version, info))
			return err
		},
	}
}

// versionString writes "cwlens v1.2.3 (commit 0123abcd, go1.25.0 linux/amd64)".
// The linked-in version wins over the module's; "(devel)" means built from a
// checkout.
func versionString(linked string, info *debug.BuildInfo) string {
	v, commit, dirty := linked, "", false
	if info != nil {
		if v == "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	detail := ""
	if commit != "" {
		detail = "commit " + commit[:min(len(commit), 12)]
		if dirty {
			detail += "+dirty"
		}
		detail += ", "
	}
	return fmt.Sprintf("cwlens %s (%s%s %s/%s)", v, detail, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
