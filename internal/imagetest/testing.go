package imagetest

import (
	"context"
	"testing"
	"time"
)

// MustBuild builds spec or stops the test with the build's failing step and a hint.
func MustBuild(tb testing.TB, spec BuildSpec) *Image {
	tb.Helper()
	img, err := Build(context.Background(), spec)
	if err != nil {
		tb.Fatalf("%v", err)
	}
	return img
}

// MustInspect returns the image's metadata or stops the test.
func (img *Image) MustInspect(tb testing.TB) Info {
	tb.Helper()
	info, err := img.Inspect(context.Background())
	if err != nil {
		tb.Fatalf("%v", err)
	}
	return info
}

// MustFiles lists the image's files or stops the test.
func (img *Image) MustFiles(tb testing.TB) []File {
	tb.Helper()
	files, err := img.Files(context.Background())
	if err != nil {
		tb.Fatalf("%v", err)
	}
	return files
}

// MustRun starts a container that is removed when the test ends, whatever its outcome.
func (img *Image) MustRun(tb testing.TB, opts RunOptions) *Container {
	tb.Helper()
	c, err := img.Run(context.Background(), opts)
	if c != nil {
		tb.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := c.Terminate(ctx); err != nil {
				tb.Errorf("не удалось удалить контейнер %s: %v", c.ID(), err)
			}
		})
	}
	if err != nil {
		tb.Fatalf("%v", err)
	}
	return c
}

// MustGet sends GET path or stops the test.
func (c *Container) MustGet(tb testing.TB, path string) Response {
	tb.Helper()
	resp, err := c.Get(context.Background(), path)
	if err != nil {
		tb.Fatalf("запрос к контейнеру: %v", err)
	}
	return resp
}
