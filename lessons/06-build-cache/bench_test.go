package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-docker-workshop/workshop/internal/buildcache"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// BenchmarkRebuild times the rebuild of the lesson's two answers after a one-line edit of
// server.go and of go.mod: a prepared layer (Dockerfile) against cache mounts
// (Dockerfile.buildkit). Each iteration edits a fresh copy of the build context, so the
// edited step always misses the cache. The numbers go to the lesson's README:
//
//	go test ./lessons/06-build-cache/ -run '^$' -bench Rebuild -benchtime 3x
func BenchmarkRebuild(b *testing.B) {
	ctx := context.Background()
	for _, df := range []string{"Dockerfile", "Dockerfile.buildkit"} {
		for _, changed := range []string{sourcePath, goModPath} {
			b.Run(df+"/"+strings.ReplaceAll(changed, "/", "_"), func(b *testing.B) {
				spec := imagetest.BuildSpec{Context: ".", Dockerfile: df, Lesson: "06-build-cache",
					Repo: "workshop/06-build-cache", Tag: "bench-" + df}
				if _, err := imagetest.Build(ctx, spec); err != nil { // warm: the cache an edit starts from
					b.Fatal(err)
				}
				var total time.Duration
				for range b.N {
					b.StopTimer()
					dir := b.TempDir()
					if err := buildcache.CopyTree(".", dir); err != nil {
						b.Fatal(err)
					}
					if err := buildcache.AppendLine(filepath.Join(dir, changed)); err != nil {
						b.Fatal(err)
					}
					edited := spec
					edited.Context, edited.Tag = dir, "bench-edited-"+df
					b.StartTimer()
					img, err := imagetest.Rebuild(ctx, edited)
					if err != nil {
						b.Fatal(err)
					}
					total += img.BuildTime
					b.StopTimer()
					img.Remove(ctx)
					_ = os.RemoveAll(dir)
				}
				b.ReportMetric(total.Seconds()/float64(b.N), "s/rebuild")
			})
		}
	}
}
