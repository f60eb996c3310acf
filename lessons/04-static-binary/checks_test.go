// The checks of lesson 04 and their words; lesson_test.go declares the steps.
package main

import (
	"debug/elf"
	"errors"
	"slices"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// The platform check on small Dockerfiles: no Docker needed.
func TestPlatformCheck(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{ // want: "" for a pass, else a part of the message
		{"$BUILDPLATFORM", "FROM --platform=$BUILDPLATFORM golang AS b\nRUN go build -o /s .\nFROM scratch\n", ""},
		{"in braces", "FROM --platform=${BUILDPLATFORM} golang\nRUN go build -o /s .\n", ""},
		{"with a default", "FROM --platform=${BUILDPLATFORM:-linux/amd64} golang\nRUN go build -o /s .\n", ""},
		{"through a global ARG", "ARG BUILDER=$BUILDPLATFORM\nFROM --platform=$BUILDER golang\nRUN go build -o /s .\n", ""},
		{"go install", "FROM golang\nRUN go install ./...\n", "без --platform"},
		{"no go build", "FROM golang\nRUN go vet ./...\n", ""},
		{"none", "FROM golang\nRUN go build -o /s .\n", "без --platform"},
		{"written out", "FROM --platform=linux/amd64 golang\nRUN go build -o /s .\n", "с --platform=linux/amd64"},
		{"the target's", "FROM --platform=$TARGETPLATFORM golang\nRUN go build -o /s .\n", "с --platform=$TARGETPLATFORM"},
	} {
		t.Run(tc.name, func(t *testing.T) { lessoncheck.WantStatic(t, tc.src, checkPlatform, tc.want) })
	}
}

// --- static checks ---

// checkPlatform: the stage that runs go build must run on the machine that builds
// (FROM --platform=$BUILDPLATFORM). Go cross-compiles by itself; without the flag,
// docker build --platform linux/arm64 starts an arm64 compiler under emulation (QEMU on
// Docker Desktop: many times slower; on a Linux machine without it, «exec format error»).
func checkPlatform(f *dockerfile.File) error {
	for _, s := range f.Stages {
		if !buildsGo(s) || f.IsStage(s) || onBuildPlatform(f, s) {
			continue
		}
		what := "без --platform"
		if s.Platform != "" {
			what = "с --platform=" + s.Platform
		}
		return lessoncheck.Failf("запустите этап сборки на платформе машины, а целевую платформу передайте компилятору: "+
			"как — README урока, раздел «BUILDPLATFORM, TARGETOS, TARGETARCH»",
			"%s собирает Go %s: при docker build --platform linux/arm64 компилятор сам "+
				"окажется arm64 и пойдёт под эмуляцией (в разы медленнее, а без эмулятора — «exec format error»), "+
				"хотя Go умеет собирать для другой платформы сам", s.Label(), what)
	}
	return nil
}

// onBuildPlatform reports whether the stage's FROM --platform follows the machine that builds,
// whichever it is: its value, expanded as BuildKit expands it ($BUILDPLATFORM, ${BUILDPLATFORM},
// a global ARG set from it), is the build platform both on an amd64 and on an arm64 machine.
// A platform written out, --platform=linux/amd64, is right on one of them only.
func onBuildPlatform(f *dockerfile.File, s dockerfile.Stage) bool {
	for _, build := range []string{"linux/amd64", "linux/arm64"} {
		got, _, err := f.Expand(s.Platform, f.GlobalVars(dockerfile.PlatformArgs(build, "linux/"+crossArch)))
		if err != nil || got != build {
			return false
		}
	}
	return true
}

// buildsGo reports whether a stage compiles Go (go build or go install in a RUN).
func buildsGo(s dockerfile.Stage) bool {
	return slices.ContainsFunc(s.Find("RUN"), lessoncheck.BuildsGo)
}

// --- checks of the built image ---

// checkMachine: the binary's ELF machine must match the image's architecture.
func checkMachine(s *lessoncheck.State) error {
	bin, info, err := lessoncheck.BinaryAndImage(s)
	if err != nil {
		return err
	}
	if bin.Info.Arch != info.Architecture {
		return lessoncheck.Failf("не задавайте GOARCH значением: берите архитектуру из аргумента платформы, который задаёт "+
			"BuildKit (README урока, раздел «BUILDPLATFORM, TARGETOS, TARGETARCH»)",
			"образ помечен архитектурой %s, а бинарник %s собран для %s: контейнер упадёт с «exec format error»",
			info.Architecture, bin.Path, bin.Info.Arch)
	}
	return nil
}

// checkCross builds the Dockerfile again with BuildKit for linux/arm64, as
// `docker build --platform linux/arm64` does, and checks that the image says arm64 and that
// the binary's ELF header agrees. The arm64 image is not run: this machine has no emulator.
func checkCross(s *lessoncheck.State) error {
	spec := s.Target.Spec(crossArch)
	spec.Platform = "linux/" + crossArch
	img, err := lessoncheck.BuildImage(s.Ctx, spec)
	if err != nil {
		var p *lessoncheck.Problem
		if errors.As(err, &p) {
			p.What = "сборка с --platform linux/" + crossArch + ": " + p.What
		}
		return err
	}
	info, err := img.Inspect(s.Ctx)
	if err != nil {
		return err
	}
	bin, err := lessoncheck.FindBinary(s.Ctx, img)
	if err != nil {
		return err
	}
	s.Logf("кросс-компиляция: образ %s для %s/%s, в нём %s: %s", img.Ref, info.OS, info.Architecture, bin.Path, bin.Info)
	if info.Architecture != crossArch {
		return lessoncheck.Failf("финальный этап не должен задавать свою платформу: уберите --platform из последнего FROM",
			"docker build --platform linux/%s дал образ с архитектурой %q", crossArch, info.Architecture)
	}
	if bin.Info.Machine != elf.EM_AARCH64 {
		return lessoncheck.Failf("объявите аргументы целевой платформы в этапе сборки и передайте их go build: глобальные "+
			"аргументы в RUN пусты, и Go собирает для платформы машины (README урока, разделы «Аргументы сборки: что нужно "+
			"знать уже сейчас» и «BUILDPLATFORM, TARGETOS, TARGETARCH»)",
			"образ собран для linux/%s, а бинарник %s в нём — для %s: на arm64-сервере без эмулятора контейнер "+
				"упадёт с «exec format error», а Docker Desktop на Mac запустит его только под эмуляцией, медленно",
			crossArch, bin.Path, bin.Info.Arch)
	}
	if !bin.Info.Static {
		return lessoncheck.Failf("выключите cgo (README урока, раздел «Статический бинарник и динамическая компоновка»)",
			"бинарник для %s динамически скомпонован: %s",
			crossArch, bin.Info)
	}
	return nil
}
