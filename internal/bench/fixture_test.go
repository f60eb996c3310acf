package bench

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/bench/ -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run go test ./internal/bench/ -update\ngot:\n%s", name, got)
	}
}

// img builds an ImageResult from medians, with a ±2 % spread over three runs.
func img(name, title string, lesson int, size, binary float64, warmMS, readyMS, stopMS float64, graceful bool, code int) ImageResult {
	three := func(v float64) Summary { return Summarize([]float64{v * 0.98, v, v * 1.02}) }
	ctx, src := "lessons/"+name, "server.go"
	dockerfile := "Dockerfile"
	if lesson == 0 {
		ctx, src = ".", "server/server.go"
		if name == RootSingle {
			dockerfile = "Dockerfile.single"
		}
	}
	return ImageResult{
		Target:   Target{Name: name, Title: title, Lesson: lesson, Context: ctx, Dockerfile: dockerfile, Source: src},
		Graceful: graceful, MeasuredAt: time.Date(2026, 11, 26, 21, 0, 0, 0, time.UTC), Runs: 3,
		SizeBytes: Summarize([]float64{size, size, size}), Layers: Summarize([]float64{3, 3, 3}),
		ColdBuildMS: three(20500), NoChangeRebuildMS: three(310), WarmRebuildMS: three(warmMS),
		ReadyMS: three(readyMS), StopMS: three(stopMS), StopExitCodes: []int{code, code, code},
		MemoryBytes: three(2.1e6),
		Binary:      Binary{StrippedBytes: int64(binary), ImagePath: "/server", ImageBytes: int64(binary), ImageStripped: true, ImageStatic: true},
		Ratio:       size / binary,
	}
}

// fixture is a complete, deterministic set of results: four lessons and the root pair.
func fixture() *Results {
	const lessonBin, rootBin = 5_767_352, 5_853_368
	return &Results{
		Schema: Schema,
		Environment: Environment{
			Date: time.Date(2026, 11, 26, 21, 0, 0, 0, time.UTC), GoVersion: "go1.26.8", GoImageVersion: "go1.26.8",
			DockerServerVersion: "20.10.24+dfsg1", DockerAPIVersion: "1.41", DockerClientAPI: "1.41", Builder: "legacy",
			OS: "Debian GNU/Linux 12 (bookworm)", Kernel: "6.1.0", Arch: "amd64", CPUs: 2, MemoryBytes: 8_331_000_000,
			LoadAvgStart: "1.20 1.05 0.90", LoadAvgEnd: "1.90 1.60 1.20", Runs: 3,
			BaseImages: []BaseImage{
				{Ref: "debian:bullseye-slim", ID: "sha256:4f6d", SizeBytes: 78_700_000, StandIn: true},
				{Ref: "golang:1.26-bookworm", ID: "sha256:ea18", SizeBytes: 587_000_000, StandIn: true},
			},
			Command: "go run ./cmd/bench -runs 3",
		},
		Images: []ImageResult{
			img("02-single-stage", "Урок 2. Одноэтапный образ", 2, 680_300_000, lessonBin, 19800, 262, 105, false, 2),
			img("03-multi-stage", "Урок 3. Многоэтапная сборка", 3, 87_100_000, lessonBin, 19500, 255, 98, false, 2),
			img("04-static-binary", "Урок 4. Статический бинарник и целевая платформа", 4, 8_360_000, lessonBin, 19700, 248, 101, false, 2),
			img("05-scratch", "Урок 5. scratch: самый маленький образ", 5, 5_770_000, lessonBin, 19900, 251, 97, false, 2),
			img(RootSingle, "Корневой Dockerfile.single (одноэтапный)", 0, 682_900_000, rootBin, 20100, 270, 180, true, 0),
			img(RootMulti, "Корневой Dockerfile (многоэтапный)", 0, 87_400_000, rootBin, 19600, 266, 176, true, 0),
		},
	}
}
