package bench

import (
	"os"
	"slices"
	"testing"
)

// testdata/classic-build.log is lesson 05 built by the classic builder after a change of
// server.go: ARG and WORKDIR come from the cache, the rest is new.
func TestCreatedImages(t *testing.T) {
	log, err := os.ReadFile("testdata/classic-build.log")
	if err != nil {
		t.Fatal(err)
	}
	got := createdImages(string(log))
	want := []string{"d08fba56e1f5", "c67b504b967c", "eea06d8b6abd", "6add7725dea9", "c6a050b8ae6b", "023e8e4148b3"}
	if !slices.Equal(got, want) {
		t.Errorf("createdImages = %v, want %v (no FROM images, no cached steps)", got, want)
	}
	if b := builderKind(string(log)); b != "classic" {
		t.Errorf("builderKind = %q, want classic", b)
	}
}

func TestBaseImages(t *testing.T) {
	targets, _, err := Discover(repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	got := baseImages(repoRoot(t), targets)
	for _, want := range []string{"debian:bullseye-slim", "golang:1.26-bookworm"} {
		if !slices.Contains(got, want) {
			t.Errorf("baseImages = %v, want %s among them", got, want)
		}
	}
	if slices.Contains(got, "scratch") || slices.Contains(got, "builder") {
		t.Errorf("baseImages = %v: scratch and stage names are not images", got)
	}
}
