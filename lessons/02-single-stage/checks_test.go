// The static checks of lesson 02 and their words; lesson_test.go declares the steps.
package main

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

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
	if slices.ContainsFunc(f.Final().Find("RUN"), lessoncheck.BuildsGo) {
		return nil
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
