package bench

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDiscover(t *testing.T) {
	targets, missing, err := Discover(repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tg := range targets {
		got = append(got, tg.Name)
	}
	if len(targets) < 2 || got[len(got)-2] != RootSingle || got[len(got)-1] != RootMulti {
		t.Errorf("targets = %v, want the lessons and then root-single, root", got)
	}
	if slices.Contains(got, "01-server") || slices.Contains(missing, "01-server") {
		t.Errorf("lesson 01 has no Docker: targets %v, missing %v", got, missing)
	}
	for _, tg := range targets {
		if tg.Lesson > 0 && (tg.Source != "server.go" || tg.Dockerfile != "Dockerfile" || !strings.HasPrefix(tg.Title, "Урок ")) {
			t.Errorf("lesson target %+v: want Dockerfile, server.go and a Russian title", tg)
		}
	}
}

func TestSelect(t *testing.T) {
	targets := []Target{{Name: "02-single-stage", Lesson: 2}, {Name: "05-scratch", Lesson: 5}, {Name: RootSingle}, {Name: RootMulti}}
	tests := []struct {
		only, want string
	}{
		{"", "02-single-stage,05-scratch,root-single,root"},
		{"05-scratch", "05-scratch"},
		{"5", "05-scratch"},
		{"05", "05-scratch"},
		{"root", "root"},
		{"root-s", "root-single"},
		{"02-", "02-single-stage"},
	}
	for _, tt := range tests {
		got, err := Select(targets, tt.only)
		if err != nil {
			t.Errorf("Select(%q): %v", tt.only, err)
			continue
		}
		var names []string
		for _, g := range got {
			names = append(names, g.Name)
		}
		if strings.Join(names, ",") != tt.want {
			t.Errorf("Select(%q) = %v, want %s", tt.only, names, tt.want)
		}
	}
	for _, bad := range []string{"0", "9", "nope"} {
		_, err := Select(targets, bad)
		if err == nil || !strings.Contains(err.Error(), "05-scratch, root-single, root") {
			t.Errorf("Select(%q) error = %v, want one that lists the names", bad, err)
		}
	}
}

func TestCopyContextHonoursDockerignore(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	for name, data := range map[string]string{
		".dockerignore":    "*\n!server/server.go\n",
		"Dockerfile":       "FROM scratch\n",
		"Dockerfile.other": "FROM scratch\n",
		"server/server.go": "package main\n",
		"server/x_test.go": "package main\n",
		"README.md":        "#\n",
		".git/HEAD":        "ref\n",
	} {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := copyContext(src, dst, "Dockerfile"); err != nil {
		t.Fatal(err)
	}
	var got []string
	filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dst, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	slices.Sort(got)
	if want := []string{".dockerignore", "Dockerfile", "server/server.go"}; !slices.Equal(got, want) {
		t.Errorf("copied %v, want %v", got, want)
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
