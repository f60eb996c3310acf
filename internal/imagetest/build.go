package imagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/verdict"
)

// BuildSpec says what to build.
type BuildSpec struct {
	// Context is the build context directory.
	Context string
	// Dockerfile is the Dockerfile's path relative to Context; "Dockerfile" when empty.
	Dockerfile string
	// Repo and Tag name the image; derived from Context and Dockerfile when empty.
	Repo, Tag string
	// Lesson is stored in the image's workshop.lesson label (e.g. "03-multi-stage").
	Lesson string
	// BuildArgs are passed as --build-arg.
	BuildArgs map[string]string
	// Platform is the target platform (--platform), e.g. "linux/arm64"; the daemon's own
	// when empty.
	Platform string
	// Target is the stage to build (--target); the last one when empty.
	Target string
	// NoCache builds without the layer cache (for measuring cold builds).
	NoCache bool
	// SharedGoCache mounts Go's build cache, shared by every build that sets it, into each
	// RUN that calls the go command (withGoCache). For the course's own fixtures only, whose
	// verdicts count, not how long they compile: never a student's build, a reference whose
	// build is measured, or a check of what the build cache keeps. BuildKit only.
	SharedGoCache bool
}

// Image is a built image.
type Image struct {
	Ref       string        // repo:tag
	ID        string        // sha256:…
	BuildTime time.Duration // how long this process spent building it (0 when reused)
	Builder   string        // BuilderBuildKit or BuilderLegacy
	// Steps are the build's steps as BuildKit reported them (nil for the legacy builder).
	Steps []BuildStep
	// Note says what the harness did differently from a plain `docker build`, if anything
	// (the legacy builder, a `# syntax=` directive left out offline).
	Note string
	Log  string // the build log: BuildKit's plain progress, or the legacy builder's output
}

// BuildError is a failed build: the facts of where and why it stopped. What to do about it
// is up to the layer that talks to the student (lessoncheck turns a BuildError into its
// message and hint); imagetest itself gives no advice.
type BuildError struct {
	Dockerfile string
	Step       string // as the builder names it, e.g. "[builder 3/4] RUN go build -o server server.go"
	// Instruction is the failing step's Dockerfile instruction, e.g. "RUN go build -o server
	// server.go" or "FROM golang:1.26-bookworm" for a base image that could not be resolved;
	// "" when unknown.
	Instruction string
	Line        int    // the step's line in the Dockerfile, 0 when unknown
	Cause       string // the builder's error message
	Tail        string // the last lines of the failing step's output (or of the build log)
}

// Message describes the failure: the Dockerfile, the failing step and its
// line, the builder's message and the end of the step's output.
func (e *BuildError) Message() string {
	var b strings.Builder
	fmt.Fprintf(&b, "образ из %s не собрался", e.Dockerfile)
	if e.Step != "" {
		fmt.Fprintf(&b, " на шаге %s", e.Step)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " (строка %d)", e.Line)
	}
	fmt.Fprintf(&b, ":\n%s", indent(e.Cause))
	if e.Tail != "" {
		fmt.Fprintf(&b, "\nПоследние строки вывода этого шага:\n%s", indent(e.Tail))
	}
	return b.String()
}

// Error is Message: the facts. The hint for them is the checks' (lessoncheck.BuildFailure).
func (e *BuildError) Error() string { return e.Message() }

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

type buildResult struct {
	done chan struct{}
	img  *Image
	err  error
	// stopped: the build ended because its caller's context was cancelled or ran out. Such
	// a result says nothing about the Dockerfile; it is not remembered, and callers that
	// waited for it build again.
	stopped bool
}

var (
	buildsMu sync.Mutex
	builds   = map[string]*buildResult{}
	// runBuild is the build that Build runs and remembers; tests of the cache replace it.
	runBuild = build
)

// Build builds the image once per process for each spec; later calls return the same image.
// A failed build returns a *BuildError; a missing daemon an error wrapping ErrNoDocker. A
// build stopped by its caller's context is not remembered: the next call builds again.
func Build(ctx context.Context, spec BuildSpec) (*Image, error) {
	spec, err := normalize(spec)
	if err != nil {
		return nil, err
	}
	key := buildKey(spec)
	for {
		buildsMu.Lock()
		r, ok := builds[key]
		if !ok {
			r = &buildResult{done: make(chan struct{})}
			builds[key] = r
			buildsMu.Unlock()
			r.img, r.err = runBuild(ctx, spec)
			r.stopped = r.err != nil && stoppedByContext(ctx, r.err)
			if r.stopped {
				buildsMu.Lock()
				delete(builds, key)
				buildsMu.Unlock()
			}
			close(r.done) // after the delete: a waiter that wakes up finds no stale entry
			return r.img, r.err
		}
		buildsMu.Unlock()
		select {
		case <-r.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if r.stopped {
			continue // that caller gave up; build for this one
		}
		return r.img, r.err
	}
}

// stoppedByContext reports whether a failed build ended because of its context rather than
// its Dockerfile. The error does not always wrap ctx.Err(): a ping cut short comes back as
// ErrNoDocker, and the daemon reports a cancelled build in its own words. So the context
// itself decides; an error that does wrap a context error (a deadline inside the build)
// counts too.
func stoppedByContext(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// buildKey identifies a normalized spec in the cache of Build.
func buildKey(spec BuildSpec) string {
	// fmt prints a map's keys sorted: equal BuildArgs give equal keys.
	return fmt.Sprint(spec.Context, "|", spec.Dockerfile, "|", spec.Repo, ":", spec.Tag, "|", spec.BuildArgs, "|",
		spec.Platform, "|", spec.Target, "|", spec.NoCache)
}

// Rebuild always runs the build, even if this process built the spec before: for benchmarks
// that time repeated builds. Tests use Build.
func Rebuild(ctx context.Context, spec BuildSpec) (*Image, error) {
	spec, err := normalize(spec)
	if err != nil {
		return nil, err
	}
	return build(ctx, spec)
}

func normalize(spec BuildSpec) (BuildSpec, error) {
	abs, err := filepath.Abs(spec.Context)
	if err != nil {
		return spec, fmt.Errorf("контекст сборки %q: %w", spec.Context, err)
	}
	spec.Context = abs
	if spec.Dockerfile == "" {
		spec.Dockerfile = "Dockerfile"
	}
	if _, err := os.Stat(filepath.Join(abs, spec.Dockerfile)); err != nil {
		return spec, verdict.Failf("проверьте имя и путь Dockerfile", "нет файла %s в контексте сборки %s", spec.Dockerfile, abs)
	}
	if spec.Repo == "" {
		spec.Repo = "workshop/" + slug(filepath.Base(abs))
	}
	if spec.Tag == "" {
		spec.Tag = spec.Dockerfile
	}
	spec.Tag = slug(spec.Tag)
	return spec, nil
}

var nonTag = regexp.MustCompile(`[^a-z0-9_.-]+`)

// slug turns a path into something valid in an image name or tag.
func slug(s string) string {
	s = nonTag.ReplaceAllString(strings.ToLower(s), "-")
	s = strings.Trim(s, "-.")
	if s == "" {
		return "image"
	}
	return s
}

func build(ctx context.Context, spec BuildSpec) (*Image, error) {
	cli, err := dockerClient(ctx)
	if err != nil {
		return nil, err
	}
	ref := spec.Repo + ":" + spec.Tag
	previous := imageID(ctx, cli, ref)
	builder, why := chooseBuilder(ctx, cli)
	start := time.Now()
	var img *Image
	if builder == BuilderBuildKit {
		img, err = buildWithBuildKit(ctx, cli, spec, ref)
	} else {
		img, err = buildLegacy(ctx, spec, ref)
		if img != nil {
			img.Note = why
		}
	}
	if err != nil {
		return nil, err
	}
	img.BuildTime = time.Since(start)
	if img.ID == "" {
		img.ID = imageID(ctx, cli, ref)
	}
	if previous != "" && previous != img.ID {
		// The tag moved to the new image: drop the old one so it does not linger as <none>.
		// It may still be used by a container; then Docker refuses and that is fine.
		_, _ = cli.ImageRemove(ctx, previous, client.ImageRemoveOptions{PruneChildren: true})
	}
	return img, nil
}

// chooseBuilder picks BuildKit unless WORKSHOP_BUILDER=legacy asks otherwise or the engine
// has none (Windows containers). The reason is returned when it is not BuildKit.
func chooseBuilder(ctx context.Context, cli client.APIClient) (string, string) {
	if strings.EqualFold(os.Getenv("WORKSHOP_BUILDER"), BuilderLegacy) {
		return BuilderLegacy, "собрано классическим сборщиком (legacy builder), как просит WORKSHOP_BUILDER=legacy; " +
			"Docker Desktop и Docker Engine 23+ собирают BuildKit"
	}
	if p, err := cli.Ping(ctx, client.PingOptions{}); err == nil && p.OSType == "windows" {
		return BuilderLegacy, "собрано классическим сборщиком: у Docker с контейнерами Windows нет BuildKit"
	}
	return BuilderBuildKit, ""
}

func buildWithBuildKit(ctx context.Context, cli client.APIClient, spec BuildSpec, ref string) (*Image, error) {
	progress := buildProgress(ctx, ref)
	run := func(strip, current bool) (*Image, error) {
		df, stripped, err := withoutSyntax(spec, strip)
		if err != nil {
			return nil, err
		}
		defer df.cleanup()
		spec := spec
		if current && !df.directive {
			spec.BuildArgs = withCurrentFrontend(spec.BuildArgs)
		}
		id, trace, err := buildKit(ctx, cli, spec, ref, df, progress)
		img := &Image{Ref: ref, ID: id, Builder: BuilderBuildKit}
		if trace != nil {
			img.Steps, img.Log = trace.Steps(), trace.String()
		}
		if stripped {
			img.Note = "директива # syntax= пропущена: образ фронтенда из неё не скачать без реестра, " +
				"собрано фронтендом Dockerfile, который есть на этой машине"
		}
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return nil, err
			}
			if isNoDocker(err) {
				return nil, noDocker(err)
			}
			return img, buildKitError(spec, trace, err)
		}
		return img, nil
	}
	// Docker 20.10's built-in Dockerfile frontend predates heredocs and other syntax that
	// Docker 23+ and Docker Desktop understand: there the current frontend image builds
	// (BUILDKIT_SYNTAX), unless the Dockerfile names its own with a `# syntax=` line.
	current := oldFrontend(ctx, cli)
	img, err := run(false, current)
	var be *BuildError
	for _, retry := range []struct{ strip, current bool }{{true, current}, {true, false}} {
		if !errors.As(err, &be) || !frontendUnreachable(errors.New(be.Cause)) {
			break
		}
		// Offline: leave out the frontend image that could not be fetched.
		img, err = run(retry.strip, retry.current)
	}
	if err != nil {
		return nil, err
	}
	return img, nil
}

// withCurrentFrontend adds BUILDKIT_SYNTAX=CurrentFrontend to build args that do not set it.
func withCurrentFrontend(args map[string]string) map[string]string {
	out := maps.Clone(args)
	if out == nil {
		out = map[string]string{}
	}
	if _, set := out["BUILDKIT_SYNTAX"]; !set {
		out["BUILDKIT_SYNTAX"] = CurrentFrontend
	}
	return out
}

// CurrentFrontend is the Dockerfile frontend image that Docker's documentation names in
// `# syntax=` lines.
const CurrentFrontend = "docker/dockerfile:1"

var (
	frontendOnce sync.Once
	frontendOld  bool
)

// oldFrontend reports whether the engine's built-in Dockerfile frontend is older than the
// one of Docker Engine 23, the first that builds with BuildKit by default.
func oldFrontend(ctx context.Context, cli client.APIClient) bool {
	frontendOnce.Do(func() {
		v, err := cli.ServerVersion(ctx, client.ServerVersionOptions{})
		if err != nil {
			return
		}
		major, _, _ := strings.Cut(v.Version, ".")
		n, err := strconv.Atoi(major)
		frontendOld = err == nil && n < 23
	})
	return frontendOld
}

// buildKitError names the failing step as BuildKit does, its instruction and Dockerfile
// line, and the end of its output.
func buildKitError(spec BuildSpec, trace *Trace, err error) *BuildError {
	e := &BuildError{Dockerfile: spec.Dockerfile, Cause: cleanCause(err.Error())}
	var failed *BuildStep
	if trace != nil {
		failed = trace.Failed()
	}
	f, _ := dockerfile.Parse(filepath.Join(spec.Context, spec.Dockerfile))
	if failed != nil {
		if ref, ok := strings.CutPrefix(failed.Name, "[internal] load metadata for "); ok && f != nil {
			// The base image could not be resolved: name the FROM that asks for it.
			for _, st := range f.Stages {
				if sameImage(st.Base, ref) || sameImage(f.BaseImage(st), ref) {
					failed = &BuildStep{Name: "FROM " + st.Base, Error: failed.Error, Log: failed.Log}
					e.Line = st.Line
					break
				}
			}
		}
		e.Step = failed.Name
		e.Instruction = failed.Instruction()
		e.Tail = tail(strings.TrimRight(string(failed.Log), "\n"), 12)
		if stage, k, _, ok := failed.Position(); ok && f != nil {
			e.Line = f.StepLine(stage, k, e.Instruction)
		}
	}
	if e.Line == 0 {
		e.Line = causeLine(e.Cause)
	}
	return e
}

// sameImage reports whether a FROM reference and BuildKit's normalized name ("docker.io/library/golang:1.26")
// name the same image.
func sameImage(from, normalized string) bool {
	if from == "" {
		return false
	}
	n := strings.TrimPrefix(normalized, "docker.io/")
	return from == normalized || from == n || "library/"+from == n
}

// causeLine finds a Dockerfile line number in BuildKit's own error text
// ("dockerfile parse error on line 7", "Dockerfile:7").
func causeLine(cause string) int {
	if m := causeLineRE.FindStringSubmatch(cause); m != nil {
		n, _ := strconv.Atoi(m[1] + m[2])
		return n
	}
	return 0
}

var causeLineRE = regexp.MustCompile(`(?i)line (\d+)|dockerfile:(\d+)`)

// buildLegacy builds with the classic builder through testcontainers-go: the fallback for
// engines without BuildKit and for WORKSHOP_BUILDER=legacy.
func buildLegacy(ctx context.Context, spec BuildSpec, ref string) (*Image, error) {
	if spec.Platform != "" {
		return nil, fmt.Errorf("сборка для платформы %s нужна BuildKit, а выбран классический сборщик", spec.Platform)
	}
	if spec.Target != "" {
		return nil, fmt.Errorf("сборка этапа %s нужна BuildKit, а выбран классический сборщик", spec.Target)
	}
	var log bytes.Buffer
	req := testcontainers.ContainerRequest{FromDockerfile: testcontainers.FromDockerfile{
		Context:        spec.Context,
		Dockerfile:     spec.Dockerfile,
		Repo:           spec.Repo,
		Tag:            spec.Tag,
		BuildArgs:      buildArgs(spec.BuildArgs),
		BuildLogWriter: &log,
		KeepImage:      true,
		BuildOptionsModifier: func(o *client.ImageBuildOptions) {
			o.Remove, o.ForceRemove = true, true // no intermediate containers left behind
			o.NoCache = spec.NoCache
			o.Labels = map[string]string{LabelBuilt: "true", LabelLesson: spec.Lesson}
		},
	}}
	if _, err := provider.BuildImage(ctx, &req); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, legacyBuildError(spec.Dockerfile, log.String(), err)
	}
	return &Image{Ref: ref, Builder: BuilderLegacy, Log: log.String()}, nil
}

func imageID(ctx context.Context, cli client.APIClient, ref string) string {
	res, err := cli.ImageInspect(ctx, ref)
	if err != nil {
		return ""
	}
	return res.ID
}

var legacyStep = regexp.MustCompile(`(?m)^Step \d+/\d+ : (.*)$`)

// legacyBuildError reads the classic builder's log: its last "Step N/M : …" line is the
// failing step.
func legacyBuildError(dockerfile, log string, err error) error {
	if errors.Is(err, ErrNoDocker) {
		return err
	}
	e := &BuildError{Dockerfile: dockerfile, Cause: cleanCause(err.Error())}
	if steps := legacyStep.FindAllStringSubmatch(log, -1); len(steps) > 0 {
		last := steps[len(steps)-1]
		e.Step, e.Instruction = last[0], last[1]
	}
	e.Tail = tail(log, 12)
	return e
}

func cleanCause(s string) string {
	s = strings.TrimPrefix(s, "build image: ")
	return strings.TrimSpace(s)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
