// Checks of lesson 01: they judge the running program, not its source. Each check builds the
// target's Go package, starts it on a free loopback port and asks it over HTTP.
//
//	go test ./lessons/01-server/            the reference solution (server.go)
//	go test ./lessons/01-server/ -exercise  the student's exercise (exercise/server.go)
package main

import (
	"testing"

	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// The starter fails for the intended reason: no /healthz yet. Other correct servers pass
// (testdata/ok-*.go), typical mistakes fail with their `// want:` text.
var lesson = lessoncheck.Checks{Steps: steps, StarterFiles: []string{"exercise/server.go"},
	Starter:  lessoncheck.FailsAt(stepHealthz, "GET /healthz: ответ 404", "«Шаблоны с методом»"),
	Variants: lessoncheck.GoFiles}

// Step names; the declaration's Starter refers to the one it must fail at.
const (
	stepBuild    = "сервер компилируется"
	stepStart    = "сервер запускается и слушает PORT на всех интерфейсах"
	stepRoot     = "GET / отвечает JSON"
	stepNotFound = "неизвестный путь отвечает 404"
	stepHealthz  = "GET /healthz отвечает ok"
	stepMethod   = "POST /healthz отвечает 405"
)

// steps: one server per run, which the steps share.
func steps() []lessoncheck.Step {
	r := newRun()
	return []lessoncheck.Step{
		{Name: stepBuild, Check: r.Compile},
		{Name: stepStart, Check: r.Start},
		{Name: stepRoot, Check: r.root},
		{Name: stepNotFound, Check: r.notFound},
		{Name: stepHealthz, Check: r.healthz},
		{Name: stepMethod, Check: r.method},
	}
}

// The tests the course runs by name (make verdicts, CI).
func TestLesson(t *testing.T)       { lesson.Check(t) }
func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
