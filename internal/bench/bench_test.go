package bench

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/verdict"
	"github.com/go-docker-workshop/workshop/lessons"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := Run(context.Background(), args, &out)
	return out.String(), err
}

func TestRunBarsAndRender(t *testing.T) {
	out := filepath.Join(t.TempDir(), "bench")
	if err := fixture().Save(filepath.Join(out, ResultsFile)); err != nil {
		t.Fatal(err)
	}
	got, err := run(t, "-out", out, "-bars")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "05-scratch") || !strings.Contains(got, "█") {
		t.Errorf("-bars printed:\n%s", got)
	}

	if _, err := run(t, "-out", out, "-render"); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(out + ".md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "](bench/sizes.svg)") || !strings.Contains(string(md), "[bench/results.json](bench/results.json)") {
		t.Errorf("bench.md should link the chart and the results next to it:\n%s", md)
	}
	if _, err := os.Stat(filepath.Join(out, ChartFile)); err != nil {
		t.Errorf("-render did not write the chart: %v", err)
	}
}

func TestRunWithoutResults(t *testing.T) {
	_, err := run(t, "-out", filepath.Join(t.TempDir(), "none"), "-bars")
	if err == nil || !strings.Contains(err.Error(), "go run ./cmd/bench") {
		t.Errorf("-bars without results.json = %v, want a hint to measure first", err)
	}
}

func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{{"-runs", "0"}, {"-nope"}, {"extra"}, {"-only", "99", "-out", t.TempDir()}} {
		var stderr bytes.Buffer
		if code := Main(context.Background(), args, &bytes.Buffer{}, &stderr); code != 2 {
			t.Errorf("Main(%q) = %d, want 2 (usage); stderr: %s", args, code, stderr.String())
		}
	}
	if _, err := run(t, "-h"); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h = %v, want flag.ErrHelp", err)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench", ResultsFile)
	want := fixture()
	if err := want.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load(Save(r)) differs from r")
	}
	data, _ := os.ReadFile(path)
	for _, key := range []string{`"environment"`, `"docker_server_version": "20.10.24+dfsg1"`, `"stand_in": true`, `"median"`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("results.json has no %s", key)
		}
	}
}

// results.json written before the make test fields were dropped still loads.
func TestLoadOlderFields(t *testing.T) {
	path := filepath.Join(t.TempDir(), ResultsFile)
	os.WriteFile(path, []byte(`{"schema": 1, "make_test": {"warm_seconds": null}, "targets": [{"id": "ready"}]}`), 0o644)
	if _, err := Load(path); err != nil {
		t.Error(err)
	}
	os.WriteFile(path, []byte(`{"schema": 99}`), 0o644)
	if _, err := Load(path); err == nil || verdict.As(err).Hint == "" {
		t.Errorf("Load of another schema = %v, want an error with a hint", err)
	}
}

func TestMerge(t *testing.T) {
	r := fixture()
	r.Images = []ImageResult{r.Images[5], r.Images[0]} // root, 02
	fresh := fixture().Images
	fresh[3].Runs = 1
	r.Merge([]ImageResult{fresh[3], fresh[0]}) // 05 is new, 02 replaces the old one
	var names []string
	for _, img := range r.Images {
		names = append(names, img.Name)
	}
	if got := strings.Join(names, ","); got != "02-single-stage,05-scratch,root" || r.Images[1].Runs != 1 {
		t.Errorf("after Merge: %s, want lessons in order and then root, with the new 05", got)
	}
}

func TestSummarize(t *testing.T) {
	for _, tt := range []struct {
		in               []float64
		median, min, max float64
	}{
		{[]float64{7}, 7, 7, 7},
		{[]float64{30, 10, 20}, 20, 10, 30},
		{[]float64{4, 1, 3, 2}, 2.5, 1, 4}, // an even count: the mean of the middle two
		{[]float64{100, 101, 5000}, 101, 100, 5000},
	} {
		got := Summarize(tt.in)
		if got.Median != tt.median || got.Min != tt.min || got.Max != tt.max || !reflect.DeepEqual(got.Values, tt.in) {
			t.Errorf("Summarize(%v) = %+v; want median %v, min %v, max %v and the values in measured order",
				tt.in, got, tt.median, tt.min, tt.max)
		}
	}
	if in := []float64{3, 1, 2}; Summarize(in).Median != 2 || in[0] != 3 {
		t.Errorf("Summarize sorted its input: %v", in)
	}
	if got := Summarize(nil); !got.Empty() {
		t.Errorf("Summarize(nil) = %+v, want the empty Summary", got)
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root := lessons.FindRoot(".")
	if root == "" {
		t.Fatal("no course root above the package")
	}
	return root
}

// A run of some images inspects only their base images; the others come from the earlier run.
func TestMergeBaseImages(t *testing.T) {
	earlier := []BaseImage{{Ref: "debian:bullseye-slim", ID: "old-debian"}, {Ref: "golang:1.26-bookworm", ID: "old-golang"}}
	fresh := []BaseImage{{Ref: "golang:1.26-bookworm", ID: "new-golang", StandIn: true}}
	got := MergeBaseImages(earlier, fresh)
	want := []BaseImage{{Ref: "debian:bullseye-slim", ID: "old-debian"}, {Ref: "golang:1.26-bookworm", ID: "new-golang", StandIn: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MergeBaseImages = %+v, want %+v", got, want)
	}
}
