// Checks of lesson 08: a HEALTHCHECK that works in an image FROM scratch. Static checks
// first (a command in exec form; a HEALTHCHECK in the final image, in exec form, not NONE,
// with an interval of at most 30 s), then the build, the program the check runs (it must
// exist in the image), the running container, the check run by hand with docker exec and
// the health status Docker itself reports.
//
//	go test ./lessons/08-healthcheck/            the reference Dockerfile
//	go test ./lessons/08-healthcheck/ -exercise  the student's exercise/Dockerfile
package main

import (
	"testing"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// The starter fails for the intended reason: its HEALTHCHECK is the usual
// `curl -f … || exit 1` in shell form, which can never run in scratch.
var lesson = lessoncheck.Checks{Dockerfile: "Dockerfile", Steps: steps,
	Starter: lessoncheck.FailsAt(stepHealthcheck, "shell-форме", "/bin/sh", "curl", "-healthcheck")}

const stepHealthcheck = "HEALTHCHECK в exec-форме"

func steps() []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.ExecFormStep(lessoncheck.ScratchCommand("")),
		lessoncheck.Static(stepHealthcheck, checkHealthcheck),
		{Name: "интервал проверки не больше 30 с", Check: checkInterval},
		lessoncheck.Build(),
		{Name: "программа проверки есть в образе", Check: checkProgram},
		lessoncheck.Start(imagetest.RunOptions{}),
		lessoncheck.Greets(),
		{Name: "проверка, запущенная через docker exec, успешна", Check: checkExec},
		{Name: "контейнер становится healthy", Check: checkHealthy},
	}
}

// The tests the course runs by name (make verdicts, CI).
func TestLesson(t *testing.T)       { lesson.Check(t) }
func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
