// Package lessoncheck runs a lesson's checks against its reference solution, the student's
// exercise or a Dockerfile from test data. Checks are ordered steps: static checks of the
// Dockerfile first (fast, precise), then the build, then the running container. The first
// failing step stops the run and prints what is wrong and a hint, in Russian.
package lessoncheck

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-docker-workshop/workshop/internal/buildevent"
	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/verdict"
)

var exercise = flag.Bool("exercise", false, "проверить ваше задание (каталог exercise/) вместо эталонного решения урока")

// Exercise reports whether the tests run against the student's exercise (go test -exercise).
func Exercise() bool { return *exercise }

// Target is what the checks look at.
type Target struct {
	Name    string // how messages call it: «эталонное решение», «ваше задание», a test file
	Lesson  string // the lesson's slug, e.g. "03-multi-stage"
	Context string // build context (the lesson directory), absolute
	// Dockerfile is relative to Context; for lessons without Docker it is empty.
	Dockerfile string
	// Dir holds the target's Go code (the lesson directory or its exercise/).
	Dir string
	// Tag names the built image workshop/<lesson>:<tag>; the Dockerfile's path when empty.
	// Fixed names let a rerun reuse the build cache and replace the previous image.
	Tag string
	// SharedGoCache builds with Go's build cache shared between builds
	// (imagetest.BuildSpec.SharedGoCache): the course's own fixtures only.
	SharedGoCache bool
}

// DockerfilePath is the Dockerfile's absolute path.
func (t Target) DockerfilePath() string { return filepath.Join(t.Context, t.Dockerfile) }

// Lesson returns the target for the current lesson's tests: its reference solution, or with
// -exercise the student's exercise. dockerfile is the reference Dockerfile's name ("" when
// the lesson has none); the exercise uses the same name inside exercise/.
func Lesson(tb testing.TB, dockerfile string) Target {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	t := Target{Name: "эталонное решение", Lesson: filepath.Base(wd), Context: wd, Dockerfile: dockerfile, Dir: wd}
	if *exercise {
		t.Name = "ваше задание"
		t.Dir = filepath.Join(wd, "exercise")
		if dockerfile != "" {
			t.Dockerfile = filepath.Join("exercise", dockerfile)
		}
	}
	return t
}

// WithDockerfile returns the target with another Dockerfile of the same context, e.g. a
// test-data variant.
func (t Target) WithDockerfile(name, dockerfile string) Target {
	t.Name, t.Dockerfile = name, dockerfile
	return t
}

// Problem is a failed check: what is wrong and what to do about it (verdict.Problem, the
// course's one error with a hint).
type Problem = verdict.Problem

// Failf returns a Problem; the hint says how to fix it.
func Failf(hint, format string, args ...any) *Problem { return verdict.Failf(hint, format, args...) }

// State is shared by the steps of one run.
type State struct {
	Ctx        context.Context
	Target     Target
	Dockerfile *dockerfile.File
	Image      *imagetest.Image
	Container  *imagetest.Container
	// Logf writes a line to the check's log (go test -v, the CLI's details).
	Logf     func(format string, args ...any)
	cleanups []func()
}

// Defer registers fn to run when the run ends, however it ends.
func (s *State) Defer(fn func()) { s.cleanups = append(s.cleanups, fn) }

func (s *State) cleanup() {
	for i := len(s.cleanups) - 1; i >= 0; i-- {
		s.cleanups[i]()
	}
	s.cleanups = nil
}

// Step is one check.
type Step struct {
	Name  string
	Check func(s *State) error
}

// Run runs the steps in order as subtests and stops at the first failure: later steps
// depend on earlier ones (no build for a Dockerfile that does not parse). When the CLI asks
// for a report (verdict.EnvVar), the run is written to it as data as well: each step, its
// log, its builds' steps and its problem with the hint.
func Run(t *testing.T, target Target, steps []Step) {
	t.Helper()
	rep := verdict.FromEnv()
	run := rep.NextRun()
	s := newState(target)
	current := "" // the step that runs, for the report's log lines
	s.Logf = func(format string, args ...any) {
		t.Helper()
		t.Logf(format, args...)
		rep.Write(verdict.Line{Kind: verdict.KindLog, Run: run, Step: current, Text: fmt.Sprintf(format, args...)})
	}
	if rep != nil {
		s.Ctx = imagetest.WithProgress(s.Ctx, func(e buildevent.Event) {
			rep.Write(verdict.Line{Kind: verdict.KindBuild, Run: run, Build: &e})
		})
	}
	t.Cleanup(s.cleanup)
	names := make([]string, len(steps))
	for i, step := range steps {
		names[i] = step.Name
	}
	rep.Write(verdict.Line{Kind: verdict.KindRun, Run: run, Target: target.Name, Lesson: target.Lesson,
		Subject: target.describe(), Steps: names})
	defer rep.Write(verdict.Line{Kind: verdict.KindDone, Run: run})
	s.Logf("проверяю: %s (%s)", target.Name, target.describe())
	for i, step := range steps {
		current = step.Name
		rep.Write(verdict.Line{Kind: verdict.KindStep, Run: run, Step: step.Name})
		start := time.Now()
		var problem *Problem
		// go test takes "/" in a name for a subtest boundary ("GET /healthz" would show as
		// «GET › healthz»): the division slash looks the same and stays one name.
		ok := t.Run(strings.ReplaceAll(step.Name, "/", "∕"), func(t *testing.T) {
			if err := step.Check(s); err != nil {
				problem = verdict.As(err)
				t.Fatal("\n" + err.Error())
			}
		})
		end := verdict.Line{Kind: verdict.KindEnd, Run: run, Step: step.Name, Status: verdict.Passed, Elapsed: time.Since(start)}
		if !ok {
			end.Status, end.Problem = verdict.Failed, problem
			if problem == nil { // the step ended without an error: t.Fatal, t.FailNow or a timeout inside it
				end.Problem = &Problem{What: "проверка прервана; подробности покажет go test -v"}
			}
		}
		rep.Write(end)
		current = ""
		if !ok {
			if rest := len(steps) - i - 1; rest > 0 {
				s.Logf("ещё %d %s: сначала исправьте эту", rest, notRun(rest))
			}
			return
		}
	}
}

// FirstProblem runs the steps and returns the name of the first failing step and its
// error, or "", nil when all pass. It is how tests prove that a starter or a wrong test-data
// Dockerfile fails with the intended message.
func FirstProblem(ctx context.Context, target Target, steps []Step) (string, error) {
	s := newState(target)
	s.Ctx = ctx
	if rep := verdict.FromEnv(); rep != nil {
		// No steps of its own in the report (the verdict is the caller's), but its builds
		// show in the CLI's progress line as the lesson's own do.
		s.Ctx = imagetest.WithProgress(ctx, func(e buildevent.Event) {
			rep.Write(verdict.Line{Kind: verdict.KindBuild, Build: &e})
		})
	}
	defer s.cleanup()
	for _, step := range steps {
		if err := step.Check(s); err != nil {
			return step.Name, err
		}
	}
	return "", nil
}

func newState(target Target) *State {
	return &State{Ctx: context.Background(), Target: target, Logf: func(string, ...any) {}}
}

func (t Target) describe() string {
	if t.Dockerfile != "" {
		rel, err := filepath.Rel(mustWd(), t.DockerfilePath())
		if err != nil {
			rel = t.DockerfilePath()
		}
		return rel
	}
	rel, err := filepath.Rel(mustWd(), t.Dir)
	if err != nil || rel == "." {
		return "./"
	}
	return "./" + rel
}

func mustWd() string {
	wd, _ := os.Getwd()
	return wd
}

// --- steps shared by the lessons ---

// ParseDockerfile parses the target's Dockerfile with BuildKit's parser.
func ParseDockerfile() Step {
	return Step{Name: "Dockerfile разбирается", Check: func(s *State) error {
		if _, err := os.Stat(s.Target.DockerfilePath()); err != nil {
			return Failf("создайте файл или проверьте, из какого каталога вы запускаете go test",
				"нет файла %s", s.Target.Dockerfile)
		}
		f, err := dockerfile.Parse(s.Target.DockerfilePath())
		if err != nil {
			return Failf("проверьте синтаксис инструкций в строке, которую называет ошибка; длинная команда переносится через \\",
				"%s", strings.Replace(err.Error(), s.Target.DockerfilePath(), Display(s.Target.DockerfilePath()), 1))
		}
		s.Dockerfile = f
		return nil
	}}
}

// Static wraps a check of the parsed Dockerfile.
func Static(name string, check func(f *dockerfile.File) error) Step {
	return Step{Name: name, Check: func(s *State) error { return check(s.Dockerfile) }}
}

// Spec is how the target's image is built: its context and Dockerfile, named
// workshop/<lesson>:<tag>. variant names another image of the same target, <tag>-<variant>
// (another platform, other build arguments); "" is the target's own.
func (t Target) Spec(variant string) imagetest.BuildSpec {
	tag := t.Tag
	if variant != "" {
		if tag == "" {
			tag = t.Dockerfile // as imagetest names an image without a tag
		}
		tag += "-" + variant
	}
	return imagetest.BuildSpec{
		Context: t.Context, Dockerfile: t.Dockerfile, Lesson: t.Lesson, Repo: "workshop/" + t.Lesson, Tag: tag,
		SharedGoCache: t.SharedGoCache,
	}
}

// BuildImage builds spec for a check, within 10 minutes. A failed build is a Problem that
// shows the failing step, its output and a hint.
func BuildImage(ctx context.Context, spec imagetest.BuildSpec) (*imagetest.Image, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	img, err := imagetest.Build(ctx, spec)
	if err != nil {
		var be *imagetest.BuildError
		if errors.As(err, &be) {
			return nil, BuildFailure(be)
		}
		return nil, err
	}
	return img, nil
}

// Build builds the target's image; a failed build shows its failing step and log.
func Build() Step { return BuildWith("образ собирается", nil) }

// BuildWith is Build with build arguments, as docker build --build-arg NAME=value passes
// them; name is the step's name, which says what they are.
func BuildWith(name string, args map[string]string) Step {
	return Step{Name: name, Check: func(s *State) error {
		spec := s.Target.Spec("")
		spec.BuildArgs = args
		img, err := BuildImage(s.Ctx, spec)
		if err != nil {
			return err
		}
		s.Image = img
		if img.Note != "" {
			s.Logf("%s: %s", img.Ref, img.Note)
		}
		return nil
	}}
}

// Start starts a container of the built image and waits until GET /healthz answers 200.
func Start(opts imagetest.RunOptions) Step {
	return start("контейнер запускается и отвечает", opts, func(ref string) string {
		return "прочтите журнал контейнера выше: он говорит, почему сервер не запустился; " +
			"запустите образ сами: docker run --rm -p 8080:8080 " + ref
	})
}

// StartHardened is Start with the flags production runs a container with
// (imagetest.HardenedFlags): the image must need no writes to its root filesystem, no
// capabilities and no privilege gain.
func StartHardened(opts imagetest.RunOptions) Step {
	opts.Hardened = true
	return start("контейнер работает с --read-only и --cap-drop=ALL", opts,
		func(ref string) string {
			return "в продакшене контейнер запускают так: docker run --rm " + imagetest.HardenedFlags +
				" -p 8080:8080 " + ref + ". Если без этих флагов образ работает, а с ними нет — серверу нужна " +
				"запись в корневую файловую систему (пишите в том или --tmpfs /tmp, журнал — в stdout) " +
				"или привилегия (setuid, capability у файла): уберите их из образа"
		})
}

func start(name string, opts imagetest.RunOptions, hint func(ref string) string) Step {
	return Step{Name: name, Check: func(s *State) error {
		ctx, cancel := context.WithTimeout(s.Ctx, 2*time.Minute)
		defer cancel()
		c, err := s.Image.Run(ctx, opts)
		if c != nil {
			s.Defer(func() { _ = c.Terminate(context.Background()) }) // bounded inside
		}
		if err != nil {
			if errors.Is(err, imagetest.ErrNoDocker) {
				// The daemon is gone (never started, or died during the check): the fix is
				// Docker's, not the Dockerfile's; the problem says what to run.
				return verdict.As(err)
			}
			if errors.Is(err, context.Canceled) {
				return err
			}
			return Failf(hint(s.Image.Ref), "%v", err)
		}
		s.Container = c
		return nil
	}}
}

// Answers checks that the running server answers each path with status 200 and the body.
func Answers(want map[string]string) Step {
	return Step{Name: "сервер отвечает как ожидается", Check: func(s *State) error {
		for _, path := range sortedKeys(want) {
			resp, err := s.Container.Get(s.Ctx, path)
			if err != nil {
				return Failf("сервер должен слушать порт 8080 на всех интерфейсах (:8080), а не только 127.0.0.1",
					"запрос GET %s не удался: %v", path, err)
			}
			if resp.Status != 200 || resp.Body != want[path] {
				return Failf("сравните обработчик этого пути в server.go с README урока",
					"GET %s: ответ %d %q, а ожидается 200 %q", path, resp.Status, resp.Body, want[path])
			}
		}
		return nil
	}}
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
