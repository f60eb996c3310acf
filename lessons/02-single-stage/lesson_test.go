// Checks of lesson 02: a single-stage image of the server. Static checks of the Dockerfile
// first, then the build, the running container, docker stop and the image's size.
//
//	go test ./lessons/02-single-stage/            the reference Dockerfile
//	go test ./lessons/02-single-stage/ -exercise  the student's exercise/Dockerfile
package main

import (
	"testing"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// The starter fails for the intended reason: FROM golang without a tag.
var lesson = lessoncheck.Checks{Dockerfile: "Dockerfile", Steps: steps,
	Starter: lessoncheck.FailsAt(stepBase, "без тега", "«Закреплённый тег»")}

const (
	stepBase = "базовый образ — golang с закреплённым тегом"
	stepSize = "образ большой: в нём весь Go"
)

func steps() []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.Static("Dockerfile одноэтапный", checkSingleStage),
		lessoncheck.Static(stepBase, checkGolangBase),
		lessoncheck.ExecFormStep(lessoncheck.ShellImageCommand("golang")),
		lessoncheck.Static("образ собирает сервер в RUN go build и запускает бинарник", checkBuiltBinary),
		lessoncheck.Build(),
		lessoncheck.Start(imagetest.RunOptions{}),
		lessoncheck.Greets(),
		lessoncheck.StopsOnSIGTERM(),
		{Name: stepSize, Check: func(s *lessoncheck.State) error {
			info, err := s.Image.Inspect(s.Ctx)
			if err != nil {
				return err
			}
			s.Logf("образ %s: %s, слоёв: %d", s.Image.Ref, info.SizeText(), info.Layers)
			if info.Size < 300*lessoncheck.MB {
				return lessoncheck.Failf("в этом уроке образ одноэтапный, на golang:1.26-bookworm целиком; "+
					"уменьшать его вы будете в уроке 3",
					"образ весит всего %d МБ без сжатия: одноэтапный образ на golang весит сотни мегабайт", info.Size/lessoncheck.MB)
			}
			return nil
		}},
	}
}

// The tests the course runs by name (make verdicts, CI).
func TestLesson(t *testing.T)       { lesson.Check(t) }
func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
