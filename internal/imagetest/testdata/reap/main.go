// Command reap starts a container the way the lessons' checks do and waits to be
// interrupted; the harness's tests (reap_test.go) signal or kill it and look for leftovers.
//
//	reap          start `sleep 300` from debian:bullseye-slim, print "ready <id>", wait
//	reap wait     start it waiting for GET /healthz, which never answers (interrupted mid-Run)
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

func main() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "workshop-reap-")
	if err != nil {
		fail(err)
	}
	imagetest.RemoveOnInterrupt(dir)
	fmt.Println("temp", dir)

	img, err := imagetest.Existing(ctx, "debian:bullseye-slim")
	if err != nil {
		fail(err)
	}
	opts := imagetest.RunOptions{Cmd: []string{"sleep", "300"}, NoWait: true}
	if len(os.Args) > 1 && os.Args[1] == "wait" {
		opts = imagetest.RunOptions{Cmd: []string{"sleep", "300"}, StartupMax: 5 * time.Minute}
		fmt.Println("starting", imagetest.RunLabel())
	}
	c, err := img.Run(ctx, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		if c != nil {
			_ = c.Terminate(ctx)
		}
		os.Exit(1)
	}
	fmt.Println("ready", c.ID())
	select {}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
