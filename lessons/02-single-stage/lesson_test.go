// Checks of lesson 02: a single-stage image of the server. Static checks of the Dockerfile
// first, then the build, the running container, docker stop and the image's size.
//
//	go test ./lessons/02-single-stage/            the reference Dockerfile
//	go test ./lessons/02-single-stage/ -exercise  the student's exercise/Dockerfile
package main

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

func TestLesson(t *testing.T) {
	lessoncheck.Run(t, lessoncheck.Lesson(t, "Dockerfile"), steps(t.Logf))
}

// The starter as committed must fail, and for the intended reason: FROM golang without a tag.
func TestStarterFails(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	target := lessoncheck.Starter(t, "Dockerfile")
	lessoncheck.StarterFails(t, target, steps(t.Logf), stepBase,
		"без тега", "«Закреплённый тег»")
}

// Other correct Dockerfiles pass (testdata/ok-*), typical mistakes fail with their `# want:`.
func TestVariants(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	lessoncheck.Variants(t, "Dockerfile", func(t *testing.T) []lessoncheck.Step { return steps(t.Logf) })
}

// Step names; the starter's test refers to the one it must fail at.
const (
	stepSingle = "Dockerfile одноэтапный"
	stepBase   = "базовый образ — golang с закреплённым тегом"
	stepCmd    = "CMD или ENTRYPOINT в exec-форме"
	stepGoRun  = "образ собирает сервер в RUN go build и запускает бинарник"
	stepSize   = "образ большой: в нём весь Go"
)

const mb = 1000 * 1000 // Docker shows sizes in decimal megabytes

// checkExecForm checks the command the final image runs, wherever in the chain of stages it is set.
var checkExecForm = lessoncheck.ExecForm(lessoncheck.CommandText{
	NoCommand: "контейнер запустит команду базового образа (у golang это bash) и сразу завершится",
	ShellForm: "Docker запустит /bin/sh -c, и PID 1 станет оболочка, а не сервер. Оболочка не передаёт серверу SIGTERM, поэтому docker stop ждёт 10 с и убивает контейнер (код 137)",
})

func steps(logf func(format string, args ...any)) []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.ParseDockerfile(),
		lessoncheck.Static(stepSingle, checkSingleStage),
		lessoncheck.Static(stepBase, checkGolangBase),
		lessoncheck.Static(stepCmd, checkExecForm),
		lessoncheck.Static(stepGoRun, checkBuiltBinary),
		lessoncheck.Build(),
		lessoncheck.Start(imagetest.RunOptions{}),
		lessoncheck.Answers(map[string]string{
			"/":        `{"message":"Привет из Go в Docker!"}` + "\n",
			"/healthz": "ok\n",
		}),
		lessoncheck.StopsOnSIGTERM(logf),
		{Name: stepSize, Check: func(s *lessoncheck.State) error {
			info, err := s.Image.Inspect(s.Ctx)
			if err != nil {
				return err
			}
			logf("образ %s: %s, слоёв: %d", s.Image.Ref, info.SizeText(), info.Layers)
			if info.Size < 300*mb {
				return lessoncheck.Failf("в этом уроке образ одноэтапный, на golang:1.26-bookworm целиком; "+
					"уменьшать его вы будете в уроке 3",
					"образ весит всего %d МБ без сжатия: одноэтапный образ на golang весит сотни мегабайт", info.Size/mb)
			}
			return nil
		}},
	}
}

func checkSingleStage(f *dockerfile.File) error {
	if len(f.Stages) > 1 {
		return lessoncheck.Failf("оставьте одну инструкцию FROM: многоэтапная сборка — тема урока 3",
			"%s: этапов %d, а в этом уроке образ одноэтапный", lessoncheck.Display(f.Path), len(f.Stages))
	}
	return nil
}

func checkGolangBase(f *dockerfile.File) error {
	final := f.Final()
	base := f.BaseImage(final)
	name, tag, digest := dockerfile.SplitRef(base)
	at := fmt.Sprintf("FROM %s (строка %d)", final.Base, final.Line)
	const pin = "закрепите тег базового образа — какой, сказано в README урока, раздел «Закреплённый тег». Без тега " +
		"(и с latest) Docker берёт golang:latest, а этот тег переносят на каждый новый выпуск: завтра под ним другой Go " +
		"и другой Debian, и та же сборка даёт другой образ"
	switch {
	case dockerfile.ShortName(name) != "golang":
		return lessoncheck.Failf("сервер собирается прямо в этом образе, поэтому нужен образ с Go — golang с закреплённым "+
			"тегом (README урока, раздел «Закреплённый тег»)",
			"%s: базовый образ %s — в нём нет Go, go build не соберёт сервер", at, base)
	case tag == "" && digest == "":
		return lessoncheck.Failf(pin, "%s: базовый образ без тега — Docker возьмёт golang:latest", at)
	case tag == "latest" && digest == "":
		return lessoncheck.Failf(pin, "%s: тег latest не закрепляет версию Go", at)
	}
	return nil
}

// goBuild finds a compilation in a RUN: go build (or the go tool by its full path).
var goBuild = regexp.MustCompile(`(^|[\s/;&|(])go\s+build\b`)

// hintBuild is what to do instead of compiling when the container starts.
const hintBuild = "соберите бинарник при сборке образа, в RUN с go build, и запускайте его, а не команду go: " +
	"как — README урока, раздел «Dockerfile урока»"

// checkBuiltBinary: the image compiles the server once, in a RUN at build time, and its
// command runs that binary, not the go tool. `CMD ["go", "run", "server.go"]` answers just
// the same, so only the Dockerfile shows it: every start compiles anew, and PID 1 is go.
func checkBuiltBinary(f *dockerfile.File) error {
	if in, ok := goCommand(f); ok {
		if !slices.Contains(in.Args, "run") {
			return lessoncheck.Failf(hintBuild, "%s (строка %d) запускает команду go, а не сервер", in.Source, in.Line)
		}
		return lessoncheck.Failf(hintBuild,
			"%s (строка %d) запускает сервер через go run: образ ничего не собирает заранее. go run компилирует "+
				"server.go при каждом запуске контейнера (секунды, а на занятой машине и дольше), и PID 1 в "+
				"контейнере — команда go, а сервер — её дочерний процесс", in.Source, in.Line)
	}
	for _, in := range f.Final().Find("RUN") {
		if goBuild.MatchString(strings.Join(in.Args, " ")) {
			return nil
		}
	}
	return lessoncheck.Failf(hintBuild,
		"%s: ни одна инструкция RUN не собирает сервер (go build): в образе будет только исходник server.go, "+
			"а запускать нужно скомпилированный бинарник", lessoncheck.Display(f.Path))
}

// goCommand returns the CMD or ENTRYPOINT of the final image that runs the go tool itself.
func goCommand(f *dockerfile.File) (dockerfile.Instruction, bool) {
	entry, hasEntry := f.Effective("ENTRYPOINT")
	cmd, hasCmd := f.Effective("CMD")
	var argv []string
	var in dockerfile.Instruction
	switch {
	case hasEntry && len(entry.Args) > 0:
		argv, in = entry.Args, entry
	case hasCmd && len(cmd.Args) > 0:
		argv, in = cmd.Args, cmd
	default:
		return in, false
	}
	return in, isGoTool(argv[0])
}

// isGoTool reports whether a program path is the go command: go, /usr/local/go/bin/go.
func isGoTool(p string) bool {
	return path.Base(p) == "go" || strings.HasPrefix(path.Clean(p), "/usr/local/go/")
}
