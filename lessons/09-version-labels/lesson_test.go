// Checks of lesson 09: the version of the server, passed as a build argument, in the binary
// (-ldflags "-X main.version=…") and in the image's OCI label. Static checks first (the
// command's form, ARG scope: a variable is used only in a stage that declares it; the final
// image has the version label; variables in single quotes are not substituted), then a build
// with --build-arg VERSION=1.2.3, the running container's GET /version and the image's
// labels, and a second build with another VERSION: a version typed into the Dockerfile by hand
// matches one build, never two.
//
//	go test ./lessons/09-version-labels/            the reference Dockerfile
//	go test ./lessons/09-version-labels/ -exercise  the student's exercise/Dockerfile
package main

import (
	"testing"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// The starter fails for the intended reason: ARG VERSION is declared only before the first
// FROM, so inside the build stage $VERSION is empty. The static check says so before
// anything is built.
var lesson = lessoncheck.Checks{Dockerfile: "Dockerfile", Steps: steps,
	Starter: lessoncheck.FailsAt(stepArgScope, "этап builder", "$VERSION",
		"ARG VERSION объявлен только до первого FROM", "пустую строку", "ARG VERSION")}

// Without --build-arg the reference image says "dev", in the binary and in the label: the
// README promises it. Only for the reference: a fixture build, which shares Go's build cache
// with the variants (the binary is the same bytes, the check reads only the image).
func TestDefaultVersion(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	target := lessoncheck.Lesson(t, "Dockerfile")
	target.SharedGoCache = true
	img := lessoncheck.MustBuild(t, target.Spec("default"))
	if got := img.MustInspect(t).Config.Labels[labelVersion]; got != "dev" {
		t.Errorf("label %s = %q, want dev", labelVersion, got)
	}
	c := img.MustRun(t, imagetest.RunOptions{})
	if got, want := c.MustGet(t, "/version").Body, `{"version":"dev"}`+"\n"; got != want {
		t.Errorf("GET /version = %q, want %q", got, want)
	}
}

const (
	stepArgScope = "аргументы сборки объявлены в этапах, где они нужны"
	testVersion  = "1.2.3"                            // what the checks pass as --build-arg VERSION
	labelVersion = "org.opencontainers.image.version" // the OCI annotation for the version
)

func steps() []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.ExecFormStep(lessoncheck.ScratchCommand("")),
		lessoncheck.Static(stepArgScope, checkArgScope),
		lessoncheck.Static("в финальном образе есть метка версии", checkLabel),
		lessoncheck.Static("переменные не в одинарных кавычках", lessoncheck.CheckQuotes),
		versionArg.Build("образ собирается с --build-arg VERSION=" + testVersion),
		lessoncheck.Start(imagetest.RunOptions{}),
		lessoncheck.Greets(),
		{Name: "GET /version отвечает версией из --build-arg", Check: checkVersion},
		{Name: "метка версии равна версии из --build-arg", Check: checkLabelValue},
		versionArg.Changes("с другой VERSION (" + versionArg.Second + ") меняются и бинарник, и метка"),
	}
}

// The tests the course runs by name (make verdicts, CI).
func TestLesson(t *testing.T)       { lesson.Check(t) }
func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
