package imagetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tcexec "github.com/testcontainers/testcontainers-go/exec"
	"github.com/testcontainers/testcontainers-go/wait"
)

// RunOptions say how to start a container. The zero value starts the image's own command,
// publishes port 8080 and waits until GET /healthz answers 200.
type RunOptions struct {
	Port       string            // container port, "8080/tcp" when empty
	ReadyPath  string            // path polled until it answers 200, "/healthz" when empty
	Env        map[string]string // extra environment
	Cmd        []string          // replaces the image's CMD when set
	StartupMax time.Duration     // how long to wait for readiness, 30 s when zero
	NoWait     bool              // start without waiting for HTTP (for images expected to fail)
}

// Container is a running container of an image.
type Container struct {
	ctr     *testcontainers.DockerContainer
	BaseURL string        // http://localhost:<mapped port>
	Ready   time.Duration // from start request to the first 200 on ReadyPath
}

// Run starts a container. The caller must Terminate it, also when Run returns an error
// together with a non-nil container (it may exist but never became ready).
func (img *Image) Run(ctx context.Context, opts RunOptions) (*Container, error) {
	if _, err := dockerClient(ctx); err != nil {
		return nil, err
	}
	if opts.Port == "" {
		opts.Port = "8080/tcp"
	}
	if opts.ReadyPath == "" {
		opts.ReadyPath = "/healthz"
	}
	if opts.StartupMax == 0 {
		opts.StartupMax = 30 * time.Second
	}
	custom := []testcontainers.ContainerCustomizer{
		testcontainers.WithExposedPorts(opts.Port),
		testcontainers.WithLabels(map[string]string{LabelTest: "true"}),
	}
	if len(opts.Env) > 0 {
		custom = append(custom, testcontainers.WithEnv(opts.Env))
	}
	if len(opts.Cmd) > 0 {
		custom = append(custom, testcontainers.WithCmd(opts.Cmd...))
	}
	if !opts.NoWait {
		// An HTTP probe from outside: wait.ForListeningPort would need /bin/sh inside.
		custom = append(custom, testcontainers.WithWaitStrategy(
			wait.ForHTTP(opts.ReadyPath).WithPort(opts.Port).
				WithStartupTimeout(opts.StartupMax).WithPollInterval(50*time.Millisecond)))
	}
	start := time.Now()
	ctr, err := testcontainers.Run(ctx, img.Ref, custom...)
	c := &Container{ctr: ctr, Ready: time.Since(start)}
	if ctr == nil {
		c = nil
	}
	if err != nil {
		return c, c.startError(ctx, img, opts, err)
	}
	host, err := ctr.Host(ctx)
	if err != nil {
		return c, fmt.Errorf("host of %s: %w", img.Ref, err)
	}
	port, err := ctr.MappedPort(ctx, opts.Port)
	if err != nil {
		return c, fmt.Errorf("mapped port %s of %s: %w", opts.Port, img.Ref, err)
	}
	c.BaseURL = fmt.Sprintf("http://%s:%s", host, port.Port())
	return c, nil
}

// startError explains a container that did not become ready, with its exit code and logs.
func (c *Container) startError(ctx context.Context, img *Image, opts RunOptions, err error) error {
	var b strings.Builder
	fmt.Fprintf(&b, "контейнер из образа %s не ответил 200 на GET %s за %s", img.Ref, opts.ReadyPath, opts.StartupMax)
	if c != nil {
		if st, ierr := c.ctr.State(ctx); ierr == nil && !st.Running {
			fmt.Fprintf(&b, ": процесс завершился с кодом %d", st.ExitCode)
			if st.Error != "" {
				fmt.Fprintf(&b, " (%s)", st.Error)
			}
		}
		if logs := c.Logs(ctx); logs != "" {
			fmt.Fprintf(&b, "\nЖурнал контейнера:\n%s", indent(tail(logs, 10)))
		}
	}
	fmt.Fprintf(&b, "\nПричина: %s", firstLine(err.Error()))
	return errors.New(b.String())
}

// Response is an HTTP answer of a container.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

var httpClient = &http.Client{Timeout: 5 * time.Second}

// Do sends a request with the given method to a path of the container.
func (c *Container) Do(ctx context.Context, method, path string) (Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, nil)
	if err != nil {
		return Response{}, err
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return Response{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Response{}, fmt.Errorf("%s %s: read body: %w", method, path, err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}, nil
}

// Get sends GET path to the container.
func (c *Container) Get(ctx context.Context, path string) (Response, error) {
	return c.Do(ctx, http.MethodGet, path)
}

// Exec runs a command in the container and returns its exit code and combined output.
// In an image without the program (e.g. no shell in scratch) it returns an error or
// a non-zero code, as the runtime reports it.
func (c *Container) Exec(ctx context.Context, cmd ...string) (int, string, error) {
	code, r, err := c.ctr.Exec(ctx, cmd, tcexec.Multiplexed())
	if err != nil {
		return code, "", err
	}
	out, err := io.ReadAll(r)
	return code, string(out), err
}

// Logs returns what the container printed so far, or "" when it can't be read.
func (c *Container) Logs(ctx context.Context) string {
	rc, err := c.ctr.Logs(ctx)
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return string(b)
}

// StopResult says how a container stopped.
type StopResult struct {
	Took     time.Duration
	ExitCode int
}

// Stop sends the image's stop signal (SIGTERM unless STOPSIGNAL says otherwise) and waits up
// to timeout before Docker kills the process, as `docker stop -t` does.
func (c *Container) Stop(ctx context.Context, timeout time.Duration) (StopResult, error) {
	start := time.Now()
	if err := c.ctr.Stop(ctx, &timeout); err != nil {
		return StopResult{}, fmt.Errorf("stop: %w", err)
	}
	res := StopResult{Took: time.Since(start)}
	st, err := c.ctr.State(ctx)
	if err != nil {
		return res, fmt.Errorf("state after stop: %w", err)
	}
	res.ExitCode = st.ExitCode
	return res, nil
}

// Terminate removes the container. It is safe on a nil container.
func (c *Container) Terminate(ctx context.Context) error {
	if c == nil || c.ctr == nil {
		return nil
	}
	return c.ctr.Terminate(context.WithoutCancel(ctx))
}

// ID is the container's ID.
func (c *Container) ID() string { return c.ctr.GetContainerID() }

// Inspect returns all that Docker reports of the container: its state, including the status
// and probe log of a HEALTHCHECK, and its config.
func (c *Container) Inspect(ctx context.Context) (container.InspectResponse, error) {
	cli, err := dockerClient(ctx)
	if err != nil {
		return container.InspectResponse{}, err
	}
	res, err := cli.ContainerInspect(ctx, c.ID(), client.ContainerInspectOptions{})
	if err != nil {
		return container.InspectResponse{}, fmt.Errorf("docker inspect %s: %w", c.ID(), err)
	}
	return res.Container, nil
}

// State is the container's process state as Docker reports it.
type State struct {
	Running  bool
	ExitCode int
	Error    string // the runtime's error, e.g. when the entrypoint can't be executed
}

// State reports whether the container still runs and how it ended.
func (c *Container) State(ctx context.Context) (State, error) {
	st, err := c.ctr.State(ctx)
	if err != nil {
		return State{}, fmt.Errorf("state: %w", err)
	}
	return State{Running: st.Running, ExitCode: st.ExitCode, Error: st.Error}, nil
}

// Memory returns the container's current memory use in bytes as `docker stats` shows it:
// usage without the page cache (inactive_file on cgroup v2, cache on v1).
func (c *Container) Memory(ctx context.Context) (uint64, error) {
	cli, err := dockerClient(ctx)
	if err != nil {
		return 0, err
	}
	res, err := cli.ContainerStats(ctx, c.ID(), client.ContainerStatsOptions{Stream: false})
	if err != nil {
		return 0, fmt.Errorf("stats: %w", err)
	}
	defer res.Body.Close()
	var st container.StatsResponse
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil {
		return 0, fmt.Errorf("stats: %w", err)
	}
	m := st.MemoryStats
	cache := m.Stats["inactive_file"]
	if v, ok := m.Stats["total_inactive_file"]; ok {
		cache = v
	}
	if cache > m.Usage {
		return m.Usage, nil
	}
	return m.Usage - cache, nil
}
