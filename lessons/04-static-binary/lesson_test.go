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
	"strings"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// The starter fails for the intended reason: its binary is linked dynamically and can't
// start in scratch. Its image is started too, to show the failure the README quotes is real.
var lesson = lessoncheck.Checks{Dockerfile: "Dockerfile", Steps: steps,
	Starter: lessoncheck.FailsAt(stepStatic, "динамически скомпонован",
		"/lib64/ld-linux-x86-64.so.2, которого нет в образе", "выключите cgo"),
	AfterStarter: runStarter}

const (
	stepStatic = "бинарник в образе статический"
	stepCross  = "docker build --platform linux/arm64 даёт образ и бинарник для arm64"
)

// crossArch is the target platform of the cross build. The image is never run.
const crossArch = "arm64"

func steps() []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.ExecFormStep(lessoncheck.ScratchCommand("")),
		lessoncheck.Static("GOARCH не вписан жёстко", lessoncheck.CheckGoarch),
		lessoncheck.Build(),
		lessoncheck.StaticBinary(stepStatic, "выключите cgo — тогда Go соберёт статический бинарник, которому от "+
			"системы нужно только ядро (README урока, раздел «Статический бинарник и динамическая компоновка»)"),
		{Name: "бинарник собран для платформы образа", Check: checkMachine},
		lessoncheck.Start(imagetest.RunOptions{}),
		lessoncheck.Greets(),
		lessoncheck.Static("этап сборки работает на платформе машины ($BUILDPLATFORM)", checkPlatform),
		{Name: stepCross, Check: checkCross},
	}
}

// runStarter starts the starter's image (the one its check built: same spec, built once in
// this process): the dynamic binary in scratch fails as the README shows.
func runStarter(t *testing.T, starter lessoncheck.Target) {
	ctx := context.Background()
	img, err := imagetest.Build(ctx, starter.Spec(""))
	if err != nil {
		t.Fatal(err)
	}
	code, logs, err := lessoncheck.RunToExit(ctx, img)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the dynamic binary in scratch: exit code %d, log %q", code, logs)
	if want := "exec /server: no such file or directory"; code == 0 || !strings.Contains(logs, want) {
		t.Errorf("container exited with %d and log %q, want a failure with %q", code, logs, want)
	}
}

// The tests the course runs by name (make verdicts, CI).
func TestLesson(t *testing.T)       { lesson.Check(t) }
func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
