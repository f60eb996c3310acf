package lessoncheck

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-docker-workshop/workshop/lessons"
)

// A declaration with a Dockerfile parses it before the lesson's own steps; one without
// runs its steps as they are.
func TestChecksParseTheDockerfileFirst(t *testing.T) {
	own := func() []Step {
		return []Step{{Name: "своя проверка", Check: func(*State) error { return nil }}}
	}
	names := func(steps []Step) []string {
		var out []string
		for _, s := range steps {
			out = append(out, s.Name)
		}
		return out
	}
	if got, want := names(Checks{Dockerfile: "Dockerfile", Steps: own}.steps()), []string{"Dockerfile разбирается", "своя проверка"}; !slices.Equal(got, want) {
		t.Errorf("steps = %q, want %q", got, want)
	}
	if got, want := names(Checks{Steps: own}.steps()), []string{"своя проверка"}; !slices.Equal(got, want) {
		t.Errorf("without a Dockerfile, steps = %q, want %q", got, want)
	}
}

// FirstProblem keeps no log; the starter's and the variants' steps log to their test.
func TestLogToSendsTheStepsLogToTheTest(t *testing.T) {
	var logged bool
	steps := logTo(t, []Step{{Name: "пишет", Check: func(s *State) error {
		s.Logf("строка журнала")
		logged = s.Logf != nil
		return nil
	}}})
	if _, err := FirstProblem(context.Background(), Target{}, steps); err != nil || !logged {
		t.Errorf("FirstProblem = %v, logged %v", err, logged)
	}
}

func TestFailsAt(t *testing.T) {
	e := FailsAt("шаг", "а", "б")
	if e.Step != "шаг" || !slices.Equal(e.Want, []string{"а", "б"}) {
		t.Errorf("FailsAt = %+v", e)
	}
}

func TestReferenceImage(t *testing.T) {
	spec := ReferenceImage("02-single-stage")
	if spec.Context != "../02-single-stage" || spec.Dockerfile != "Dockerfile" || spec.Repo != "workshop/02-single-stage" || spec.Lesson != "02-single-stage" {
		t.Errorf("ReferenceImage = %+v: want lesson 02's own image, workshop/02-single-stage from its Dockerfile", spec)
	}
}

// declared is a lesson without Docker whose one step fails while exercise/server.go still
// holds a TODO, and logs as it goes.
func declared(starter Expect) Checks {
	return Checks{StarterFiles: []string{"exercise/server.go"}, Starter: starter, Steps: func() []Step {
		return []Step{{Name: "TODO сделан", Check: func(s *State) error {
			data, err := os.ReadFile(filepath.Join(s.Target.Dir, "server.go"))
			if err != nil {
				return err
			}
			s.Logf("журнал шага: прочитано %d байт", len(data))
			if strings.Contains(string(data), "TODO") {
				return Failf("сделайте TODO", "в server.go остался TODO")
			}
			return nil
		}}}
	}}
}

func init() {
	scenarios["checks/as declared"] = func(t *testing.T) { declared(FailsAt("TODO сделан", "остался TODO")).CheckStarter(t) }
	scenarios["checks/another step"] = func(t *testing.T) { declared(FailsAt("другой шаг")).CheckStarter(t) }
	scenarios["checks/no starter"] = func(t *testing.T) { declared(Expect{}).CheckStarter(t) }
	scenarios["checks/exercise"] = func(t *testing.T) {
		declared(Expect{}).CheckStarter(t)
		t.Error("CheckStarter went on under -exercise")
	}
}

// CheckStarter copies the declared starter files, runs the steps with their log, and judges
// the failure by the declaration; under -exercise it skips with the reason the CLI knows.
func TestChecksStarter(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "exercise"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "exercise", "server.go"), []byte("package main\n\n// TODO\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		scenario string
		flags    []string
		pass     bool
		wants    []string
	}{
		{"checks/as declared", nil, true, []string{"журнал шага: прочитано", `the starter fails as intended at "TODO сделан"`}},
		{"checks/another step", nil, false, []string{`starter fails at step "TODO сделан", want "другой шаг"`}},
		{"checks/no starter", nil, false, []string{"the lesson declares no Starter"}},
		{"checks/exercise", []string{"-exercise"}, true, []string{lessons.CourseOnly}},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			out, passed := runChild(t, tc.scenario, dir, tc.flags...)
			if passed != tc.pass {
				t.Errorf("passed = %v, want %v:\n%s", passed, tc.pass, out)
			}
			for _, want := range tc.wants {
				if !strings.Contains(out, want) {
					t.Errorf("the output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}
