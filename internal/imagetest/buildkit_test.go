package imagetest_test

import (
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/internal/buildevent"
	"github.com/go-docker-workshop/workshop/internal/elfinfo"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// What students write for BuildKit builds here too: $BUILDPLATFORM, a cache mount, a heredoc,
// and a cross build whose image and binary are both arm64.
func TestBuildKitOnlyDockerfile(t *testing.T) {
	if os.Getenv("WORKSHOP_BUILDER") == imagetest.BuilderLegacy {
		t.Skip("WORKSHOP_BUILDER=legacy: this test is about BuildKit")
	}
	for _, platform := range []string{"", "linux/arm64"} {
		t.Run("platform="+platform, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			spec := imagetest.BuildSpec{Context: "testdata", Dockerfile: "buildkit-only.Dockerfile", Lesson: "harness", Platform: platform}
			if platform != "" {
				spec.Tag = "buildkit-only-arm64"
			}
			img, err := imagetest.Build(ctx, spec)
			require.NoError(t, err)
			assert.Equal(t, imagetest.BuilderBuildKit, img.Builder)
			require.NotEmpty(t, img.Steps, "the BuildKit trace is decoded into steps")
			var heredoc *imagetest.BuildStep
			for i, s := range img.Steps {
				if stage, _, _, ok := s.Position(); ok && stage == "build" && strings.HasPrefix(s.Instruction(), "RUN") {
					heredoc = &img.Steps[i]
				}
			}
			require.NotNil(t, heredoc, "a [build k/n] RUN step, got %v", img.Steps)
			assert.Contains(t, heredoc.Name, "RUN")

			info, err := img.Inspect(ctx)
			require.NoError(t, err)
			data, err := img.ReadFile(ctx, "/app")
			require.NoError(t, err)
			bin, err := elfinfo.Inspect(bytes.NewReader(data))
			require.NoError(t, err)
			if platform == "" {
				assert.Equal(t, bin.Arch, info.Architecture, "a native build")
				return
			}
			assert.Equal(t, "arm64", info.Architecture, "the image config says arm64")
			assert.Equal(t, elf.EM_AARCH64, bin.Machine, "the binary is arm64")
		})
	}
}

// A broken build names the failing step as BuildKit does and its Dockerfile line, and shows
// that step's own output.
func TestBrokenBuildNamesStepAndLine(t *testing.T) {
	if os.Getenv("WORKSHOP_BUILDER") == imagetest.BuilderLegacy {
		t.Skip("WORKSHOP_BUILDER=legacy: this test is about BuildKit")
	}
	var seen []buildevent.Event
	ctx, cancel := context.WithTimeout(imagetest.WithProgress(context.Background(), func(e buildevent.Event) { seen = append(seen, e) }), 2*time.Minute)
	defer cancel()
	_, err := imagetest.Build(ctx, imagetest.BuildSpec{Context: "testdata", Dockerfile: "failing-run.Dockerfile", Tag: "failing-run-progress"})
	var be *imagetest.BuildError
	require.True(t, errors.As(err, &be), "want a *BuildError, got %v", err)
	assert.Equal(t, `[3/3] RUN echo "about to fail" && exit 3`, be.Step)
	assert.Equal(t, 4, be.Line)
	assert.Equal(t, "about to fail", be.Tail)
	var failed bool
	for _, e := range seen {
		if e.State == buildevent.Failed && e.Step == be.Step {
			failed = true
		}
	}
	assert.True(t, failed, "the progress listener heard the step fail: %v", seen)
}

// A `# syntax=` line whose frontend image can't be fetched does not stop the build offline.
func TestSyntaxDirectiveOffline(t *testing.T) {
	if os.Getenv("WORKSHOP_BUILDER") == imagetest.BuilderLegacy {
		t.Skip("WORKSHOP_BUILDER=legacy: this test is about BuildKit")
	}
	img := build(t, "syntax-line.Dockerfile")
	assert.Contains(t, img.Note, "# syntax=")
	data, err := img.ReadFile(context.Background(), "/from-directive")
	require.NoError(t, err)
	assert.Equal(t, "directive\n", string(data), "the RUN of the Dockerfile ran")
}

// The fallback for engines without BuildKit still builds and names its failing step.
func TestLegacyFallback(t *testing.T) {
	t.Setenv("WORKSHOP_BUILDER", imagetest.BuilderLegacy)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	img, err := imagetest.Build(ctx, imagetest.BuildSpec{Context: "testdata", Dockerfile: "debian.Dockerfile", Tag: "legacy-fallback"})
	require.NoError(t, err)
	assert.Equal(t, imagetest.BuilderLegacy, img.Builder)
	assert.Contains(t, img.Note, "WORKSHOP_BUILDER=legacy")

	_, err = imagetest.Build(ctx, imagetest.BuildSpec{Context: "testdata", Dockerfile: "failing-run.Dockerfile", Tag: "legacy-failing"})
	var be *imagetest.BuildError
	require.True(t, errors.As(err, &be), "want a *BuildError, got %v", err)
	assert.Contains(t, be.Step, `RUN echo "about to fail" && exit 3`)
	assert.Contains(t, be.Error(), "about to fail")
}
