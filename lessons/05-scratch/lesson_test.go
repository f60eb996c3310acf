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
	"context"
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

// The starter as committed must fail, and for the intended reason: it builds and runs,
// but on debian:bullseye-slim it is far over the lesson's budget.
func TestStarterFails(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	target := lessoncheck.Starter(t, "Dockerfile")
	lessoncheck.StarterFails(t, target, steps(t.Logf), stepBudget,
		"образ весит", "бюджет урока — 10 МБ", "scratch")
}

// Other correct Dockerfiles pass (testdata/ok-*), typical mistakes fail with their `# want:`.
func TestVariants(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	lessoncheck.Variants(t, "Dockerfile", func(t *testing.T) []lessoncheck.Step { return steps(t.Logf) })
}

// Step names; the starter's test refers to the one it must fail at.
const (
	stepEntrypoint = "CMD или ENTRYPOINT в exec-форме"
	stepBudget     = "образ не больше 10 МБ"
	stepScratch    = "финальный этап FROM scratch"
	stepStatic     = "бинарник статический"
	stepFiles      = "в образе нет Go и исходников"
	stepRatio      = "в образе почти ничего, кроме бинарника"
	stepStripped   = "бинарник без таблицы символов"
	stepTrimpath   = "в бинарнике нет путей машины сборки"
	stepNoShell    = "в образе нет оболочки"
)

const (
	mb       = 1000 * 1000 // Docker shows sizes in decimal megabytes
	budgetMB = 10
	maxRatio = 1.3 // image size / binary size
)

// checkExecForm checks the command the final image runs, wherever in the chain of stages it is set.
var checkExecForm = lessoncheck.ExecForm(lessoncheck.ScratchCommand(""))

func steps(logf func(format string, args ...any)) []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.ParseDockerfile(),
		lessoncheck.Static(stepEntrypoint, checkExecForm),
		lessoncheck.Build(),
		{Name: stepBudget, Check: func(s *lessoncheck.State) error { return checkBudget(s, logf) }},
		lessoncheck.Static(stepScratch, checkScratch),
		{Name: stepStatic, Check: func(s *lessoncheck.State) error { return checkStatic(s, logf) }},
		{Name: stepFiles, Check: checkFiles},
		{Name: stepRatio, Check: func(s *lessoncheck.State) error { return checkRatio(s, logf) }},
		{Name: stepStripped, Check: checkStripped},
		{Name: stepTrimpath, Check: checkTrimpath},
		lessoncheck.Start(imagetest.RunOptions{}),
		lessoncheck.Answers(map[string]string{
			"/":        `{"message":"Привет из Go в Docker!"}` + "\n",
			"/healthz": "ok\n",
		}),
		{Name: stepNoShell, Check: checkNoShell},
	}
}

// checkBudget: the whole image within 10 MB.
func checkBudget(s *lessoncheck.State, logf func(string, ...any)) error {
	info, err := s.Image.Inspect(s.Ctx)
	if err != nil {
		return err
	}
	logf("образ %s: %s, слоёв: %d", s.Image.Ref, info.SizeText(), info.Layers)
	if info.Size > budgetMB*mb {
		return lessoncheck.Failf("финальному этапу не нужен Debian: начните его с пустого образа scratch и скопируйте в "+
			"него только бинарник (README урока, раздел «Что такое scratch»), а сам бинарник уменьшат флаги go build "+
			"из раздела «Флаги сборки». Что занимает место, покажет docker history "+s.Image.Ref,
			"образ весит %s без сжатия, бюджет урока — %d МБ", megabytes(info.Size), budgetMB)
	}
	return nil
}

// checkScratch: the final stage starts from the empty image, directly or through stages.
func checkScratch(f *dockerfile.File) error {
	final := f.Final()
	if base := f.BaseImage(final); base != "scratch" {
		return lessoncheck.Failf("начните финальный этап с пустого образа scratch: в нём нет ничего, кроме того, что вы "+
			"скопируете (README урока, раздел «Что такое scratch»)",
			"%s: финальный этап начинается с %s, а в этом уроке он должен начинаться с scratch",
			final.Label(), base)
	}
	return nil
}

// checkStatic: in scratch only a static binary can start.
func checkStatic(s *lessoncheck.State, logf func(string, ...any)) error {
	bin, err := lessoncheck.FindBinary(s.Ctx, s.Image)
	if err != nil {
		return err
	}
	logf("%s в образе: %s, %s", bin.Path, bin.Info, megabytes(bin.Size))
	if !bin.Info.Static {
		return lessoncheck.Failf("выключите cgo (урок 4, раздел «Статический бинарник и динамическая компоновка»)",
			"бинарник динамически скомпонован: ему нужен %s, которого в scratch нет, и контейнер упадёт "+
				"с «exec %s: no such file or directory». Заголовок ELF: %s",
			bin.Info.Interpreter, bin.Path, bin.Info)
	}
	return nil
}

// checkRatio: the image is the binary and next to nothing else.
func checkRatio(s *lessoncheck.State, logf func(string, ...any)) error {
	bin, err := lessoncheck.FindBinary(s.Ctx, s.Image)
	if err != nil {
		return err
	}
	info, err := s.Image.Inspect(s.Ctx)
	if err != nil {
		return err
	}
	ratio := float64(info.Size) / float64(bin.Size)
	logf("образ %s без сжатия, бинарник %s %s: образ больше бинарника в %s раза (допустимо до %s)",
		megabytes(info.Size), bin.Path, megabytes(bin.Size), decimal(ratio, 2), decimal(maxRatio, 1))
	if ratio > maxRatio {
		return lessoncheck.Failf("в финальный этап копируйте из этапа сборки только бинарник (и то, без чего "+
			"сервер не работает: например, сертификаты); проверьте, что попало в образ: docker history "+s.Image.Ref,
			"образ весит %s без сжатия, а бинарник %s в нём — %s: образ больше в %s раза, допустимо до %s",
			megabytes(info.Size), bin.Path, megabytes(bin.Size), decimal(ratio, 2), decimal(maxRatio, 1))
	}
	return nil
}

// checkStripped: -ldflags="-s -w" drops the symbol table (.symtab) and DWARF.
func checkStripped(s *lessoncheck.State) error {
	bin, err := lessoncheck.FindBinary(s.Ctx, s.Image)
	if err != nil {
		return err
	}
	if !bin.Info.Stripped {
		return lessoncheck.Failf("уберите таблицу символов и отладочную информацию флагами компоновщику (README урока, "+
			"раздел «Флаги сборки»): серверу они не нужны, а бинарник станет меньше примерно на треть",
			"бинарник %s (%s) собран с таблицей символов и отладочной информацией", bin.Path, megabytes(bin.Size))
	}
	return nil
}

// checkFiles: what the final image holds besides the binary must not be the Go toolchain or
// the sources. Copying the builder's whole /go fits the budget, yet ships server.go.
var checkFiles = lessoncheck.NoBuildLeftovers("из этапа сборки копируйте только бинарник, " +
	"а не весь каталог /go и не /")

// checkTrimpath: without -trimpath go build records the absolute path of every source file in
// the binary (for stack traces): the build stage's /go/server.go and /usr/local/go/src/….
func checkTrimpath(s *lessoncheck.State) error {
	return lessoncheck.CheckTrimpath(s, "соберите с -trimpath (README урока, раздел «Флаги сборки»): он записывает "+
		"вместо полных путей относительные (net/http/server.go), и бинарник не зависит от каталога, где шла сборка. "+
		"Чтобы бинарник совпадал байт в байт и на другой машине, нужны ещё та же версия Go, те же флаги и переменные")
}

// checkNoShell: scratch has no shell: neither in the file list nor for docker exec.
func checkNoShell(s *lessoncheck.State) error {
	files, err := s.Image.Files(s.Ctx)
	if err != nil {
		return err
	}
	var shells []string
	for _, f := range files {
		switch path.Base(f.Path) {
		case "sh", "bash", "dash", "ash", "busybox":
			if !f.Dir {
				shells = append(shells, f.Path)
			}
		}
	}
	if len(shells) > 0 {
		return lessoncheck.Failf("начните финальный этап с пустого образа scratch и копируйте в него только бинарник",
			"в образе есть оболочка: %s", strings.Join(shells, ", "))
	}
	ctx, cancel := context.WithTimeout(s.Ctx, 30*time.Second)
	defer cancel()
	code, out, err := s.Container.Exec(ctx, "sh", "-c", "echo shell")
	if err == nil && code == 0 {
		return lessoncheck.Failf("начните финальный этап с пустого образа scratch: в нём нет оболочки",
			"docker exec sh -c сработал: %q", out)
	}
	return nil
}

// megabytes formats bytes the Russian way, in Docker's decimal megabytes: «87,4 МБ».
func megabytes(n int64) string { return decimal(float64(n)/mb, 1) + " МБ" }

func decimal(v float64, prec int) string { return ru.Decimal(v, prec) }
