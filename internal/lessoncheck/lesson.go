package lessoncheck

import (
	"testing"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

// Checks declares a lesson: its steps, where its starter must fail, and how its test-data
// variants are judged. Everything else is a default: the reference solution, or with
// -exercise the student's exercise; the starter as committed in git HEAD; a Dockerfile that
// parses before any step of the lesson runs. A lesson_test.go is the declaration and the
// three tests the course runs by name:
//
//	var lesson = lessoncheck.Checks{Dockerfile: "Dockerfile", Steps: steps, Starter: …}
//
//	func TestLesson(t *testing.T)       { lesson.Check(t) }
//	func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
//	func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
type Checks struct {
	// Dockerfile is the reference Dockerfile's name, the exercise's inside exercise/; "" for
	// a lesson without Docker, whose steps look at its Go code (Target.Dir).
	Dockerfile string
	// Steps returns the lesson's steps, new for each run: steps may share state within a run
	// (the server lesson 01 starts once for all its requests). With a Dockerfile,
	// ParseDockerfile runs before them.
	Steps func() []Step
	// Starter is where the starter as committed must fail, and what its message says.
	Starter Expect
	// StarterFiles are the starter's files besides exercise/<Dockerfile>, relative to the
	// lesson, e.g. "exercise/server.go".
	StarterFiles []string
	// AfterStarter, when set, runs after the starter failed as intended: a check of the
	// lesson's own on the starter (lesson 04 starts its image to show the README's failure).
	AfterStarter func(t *testing.T, starter Target)
	// Variants is how testdata/ is judged; Dockerfiles side by side by default.
	Variants VariantKind
	// GoVariantSteps, when set, judge testdata/*.go as well, side by side and before the
	// Dockerfiles: a lesson whose student writes both the server and the Dockerfile (07) runs
	// its servers through the steps that need no image.
	GoVariantSteps func() []Step
}

// Expect is a failure a run must stop at: the step's name and texts its message contains.
type Expect struct {
	Step string
	Want []string
}

// FailsAt is an Expect: the run stops at step with a message that contains each of want.
func FailsAt(step string, want ...string) Expect { return Expect{Step: step, Want: want} }

// VariantKind is what testdata/ holds and how its variants run.
type VariantKind int

const (
	// Dockerfiles: testdata/*.Dockerfile, side by side, sharing Go's build cache.
	Dockerfiles VariantKind = iota
	// DockerfilesInTurn: testdata/*.Dockerfile one at a time, without the shared cache, for a
	// lesson that judges BuildKit's cache (see VariantsInTurn).
	DockerfilesInTurn
	// GoFiles: testdata/*.go, each the server.go of a directory of its own, one at a time.
	GoFiles
	// GoFilesSideBySide: testdata/*.go side by side.
	GoFilesSideBySide
)

// Check runs the lesson's steps on the reference solution, or with -exercise on the
// student's exercise: TestLesson.
func (c Checks) Check(t *testing.T) {
	t.Helper()
	Run(t, Lesson(t, c.Dockerfile), c.steps())
}

// CheckStarter proves that the starter as committed fails where c.Starter says, with its
// texts: TestStarterFails. It skips under -exercise.
func (c Checks) CheckStarter(t *testing.T) {
	t.Helper()
	SkipInExercise(t)
	if c.Starter.Step == "" {
		t.Fatal("the lesson declares no Starter: where must its starter fail?")
	}
	starter := Starter(t, c.Dockerfile, c.StarterFiles...)
	// The starter as committed is the course's fixture, not the student's build: it shares Go's
	// build cache as the variants do, unless the lesson judges BuildKit's cache.
	starter.SharedGoCache = c.Variants != DockerfilesInTurn
	StarterFails(t, starter, logTo(t, c.steps()), c.Starter.Step, c.Starter.Want...)
	if c.AfterStarter != nil && !t.Failed() {
		c.AfterStarter(t, starter)
	}
}

// CheckVariants runs the variants in testdata/: ok-* pass, the others fail with the text of
// their first line: TestVariants. It skips under -exercise.
func (c Checks) CheckVariants(t *testing.T) {
	t.Helper()
	SkipInExercise(t)
	if c.GoVariantSteps != nil {
		GoVariants(t, c.Dockerfile, true, func(t *testing.T) []Step { return logTo(t, c.GoVariantSteps()) })
	}
	steps := func(t *testing.T) []Step { return logTo(t, c.steps()) }
	switch c.Variants {
	case Dockerfiles:
		Variants(t, c.Dockerfile, steps)
	case DockerfilesInTurn:
		VariantsInTurn(t, c.Dockerfile, steps)
	case GoFiles, GoFilesSideBySide:
		GoVariants(t, c.Dockerfile, c.Variants == GoFilesSideBySide, steps)
	}
}

// CheckOther runs the steps on another reference answer of the lesson, dockerfile in the
// lesson's directory (lesson 06's Dockerfile.buildkit): it passes the same checks. It skips
// under -exercise.
func (c Checks) CheckOther(t *testing.T, dockerfile string) {
	t.Helper()
	SkipInExercise(t)
	Run(t, Lesson(t, c.Dockerfile).WithDockerfile(dockerfile, dockerfile), c.steps())
}

func (c Checks) steps() []Step {
	steps := c.Steps()
	if c.Dockerfile != "" {
		steps = append([]Step{ParseDockerfile()}, steps...)
	}
	return steps
}

// logTo sends the steps' log lines to t: FirstProblem, which runs the starter and the
// variants, keeps none.
func logTo(t *testing.T, steps []Step) []Step {
	out := make([]Step, len(steps))
	for i, step := range steps {
		check := step.Check
		out[i] = Step{Name: step.Name, Check: func(s *State) error {
			s.Logf = t.Logf
			return check(s)
		}}
	}
	return out
}

// Greeting is what GET / of the course's server answers.
const Greeting = `{"message":"Привет из Go в Docker!"}` + "\n"

// Greets is the step that asks the running server GET / and GET /healthz: the greeting and
// ok, as lesson 01 wrote them.
func Greets() Step { return Answers(map[string]string{"/": Greeting, "/healthz": "ok\n"}) }

// MB is Docker's megabyte: sizes are shown in decimal units.
const MB = 1000 * 1000

// Budget is the step that logs the image's size and wants it at most max bytes (Info.Size,
// without compression, the course's one measure). hint says what to leave out; the step adds
// the command that shows what takes the space.
func Budget(name string, max int64, hint string) Step {
	return Step{Name: name, Check: func(s *State) error {
		info, err := s.Image.Inspect(s.Ctx)
		if err != nil {
			return err
		}
		s.Logf("образ %s: %s, слоёв: %d", s.Image.Ref, info.SizeText(), info.Layers)
		if info.Size > max {
			return Failf(hint+". Что занимает место, покажет docker history "+s.Image.Ref,
				"образ весит %s без сжатия, бюджет урока — %s МБ", ru.Megabytes(info.Size), ru.Number(float64(max)/MB))
		}
		return nil
	}}
}

// ReferenceImage is how another lesson's tests build that lesson's reference image (slug:
// "02-single-stage"), so that both share one image and its build cache.
func ReferenceImage(slug string) imagetest.BuildSpec {
	return Target{Lesson: slug, Context: "../" + slug, Dockerfile: "Dockerfile"}.Spec("")
}
