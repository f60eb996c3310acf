// Tests of the two root Dockerfiles: the seed's multi-stage build and its single-stage
// counterpart. They build the real images, run them and compare what they contain.
package workshop_test

import (
	"context"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagesize"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

const mb = 1000 * 1000 // Docker reports sizes in decimal megabytes

func buildRoot(t *testing.T, name string) *imagetest.Image {
	t.Helper()
	return lessoncheck.MustBuild(t, imagetest.BuildSpec{Context: ".", Dockerfile: name, Repo: "workshop/root", Lesson: "root"})
}

func TestDockerfileIsTheSeedsMultiStageBuild(t *testing.T) {
	f, err := dockerfile.Parse("Dockerfile")
	require.NoError(t, err)
	require.Len(t, f.Stages, 2, "builder and prod")

	builder, prod := f.Stages[0], f.Final()
	assert.Equal(t, "builder", builder.Name)
	assert.True(t, strings.HasPrefix(builder.Base, "golang:"), "builder starts from golang, got %s", builder.Base)
	assert.NotEqual(t, "golang:latest", builder.Base, "the golang tag is pinned")
	wd, _ := builder.Last("WORKDIR")
	assert.Equal(t, []string{"/go"}, wd.Args)
	run, ok := builder.Last("RUN")
	require.True(t, ok)
	for _, want := range []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64", "go build -o server"} {
		assert.Contains(t, strings.Join(run.Args, " "), want)
	}

	assert.Equal(t, "debian:bullseye-slim", prod.Base)
	wd, _ = prod.Last("WORKDIR")
	assert.Equal(t, []string{"/go"}, wd.Args)
	cp := prod.Find("COPY")
	require.Len(t, cp, 1)
	assert.Equal(t, "builder", cp[0].From)
	assert.Equal(t, []string{"/go/server", "."}, cp[0].Args)
	cmd, ok := prod.Last("CMD")
	require.True(t, ok)
	assert.True(t, cmd.ExecForm, "CMD in exec form, so the server is PID 1 and gets SIGTERM")
	assert.Equal(t, []string{"./server"}, cmd.Args)
}

func TestSingleAndMultiStageImages(t *testing.T) {
	single := buildRoot(t, "Dockerfile.single")
	multi := buildRoot(t, "Dockerfile")
	singleInfo, multiInfo := single.MustInspect(t), multi.MustInspect(t)
	t.Logf("uncompressed single-stage: %d MB, %d layers; multi-stage: %d MB, %d layers; ratio %.1fx",
		singleInfo.Size/mb, singleInfo.Layers, multiInfo.Size/mb, multiInfo.Layers,
		float64(singleInfo.Size)/float64(multiInfo.Size))

	t.Logf("the engine reports (%s store): single-stage %+v; multi-stage %+v",
		multiInfo.Reported.Store, singleInfo.Reported, multiInfo.Reported)

	if multiInfo.Reported.Store == "classic" {
		t.Run("on the classic store the engine's SIZE is the course's measure", func(t *testing.T) {
			cli, err := imagetest.Client(context.Background())
			require.NoError(t, err)
			for _, img := range []*imagetest.Image{single, multi} {
				info := img.MustInspect(t)
				size, err := imagesize.MeasureLayers(context.Background(), cli, img.Ref, "linux/"+info.Architecture)
				require.NoError(t, err)
				assert.Equal(t, info.Reported.Size, size.Bytes, "%s: measured from docker save, not from a cache", img.Ref)
			}
		})
	}
	t.Run("multi-stage image is at most 100 MB", func(t *testing.T) {
		assert.LessOrEqual(t, multiInfo.Size, int64(100*mb))
	})
	t.Run("single-stage image is at least 3x larger", func(t *testing.T) {
		assert.GreaterOrEqual(t, singleInfo.Size, 3*multiInfo.Size)
	})
	t.Run("final image runs ./server from /go", func(t *testing.T) {
		assert.Equal(t, "/go", multiInfo.Config.WorkingDir)
		assert.Equal(t, []string{"./server"}, multiInfo.Config.Cmd)
		assert.Empty(t, multiInfo.Config.Entrypoint)
		assert.Equal(t, []string{"8080/tcp"}, multiInfo.Config.ExposedPorts)
	})
	t.Run("final image has the binary but no Go toolchain and no sources", func(t *testing.T) {
		var hasServer bool
		for _, f := range multi.MustFiles(t) {
			if f.Path == "/go/server" {
				hasServer = f.Executable()
			}
			assert.False(t, strings.HasPrefix(f.Path, "/usr/local/go/"), "toolchain file %s", f.Path)
			assert.False(t, !f.Dir && path.Base(f.Path) == "go", "go binary %s", f.Path)
			assert.NotEqual(t, ".go", path.Ext(f.Path), "source file %s", f.Path)
		}
		assert.True(t, hasServer, "/go/server exists and is executable")
	})
	t.Run("single-stage image keeps the toolchain and the source", func(t *testing.T) {
		var toolchain, source bool
		for _, f := range single.MustFiles(t) {
			toolchain = toolchain || f.Path == "/usr/local/go/bin/go"
			source = source || f.Path == "/go/server.go"
		}
		assert.True(t, toolchain && source, "toolchain %v, source %v", toolchain, source)
	})

	t.Run("both answer alike", func(t *testing.T) {
		s := single.MustRun(t, imagetest.RunOptions{})
		m := multi.MustRun(t, imagetest.RunOptions{})
		for _, p := range []string{"/", "/healthz", "/no-such-page"} {
			got, want := m.MustGet(t, p), s.MustGet(t, p)
			assert.Equal(t, want.Status, got.Status, p)
			assert.Equal(t, want.Body, got.Body, p)
			assert.Equal(t, want.Header.Get("Content-Type"), got.Header.Get("Content-Type"), p)
		}
		root := m.MustGet(t, "/")
		assert.Equal(t, 200, root.Status)
		assert.Equal(t, "{\"message\":\"Привет из Go в Docker!\"}\n", root.Body)
		assert.Equal(t, 404, m.MustGet(t, "/no-such-page").Status)
	})

	t.Run("docker stop ends the server by SIGTERM, not SIGKILL", func(t *testing.T) {
		c := multi.MustRun(t, imagetest.RunOptions{})
		res, err := c.Stop(context.Background(), 10*time.Second)
		require.NoError(t, err)
		assert.Equal(t, 0, res.ExitCode, "exit code 137 would mean Docker had to kill it")
		t.Logf("docker stop took %s", res.Took.Round(time.Millisecond))
	})
}
