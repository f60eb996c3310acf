// Command bench measures the workshop's images (size, layers, cold and warm builds, start
// to the first 200, docker stop, memory) against the stripped static binary and writes
// docs/bench.md, docs/bench/results.json and docs/bench/sizes.svg. `make bench` runs it;
// `go run ./cmd/bench -h` lists the flags. The logic lives in internal/bench.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/go-docker-workshop/workshop/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := bench.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
