// Package imagetest builds Docker images from a Dockerfile, starts containers from them and
// inspects both, for the workshop's tests. It wraps testcontainers-go and the Docker API so
// that a test says what it checks, not how containers start.
//
// Built images keep one fixed tag per (context, Dockerfile), so a warm rerun reuses the
// build cache and a changed build replaces the old image instead of piling up dangling ones.
// Containers are always removed, even when a test fails.
package imagetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/moby/moby/client"

	"github.com/go-docker-workshop/workshop/internal/verdict"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// Labels put on everything the harness creates, so `make clean` can find leftovers.
const (
	LabelBuilt  = "workshop.built"
	LabelLesson = "workshop.lesson"
	LabelTest   = "workshop.test"
)

func init() {
	configureEnvironment()
	// testcontainers logs every container event; the checks print what matters themselves.
	if os.Getenv("WORKSHOP_VERBOSE") == "" {
		tclog.SetDefault(stdlog.New(io.Discard, "", 0))
	}
}

// configureEnvironment makes testcontainers-go work on machines without a registry and
// inside containers. Ryuk (the reaper) is an image that has to be pulled, so it is off:
// the harness removes its containers itself. When Docker is local (no DOCKER_HOST or a
// unix socket), containers are reached through localhost: testcontainers would otherwise
// guess the default gateway when it sees /.dockerenv.
func configureEnvironment() {
	if os.Getenv("TESTCONTAINERS_RYUK_DISABLED") == "" {
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	if os.Getenv("TESTCONTAINERS_HOST_OVERRIDE") == "" && localDocker(os.Getenv("DOCKER_HOST")) {
		os.Setenv("TESTCONTAINERS_HOST_OVERRIDE", "localhost")
	}
}

// localDocker reports whether DOCKER_HOST points to this machine's daemon through a socket.
func localDocker(dockerHost string) bool {
	if dockerHost == "" {
		return true
	}
	u, err := url.Parse(dockerHost)
	return err == nil && (u.Scheme == "unix" || u.Scheme == "npipe")
}

var (
	providerOnce sync.Once
	provider     *testcontainers.DockerProvider
	providerErr  error
)

// ErrNoDocker is wrapped by every error caused by a daemon that does not answer.
var ErrNoDocker = errors.New("docker не отвечает")

// dockerClient returns a client for the daemon, or an error that tells the student how to
// start one.
func dockerClient(ctx context.Context) (client.APIClient, error) { return Client(ctx) }

// Client returns the one Docker client of the process, shared by the harness, the bench and
// the lessons, after a ping; its errors wrap ErrNoDocker and say how to start a daemon. The
// client lives as long as the process: do not close it.
func Client(ctx context.Context) (client.APIClient, error) {
	providerOnce.Do(func() {
		provider, providerErr = testcontainers.NewDockerProvider()
	})
	if providerErr != nil {
		return nil, noDocker(providerErr)
	}
	cli := provider.Client()
	if _, err := cli.Ping(ctx, client.PingOptions{}); err != nil {
		return nil, noDocker(err)
	}
	return cli, nil
}

// noDocker is a daemon that does not answer, as a Problem that wraps ErrNoDocker.
func noDocker(cause error) error {
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return verdict.Wrapf(ErrNoDocker, "уберите DOCKER_HOST (unset DOCKER_HOST), чтобы работать с локальным Docker, "+
			"или запустите движок, который он называет",
			"%v: демон по адресу DOCKER_HOST=%s недоступен (%s)", ErrNoDocker, h, firstLine(cause.Error()))
	}
	return verdict.Wrapf(ErrNoDocker, "запустите Docker командой `make docker` "+
		"(на Debian/Ubuntu от root она сама установит и запустит dockerd) и проверьте `docker info`",
		"%v: локальный демон недоступен (%s)", ErrNoDocker, firstLine(cause.Error()))
}

// prefixed is err with words put before what it says; its hint stays the hint, and err stays
// the cause for errors.Is.
func prefixed(err error, format string, args ...any) error {
	p := verdict.As(err)
	return &verdict.Problem{What: fmt.Sprintf(format, args...) + p.What, Hint: p.Hint, Err: err}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// isNoDocker reports whether err means the daemon did not answer at all.
func isNoDocker(err error) bool {
	if errors.Is(err, ErrNoDocker) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "Cannot connect to the Docker daemon") || strings.Contains(s, "cannot connect to the Docker daemon") ||
		strings.Contains(s, "dial unix") && (strings.Contains(s, "connection refused") || strings.Contains(s, "no such file or directory"))
}
