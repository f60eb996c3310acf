// Command dockerfile-frontend is BuildKit's Dockerfile frontend, the program inside the
// docker/dockerfile image, built from the module this project already uses. `make images`
// packs it as a local stand-in for docker/dockerfile:1 where no registry is reachable, so
// that a `# syntax=docker/dockerfile:1` line and today's Dockerfile syntax (heredocs) work
// on an engine whose built-in frontend is older (Docker 20.10).
package main

import (
	"fmt"
	"os"

	dockerfile "github.com/moby/buildkit/frontend/dockerfile/builder"
	"github.com/moby/buildkit/frontend/gateway/grpcclient"
	"github.com/moby/buildkit/util/appcontext"
	_ "github.com/moby/buildkit/util/grpcutil/encoding/proto"
)

func main() {
	if err := grpcclient.RunFromEnvironment(appcontext.Context(), dockerfile.Build); err != nil {
		fmt.Fprintf(os.Stderr, "dockerfile frontend: %v\n", err)
		os.Exit(1)
	}
}
