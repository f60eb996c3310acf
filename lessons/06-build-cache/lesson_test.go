// Checks of lesson 06: a Dockerfile whose build cache survives an edit of server.go. Static
// checks first (the order of COPY and RUN, the command in exec form, .dockerignore), then the
// build, the size budget and the running container. Then the cache itself, by behaviour: the
// build context is copied, server.go gets one more line, the image is rebuilt with BuildKit,
// and
//
//   - BuildKit's trace must show every step before the COPY of the sources CACHED and that
//     COPY itself run again;
//
//   - the Go build cache in the build stage, counted just before that COPY and just after go
//     build (both stages built again from the cache, cut at those lines), must show that go
//     build compiled the server's own package and (next to) nothing else. A cache mount
//     (RUN --mount=type=cache) keeps the Go build cache out of the image: then both counts
//     are 0 and the mount is what makes the rebuild fast;
//
//   - the rebuilt image must still answer.
//
// BenchmarkRebuild measures the rebuild after an edit of server.go and of go.mod, with and
// without cache mounts: the numbers of the lesson's README.
//
//	go test ./lessons/06-build-cache/            the reference Dockerfile
//	go test ./lessons/06-build-cache/ -exercise  the student's exercise/Dockerfile
package main

import (
	"testing"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// The starter fails for the intended reason: it copies go.mod and server.go with one COPY,
// before go mod download. Variants run one at a time: the checks read what BuildKit reused,
// and variants share their first steps.
var lesson = lessoncheck.Checks{Dockerfile: "Dockerfile", Steps: steps, StarterFiles: []string{goModPath},
	Starter:  lessoncheck.FailsAt(stepOrder, "одной инструкцией", "RUN go mod download (строка", "разделите COPY"),
	Variants: lessoncheck.DockerfilesInTurn}

// Dockerfile.buildkit is the lesson's other answer: cache mounts instead of a prepared layer.
func TestBuildKitDockerfile(t *testing.T) { lesson.CheckOther(t, "Dockerfile.buildkit") }

const stepOrder = "исходники копируются после подготовки"

const (
	sourcePath = "server.go"    // the server's source in the build context
	goModPath  = "gomod/go.mod" // the module file of the image's build, see README
	// maxCompiled is how many packages go build may compile after the edit: the server's
	// main package, and a little slack. Without a prepared Go build cache it is about 60.
	maxCompiled = 3
)

func steps() []lessoncheck.Step {
	c := &cacheCheck{}
	return []lessoncheck.Step{
		lessoncheck.Static(stepOrder, checkOrder),
		lessoncheck.ExecFormStep(lessoncheck.ScratchCommand("")),
		{Name: ".dockerignore оставляет в контексте только нужное", Check: checkIgnore},
		lessoncheck.Build(),
		lessoncheck.Budget("образ не больше 10 МБ", 10*lessoncheck.MB, "финальный этап — как в уроке 5: пустой "+
			"образ и в нём только бинарник без таблицы символов"),
		lessoncheck.Start(imagetest.RunOptions{}),
		lessoncheck.Greets(),
		{Name: "после правки server.go всё до COPY исходников берётся из кэша", Check: c.rebuild},
		{Name: "после правки go build компилирует только пакет сервера", Check: c.goCache},
		{Name: "пересобранный образ отвечает", Check: c.answers},
	}
}

// The tests the course runs by name (make verdicts, CI).
func TestLesson(t *testing.T)       { lesson.Check(t) }
func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
