package main

import (
	"testing"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// The starter runs the server as root; the check must say so and point to the lesson.
var lesson = lessoncheck.Checks{Dockerfile: "Dockerfile", Steps: steps,
	Starter: lessoncheck.FailsAt(stepUser, "от root", "README урока")}

const stepUser = "USER в финальном этапе не root"

func steps() []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.Static(stepUser, checkUser),
		lessoncheck.ExecFormStep(lessoncheck.ScratchCommand("")),
		lessoncheck.Build(),
		lessoncheck.Budget("образ не больше 10 МБ", 10*lessoncheck.MB, "в финальный этап — только бинарник"),
		lessoncheck.Start(imagetest.RunOptions{}),
		lessoncheck.Greets(),
		lessoncheck.StopsOnSIGTERM(),
	}
}

func checkUser(f *dockerfile.File) error {
	if u, ok := f.Effective("USER"); !ok || u.Args[0] == "root" || u.Args[0] == "0" {
		return lessoncheck.Failf("задайте в финальном этапе непривилегированного пользователя (README урока, раздел «…»)",
			"%s: сервер работает от root", lessoncheck.Display(f.Path))
	}
	return nil
}

// The tests the course runs by name (make verdicts, CI).
func TestLesson(t *testing.T)       { lesson.Check(t) }
func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
