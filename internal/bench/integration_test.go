package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// TestMeasureSmallestImage runs the whole measurement once against Docker, on the smallest
// image there is: lesson 05's server as a stripped static binary on scratch. The binary is
// built on the host (the Go build cache makes that quick), so the image builds in about a
// second and the test stays cheap; the lesson images themselves are measured by make bench.
func TestMeasureSmallestImage(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no Docker")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := imagetest.Client(ctx); err != nil {
		t.Fatalf("this test measures a real image and needs Docker (go test -short skips it): %v", err)
	}

	root := t.TempDir()
	ctxDir := filepath.Join(root, "smallest")
	if err := os.MkdirAll(ctxDir, 0o755); err != nil {
		t.Fatal(err)
	}
	source, err := os.ReadFile(filepath.Join(repoRoot(t), "lessons", "05-scratch", "server.go"))
	if err == nil {
		err = os.WriteFile(filepath.Join(ctxDir, "server.go"), source, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := buildStripped(ctx, filepath.Join(ctxDir, "server.go"), runtime.GOARCH, filepath.Join(ctxDir, "server")); err != nil {
		t.Fatal(err)
	}
	dockerfile := "# The smallest image: a prebuilt static binary (and its source, so a change of it is a new layer).\n" +
		"FROM scratch\nCOPY server server.go /\nEXPOSE 8080\nENTRYPOINT [\"/server\"]\n"
	if err := os.WriteFile(filepath.Join(ctxDir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}

	var log bytes.Buffer
	target := Target{Name: "bench-it", Title: "Интеграционный тест", Context: "smallest", Dockerfile: "Dockerfile", Source: "server.go"}
	runner := &Runner{Root: root, Runs: 1, Requests: 5, Log: &log}
	env, results, err := runner.Measure(ctx, []Target{target})
	t.Logf("progress:\n%s", log.String())
	if err != nil {
		t.Fatal(err)
	}
	if env.DockerServerVersion == "" || env.DockerAPIVersion == "" || env.CPUs == 0 || env.Builder == "" {
		t.Errorf("environment is incomplete: %+v", env)
	}
	if len(results) != 1 || results[0].Error != "" {
		t.Fatalf("results = %+v, want one without an error", results)
	}
	res := results[0]
	bin := res.Binary
	t.Run("size against the binary", func(t *testing.T) {
		if res.Layers.Median != 1 {
			t.Errorf("layers = %v, want 1 (one COPY on scratch)", res.Layers.Median)
		}
		if bin.StrippedBytes == 0 || bin.ImageBytes != bin.StrippedBytes || bin.ImagePath != "/server" {
			t.Errorf("binary in the image %s = %d bytes, reference %d: want the same file", bin.ImagePath, bin.ImageBytes, bin.StrippedBytes)
		}
		if !bin.ImageStripped || !bin.ImageStatic {
			t.Errorf("binary in the image: stripped %v, static %v; want both", bin.ImageStripped, bin.ImageStatic)
		}
		if res.Ratio < 1 || res.Ratio > LimitRatio {
			t.Errorf("ratio = %.3f, want between 1 and %.1f", res.Ratio, LimitRatio)
		}
	})
	t.Run("timings and container", func(t *testing.T) {
		for name, s := range map[string]Summary{"cold": res.ColdBuildMS, "nochange": res.NoChangeRebuildMS, "warm": res.WarmRebuildMS,
			"ready": res.ReadyMS, "stop": res.StopMS, "memory": res.MemoryBytes} {
			if len(s.Values) != 1 || s.Median <= 0 {
				t.Errorf("%s = %+v, want one positive value", name, s)
			}
		}
		// The lesson server does not handle SIGTERM: the Go runtime exits with 2.
		if !slices.Equal(res.StopExitCodes, []int{2}) {
			t.Errorf("exit codes = %v, want [2]", res.StopExitCodes)
		}
		if res.Graceful {
			t.Error("lesson 05's server has no os/signal: Graceful should be false")
		}
	})
	t.Run("nothing left behind", func(t *testing.T) {
		if _, err := imagetest.Existing(ctx, Repo+":bench-it"); err == nil {
			t.Errorf("image %s:bench-it is still there", Repo)
		}
	})
	t.Run("the builder is recorded", func(t *testing.T) {
		if env.Builder != imagetest.BuilderBuildKit && os.Getenv("WORKSHOP_BUILDER") == "" {
			t.Errorf("builder = %q, want buildkit", runner.builder)
		}
	})
}
