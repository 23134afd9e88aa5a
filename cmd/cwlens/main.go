// Command cwlens reports where CloudWatch logs are flooding, which error
// patterns are surging, and what an account's logs and Fargate services cost
// now and under a proposed change. See README.md and docs/.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

func main() {
	tuneGC(os.LookupEnv)
	limitMemory(memlimit.FromCgroup)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
