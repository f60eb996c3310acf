package bench

import (
	"slices"
	"testing"
)

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
