package imagetest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/containerd/platforms"
	controlapi "github.com/moby/buildkit/api/services/control"
	bkclient "github.com/moby/buildkit/client"
	"github.com/moby/buildkit/session"
	"github.com/moby/buildkit/session/filesync"
	buildtypes "github.com/moby/moby/api/types/build"
	"github.com/moby/moby/api/types/jsonstream"
	"github.com/moby/moby/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/tonistiigi/fsutil"
	"google.golang.org/protobuf/proto"
)

// Builders a build can use.
const (
	BuilderBuildKit = "buildkit"
	BuilderLegacy   = "legacy"
)

// buildKit builds spec through the daemon's BuildKit: a session serves the build context and
// the Dockerfile's directory (no tar upload), and the build stream's BuildKit trace is decoded
// into steps as it arrives. It returns the image ID and the trace.
func buildKit(ctx context.Context, cli client.APIClient, spec BuildSpec, ref string, df dockerfileSource, onStep func(StepEvent)) (string, *Trace, error) {
	contextFS, err := fsutil.NewFS(spec.Context)
	if err != nil {
		return "", nil, fmt.Errorf("контекст сборки %s: %w", spec.Context, err)
	}
	dfFS, err := fsutil.NewFS(df.dir)
	if err != nil {
		return "", nil, fmt.Errorf("каталог Dockerfile %s: %w", df.dir, err)
	}
	sess, err := session.NewSession(ctx, "workshop")
	if err != nil {
		return "", nil, fmt.Errorf("сеанс BuildKit: %w", err)
	}
	sess.Allow(filesync.NewFSSyncProvider(filesync.StaticDirSource{"context": contextFS, "dockerfile": dfFS}))
	sessCtx, stopSession := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSession()
	dial := func(ctx context.Context, proto string, meta map[string][]string) (net.Conn, error) {
		return cli.DialHijack(ctx, "/session", proto, meta)
	}
	sessDone := make(chan error, 1)
	go func() { sessDone <- sess.Run(sessCtx, dial) }()
	defer func() {
		sess.Close()
		<-sessDone
	}()

	buildID := randomID()
	opts := client.ImageBuildOptions{
		Version:       buildtypes.BuilderBuildKit,
		SessionID:     sess.ID(),
		RemoteContext: "client-session",
		BuildID:       buildID,
		Dockerfile:    df.name,
		Tags:          []string{ref},
		BuildArgs:     buildArgs(spec.BuildArgs),
		Labels:        map[string]string{LabelBuilt: "true", LabelLesson: spec.Lesson},
		NoCache:       spec.NoCache,
		Target:        spec.Target,
	}
	if spec.Platform != "" {
		p, err := platforms.Parse(spec.Platform)
		if err != nil {
			return "", nil, fmt.Errorf("платформа %q: %w", spec.Platform, err)
		}
		opts.Platforms = []ocispec.Platform{p}
	}
	res, err := cli.ImageBuild(ctx, nil, opts)
	if err != nil {
		return "", nil, err
	}
	defer res.Body.Close()
	// When the caller gives up (a timeout), or the process is interrupted (Ctrl+C, or the CLI
	// that ran the checks gives up and sends SIGINT), the daemon stops the build too: a build
	// left running would go on using the machine, a RUN that never ends for ever.
	cancelBuild := func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = cli.BuildCancel(cctx, buildID, client.BuildCancelOptions{})
	}
	stopCancel := context.AfterFunc(ctx, cancelBuild)
	defer stopCancel()
	defer OnInterrupt(cancelBuild)()

	trace := NewTrace(onStep)
	id, err := readBuildStream(res.Body, trace)
	if ctx.Err() != nil {
		return "", trace, ctx.Err()
	}
	return id, trace, err
}

// readBuildStream reads the daemon's JSON messages of a BuildKit build: trace updates go to
// trace, the image ID is returned, and an error message ends the build with its text.
func readBuildStream(r io.Reader, trace *Trace) (string, error) {
	dec := json.NewDecoder(bufio.NewReader(r))
	id := ""
	for {
		var msg jsonstream.Message
		if err := dec.Decode(&msg); err != nil {
			if errors.Is(err, io.EOF) {
				return id, nil
			}
			return id, fmt.Errorf("поток сборки прервался: %w", err)
		}
		if msg.Error != nil {
			return id, errors.New(msg.Error.Message)
		}
		if msg.Aux == nil {
			continue
		}
		switch msg.ID {
		case "moby.buildkit.trace":
			var dt []byte
			if err := json.Unmarshal(*msg.Aux, &dt); err != nil {
				continue // not a trace this version understands
			}
			var resp controlapi.StatusResponse
			if err := proto.Unmarshal(dt, &resp); err != nil {
				continue
			}
			trace.Add(bkclient.NewSolveStatus(&resp))
		case "moby.image.id":
			var v struct{ ID string }
			if json.Unmarshal(*msg.Aux, &v) == nil {
				id = v.ID
			}
		}
	}
}

func buildArgs(m map[string]string) map[string]*string {
	args := make(map[string]*string, len(m))
	for k, v := range m {
		args[k] = &v
	}
	return args
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// dockerfileSource is where the builder reads the Dockerfile from: its directory and name.
type dockerfileSource struct {
	dir, name string
	directive bool // the served Dockerfile has a `# syntax=` line
	cleanup   func()
}

// syntaxDirective matches a `# syntax=` parser directive, which must stand before any other
// line of the Dockerfile except comments and other directives.
func syntaxDirectiveLine(data []byte) int {
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			return -1 // directives end at the first empty line
		}
		if !strings.HasPrefix(t, "#") {
			return -1
		}
		k, _, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(t, "#")), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "syntax") {
			return i
		}
	}
	return -1
}

// withoutSyntax returns the Dockerfile of spec as the builder should read it. A `# syntax=`
// directive makes BuildKit fetch that frontend image from a registry; where none is reachable
// the build would fail before its first step. Then the harness serves a copy whose directive
// line is blanked (line numbers stay the same), and the engine's own Dockerfile frontend,
// which understands the same instructions, builds it. With spec.SharedGoCache the served copy
// mounts Go's shared build cache (withGoCache). stripped reports the directive was blanked.
func withoutSyntax(spec BuildSpec, strip bool) (src dockerfileSource, stripped bool, err error) {
	path := filepath.Join(spec.Context, spec.Dockerfile)
	src = dockerfileSource{dir: filepath.Dir(path), name: filepath.Base(path), cleanup: func() {}}
	data, err := os.ReadFile(path)
	if err != nil {
		return src, false, err
	}
	n := syntaxDirectiveLine(data)
	src.directive = n >= 0
	changed := false
	if strip && n >= 0 {
		lines := strings.Split(string(data), "\n")
		lines[n] = "#"
		data, stripped, changed = []byte(strings.Join(lines, "\n")), true, true
	}
	if spec.SharedGoCache {
		var mounted bool
		data, mounted = withGoCache(data)
		changed = changed || mounted
	}
	if !changed {
		return src, false, nil
	}
	dir, err := os.MkdirTemp("", "workshop-dockerfile-")
	if err != nil {
		return src, false, err
	}
	forget := RemoveOnInterrupt(dir)
	remove := func() { forget(); os.RemoveAll(dir) }
	if err := os.WriteFile(filepath.Join(dir, src.name), data, 0o644); err != nil {
		remove()
		return src, false, err
	}
	// BuildKit also reads <Dockerfile>.dockerignore next to the Dockerfile.
	if ign, err := os.ReadFile(path + ".dockerignore"); err == nil {
		_ = os.WriteFile(filepath.Join(dir, src.name+".dockerignore"), ign, 0o644)
	}
	return dockerfileSource{dir: dir, name: src.name, directive: src.directive && !stripped, cleanup: remove}, stripped, nil
}

// frontendUnreachable reports whether a build failed because the frontend image of a
// `# syntax=` directive could not be fetched.
func frontendUnreachable(err error) bool {
	if err == nil {
		return false
	}
	s := strings.ToLower(err.Error())
	return (strings.Contains(s, "docker/dockerfile") || strings.Contains(s, "frontend")) &&
		(strings.Contains(s, "resolve") || strings.Contains(s, "pull") || strings.Contains(s, "dial") ||
			strings.Contains(s, "lookup") || strings.Contains(s, "no such host") || strings.Contains(s, "failed to do request"))
}
