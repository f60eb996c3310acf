package imagetest

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGone(t *testing.T) {
	dead := exec.Command("true")
	require.NoError(t, dead.Run())
	deadPID := strconv.Itoa(dead.Process.Pid)

	tests := []struct {
		name   string
		labels map[string]string
		want   bool
	}{
		{"this process", map[string]string{LabelRun: self.label(), LabelRunStart: self.start}, false},
		{"this PID, an earlier process", map[string]string{LabelRun: self.label(), LabelRunStart: self.start + "0"}, true},
		{"the parent, alive", map[string]string{LabelRun: strconv.Itoa(os.Getppid()) + "@" + self.host, LabelRunStart: processStart(os.Getppid())}, false},
		{"the parent's PID, reused", map[string]string{LabelRun: strconv.Itoa(os.Getppid()) + "@" + self.host, LabelRunStart: "1"}, processStart(os.Getppid()) != ""},
		{"a process that ended", map[string]string{LabelRun: deadPID + "@" + self.host}, true},
		{"another host", map[string]string{LabelRun: deadPID + "@elsewhere.example"}, false},
		{"no label", map[string]string{LabelTest: "true"}, false},
		{"garbage", map[string]string{LabelRun: "x@" + self.host}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, gone(tt.labels))
		})
	}
}

func TestDurationRU(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second: "30 с", 1500 * time.Millisecond: "1,5 с", 2 * time.Minute: "2 мин", 90 * time.Second: "90 с",
	} {
		assert.Equal(t, want, durationRU(d))
	}
}

var (
	fixtureOnce sync.Once
	fixtureBin  string
	fixtureErr  error
)

// fixture builds testdata/reap, a program that starts a container as the checks do.
func fixture(t *testing.T) string {
	t.Helper()
	fixtureOnce.Do(func() {
		dir, err := os.MkdirTemp("", "workshop-reap-bin-")
		if err != nil {
			fixtureErr = err
			return
		}
		fixtureBin = filepath.Join(dir, "reap")
		out, err := exec.Command("go", "build", "-o", fixtureBin, "./testdata/reap").CombinedOutput()
		if err != nil {
			fixtureErr = errors.New(string(out))
		}
	})
	if fixtureErr != nil {
		t.Fatalf("build testdata/reap: %v", fixtureErr)
	}
	return fixtureBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureBin != "" {
		os.RemoveAll(filepath.Dir(fixtureBin))
	}
	os.Exit(code)
}

// child is a running fixture and the lines it printed.
type child struct {
	cmd   *exec.Cmd
	lines chan string
	label string
	done  chan struct{}
	err   error
	mu    sync.Mutex
	errs  strings.Builder
}

func startFixture(t *testing.T, env []string, args ...string) *child {
	t.Helper()
	requireDocker(t)
	cmd := exec.Command(fixture(t), args...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	c := &child{cmd: cmd, lines: make(chan string, 16), done: make(chan struct{})}
	cmd.Stderr = writerFunc(func(p []byte) (int, error) {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.errs.Write(p)
	})
	require.NoError(t, cmd.Start())
	host, _ := os.Hostname()
	c.label = strconv.Itoa(cmd.Process.Pid) + "@" + host
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
		c.err = cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-c.done
		removeByLabel(c.label) // whatever the test found, leave nothing behind
	})
	return c
}

func (c *child) stderr() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.errs.String()
}

// expect waits, generously, for a line that starts with prefix and returns the rest.
func (c *child) expect(t *testing.T, prefix string) string {
	t.Helper()
	deadline := time.After(3 * time.Minute)
	for {
		select {
		case line, ok := <-c.lines:
			if !ok {
				<-c.done
				t.Fatalf("the fixture ended (%v) before printing %q; stderr:\n%s", c.err, prefix, c.stderr())
			}
			if rest, found := strings.CutPrefix(line, prefix+" "); found {
				return rest
			}
		case <-deadline:
			t.Fatalf("the fixture did not print %q within 3 min; stderr:\n%s", prefix, c.stderr())
		}
	}
}

// wait waits for the fixture to exit and returns its exit code.
func (c *child) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(limit):
		t.Fatalf("the fixture did not exit within %s; stderr:\n%s", limit, c.stderr())
	}
	var exit *exec.ExitError
	if errors.As(c.err, &exit) {
		return exit.ExitCode()
	}
	return 0
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func requireDocker(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := dockerClient(ctx); err != nil {
		t.Fatalf("these tests run real containers and need Docker: %v", err)
	}
	if _, err := Existing(ctx, "debian:bullseye-slim"); err != nil {
		t.Fatalf("no base image, run make images: %v", err)
	}
}

// containers lists the IDs of containers with the run label, running or not, through the
// docker CLI: what a student would see.
func containers(t *testing.T, label string) []string {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-aq", "--filter", "label="+LabelRun+"="+label).Output()
	require.NoError(t, err)
	return strings.Fields(string(out))
}

func removeByLabel(label string) {
	out, _ := exec.Command("docker", "ps", "-aq", "--filter", "label="+LabelRun+"="+label).Output()
	if ids := strings.Fields(string(out)); len(ids) > 0 {
		_ = exec.Command("docker", append([]string{"rm", "-f"}, ids...)...).Run()
	}
}

func TestInterruptRemovesTheRunsContainers(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		sig  syscall.Signal
	}{
		{"SIGINT while the container runs", nil, syscall.SIGINT},
		{"SIGTERM while the container runs", nil, syscall.SIGTERM},
		{"SIGINT while Run waits for the server", []string{"wait"}, syscall.SIGINT},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := startFixture(t, nil, tt.args...)
			temp := c.expect(t, "temp")
			if len(tt.args) > 0 {
				c.expect(t, "starting")
				waitFor(t, func() bool { return len(runningContainers(t, c.label)) > 0 }, "the container runs")
			} else {
				id := c.expect(t, "ready")
				assert.Contains(t, strings.Join(containers(t, c.label), " "), id[:12], "the container carries the run label")
			}
			require.NoError(t, c.cmd.Process.Signal(tt.sig))
			assert.Equal(t, 128+int(tt.sig), c.wait(t, time.Minute), "the conventional exit code; stderr:\n%s", c.stderr())
			assert.Empty(t, containers(t, c.label), "no container of the run is left")
			_, err := os.Stat(temp)
			assert.True(t, os.IsNotExist(err), "the run's temporary directory %s is removed", temp)
		})
	}
}

func runningContainers(t *testing.T, label string) []string {
	out, err := exec.Command("docker", "ps", "-q", "--filter", "label="+LabelRun+"="+label, "--filter", "status=running").Output()
	require.NoError(t, err)
	return strings.Fields(string(out))
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 3 min: %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestNextRunRemovesContainersOfAKilledRun(t *testing.T) {
	c := startFixture(t, nil)
	temp := c.expect(t, "temp")
	defer os.RemoveAll(temp) // SIGKILL leaves no chance to remove it
	c.expect(t, "ready")
	require.NoError(t, c.cmd.Process.Kill())
	c.wait(t, time.Minute)
	require.Len(t, containers(t, c.label), 1, "a killed run could not remove its container")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n, err := ReapStale(ctx)
	require.NoError(t, err)
	// Every process of the harness reaps before its first container: in make test another
	// package may be removing this container already, and then this reap finds it in removal
	// (n = 0) and it is gone a moment later. Alone, only this reap can remove it.
	waitFor(t, func() bool { return len(containers(t, c.label)) == 0 }, "the next run removes the killed run's container")
	if n == 0 {
		t.Log("another process of the harness removed it first")
	}
}

// TestDaemonGoneDuringStart cuts the fixture's connection to Docker (a proxy socket that the
// test closes, as if dockerd died) while Run waits for the server: the run ends within
// seconds with a Russian message, not at the 5-minute startup limit and not with a panic.
func TestDaemonGoneDuringStart(t *testing.T) {
	requireDocker(t)
	real := "/var/run/docker.sock"
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		real = strings.TrimPrefix(h, "unix://")
		if real == h {
			t.Skip("DOCKER_HOST is not a unix socket")
		}
	}
	sock := filepath.Join(t.TempDir(), "docker.sock")
	p := newProxy(t, sock, real)
	c := startFixture(t, []string{"DOCKER_HOST=unix://" + sock}, "wait")
	c.expect(t, "starting")
	waitFor(t, func() bool { return len(runningContainers(t, c.label)) > 0 }, "the container runs")
	time.Sleep(500 * time.Millisecond) // Run is in its wait for GET /healthz
	p.close()

	start := time.Now()
	code := c.wait(t, 45*time.Second)
	took := time.Since(start)
	stderr := c.stderr()
	assert.Equal(t, 1, code, "stderr:\n%s", stderr)
	assert.Less(t, took, 30*time.Second, "the run ends soon after the daemon is gone")
	assert.Contains(t, stderr, "docker не отвечает")
	assert.Contains(t, stderr, "Подсказка:")
	assert.NotContains(t, stderr, "goroutine ")
	assert.NotContains(t, stderr, "panic")
}

// proxy forwards a unix socket to the daemon's until close, which also cuts every open
// connection and removes the socket file.
type proxy struct {
	l     net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newProxy(t *testing.T, sock, target string) *proxy {
	l, err := net.Listen("unix", sock)
	require.NoError(t, err)
	p := &proxy{l: l}
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("unix", target)
			if err != nil {
				in.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, in, out)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(out, in); out.Close() }()
			go func() { _, _ = io.Copy(in, out); in.Close() }()
		}
	}()
	t.Cleanup(p.close)
	return p
}

func (p *proxy) close() {
	p.l.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestExitMeaning(t *testing.T) {
	for _, tt := range []struct {
		code int
		text string
		want string
	}{
		{127, "", "нет в образе по этому пути"},
		{128, `exec: "/bin/sh": stat /bin/sh: no such file or directory`, "не работает shell-форма"},
		{1, "exec format error", "другой архитектуры"},
		{126, "", "нет права на выполнение"},
		{0, "", "должен работать, пока его не остановят"},
		{2, "", "в журнале контейнера"},
		{1, "./server: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by ./server)", "CGO_ENABLED=0"},
	} {
		assert.Contains(t, exitMeaning(tt.code, tt.text), tt.want, "code %d", tt.code)
	}
}
