package lessoncheck

import (
	"context"
	"slices"
	"testing"
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
