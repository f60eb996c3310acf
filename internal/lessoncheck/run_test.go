package lessoncheck

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-docker-workshop/workshop/lessons"
)

// Run, StarterFails and Variants report through *testing.T, and when a check fails they fail
// the test that called them. So the tests of their failures run that test in a child process
// (this test binary, asked for TestChild with a scenario) and read its go test -v output.
// The checks are plain Go functions: no image, no Docker.

const childEnv = "LESSONCHECK_TEST_CHILD"

// scenarios are what TestChild can run, by name.
var scenarios = map[string]func(t *testing.T){}

// TestChild runs the scenario named by LESSONCHECK_TEST_CHILD: it is the child's side of
// runChild, and skips in an ordinary run.
func TestChild(t *testing.T) {
	name := os.Getenv(childEnv)
	if name == "" {
		t.Skip("runs only as a child process of the tests in this file")
	}
	scenario, ok := scenarios[name]
	if !ok {
		t.Fatalf("no scenario %q", name)
	}
	scenario(t)
}

// runChild runs a scenario in a child process with dir as its working directory (the
// package's when ""), and returns its output and whether the child's test passed.
func runChild(t *testing.T, scenario, dir string, flags ...string) (string, bool) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"-test.run=^TestChild$", "-test.v", "-test.count=1"}, flags...)...)
	cmd.Env = append(os.Environ(), childEnv+"="+scenario)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run the child: %v\n%s", err, out)
	}
	return string(out), err == nil
}

// ran records that a step's check ran, in the output the parent reads.
func ran(name string) { fmt.Printf("ran: %s\n", name) }

// plainSteps returns n steps named «шаг 1»…; step fail (1-based, 0 for none) fails with a
// message and a hint.
func plainSteps(n, fail int) []Step {
	var steps []Step
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("шаг %d", i)
		steps = append(steps, Step{Name: name, Check: func(s *State) error {
			ran(name)
			if i == fail {
				return Failf("исправьте "+name, "%s не прошёл", name)
			}
			return nil
		}})
	}
	return steps
}

var plainTarget = Target{Name: "проверяемое", Lesson: "00-test", Dir: "."}

// The rest of the steps after a failure is counted in a line that agrees with its number.
var runCases = []struct {
	name        string
	steps, fail int
	notRun      string // the line about the steps left; "" for none
}{
	{"all pass", 3, 0, ""},
	{"the last fails", 3, 3, ""},
	{"one left", 2, 1, "ещё 1 проверка не запускалась: сначала исправьте эту"},
	{"two left", 4, 2, "ещё 2 проверки не запускались: сначала исправьте эту"},
	{"five left", 6, 1, "ещё 5 проверок не запускались: сначала исправьте эту"},
	{"twenty-one left", 22, 1, "ещё 21 проверка не запускалась: сначала исправьте эту"},
}

func init() {
	for _, tc := range runCases {
		scenarios["run/"+tc.name] = func(t *testing.T) { Run(t, plainTarget, plainSteps(tc.steps, tc.fail)) }
	}
}

// Run stops at the first failing step, shows its message and hint, and says how many
// checks did not run.
func TestRunStopsAtTheFirstFailure(t *testing.T) {
	for _, tc := range runCases {
		t.Run(tc.name, func(t *testing.T) {
			out, passed := runChild(t, "run/"+tc.name, "")
			if passed != (tc.fail == 0) {
				t.Fatalf("the run passed: %v, want %v\n%s", passed, tc.fail == 0, out)
			}
			last := tc.steps
			if tc.fail > 0 {
				last = tc.fail
			}
			for i := 1; i <= tc.steps; i++ {
				if got, want := strings.Contains(out, fmt.Sprintf("ran: шаг %d\n", i)), i <= last; got != want {
					t.Errorf("step %d ran: %v, want %v\n%s", i, got, want, out)
				}
			}
			if tc.fail > 0 {
				for _, want := range []string{
					fmt.Sprintf("✗ шаг %d не прошёл", tc.fail),
					fmt.Sprintf("Подсказка: исправьте шаг %d", tc.fail),
				} {
					if !strings.Contains(out, want) {
						t.Errorf("the output lacks %q:\n%s", want, out)
					}
				}
			}
			if tc.notRun == "" {
				if strings.Contains(out, "ещё ") {
					t.Errorf("a line about checks left, with none left:\n%s", out)
				}
			} else if !strings.Contains(out, tc.notRun) {
				t.Errorf("the output lacks %q:\n%s", tc.notRun, out)
			}
		})
	}
}

// FirstProblem returns the first failing step and its error, runs nothing after it, and
// runs the cleanups the steps registered, last first.
func TestFirstProblem(t *testing.T) {
	var log []string
	steps := []Step{
		{Name: "первый", Check: func(s *State) error {
			log = append(log, "первый")
			s.Defer(func() { log = append(log, "cleanup первого") })
			return nil
		}},
		{Name: "второй", Check: func(s *State) error {
			log = append(log, "второй")
			s.Defer(func() { log = append(log, "cleanup второго") })
			return Failf("подсказка", "второй не прошёл")
		}},
		{Name: "третий", Check: func(s *State) error { log = append(log, "третий"); return nil }},
	}
	step, err := FirstProblem(context.Background(), plainTarget, steps)
	if step != "второй" {
		t.Errorf("failing step = %q, want «второй»", step)
	}
	var p *Problem
	if !errors.As(err, &p) || p.What != "второй не прошёл" || p.Hint != "подсказка" {
		t.Errorf("error = %#v, want the second step's Problem", err)
	}
	want := []string{"первый", "второй", "cleanup второго", "cleanup первого"}
	if !slices.Equal(log, want) {
		t.Errorf("ran %q, want %q", log, want)
	}

	step, err = FirstProblem(context.Background(), plainTarget, plainSteps(3, 0))
	if step != "" || err != nil {
		t.Errorf("all steps pass: got %q, %v; want \"\", nil", step, err)
	}
}

// failingStarter fails at «шаг 2» with «шаг 2 не прошёл» and a hint.
func failingStarter() []Step { return plainSteps(3, 2) }

// StarterFails passes when the starter fails where and how the lesson says, and returns
// the failure.
func TestStarterFailsAsIntended(t *testing.T) {
	err := StarterFails(t, plainTarget, failingStarter(), "шаг 2", "не прошёл")
	if err == nil || !strings.Contains(err.Error(), "шаг 2 не прошёл") {
		t.Errorf("StarterFails returned %v, want the starter's failure", err)
	}
}

var starterCases = []struct {
	name  string
	run   func(t *testing.T)
	wants []string // in the failed child's output
}{
	{"the starter passes", func(t *testing.T) {
		StarterFails(t, plainTarget, plainSteps(3, 0), "шаг 2")
	}, []string{"the starter passes every check: the exercise ships solved"}},
	{"another step fails", func(t *testing.T) {
		StarterFails(t, plainTarget, plainSteps(3, 1), "шаг 2")
	}, []string{`starter fails at step "шаг 1", want "шаг 2"`}},
	{"another message", func(t *testing.T) {
		StarterFails(t, plainTarget, failingStarter(), "шаг 2", "нет CMD")
	}, []string{`starter's message lacks "нет CMD"`}},
	{"no hint", func(t *testing.T) {
		StarterFails(t, plainTarget, []Step{{Name: "шаг 1", Check: func(*State) error {
			return &Problem{What: "шаг 1 не прошёл"}
		}}}, "шаг 1")
	}, []string{`starter's message lacks "Подсказка:"`}},
}

func init() {
	for _, tc := range starterCases {
		scenarios["starter/"+tc.name] = tc.run
	}
}

// StarterFails fails the test when the starter passes, fails at another step, or fails
// with a message that lacks the expected text or a hint.
func TestStarterFailsCatchesAStarterThatDoesNot(t *testing.T) {
	for _, tc := range starterCases {
		t.Run(tc.name, func(t *testing.T) {
			out, passed := runChild(t, "starter/"+tc.name, "")
			if passed {
				t.Fatalf("StarterFails passed:\n%s", out)
			}
			for _, want := range tc.wants {
				if !strings.Contains(out, want) {
					t.Errorf("the output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// Variants files: a check fails with the text of a «# FAIL: …» line of the Dockerfile, if it
// has one. The wrong ones say on their first line what their failure must contain.
var variantFiles = map[string]string{
	"ok-plain.Dockerfile":          "FROM scratch\n",
	"ok-but-fails.Dockerfile":      "FROM scratch\n# FAIL: сломано, хотя вариант верный\n",
	"bad-right.Dockerfile":         "# want:   нет CMD  \nFROM scratch\n# FAIL: в образе нет CMD: контейнеру нечего запускать\n",
	"bad-another.Dockerfile":       "# want: нет USER\nFROM scratch\n# FAIL: в образе нет CMD\n",
	"bad-passes.Dockerfile":        "# want: нет HEALTHCHECK\nFROM scratch\n",
	"bad-without-want.Dockerfile":  "FROM scratch\n# FAIL: в образе нет CMD\n",
	"bad-empty-want.Dockerfile":    "# want:\nFROM scratch\n# FAIL: в образе нет CMD\n",
	"not-a-variant.Dockerfile.txt": "# want: этот файл не вариант\n",
}

func init() {
	scenarios["variants"] = func(t *testing.T) {
		Variants(t, "Dockerfile", func(*testing.T) []Step {
			return []Step{{Name: "FAIL-строка", Check: func(s *State) error {
				ran(filepath.Base(s.Target.Dockerfile))
				data, err := os.ReadFile(s.Target.DockerfilePath())
				if err != nil {
					return err
				}
				for line := range strings.Lines(string(data)) {
					if msg, ok := strings.CutPrefix(line, "# FAIL: "); ok {
						return Failf("уберите строку FAIL", "%s", strings.TrimSpace(msg))
					}
				}
				return nil
			}}}
		})
	}
}

// Variants: ok-* must pass, every other one must fail with a message that contains its
// `# want:` text (trimmed), and a file without that line is a mistake of the course.
func TestVariantsJudgeEachFileByItsWantLine(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "testdata"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, src := range variantFiles {
		if err := os.WriteFile(filepath.Join(dir, "testdata", name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, passed := runChild(t, "variants", dir)
	if passed {
		t.Fatalf("Variants passed with wrong variants among the files:\n%s", out)
	}
	for _, tc := range []struct {
		variant, status string
		wants           []string
	}{
		{"ok-plain", "PASS", nil},
		{"bad-right", "PASS", []string{"fails as intended at \"FAIL-строка\""}},
		{"ok-but-fails", "FAIL", []string{"a correct variant fails at \"FAIL-строка\"", "сломано, хотя вариант верный"}},
		{"bad-another", "FAIL", []string{"want the message to contain \"нет USER\""}},
		{"bad-passes", "FAIL", []string{"passes every check, want a failure with \"нет HEALTHCHECK\""}},
		{"bad-without-want", "FAIL", []string{"testdata/bad-without-want.Dockerfile: the first line must be `# want: <part of the expected message>`"}},
		{"bad-empty-want", "FAIL", []string{"testdata/bad-empty-want.Dockerfile: the first line must be `# want: <part of the expected message>`"}},
	} {
		if line := fmt.Sprintf("--- %s: TestChild/%s ", tc.status, tc.variant); !strings.Contains(out, line) {
			t.Errorf("the output lacks %q:\n%s", line, out)
		}
		for _, want := range tc.wants {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the output lacks %q:\n%s", tc.variant, want, out)
			}
		}
	}
	// Only bad-right fails as intended; bad-another fails, but not as intended.
	if n := strings.Count(out, "fails as intended"); n != 1 {
		t.Errorf("%d variants said they fail as intended, want 1 (bad-right):\n%s", n, out)
	}
	if strings.Contains(out, "not-a-variant") {
		t.Errorf("a file that does not end in .Dockerfile was taken for a variant:\n%s", out)
	}
}

func init() {
	scenarios["skip in exercise"] = func(t *testing.T) {
		SkipInExercise(t)
		t.Log("not skipped")
	}
}

// Under -exercise a test of the course itself skips with the reason the CLI leaves out of
// a student's summary; without it, the test runs.
func TestSkipInExercise(t *testing.T) {
	out, passed := runChild(t, "skip in exercise", "", "-exercise")
	if !passed || !strings.Contains(out, "--- SKIP: TestChild") || !strings.Contains(out, lessons.CourseOnly) {
		t.Errorf("under -exercise, want a skip with %q:\n%s", lessons.CourseOnly, out)
	}
	out, passed = runChild(t, "skip in exercise", "")
	if !passed || !strings.Contains(out, "not skipped") {
		t.Errorf("without -exercise, want the test to run:\n%s", out)
	}
}
