// The checks of lesson 05 and their words; lesson_test.go declares the steps.
package main

import (
	"context"
	"path"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

const maxRatio = 1.3 // image size / binary size

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

// checkRatio: the image is the binary and next to nothing else.
func checkRatio(s *lessoncheck.State) error {
	bin, info, err := lessoncheck.BinaryAndImage(s)
	if err != nil {
		return err
	}
	ratio := float64(info.Size) / float64(bin.Size)
	s.Logf("образ %s без сжатия, бинарник %s %s: образ больше бинарника в %s раза (допустимо до %s)",
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
		return lessoncheck.Failf("уберите таблицу символов и отладочную информацию флагами компоновщика (README урока, "+
			"раздел «Флаги сборки»): серверу они не нужны, а бинарник станет меньше примерно на треть",
			"бинарник %s (%s) собран с таблицей символов и отладочной информацией", bin.Path, megabytes(bin.Size))
	}
	return nil
}

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
func megabytes(n int64) string { return decimal(float64(n)/lessoncheck.MB, 1) + " МБ" }

func decimal(v float64, prec int) string { return ru.Decimal(v, prec) }
