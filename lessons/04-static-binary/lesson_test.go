// Checks of lesson 04: a static binary for the target platform. Static checks of the
// Dockerfile first (the entrypoint's form, no hard-coded GOARCH), then the build, the ELF
// headers of the binary read out of the image (static? for which machine?), the running
// container, the build stage on the build platform, and a real BuildKit build for
// linux/arm64 whose image and binary must both be arm64.
//
//	go test ./lessons/04-static-binary/            the reference Dockerfile
//	go test ./lessons/04-static-binary/ -exercise  the student's exercise/Dockerfile
package main

import (
	"context"
	"debug/elf"
	"errors"
	"slices"
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

// The starter as committed must fail, and for the intended reason: its binary is linked
// dynamically and can't start in scratch. The test also starts that image to show the
// failure the README quotes is real.
func TestStarterFails(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	ctx := context.Background()
	target := lessoncheck.Starter(t, "Dockerfile")
	lessoncheck.StarterFails(t, target, steps(t.Logf), stepStatic,
		"динамически скомпонован", "/lib64/ld-linux-x86-64.so.2, которого нет в образе",
		"выключите cgo")

	// The same image the check built (same spec: cached in this process).
	img, err := imagetest.Build(ctx, target.Spec(""))
	if err != nil {
		t.Fatal(err)
	}
	code, logs := runToExit(t, img)
	t.Logf("the dynamic binary in scratch: exit code %d, log %q", code, logs)
	if want := "exec /server: no such file or directory"; code == 0 || !strings.Contains(logs, want) {
		t.Errorf("container exited with %d and log %q, want a failure with %q", code, logs, want)
	}
}

// runToExit starts an image that is expected to fail at once and returns its exit code and log.
func runToExit(t *testing.T, img *imagetest.Image) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := img.Run(ctx, imagetest.RunOptions{NoWait: true})
	if c != nil {
		defer func() { _ = c.Terminate(context.Background()) }()
	}
	if c == nil {
		t.Fatalf("start %s: %v", img.Ref, err)
	}
	// The process may exit before Run asks for the mapped port; that error is expected.
	for {
		st, err := c.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Running {
			return st.ExitCode, strings.TrimSpace(c.Logs(ctx) + st.Error)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s still runs, want it to fail at once", img.Ref)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Other correct Dockerfiles pass (testdata/ok-*), typical mistakes fail with their `# want:`.
func TestVariants(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	lessoncheck.Variants(t, "Dockerfile", func(t *testing.T) []lessoncheck.Step { return steps(t.Logf) })
}

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

// Step names; the starter's test refers to the one it must fail at.
const (
	stepEntrypoint = "CMD или ENTRYPOINT в exec-форме"
	stepPlatform   = "этап сборки работает на платформе машины ($BUILDPLATFORM)"
	stepGoarch     = "GOARCH не вписан жёстко"
	stepStatic     = "бинарник в образе статический"
	stepMachine    = "бинарник собран для платформы образа"
	stepCross      = "docker build --platform linux/arm64 даёт образ и бинарник для arm64"
)

// crossArch is the target platform of the cross build. The image is never run.
const crossArch = "arm64"

// checkExecForm checks the command the final image runs, wherever in the chain of stages it is set.
var checkExecForm = lessoncheck.ExecForm(lessoncheck.ScratchCommand(""))

func steps(logf func(format string, args ...any)) []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.ParseDockerfile(),
		lessoncheck.Static(stepEntrypoint, checkExecForm),
		lessoncheck.Static(stepGoarch, lessoncheck.CheckGoarch),
		lessoncheck.Build(),
		{Name: stepStatic, Check: func(s *lessoncheck.State) error { return checkStatic(s, s.Image, logf) }},
		{Name: stepMachine, Check: checkMachine},
		lessoncheck.Start(imagetest.RunOptions{}),
		lessoncheck.Answers(map[string]string{
			"/":        `{"message":"Привет из Go в Docker!"}` + "\n",
			"/healthz": "ok\n",
		}),
		lessoncheck.Static(stepPlatform, checkPlatform),
		{Name: stepCross, Check: func(s *lessoncheck.State) error { return checkCross(s, logf) }},
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
			"%s (строка %d) собирает Go %s: при docker build --platform linux/arm64 компилятор сам "+
				"окажется arm64 и пойдёт под эмуляцией (в разы медленнее, а без эмулятора — «exec format error»), "+
				"хотя Go умеет собирать для другой платформы сам", s.Label(), s.Line, what)
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

// checkStatic reads the binary's ELF headers: a dynamically linked binary can't start
// where its loader and libraries are missing, and the message names what is missing.
func checkStatic(s *lessoncheck.State, img *imagetest.Image, logf func(string, ...any)) error {
	bin, err := lessoncheck.FindBinary(s.Ctx, img)
	if err != nil {
		return err
	}
	logf("%s в образе %s: %s, %s", bin.Path, img.Ref, bin.Info, ru.Megabytes(bin.Size))
	if bin.Info.Static {
		return nil
	}
	files, err := img.Files(s.Ctx)
	if err != nil {
		return err
	}
	present := map[string]bool{}
	for _, f := range files {
		present[f.Path] = true
	}
	hint := "выключите cgo — тогда Go соберёт статический бинарник, которому от системы нужно только ядро " +
		"(README урока, раздел «Статический бинарник и динамическая компоновка»)"
	if loader := bin.Info.Interpreter; loader != "" && !present[loader] {
		return lessoncheck.Failf(hint,
			"бинарник динамически скомпонован: ему нужен %s, которого нет в образе. "+
				"Контейнер упадёт с «exec %s: no such file or directory»: сам %s на месте, "+
				"не найден его динамический загрузчик. Заголовок ELF: %s", loader, bin.Path, bin.Path, bin.Info)
	}
	return lessoncheck.Failf(hint,
		"бинарник динамически скомпонован (%s): он зависит от glibc образа, а собранный на bookworm "+
			"(glibc 2.36) не запустится на bullseye (glibc 2.31): «version `GLIBC_2.34' not found»", bin.Info)
}

// checkMachine: the binary's ELF machine must match the image's architecture.
func checkMachine(s *lessoncheck.State) error {
	bin, err := lessoncheck.FindBinary(s.Ctx, s.Image)
	if err != nil {
		return err
	}
	info, err := s.Image.Inspect(s.Ctx)
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
func checkCross(s *lessoncheck.State, logf func(string, ...any)) error {
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
	logf("кросс-компиляция: образ %s для %s/%s, в нём %s: %s", img.Ref, info.OS, info.Architecture, bin.Path, bin.Info)
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
