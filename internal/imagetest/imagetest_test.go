package imagetest_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

func build(t *testing.T, dockerfile string) *imagetest.Image {
	t.Helper()
	return imagetest.MustBuild(t, imagetest.BuildSpec{Context: "testdata", Dockerfile: dockerfile, Lesson: "harness"})
}

func TestEnvironmentKeepsTrafficOnLoopback(t *testing.T) {
	if h := os.Getenv("DOCKER_HOST"); h != "" && !strings.HasPrefix(h, "unix://") {
		t.Skipf("DOCKER_HOST=%s is remote: containers are reached through it, not localhost", h)
	}
	assert.Equal(t, "localhost", os.Getenv("TESTCONTAINERS_HOST_OVERRIDE"))
	assert.Equal(t, "true", os.Getenv("TESTCONTAINERS_RYUK_DISABLED"))
}

func TestScratchImage(t *testing.T) {
	img := build(t, "scratch.Dockerfile")

	t.Run("metadata", func(t *testing.T) {
		info := img.MustInspect(t)
		assert.Equal(t, []string{"/app"}, info.Config.Entrypoint)
		assert.Equal(t, "65532:65532", info.Config.User)
		assert.Equal(t, []string{"8080/tcp"}, info.Config.ExposedPorts)
		assert.Equal(t, "harness-test", info.Config.Labels["purpose"])
		assert.Equal(t, "harness", info.Config.Labels[imagetest.LabelLesson])
		assert.Equal(t, 1, info.Layers, "scratch plus one COPY is one layer")
		assert.Less(t, info.Size, int64(10<<20), "a stripped static binary on scratch")
		assert.Equal(t, "amd64", info.Architecture)
	})

	t.Run("files through the archive API", func(t *testing.T) {
		var got *imagetest.File
		for _, f := range img.MustFiles(t) {
			if f.Path == "/app" {
				got = &f
			}
			assert.NotEqual(t, "/bin/sh", f.Path, "scratch has no shell")
		}
		require.NotNil(t, got, "/app is in the image")
		assert.True(t, got.Executable())
		data, err := img.ReadFile(context.Background(), "/app")
		require.NoError(t, err)
		assert.Equal(t, "\x7fELF", string(data[:4]))
		_, err = img.ReadFile(context.Background(), "/bin/sh")
		assert.ErrorIs(t, err, imagetest.ErrNotExist)
	})

	t.Run("runs, answers and stops on SIGTERM", func(t *testing.T) {
		c := img.MustRun(t, imagetest.RunOptions{})
		assert.True(t, strings.HasPrefix(c.BaseURL, "http://localhost:"), "traffic stays on loopback: %s", c.BaseURL)
		resp := c.MustGet(t, "/")
		assert.Equal(t, http.StatusOK, resp.Status)
		assert.Equal(t, "hello\n", resp.Body)

		_, _, err := c.Exec(context.Background(), "/bin/sh", "-c", "true")
		code, _, _ := c.Exec(context.Background(), "/bin/sh", "-c", "true")
		assert.True(t, err != nil || code != 0, "exec of a shell must fail in scratch")

		res, err := c.Stop(context.Background(), 10*time.Second)
		require.NoError(t, err)
		assert.Equal(t, 0, res.ExitCode)
		assert.Less(t, res.Took, 5*time.Second, "the server exits on SIGTERM, Docker need not kill it")
	})
}

func TestDebianImage(t *testing.T) {
	img := build(t, "debian.Dockerfile")
	info := img.MustInspect(t)
	assert.Equal(t, "/data", info.Config.WorkingDir)
	v, ok := info.Config.EnvValue("GREETING")
	assert.True(t, ok)
	assert.Equal(t, "hello", v)

	data, err := img.ReadFile(context.Background(), "/data/greeting.txt")
	require.NoError(t, err)
	assert.Equal(t, "hello from the image\n", string(data))

	c := img.MustRun(t, imagetest.RunOptions{NoWait: true})
	code, out, err := c.Exec(context.Background(), "cat", "greeting.txt")
	require.NoError(t, err)
	assert.Equal(t, 0, code)
	assert.Equal(t, "hello from the image\n", out)

	code, _, err = c.Exec(context.Background(), "sh", "-c", "exit 7")
	require.NoError(t, err)
	assert.Equal(t, 7, code)
}

// A failed build reports facts: the step, its instruction, its line, the cause and the
// step's output. The hints that lessoncheck derives from them are tested there.
func TestBuildErrorsSayWhatFailed(t *testing.T) {
	tests := []struct {
		dockerfile  string
		step        string
		instruction string
		inMessage   []string
	}{
		{"failing-run.Dockerfile", "RUN echo", `RUN echo "about to fail" && exit 3`, []string{"на шаге [3/3] RUN echo", "(строка 4)", "exit code: 3", "about to fail"}},
		{"missing-file.Dockerfile", "COPY does-not-exist.go", "COPY does-not-exist.go .", []string{"does-not-exist.go"}},
		{"missing-base.Dockerfile", "FROM workshop-missing", "FROM workshop-missing/base-image:0.0.0", []string{"workshop-missing/base-image"}},
	}
	for _, tt := range tests {
		t.Run(tt.dockerfile, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			_, err := imagetest.Build(ctx, imagetest.BuildSpec{Context: "testdata", Dockerfile: tt.dockerfile})
			var be *imagetest.BuildError
			require.True(t, errors.As(err, &be), "want a *BuildError, got %v", err)
			assert.Contains(t, be.Step, tt.step)
			assert.Equal(t, tt.instruction, be.Instruction)
			for _, s := range tt.inMessage {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

func TestMissingDockerfileIsAClearError(t *testing.T) {
	_, err := imagetest.Build(context.Background(), imagetest.BuildSpec{Context: "testdata", Dockerfile: "nope.Dockerfile"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "нет файла nope.Dockerfile")
}

func TestBuildIsReusedWithinAProcess(t *testing.T) {
	first := build(t, "debian.Dockerfile")
	second := build(t, "debian.Dockerfile")
	assert.Same(t, first, second)
}

// Hardened really applies the production flags: the root filesystem refuses writes, the
// process has no capabilities, and it cannot gain privileges.
func TestHardenedRun(t *testing.T) {
	img := build(t, "debian.Dockerfile")
	c := img.MustRun(t, imagetest.RunOptions{NoWait: true, Hardened: true})
	ctx := context.Background()

	code, out, err := c.Exec(ctx, "sh", "-c", "echo x > /data/new.txt")
	require.NoError(t, err)
	assert.NotEqual(t, 0, code, "a write to the root filesystem succeeded: %s", out)
	assert.Contains(t, out, "Read-only file system")

	code, out, err = c.Exec(ctx, "grep", "-E", "^(CapEff|CapBnd|NoNewPrivs):", "/proc/self/status")
	require.NoError(t, err)
	require.Equal(t, 0, code, out)
	assert.Regexp(t, `CapEff:\s+0{16}\n`, out)
	assert.Regexp(t, `CapBnd:\s+0{16}\n`, out)
	assert.Regexp(t, `NoNewPrivs:\s+1\n`, out)

	plain := img.MustRun(t, imagetest.RunOptions{NoWait: true})
	code, out, err = plain.Exec(ctx, "grep", "-E", "^NoNewPrivs:", "/proc/self/status")
	require.NoError(t, err)
	require.Equal(t, 0, code, out)
	assert.Regexp(t, `NoNewPrivs:\s+0\n`, out, "without Hardened the container runs as docker run does by default")
}

func TestHealthIntervalKeepsTheImagesProbe(t *testing.T) {
	img := build(t, "health.Dockerfile")
	c := img.MustRun(t, imagetest.RunOptions{NoWait: true, HealthInterval: time.Second})
	ctx := context.Background()

	info, err := c.Inspect(ctx)
	require.NoError(t, err)
	hc := info.Config.Healthcheck
	require.NotNil(t, hc, "the container has the image's HEALTHCHECK")
	assert.Equal(t, []string{"CMD", "test", "-d", "/"}, hc.Test, "the image's probe command")
	assert.Equal(t, time.Second, hc.Interval, "HealthInterval replaces the image's 1h")
	assert.Equal(t, 5*time.Second, hc.Timeout, "the image's timeout")
	assert.Equal(t, 2, hc.Retries, "the image's retries")

	// With the image's interval the first probe would come after an hour: healthy at all
	// within two minutes shows the probes run on the new interval.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		info, err = c.Inspect(ctx)
		require.NoError(t, err)
		if h := info.State.Health; h != nil && h.Status == "healthy" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not healthy after two minutes: %+v", info.State.Health)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// The course's size is the same number on every engine: the files of every layer, counted as
// the classic store's SIZE counts them. On a classic store the engine's own SIZE must agree.
func TestSizeIsTheFilesOfEveryLayer(t *testing.T) {
	img := build(t, "size.Dockerfile")
	info := img.MustInspect(t)
	const want = 1000 + 234 + len("a") + 1000 // a, b, the symlink l → a; b again in the second layer
	assert.Equal(t, int64(want), info.Size)
	assert.Equal(t, 2, info.Layers)
	t.Logf("store %s: measure %d B, engine reports %+v", info.Reported.Store, info.Size, info.Reported)
	switch info.Reported.Store {
	case "classic":
		assert.Equal(t, info.Size, info.Reported.Size, "the classic store's SIZE is the course's measure")
	case "containerd":
		assert.Positive(t, info.Reported.ContentSize, "CONTENT SIZE: the compressed layers")
		assert.Greater(t, info.Reported.DiskUsage, info.Reported.ContentSize, "DISK USAGE: compressed and unpacked")
	default:
		t.Errorf("unknown image store %q", info.Reported.Store)
	}
	assert.Contains(t, info.SizeText(), "без сжатия")
}

// Go's build cache is content-addressed: a fixture built with the shared cache mount has the
// same binary, byte for byte, as the same Dockerfile built without it. Only the mount's own
// files stay out of the build stage's layer.
func TestSharedGoCacheGivesTheSameBinary(t *testing.T) {
	spec := imagetest.BuildSpec{Context: "testdata", Dockerfile: "scratch.Dockerfile", Lesson: "harness"}
	plain := imagetest.MustBuild(t, spec)
	spec.SharedGoCache, spec.Tag = true, "scratch-shared-go-cache"
	shared := imagetest.MustBuild(t, spec)
	require.NotEqual(t, plain.Ref, shared.Ref)

	ctx := context.Background()
	a, err := plain.ReadFile(ctx, "/app")
	require.NoError(t, err)
	b, err := shared.ReadFile(ctx, "/app")
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("%x", sha256.Sum256(a)), fmt.Sprintf("%x", sha256.Sum256(b)),
		"the binary built with the shared Go cache is the same bytes")
	mounted := false
	for _, s := range shared.Steps {
		mounted = mounted || strings.Contains(s.Name, imagetest.GoCacheID)
	}
	assert.True(t, mounted, "the build step shows the cache mount: %v", shared.Steps)
}
