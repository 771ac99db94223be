// Command gongshang runs the work-injury insurance platform: the server
// (serve), the demo (demo), the benefit calculator (calc), audit-chain
// verification (audit verify), benchmarks (bench) and configuration
// printing (config). main only wires the process to run.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	var ex exitError
	switch {
	case errors.As(err, &ex):
		os.Exit(int(ex))
	case err != nil:
		fmt.Fprintln(os.Stderr, "gongshang:", err)
		os.Exit(1)
	}
}
