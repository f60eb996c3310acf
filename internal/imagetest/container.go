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

	"github.com/go-docker-workshop/workshop/internal/ru"
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
	// Hardened runs the container as production should: a read-only root filesystem, no
	// capabilities, no privilege gain through setuid or file capabilities
	// (--read-only --cap-drop=ALL --security-opt no-new-privileges).
	Hardened bool
	// HealthInterval runs the image's HEALTHCHECK every HealthInterval instead of its own
	// --interval, as docker run --health-interval does: Docker keeps the image's command,
	// timeout, start period and retries. Zero keeps the image's interval.
	HealthInterval time.Duration
}

// HardenedFlags are the docker run flags of RunOptions.Hardened, as a student types them.
const HardenedFlags = "--read-only --cap-drop=ALL --security-opt no-new-privileges"

// Container is a running container of an image.
type Container struct {
	ctr     *testcontainers.DockerContainer
	BaseURL string        // http://localhost:<mapped port>
	Ready   time.Duration // from start request to the first 200 on ReadyPath
}

// Bounds on calls to the daemon: a daemon that dies or hangs in the middle of a check ends
// the check within seconds with a message, instead of holding it until a test timeout.
const (
	inspectTimeout = 10 * time.Second // state, logs, inspect, stats
	removeTimeout  = 30 * time.Second // stop and remove
	execTimeout    = 2 * time.Minute
)

// bounded is ctx limited to d; a caller's earlier deadline still wins.
func bounded(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}

// Run starts a container. The caller must Terminate it, also when Run returns an error
// together with a non-nil container (it may exist but never became ready). The container
// carries the labels of this run (LabelRun): an interrupt of the process removes it, and so
// does the next run if this process dies without removing it.
func (img *Image) Run(ctx context.Context, opts RunOptions) (*Container, error) {
	cli, err := dockerClient(ctx)
	if err != nil {
		return nil, err
	}
	prepareContainers(ctx, cli)
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
		testcontainers.WithLabels(runLabels()),
	}
	if len(opts.Env) > 0 {
		custom = append(custom, testcontainers.WithEnv(opts.Env))
	}
	if len(opts.Cmd) > 0 {
		custom = append(custom, testcontainers.WithCmd(opts.Cmd...))
	}
	if opts.Hardened {
		custom = append(custom, testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
			hc.ReadonlyRootfs = true
			hc.CapDrop = []string{"ALL"}
			hc.SecurityOpt = append(hc.SecurityOpt, "no-new-privileges")
		}))
	}
	if opts.HealthInterval > 0 {
		// Docker fills the fields left zero from the image's HEALTHCHECK.
		custom = append(custom, testcontainers.WithConfigModifier(func(c *container.Config) {
			c.Healthcheck = &container.HealthConfig{Interval: opts.HealthInterval}
		}))
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
		holdIfInterrupted()
		return c, c.startError(ctx, img, opts, err)
	}
	hctx, cancel := bounded(ctx, inspectTimeout)
	defer cancel()
	host, err := ctr.Host(hctx)
	if err != nil {
		return c, c.dockerError(hctx, fmt.Errorf("host of %s: %w", img.Ref, err))
	}
	port, err := ctr.MappedPort(hctx, opts.Port)
	if err != nil {
		return c, c.dockerError(hctx, fmt.Errorf("mapped port %s of %s: %w", opts.Port, img.Ref, err))
	}
	c.BaseURL = fmt.Sprintf("http://%s:%s", host, port.Port())
	return c, nil
}

// dockerError turns the error of a call to the daemon into ErrNoDocker's message when the
// daemon no longer answers; other errors are returned as they are.
func (c *Container) dockerError(ctx context.Context, err error) error {
	if err != nil {
		holdIfInterrupted()
	}
	if err == nil || errors.Is(err, ErrNoDocker) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || isNoDocker(err) {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, perr := dockerClient(pctx); perr != nil {
			return prefixed(perr, "Docker перестал отвечать во время проверки: ")
		}
	}
	return err
}

// startError explains a container that did not become ready: what happened (it exited, with
// which code and what that code usually means; or it runs but its port does not answer), its
// state and its log, then the cause testcontainers reported.
func (c *Container) startError(ctx context.Context, img *Image, opts RunOptions, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("запуск контейнера из образа %s прерван: %w", img.Ref, ctx.Err())
	}
	ctx, cancel := bounded(context.WithoutCancel(ctx), inspectTimeout)
	defer cancel()
	if derr := c.dockerError(ctx, err); errors.Is(derr, ErrNoDocker) {
		return prefixed(derr, "контейнер из образа %s: ", img.Ref)
	}
	var b strings.Builder
	if c == nil {
		fmt.Fprintf(&b, "контейнер из образа %s не создан", img.Ref)
		fmt.Fprintf(&b, "\nПричина: %s", firstLine(err.Error()))
		return errors.New(b.String())
	}
	st, serr := c.ctr.State(ctx)
	logs := strings.TrimSpace(c.Logs(ctx))
	switch {
	case serr != nil:
		if derr := c.dockerError(ctx, serr); errors.Is(derr, ErrNoDocker) {
			return prefixed(derr, "контейнер из образа %s: ", img.Ref)
		}
		fmt.Fprintf(&b, "контейнер из образа %s не ответил 200 на GET %s, а его состояние не прочитать: %v",
			img.Ref, opts.ReadyPath, firstLine(serr.Error()))
	case st.Status == "created":
		fmt.Fprintf(&b, "контейнер из образа %s не запустился: Docker не смог выполнить его команду (код %d)", img.Ref, st.ExitCode)
		if why := exitMeaning(st.ExitCode, st.Error+"\n"+err.Error()); why != "" {
			fmt.Fprintf(&b, "\n%s", why)
		}
	case !st.Running:
		fmt.Fprintf(&b, "контейнер из образа %s завершился с кодом %d, не ответив на GET %s", img.Ref, st.ExitCode, opts.ReadyPath)
		if why := exitMeaning(st.ExitCode, st.Error+"\n"+err.Error()+"\n"+logs); why != "" {
			fmt.Fprintf(&b, "\n%s", why)
		}
	default:
		fmt.Fprintf(&b, "контейнер из образа %s работает, но не ответил 200 на GET %s за %s", img.Ref, opts.ReadyPath, durationRU(opts.StartupMax))
		if why := c.probe(ctx, opts); why != "" {
			fmt.Fprintf(&b, "\n%s", why)
		}
	}
	if serr == nil {
		fmt.Fprintf(&b, "\nСостояние контейнера: %s", describeState(string(st.Status), st.Running, st.ExitCode, st.Error))
	}
	if logs != "" {
		fmt.Fprintf(&b, "\nЖурнал контейнера:\n%s", indent(tail(logs, 10)))
	} else {
		b.WriteString("\nЖурнал контейнера пуст: процесс ничего не вывел.")
	}
	fmt.Fprintf(&b, "\nПричина: %s", firstLine(err.Error()))
	return errors.New(b.String())
}

// exitMeaning says what an exit code and the runtime's error usually mean for a server.
func exitMeaning(code int, text string) string {
	low := strings.ToLower(text)
	switch {
	case strings.Contains(text, "GLIBC_"):
		return "бинарник собран с cgo и скомпонован с glibc этапа сборки, а в финальном образе glibc старше " +
			"(или её нет): соберите его с CGO_ENABLED=0 — статическому бинарнику glibc не нужна"
	case strings.Contains(low, "exec format error"):
		return "исполняемый файл не для этой платформы: он собран для другой архитектуры (GOOS/GOARCH) или это вовсе не программа"
	case code == 127 || strings.Contains(low, "no such file or directory") || strings.Contains(low, "executable file not found"):
		return "программы, которую запускают CMD или ENTRYPOINT, нет в образе по этому пути; в образе без оболочки " +
			"не работает shell-форма (/bin/sh), а динамически скомпонованному файлу нужны его библиотеки"
	case code == 126 || strings.Contains(low, "permission denied"):
		return "файл из CMD или ENTRYPOINT нельзя выполнить: у него нет права на выполнение, или это каталог"
	case code == 0:
		return "сервер завершился без ошибки сразу после запуска, а он должен работать, пока его не остановят: " +
			"main не должна возвращаться, пока работает ListenAndServe"
	case code == 137:
		return "процесс убит сигналом SIGKILL (например, контейнеру не хватило памяти)"
	case code == 128:
		return "Docker не смог запустить процесс контейнера: причина ниже"
	}
	return "сервер завершился с ошибкой: почему — в журнале контейнера ниже"
}

// probe asks the container's port once more, after the wait gave up, and says what the
// answer means.
func (c *Container) probe(ctx context.Context, opts RunOptions) string {
	host, err := c.ctr.Host(ctx)
	if err != nil {
		return ""
	}
	port, err := c.ctr.MappedPort(ctx, opts.Port)
	if err != nil {
		return ""
	}
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(pctx, http.MethodGet, fmt.Sprintf("http://%s:%s%s", host, port.Port(), opts.ReadyPath), nil)
	if err != nil {
		return ""
	}
	num, _, _ := strings.Cut(opts.Port, "/")
	resp, err := httpClient.Do(req)
	if err != nil {
		if pctx.Err() != nil {
			return fmt.Sprintf("сервер принимает соединения на порту %s, но не отвечает на запрос за 3 с", num)
		}
		return fmt.Sprintf("на порту %s контейнера никто не отвечает. Сервер должен слушать адрес \":%s\" — все интерфейсы, "+
			"а не \"127.0.0.1:%s\" или \"localhost:%s\": такой адрес внутри контейнера недоступен снаружи, в том числе "+
			"через docker run -p. Проверьте и сам номер порта: %s", num, num, num, num, num)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return fmt.Sprintf("сервер ответил 200 только после %s ожидания: он запускается слишком долго", durationRU(opts.StartupMax))
	}
	return fmt.Sprintf("на GET %s сервер отвечает %d %q, а нужен ответ 200", opts.ReadyPath, resp.StatusCode, strings.TrimSpace(string(body)))
}

func describeState(status string, running bool, code int, runtimeErr string) string {
	var s string
	switch {
	case running:
		s = "работает"
	case status == "created":
		s = "создан, но не запущен"
	default:
		s = fmt.Sprintf("завершён, код выхода %d", code)
	}
	if runtimeErr != "" {
		s += "; ошибка Docker: " + firstLine(runtimeErr)
	}
	return s
}

// durationRU writes a duration the Russian way: "30 с", "1,5 с", "2 мин".
func durationRU(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%d мин", int(d.Minutes()))
	}
	return ru.Number(d.Seconds()) + " с"
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
	ctx, cancel := bounded(ctx, execTimeout)
	defer cancel()
	code, r, err := c.ctr.Exec(ctx, cmd, tcexec.Multiplexed())
	if err != nil {
		return code, "", c.dockerError(ctx, err)
	}
	out, err := io.ReadAll(r)
	return code, string(out), err
}

// Logs returns what the container printed so far, or "" when it can't be read.
func (c *Container) Logs(ctx context.Context) string {
	ctx, cancel := bounded(ctx, inspectTimeout)
	defer cancel()
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
	ctx, cancel := bounded(ctx, timeout+removeTimeout)
	defer cancel()
	start := time.Now()
	if err := c.ctr.Stop(ctx, &timeout); err != nil {
		return StopResult{}, c.dockerError(ctx, fmt.Errorf("stop: %w", err))
	}
	res := StopResult{Took: time.Since(start)}
	st, err := c.ctr.State(ctx)
	if err != nil {
		return res, c.dockerError(ctx, fmt.Errorf("state after stop: %w", err))
	}
	res.ExitCode = st.ExitCode
	return res, nil
}

// terminateStop is how long Terminate lets a container stop before Docker kills it. Terminate
// is cleanup: checks that judge stopping call Stop themselves. testcontainers' default, 10 s,
// made every container that ignores SIGTERM (a `sleep infinity`, a server under sh -c) cost
// ten seconds of waiting at the end of its test.
const terminateStop = time.Second

// Terminate removes the container. It is safe on a nil container.
func (c *Container) Terminate(ctx context.Context) error {
	if c == nil || c.ctr == nil {
		return nil
	}
	ctx, cancel := bounded(context.WithoutCancel(ctx), removeTimeout)
	defer cancel()
	return c.ctr.Terminate(ctx, testcontainers.StopTimeout(terminateStop))
}

// ID is the container's ID.
func (c *Container) ID() string { return c.ctr.GetContainerID() }

// Inspect returns all that Docker reports of the container: its state, including the status
// and probe log of a HEALTHCHECK, and its config.
func (c *Container) Inspect(ctx context.Context) (container.InspectResponse, error) {
	ctx, cancel := bounded(ctx, inspectTimeout)
	defer cancel()
	cli, err := dockerClient(ctx)
	if err != nil {
		return container.InspectResponse{}, err
	}
	res, err := cli.ContainerInspect(ctx, c.ID(), client.ContainerInspectOptions{})
	if err != nil {
		return container.InspectResponse{}, c.dockerError(ctx, fmt.Errorf("docker inspect %s: %w", c.ID(), err))
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
	ctx, cancel := bounded(ctx, inspectTimeout)
	defer cancel()
	st, err := c.ctr.State(ctx)
	if err != nil {
		return State{}, c.dockerError(ctx, fmt.Errorf("state: %w", err))
	}
	return State{Running: st.Running, ExitCode: st.ExitCode, Error: st.Error}, nil
}

// Memory returns the container's current memory use in bytes as `docker stats` shows it:
// usage without the page cache (inactive_file on cgroup v2, cache on v1).
func (c *Container) Memory(ctx context.Context) (uint64, error) {
	ctx, cancel := bounded(ctx, inspectTimeout)
	defer cancel()
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
