// Checks of lesson 03: a multi-stage build. Static checks of the Dockerfile first (stages,
// the final base image, COPY --from, exec form), then the build, the running container,
// docker stop, what the final image contains and its size next to lesson 02's image.
//
//	go test ./lessons/03-multi-stage/            the reference Dockerfile
//	go test ./lessons/03-multi-stage/ -exercise  the student's exercise/Dockerfile
package main

import (
	"context"
	"fmt"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

func TestLesson(t *testing.T) {
	lessoncheck.Run(t, lessoncheck.Lesson(t, "Dockerfile"), steps(t.Logf))
}

// The starter as committed must fail, and for the intended reason: it has one stage.
func TestStarterFails(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	target := lessoncheck.Starter(t, "Dockerfile")
	lessoncheck.StarterFails(t, target, steps(t.Logf), stepStages,
		"один этап", "COPY --from")
}

// Other correct Dockerfiles pass (testdata/ok-*), typical mistakes fail with their `# want:`.
func TestVariants(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	lessoncheck.Variants(t, "Dockerfile", func(t *testing.T) []lessoncheck.Step { return steps(t.Logf) })
}

// Step names; the starter's test refers to the one it must fail at.
const (
	stepStages   = "не меньше двух этапов"
	stepFinal    = "финальный этап на debian:bullseye-slim"
	stepCopyFrom = "финальный этап берёт файл из этапа сборки"
	stepCmd      = "CMD или ENTRYPOINT в exec-форме"
	stepFiles    = "в образе нет Go и исходников"
	stepSize     = "образ не больше 100 МБ"
	stepRatio    = "образ хотя бы в 3 раза меньше одноэтапного"
)

const mb = 1000 * 1000 // Docker shows sizes in decimal megabytes

// singleStage is lesson 02's reference image under the name lesson 02's own tests give it,
// so both lessons share one image and its build cache.
var singleStage = imagetest.BuildSpec{
	Context: "../02-single-stage", Dockerfile: "Dockerfile",
	Repo: "workshop/02-single-stage", Tag: "dockerfile", Lesson: "02-single-stage",
}

// checkExecForm checks the command the final image runs, wherever in the chain of stages it is set.
var checkExecForm = lessoncheck.ExecForm(lessoncheck.CommandText{
	NoCommand: "контейнер запустит команду базового образа (у debian:bullseye-slim это bash) и сразу завершится",
	ShellForm: "Docker запустит /bin/sh -c, и PID 1 станет оболочка, а не сервер. Оболочка не передаёт серверу SIGTERM, поэтому docker stop ждёт 10 с и убивает контейнер (код 137)",
})

func steps(logf func(format string, args ...any)) []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.ParseDockerfile(),
		lessoncheck.Static(stepStages, checkStages),
		lessoncheck.Static(stepFinal, checkFinalBase),
		lessoncheck.Static(stepCopyFrom, checkCopyFrom),
		lessoncheck.Static(stepCmd, checkExecForm),
		lessoncheck.Build(),
		lessoncheck.Start(imagetest.RunOptions{}),
		lessoncheck.Answers(map[string]string{
			"/":        `{"message":"Привет из Go в Docker!"}` + "\n",
			"/healthz": "ok\n",
		}),
		lessoncheck.StopsOnSIGTERM(logf),
		{Name: stepFiles, Check: checkFiles},
		{Name: stepSize, Check: func(s *lessoncheck.State) error {
			info, err := s.Image.Inspect(s.Ctx)
			if err != nil {
				return err
			}
			logf("образ %s: %s, слоёв: %d", s.Image.Ref, info.SizeText(), info.Layers)
			if info.Size > 100*mb {
				return lessoncheck.Failf("в финальный образ должны попасть только debian:bullseye-slim (около 80 МБ) "+
					"и бинарник (около 9 МБ); какой слой лишний, покажет docker history "+s.Image.Ref,
					"образ весит %s без сжатия, а должен не больше 100 МБ", ru.Megabytes(info.Size))
			}
			return nil
		}},
		{Name: stepRatio, Check: func(s *lessoncheck.State) error {
			ctx, cancel := context.WithTimeout(s.Ctx, 10*time.Minute)
			defer cancel()
			single, err := imagetest.Build(ctx, singleStage)
			if err != nil {
				return fmt.Errorf("одноэтапный образ урока 2 для сравнения не собрался: %w", err)
			}
			singleInfo, err := single.Inspect(ctx)
			if err != nil {
				return err
			}
			info, err := s.Image.Inspect(ctx)
			if err != nil {
				return err
			}
			logf("без сжатия одноэтапный %s: %s; многоэтапный %s: %s; меньше в %s раза",
				single.Ref, ru.Size(float64(singleInfo.Size)), s.Image.Ref, ru.Size(float64(info.Size)), ru.Decimal(float64(singleInfo.Size)/float64(info.Size), 1))
			if 3*info.Size > singleInfo.Size {
				return lessoncheck.Failf("в финальный этап копируйте из этапа сборки только бинарник",
					"образ весит %s без сжатия, одноэтапный образ урока 2 — %s: выигрыш меньше чем в 3 раза",
					ru.Size(float64(info.Size)), ru.Size(float64(singleInfo.Size)))
			}
			return nil
		}},
	}
}

func checkStages(f *dockerfile.File) error {
	if len(f.Stages) < 2 {
		return lessoncheck.Failf("разделите Dockerfile на два этапа: первый собирает бинарник, второй начинается с "+
			"маленького базового образа и берёт из первого только бинарник через COPY --from — как, показывает README урока, "+
			"раздел «Dockerfile урока, строка за строкой»",
			"%s: в Dockerfile один этап (одна инструкция FROM), а многоэтапной сборке нужны два: "+
				"этап сборки и финальный этап", lessoncheck.Display(f.Path))
	}
	return nil
}

func checkFinalBase(f *dockerfile.File) error {
	final := f.Final()
	base := f.BaseImage(final)
	name, tag, _ := dockerfile.SplitRef(base)
	at := fmt.Sprintf("%s, FROM %s", final.Label(), final.Base)
	switch {
	case dockerfile.ShortName(name) == "golang":
		return lessoncheck.Failf("начните финальный этап с маленького образа Debian, а не с golang: инструменты Go нужны только "+
			"этапу сборки (README урока, раздел «Этап 2, prod: запустить»)",
			"%s: финальный этап всё ещё golang — в образ попадут все инструменты сборки Go: компилятор, стандартная библиотека, "+
				"кэш компилятора Go", at)
	case dockerfile.ShortName(name) != "debian" || tag != "bullseye-slim":
		return lessoncheck.Failf("в этом уроке финальный этап — на debian:bullseye-slim (почему этот образ, сказано в разделе "+
			"«Этап 2, prod: запустить»); образы ещё меньше (scratch) — тема урока 5",
			"%s: финальный этап начинается с %s, а ожидается debian:bullseye-slim", at, base)
	}
	return nil
}

// checkCopyFrom checks that the final stage takes something from an earlier stage that exists.
func checkCopyFrom(f *dockerfile.File) error {
	final := f.Final()
	var names []string
	for _, s := range f.Stages[:final.Index] {
		if s.Name != "" {
			names = append(names, s.Name)
		}
	}
	known := "у этапов сборки нет имён: имя этапу даёт слово AS в конце его строки FROM"
	if len(names) > 0 {
		known = "имена этапов сборки в вашем Dockerfile: " + strings.Join(names, ", ")
	}
	found := false
	for _, in := range final.Find("COPY") {
		if in.From == "" {
			continue
		}
		st, ok := f.Stage(in.From)
		switch {
		case !ok && !strings.ContainsAny(in.From, ":/"):
			return lessoncheck.Failf("имя после --from должно совпадать с именем после AS в строке FROM этапа сборки; "+known,
				"%s (строка %d): этапа %s в Dockerfile нет — Docker примет его за имя образа и попробует скачать",
				in.Source, in.Line, in.From)
		case ok && st.Index >= final.Index:
			return lessoncheck.Failf("в --from укажите этап сборки, который идёт раньше финального",
				"%s (строка %d): --from=%s — это не более ранний этап", in.Source, in.Line, in.From)
		case ok:
			found = true
		}
		for _, src := range in.Args[:len(in.Args)-1] {
			if path.Clean("/"+src) == "/" {
				return lessoncheck.Failf("из этапа сборки копируйте только бинарник — файл, который записал go build, а не всю "+
					"файловую систему этапа",
					"%s (строка %d) копирует всю файловую систему этапа %s: инструменты сборки Go из /usr/local/go, "+
						"исходники и весь Debian этапа сборки поверх финального образа (BuildKit остановит такую сборку "+
						"на первом же конфликте файлов, а если нет — образ станет больше одноэтапного)",
					in.Source, in.Line, in.From)
			}
		}
	}
	if !found {
		return lessoncheck.Failf("возьмите бинарник из этапа сборки флагом --from у COPY (README урока, раздел «Этап 2, prod: "+
			"запустить»): обычный COPY берёт файлы из контекста сборки, а не из другого этапа",
			"%s: финальный этап ничего не берёт из этапа сборки — в нём нет COPY --from=<этап>", final.Label())
	}
	return nil
}

// checkFiles: the Go toolchain and sources must have stayed in the build stage.
var checkFiles = lessoncheck.NoBuildLeftovers("из этапа сборки копируйте только бинарник, файл /go/server, " +
	"а не весь каталог /go и не /")
