package classroom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/go-docker-workshop/workshop/internal/ru"
	"github.com/go-docker-workshop/workshop/internal/verdict"
	"github.com/go-docker-workshop/workshop/lessons"
)

// Checker checks lesson l's exercise in the course repository at root. It stops when ctx is
// done; the Grader names a time-out itself. An error means nothing was judged (the machine
// or the course failed), not that the exercise is wrong.
type Checker func(ctx context.Context, root string, l lessons.Lesson) (Result, error)

// Grader grades students' clones of the course one student at a time. The checks always run
// in a copy of the teacher's course (Course) with only the student's exercise files copied
// in: a student's other changes, to the checks or anything else, play no part, and the
// clones themselves are only read.
type Grader struct {
	Course   string // the teacher's course repository
	Lessons  []lessons.Lesson
	Starters Starters
	Timeout  time.Duration // for one lesson's checks; 0 for none
	Check    Checker
	// Prepare, when set, readies a lesson's checks in the course copy before its time-out
	// starts (the CLI compiles the lesson's test binary, once for the whole group): a slow
	// compile on a loaded machine is no student's time-out. Its error is left to Check.
	Prepare func(ctx context.Context, course string, l lessons.Lesson) error
	// Log gets a line for each lesson checked; nil for none.
	Log io.Writer
}

// Student is one clone's grade.
type Student struct {
	Name    string
	Dir     string
	Results []Result
	// Problem says why the clone could not be graded at all ("" when it was).
	Problem string
}

// Passed is how many lessons the student passed.
func (s Student) Passed() int {
	n := 0
	for _, r := range s.Results {
		if r.Status == Passed {
			n++
		}
	}
	return n
}

// Grade grades each clone in dirs in turn. It returns early only when ctx ends (Ctrl+C);
// a clone that cannot be read or a lesson that fails, breaks or hangs is a result.
func (g *Grader) Grade(ctx context.Context, dirs []string) ([]Student, error) {
	work, err := os.MkdirTemp("", "workshop-grade-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	course := filepath.Join(work, "course")
	if err := lessons.CopyCourse(g.Course, course); err != nil {
		return nil, fmt.Errorf("copy the course %s: %w", g.Course, err)
	}
	names := studentNames(dirs)
	var out []Student
	for i, dir := range dirs {
		s := g.student(ctx, course, names[i], dir)
		if err := ctx.Err(); err != nil {
			return out, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (g *Grader) logf(format string, args ...any) {
	if g.Log != nil {
		fmt.Fprintf(g.Log, format, args...)
	}
}

func (g *Grader) student(ctx context.Context, course, name, dir string) Student {
	s := Student{Name: name, Dir: dir}
	if info, err := os.Stat(filepath.Join(dir, "lessons")); err != nil || !info.IsDir() {
		s.Problem = fmt.Sprintf("в %s нет каталога lessons/: это не клон курса", dir)
		g.logf("%s: %s\n", name, s.Problem)
		return s
	}
	g.logf("%s (%s)\n", name, dir)
	for _, l := range g.Lessons {
		r := g.lesson(ctx, course, dir, l)
		s.Results = append(s.Results, r)
		if ctx.Err() != nil {
			return s
		}
		if g.Log != nil {
			fmt.Fprint(g.Log, "  ")
			WriteLine(g.Log, r)
		}
	}
	return s
}

// lesson puts the student's exercise files of lesson l into the course copy, in place of
// the previous student's, and checks them unless they are the starter.
func (g *Grader) lesson(ctx context.Context, course, dir string, l lessons.Lesson) Result {
	r := Result{Number: l.Number, Slug: l.Slug, Title: l.Title}
	if fresh, err := g.Starters.NotStarted(dir, l); err == nil && fresh {
		r.Status, r.Detail = NotStarted, NotStartedText(l)
		return r
	}
	for _, f := range ExerciseFiles(l) {
		if err := takeFile(filepath.Join(dir, filepath.FromSlash(f)), filepath.Join(course, filepath.FromSlash(f))); err != nil {
			r.Status, r.Problem = Unchecked, err.Error()
			return r
		}
	}
	if g.Prepare != nil {
		_ = g.Prepare(ctx, course, l)
	}
	lctx, cancel := ctx, context.CancelFunc(func() {})
	if g.Timeout > 0 {
		lctx, cancel = context.WithTimeout(ctx, g.Timeout)
	}
	defer cancel()
	start := time.Now()
	got, err := g.Check(lctx, course, l)
	elapsed := time.Since(start)
	got.Number, got.Slug, got.Title = l.Number, l.Slug, l.Title
	if got.Elapsed == 0 {
		got.Elapsed = elapsed
	}
	switch {
	case ctx.Err() != nil:
		got.Status, got.Problem = Unchecked, "прервано"
	case errors.Is(lctx.Err(), context.DeadlineExceeded):
		got.Status = TimedOut
		got.Problem = fmt.Sprintf("проверки не закончились за %s и прерваны", ru.Duration(g.Timeout))
		if step := runningStep(got.Steps); step != "" {
			got.Problem = fmt.Sprintf("шаг «%s» не закончился за %s и прерван", step, ru.Duration(g.Timeout))
		}
		got.Detail = []string{got.Problem}
	case err != nil:
		got.Status, got.Problem = Unchecked, err.Error()
	}
	return got
}

// runningStep is the step a run stopped in: the first that neither passed nor failed.
func runningStep(steps []Step) string {
	for _, s := range steps {
		if s.Status != verdict.Passed && s.Status != verdict.Failed {
			return s.Name
		}
	}
	return ""
}

// takeFile copies a student's file over the course copy's; a missing file is removed from
// the copy too, so the checks see what the student has. Only regular files are taken: a
// symbolic link could point anywhere on the teacher's machine.
func takeFile(src, dst string) error {
	info, err := os.Lstat(src)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("не прочитан файл задания: %w", err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s — не обычный файл (%s): такие файлы задания не проверяются", src, info.Mode().Type())
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("не прочитан файл задания: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// studentNames names each clone by its directory, with as much of the path as it takes to
// tell two clones apart.
func studentNames(dirs []string) []string {
	names := make([]string, len(dirs))
	count := map[string]int{}
	for i, d := range dirs {
		names[i] = filepath.Base(filepath.Clean(d))
		count[names[i]]++
	}
	for i, d := range dirs {
		if count[names[i]] > 1 {
			names[i] = filepath.ToSlash(filepath.Clean(d))
		}
	}
	return names
}
