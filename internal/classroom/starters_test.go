package classroom

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/go-docker-workshop/workshop/lessons"
)

var update = flag.Bool("update", false, "write starters.sha256 from the exercise files at git HEAD")

// courseRoot is the repository this package lives in.
func courseRoot(t testing.TB) string {
	t.Helper()
	root := lessons.FindRoot(".")
	if root == "" {
		t.Fatal("no course repository above this package")
	}
	return root
}

// TestStarterSums keeps starters.sha256 equal to every exercise file as the course commits
// it (git HEAD): an exercise that changes without its sum would be graded as started.
func TestStarterSums(t *testing.T) {
	root := courseRoot(t)
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git: the files as committed cannot be read")
	}
	fresh := Starters{}
	for _, l := range all {
		for _, f := range ExerciseFiles(l) {
			data, err := exec.Command("git", "-C", root, "show", "HEAD:"+f).Output()
			if err != nil {
				t.Skipf("git show HEAD:%s: %v (not a clone of the course?)", f, err)
			}
			fresh[f] = Sum(data)
		}
	}
	want := fresh.Format(all)
	if *update {
		if err := os.WriteFile("starters.sha256", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(starterSums, want) {
		t.Errorf("starters.sha256 is not the sums of the exercise files at git HEAD; after changing an exercise run\n"+
			"  go test ./internal/classroom -run TestStarterSums -update\nwant:\n%s", want)
	}
}

func TestNotStarted(t *testing.T) {
	l := lessons.Lesson{Number: 2, Slug: "02-x", Exercise: lessons.Exercise{Files: []string{"exercise/Dockerfile"}}}
	starter := []byte("FROM golang\n# TODO\n")
	s := Starters{"lessons/02-x/exercise/Dockerfile": Sum(starter)}
	write := func(t *testing.T, data []byte) string {
		dir := t.TempDir()
		if data != nil {
			p := filepath.Join(dir, "lessons", "02-x", "exercise", "Dockerfile")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	for _, tc := range []struct {
		name string
		data []byte
		want bool
	}{
		{"the starter", starter, true},
		{"the starter with CRLF (Windows, autocrlf)", []byte("FROM golang\r\n# TODO\r\n"), true},
		{"changed", []byte("FROM golang:1.26-bookworm\n"), false},
		{"deleted", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.NotStarted(write(t, tc.data), l)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("NotStarted = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("a lesson the sums do not know counts as started", func(t *testing.T) {
		got, _ := Starters{}.NotStarted(write(t, starter), l)
		if got {
			t.Error("NotStarted = true")
		}
	})
}

func TestCourseStartersParse(t *testing.T) {
	if len(CourseStarters()) == 0 {
		t.Error("starters.sha256 holds no sums")
	}
	if _, err := ParseStarters([]byte("abc  x\n")); err == nil {
		t.Error("a short sum must be an error")
	}
}
