// Checks of lesson 07: a graceful shutdown on SIGTERM. Static checks of the Dockerfile first
// (a command in exec form, so the server is PID 1), then the server's own behaviour as a host
// process (cheap: no image yet): a request in flight when SIGTERM arrives must complete and the
// process must exit with code 0. Then the same in the container: the build, the answers, and
// docker stop while GET /slow?d=2s is in flight.
//
//	go test ./lessons/07-graceful-shutdown/            the reference (server.go, Dockerfile)
//	go test ./lessons/07-graceful-shutdown/ -exercise  the student's exercise/server.go
package main

import (
	"testing"

	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// The starter fails for the intended reason: it has no handler for SIGTERM, so Go's runtime
// ends it at once and cuts the request in flight. Go variants (testdata/*.go) run as host
// processes only: that is where a server's code shows its behaviour, and it needs no image.
// Dockerfile variants run every step. Both kinds run side by side: several wait out a timeout.
var lesson = lessoncheck.Checks{Dockerfile: "Dockerfile", Steps: steps, StarterFiles: []string{"exercise/server.go"},
	Starter: lessoncheck.FailsAt(stepHostRequest, "оборвал запрос GET /slow?d=2s", "код выхода 2",
		"signal.NotifyContext", "Shutdown"),
	GoVariantSteps: hostSteps}

const stepHostRequest = "SIGTERM: сервер дожидается текущего запроса"

// steps are the lesson's checks: static, host process, image, container.
func steps() []lessoncheck.Step {
	stop := &stopRun{}
	return append(append([]lessoncheck.Step{
		lessoncheck.Static("ENTRYPOINT или CMD в exec-форме", lessoncheck.ExecForm(lessoncheck.ScratchCommand(
			"а в образе с оболочкой PID 1 стала бы она и не передала серверу SIGTERM: docker stop через 10 с убил бы контейнер (код 137)"))),
	}, hostSteps()...),
		lessoncheck.Build(),
		startContainer(),
		lessoncheck.Answers(map[string]string{"/": lessoncheck.Greeting, "/healthz": "ok\n", "/slow?d=10ms": doneBody}),
		lessoncheck.Step{Name: "docker stop: текущий запрос завершается", Check: stop.request},
		lessoncheck.Step{Name: "docker stop: контейнер выходит с кодом 0", Check: stop.exit},
	)
}

// hostSteps build the target's server.go, run it on a free loopback port and send it SIGTERM
// while GET /slow?d=2s is in flight.
func hostSteps() []lessoncheck.Step {
	h := newHostRun()
	return []lessoncheck.Step{
		{Name: "сервер компилируется", Check: h.Compile},
		{Name: "сервер запускается и отвечает на GET /slow", Check: h.start},
		{Name: stepHostRequest, Check: h.request},
		{Name: "SIGTERM: сервер выходит с кодом 0", Check: func(*lessoncheck.State) error { return h.exit() }},
	}
}

// The tests the course runs by name (make verdicts, CI).
func TestLesson(t *testing.T)       { lesson.Check(t) }
func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
