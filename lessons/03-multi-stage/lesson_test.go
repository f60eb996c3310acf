// Checks of lesson 03: a multi-stage build. Static checks of the Dockerfile first (stages,
// the final base image, COPY --from, exec form), then the build, the running container,
// docker stop, what the final image contains and its size next to lesson 02's image.
//
//	go test ./lessons/03-multi-stage/            the reference Dockerfile
//	go test ./lessons/03-multi-stage/ -exercise  the student's exercise/Dockerfile
package main

import (
	"fmt"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

// The starter fails for the intended reason: it has one stage.
var lesson = lessoncheck.Checks{Dockerfile: "Dockerfile", Steps: steps,
	Starter: lessoncheck.FailsAt(stepStages, "один этап", "COPY --from")}

const stepStages = "не меньше двух этапов"

func steps() []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.Static(stepStages, checkStages),
		lessoncheck.Static("финальный этап на debian:bullseye-slim", checkFinalBase),
		lessoncheck.Static("финальный этап берёт файл из этапа сборки", checkCopyFrom),
		lessoncheck.ExecFormStep(lessoncheck.ShellImageCommand("debian:bullseye-slim")),
		lessoncheck.Build(),
		lessoncheck.Start(imagetest.RunOptions{}),
		lessoncheck.Greets(),
		lessoncheck.StopsOnSIGTERM(),
		{Name: "в образе нет Go и исходников", Check: lessoncheck.NoBuildLeftovers("из этапа сборки копируйте только " +
			"бинарник, файл /go/server, а не весь каталог /go и не /")},
		lessoncheck.Budget("образ не больше 100 МБ", 100*lessoncheck.MB, "в финальный образ должны попасть только "+
			"debian:bullseye-slim (около 80 МБ) и бинарник (около 9 МБ)"),
		{Name: "образ хотя бы в 3 раза меньше одноэтапного", Check: checkRatio},
	}
}

// checkRatio compares the image with lesson 02's reference image, the one lesson 02's own
// tests build.
func checkRatio(s *lessoncheck.State) error {
	single, err := lessoncheck.BuildImage(s.Ctx, lessoncheck.ReferenceImage("02-single-stage"))
	if err != nil {
		return fmt.Errorf("одноэтапный образ урока 2 для сравнения не собрался: %w", err)
	}
	singleInfo, err := single.Inspect(s.Ctx)
	if err != nil {
		return err
	}
	info, err := s.Image.Inspect(s.Ctx)
	if err != nil {
		return err
	}
	s.Logf("без сжатия одноэтапный %s: %s; многоэтапный %s: %s; меньше в %s раза", single.Ref,
		ru.Size(float64(singleInfo.Size)), s.Image.Ref, ru.Size(float64(info.Size)), ru.Decimal(float64(singleInfo.Size)/float64(info.Size), 1))
	if 3*info.Size > singleInfo.Size {
		return lessoncheck.Failf("в финальный этап копируйте из этапа сборки только бинарник",
			"образ весит %s без сжатия, одноэтапный образ урока 2 — %s: выигрыш меньше чем в 3 раза",
			ru.Size(float64(info.Size)), ru.Size(float64(singleInfo.Size)))
	}
	return nil
}

// The tests the course runs by name (make verdicts, CI).
func TestLesson(t *testing.T)       { lesson.Check(t) }
func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
