// Checks of lesson 05: an image FROM scratch that holds little more than the server.
// Static checks first (a command in exec form: scratch has no shell), then the build, the
// size budget, the final base, the binary itself (static; nothing of the build stage beside
// it; stripped; no build paths) next to the image's size, the running container and the
// missing shell.
//
//	go test ./lessons/05-scratch/            the reference Dockerfile
//	go test ./lessons/05-scratch/ -exercise  the student's exercise/Dockerfile
package main

import (
	"testing"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// The starter fails for the intended reason: it builds and runs, but on
// debian:bullseye-slim it is far over the lesson's budget.
var lesson = lessoncheck.Checks{Dockerfile: "Dockerfile", Steps: steps,
	Starter: lessoncheck.FailsAt(stepBudget, "образ весит", "бюджет урока — 10 МБ", "scratch")}

const stepBudget = "образ не больше 10 МБ"

// hintStatic: in scratch only a static binary can start.
const hintStatic = "выключите cgo (урок 4, раздел «Статический бинарник и динамическая компоновка»)"

func steps() []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.ExecFormStep(lessoncheck.ScratchCommand("")),
		lessoncheck.Build(),
		lessoncheck.Budget(stepBudget, 10*lessoncheck.MB, "финальному этапу не нужен Debian: начните его с пустого "+
			"образа scratch и скопируйте в него только бинарник (README урока, раздел «Что такое scratch»), а сам "+
			"бинарник уменьшат флаги go build из раздела «Флаги сборки»"),
		lessoncheck.Static("финальный этап FROM scratch", checkScratch),
		lessoncheck.StaticBinary("бинарник статический", hintStatic),
		{Name: "в образе нет Go и исходников", Check: lessoncheck.NoBuildLeftovers("из этапа сборки копируйте " +
			"только бинарник, а не весь каталог /go и не /")},
		{Name: "в образе почти ничего, кроме бинарника", Check: checkRatio},
		{Name: "бинарник без таблицы символов", Check: checkStripped},
		{Name: "в бинарнике нет путей машины сборки", Check: checkTrimpath},
		lessoncheck.Start(imagetest.RunOptions{}),
		lessoncheck.Greets(),
		{Name: "в образе нет оболочки", Check: checkNoShell},
	}
}

// The tests the course runs by name (make verdicts, CI).
func TestLesson(t *testing.T)       { lesson.Check(t) }
func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
