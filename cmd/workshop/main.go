// Command workshop is the terminal companion of the workshop "Go + Docker: от одноэтапного
// образа к минимальному": it shows the lessons, checks the exercises, gives hints and keeps
// progress. Run `go run ./cmd/workshop help` for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/go-docker-workshop/workshop/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
