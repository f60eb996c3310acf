package classroom

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-docker-workshop/workshop/internal/verdict"
	"github.com/go-docker-workshop/workshop/lessons"
)

// fakeCourse is a course of two lessons whose exercise is one file each.
func fakeCourse(t *testing.T) (root string, all []lessons.Lesson, s Starters) {
	t.Helper()
	root = t.TempDir()
	all = []lessons.Lesson{
		{Number: 1, Slug: "01-a", Title: "А", Exercise: lessons.Exercise{Files: []string{"exercise/Dockerfile"}}},
		{Number: 2, Slug: "02-b", Title: "Б", Exercise: lessons.Exercise{Files: []string{"exercise/Dockerfile"}}},
	}
	s = Starters{}
	for _, l := range all {
		f := ExerciseFiles(l)[0]
		writeFile(t, root, f, "# TODO "+l.Slug+"\n")
		s[f] = Sum([]byte("# TODO " + l.Slug + "\n"))
		writeFile(t, root, l.Dir()+"/lesson_test.go", "package main\n")
	}
	return root, all, s
}

func writeFile(t *testing.T, root, rel, text string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// clone copies the course as a student's clone with the given exercise texts.
func clone(t *testing.T, course string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "student")
	if err := lessons.CopyCourse(course, dir); err != nil {
		t.Fatal(err)
	}
	for f, text := range files {
		writeFile(t, dir, f, text)
	}
	return dir
}

// fakeCheck passes an exercise that reads "ok", hangs on "hang" until ctx ends, and fails
// anything else; it records which course directory it ran in.
func fakeCheck(roots *[]string) Checker {
	return func(ctx context.Context, root string, l lessons.Lesson) (Result, error) {
		*roots = append(*roots, root)
		if data, err := os.ReadFile(filepath.Join(root, l.Dir(), "lesson_test.go")); err != nil || string(data) != "package main\n" {
			return Result{}, fmt.Errorf("the checks of %s are not the course's: %q", l.Dir(), data)
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(ExerciseFiles(l)[0])))
		if err != nil {
			return Result{Status: Failed, Problem: "нет файла задания"}, nil
		}
		switch strings.TrimSpace(string(data)) {
		case "ok":
			return Result{Status: Passed}, nil
		case "hang":
			<-ctx.Done()
			return Result{Steps: []Step{{Name: "образ собирается"}}}, ctx.Err()
		}
		return Result{Status: Failed, Problem: "образ собирается: сборка упала",
			Steps: []Step{{Name: "образ собирается", Status: verdict.Failed}}}, nil
	}
}

func TestGrade(t *testing.T) {
	course, all, starters := fakeCourse(t)
	solved := clone(t, course, map[string]string{"lessons/01-a/exercise/Dockerfile": "ok", "lessons/02-b/exercise/Dockerfile": "ok"})
	half := clone(t, course, map[string]string{"lessons/01-a/exercise/Dockerfile": "ok"})
	hangs := clone(t, course, map[string]string{"lessons/01-a/exercise/Dockerfile": "hang", "lessons/02-b/exercise/Dockerfile": "broken"})
	// A student who changed the checks themselves: the grade must not see it.
	writeFile(t, hangs, "lessons/02-b/lesson_test.go", "package main // always passes\n")
	notClone := t.TempDir()

	var roots []string
	var log bytes.Buffer
	g := &Grader{Course: course, Lessons: all, Starters: starters, Timeout: 100 * time.Millisecond, Check: fakeCheck(&roots), Log: &log}
	got, err := g.Grade(context.Background(), []string{solved, half, hangs, notClone})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("want 4 students, got %d", len(got))
	}
	statuses := func(s Student) string {
		var out []string
		for _, r := range s.Results {
			out = append(out, string(r.Status))
		}
		return strings.Join(out, " ")
	}
	for i, want := range []string{"passed passed", "passed not-started", "timeout failed", ""} {
		if got := statuses(got[i]); got != want {
			t.Errorf("student %d: %q, want %q", i, got, want)
		}
	}
	if p := got[2].Results[0].Problem; !strings.Contains(p, "шаг «образ собирается» не закончился за 0,1 с") {
		t.Errorf("the time-out names the step: %q", p)
	}
	if got[3].Problem == "" {
		t.Error("a directory without lessons/ must say it is not a clone")
	}
	for _, r := range roots {
		if strings.HasPrefix(r, course) || strings.HasPrefix(r, hangs) {
			t.Errorf("checks ran in %s, want a copy of the course", r)
		}
	}
	if _, err := os.Stat(roots[0]); !os.IsNotExist(err) {
		t.Errorf("the course copy %s is left behind", roots[0])
	}
	if data, _ := os.ReadFile(filepath.Join(half, "lessons/02-b/exercise/Dockerfile")); string(data) != "# TODO 02-b\n" {
		t.Errorf("the clone changed: %q", data)
	}
	if !strings.Contains(log.String(), "student") {
		t.Errorf("log:\n%s", log.String())
	}
}

func TestGradeTakesNoSymlink(t *testing.T) {
	course, all, starters := fakeCourse(t)
	dir := clone(t, course, nil)
	secret := filepath.Join(t.TempDir(), "secret")
	writeFile(t, filepath.Dir(secret), "secret", "ok")
	f := filepath.Join(dir, "lessons/01-a/exercise/Dockerfile")
	os.Remove(f)
	if err := os.Symlink(secret, f); err != nil {
		t.Skip(err)
	}
	var roots []string
	g := &Grader{Course: course, Lessons: all, Starters: starters, Check: fakeCheck(&roots)}
	got, err := g.Grade(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if r := got[0].Results[0]; r.Status != Unchecked || !strings.Contains(r.Problem, "не обычный файл") {
		t.Errorf("a symlinked exercise: %+v", r)
	}
}

func TestGradeStopsOnCancel(t *testing.T) {
	course, all, starters := fakeCourse(t)
	a := clone(t, course, map[string]string{"lessons/01-a/exercise/Dockerfile": "hang"})
	b := clone(t, course, map[string]string{"lessons/01-a/exercise/Dockerfile": "ok"})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var roots []string
	g := &Grader{Course: course, Lessons: all, Starters: starters, Check: fakeCheck(&roots)}
	got, err := g.Grade(ctx, []string{a, b})
	if err == nil {
		t.Fatal("want the context's error")
	}
	if len(got) != 0 || len(roots) != 1 {
		t.Errorf("after Ctrl+C nothing more is checked: %d students, %d checks", len(got), len(roots))
	}
}

func TestStudentNames(t *testing.T) {
	got := strings.Join(studentNames([]string{"/a/alice/", "/x/bob", "/y/bob"}), " ")
	if got != "alice /x/bob /y/bob" {
		t.Errorf("names: %s", got)
	}
}

// Preparing a lesson's checks (compiling its tests) takes as long as it takes: the time-out is
// the student's checks', not the course's compile.
func TestGradePreparesOutsideTheTimeout(t *testing.T) {
	course, all, starters := fakeCourse(t)
	solved := clone(t, course, map[string]string{"lessons/01-a/exercise/Dockerfile": "ok", "lessons/02-b/exercise/Dockerfile": "ok"})
	var roots []string
	prepared := 0
	g := &Grader{Course: course, Lessons: all, Starters: starters, Timeout: 100 * time.Millisecond, Check: fakeCheck(&roots),
		Prepare: func(ctx context.Context, _ string, _ lessons.Lesson) error {
			prepared++
			time.Sleep(300 * time.Millisecond) // longer than the time-out
			return ctx.Err()
		}}
	got, err := g.Grade(context.Background(), []string{solved})
	if err != nil {
		t.Fatal(err)
	}
	if prepared != len(all) {
		t.Errorf("prepared %d lessons, want %d", prepared, len(all))
	}
	for _, r := range got[0].Results {
		if r.Status != Passed {
			t.Errorf("lesson %d: %s (%s), want passed: a slow preparation is not the student's time-out", r.Number, r.Status, r.Problem)
		}
	}
}
