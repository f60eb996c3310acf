package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/internal/buildevent"
	"github.com/go-docker-workshop/workshop/internal/verdict"
	"github.com/go-docker-workshop/workshop/lessons"
)

func TestCheckNamesItsReport(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass"
	require.Equal(t, ExitOK, e.run("check", "2"))
	require.Len(t, e.testEnv, 1)
	assert.Equal(t, []string{verdict.EnvVar + "=" + filepath.Join(e.root, ".workshop", "report", "02-single-stage.jsonl")}, e.testEnv[0])
}

func TestCheckShowsBuildStepsWhenPiped(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass"
	require.Equal(t, ExitOK, e.run("check", "2"))
	out := e.stdout.String()
	for _, want := range []string{
		"  ▶ образ собирается (0,0 с)\n",
		"  ✓ [2/4] RUN go build -o /server . 3,2 с\n",
		"✓ Урок 2",
	} {
		assert.Contains(t, out, want)
	}
	assert.Less(t, strings.Index(out, "RUN go build"), strings.Index(out, "✓ Урок 2"), "steps show while the checks run")
}

func TestStepLine(t *testing.T) {
	tests := []struct {
		ev   buildevent.Event
		want string
	}{
		{buildevent.Event{Step: "[builder 4/4] RUN go build -o server .", State: buildevent.Done, Took: 8100 * time.Millisecond}, "  ✓ [builder 4/4] RUN go build -o server . 8,1 с"},
		{buildevent.Event{Step: "[builder 2/4] WORKDIR /go", State: buildevent.Cached}, "  · [builder 2/4] WORKDIR /go CACHED"},
		{buildevent.Event{Step: "[2/3] RUN exit 3", State: buildevent.Failed, Took: 300 * time.Millisecond}, "  ✗ [2/3] RUN exit 3 0,3 с"},
		{buildevent.Event{Step: "exporting to image", State: buildevent.Done, Took: 2 * time.Second}, "  ✓ exporting to image 2,0 с"},
		{buildevent.Event{Step: "exporting to image", State: buildevent.Done, Took: 40 * time.Millisecond}, ""},
		{buildevent.Event{Step: "[internal] load build context", State: buildevent.Done, Took: 10 * time.Millisecond}, ""},
		{buildevent.Event{Step: "[builder 3/4] RUN " + strings.Repeat("x", 100), State: buildevent.Cached}, "  · [builder 3/4] RUN " + strings.Repeat("x", 81) + "… CACHED"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, stepLine(tt.ev))
	}
}

// TestCheckShowsTheBuildStepOnATerminal runs the status line on a fake clock: the tests
// build for 8,5 s in one step, and the line redrawn every 120 ms shows that step and its time.
func TestCheckShowsTheBuildStepOnATerminal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t)
		e.app.Terminal = func() bool { return true }
		e.app.Size = func() (int, int, bool) { return 100, 20, true }
		e.app.Now = time.Now // the bubble's clock
		const stepName = "образ собирается"
		step := buildevent.Event{Image: "workshop/02-single-stage:dockerfile", Step: "[4/4] RUN go build -o server server.go"}
		e.app.Tests = func(ctx context.Context, root, pkg string, args, env []string, out io.Writer) error {
			path := strings.TrimPrefix(env[0], verdict.EnvVar+"=")
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			require.NoError(t, err)
			defer f.Close()
			w := verdict.NewWriter(f)
			time.Sleep(time.Second) // go test compiles the tests
			w.Write(verdict.Line{Kind: verdict.KindRun, Run: 1, Steps: []string{stepName}})
			w.Write(verdict.Line{Kind: verdict.KindStep, Run: 1, Step: stepName})
			step.State = buildevent.Running
			w.Write(verdict.Line{Kind: verdict.KindBuild, Run: 1, Build: &step})
			time.Sleep(8500 * time.Millisecond)
			done := step
			done.State, done.Took = buildevent.Done, 8500*time.Millisecond
			w.Write(verdict.Line{Kind: verdict.KindBuild, Run: 1, Build: &done})
			time.Sleep(time.Second)
			w.Write(verdict.Line{Kind: verdict.KindEnd, Run: 1, Step: stepName, Status: verdict.Passed})
			w.Write(verdict.Line{Kind: verdict.KindDone, Run: 1})
			return nil
		}
		require.Equal(t, ExitOK, e.run("check", "2"))
		out := e.stdout.String()

		frames := statusFrames(out)
		assert.Contains(t, frames, "⠋ 0,1 с · сборка тестов…", "the first frame, 120 ms in")
		// The report is read every 50 ms: a step shows in the first frame after it started,
		// its own time up to 0,1 с behind the run's.
		hasFrame := func(prefix string) bool {
			return slices.ContainsFunc(frames, func(f string) bool { return strings.HasPrefix(f, prefix) })
		}
		assert.True(t, hasFrame("⠇ 1,1 с · образ собирается · [4/4] RUN go build -o server server.go 0,"), "%q", frames)
		assert.True(t, hasFrame("⠇ 9,5 с · образ собирается · [4/4] RUN go build -o server server.go 8,"),
			"the step's own time grows with the run's: %q", frames)
		assert.Contains(t, frames, "⠏ 9,6 с · образ собирается", "the step is gone once it ended")
		for _, f := range frames {
			assert.Less(t, len([]rune(f)), 100, "the status line fits the terminal: %q", f)
		}
		assert.NotContains(t, out, "✓ [4/4]", "a terminal gets the status line, not a line per step")
	})
}

// statusFrames returns the texts the status line drew, in order.
func statusFrames(out string) []string {
	var frames []string
	for _, seg := range strings.Split(out, "\r") {
		status, ok := strings.CutPrefix(seg, "\x1b[2K")
		if !ok {
			continue
		}
		status, _, _ = strings.Cut(status, "\n")
		if status != "" {
			frames = append(frames, status)
		}
	}
	return frames
}

func TestStatusLineShortensTheStepToFit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t)
		e.app.Now = time.Now
		e.app.Size = func() (int, int, bool) { return 80, 20, true }
		st := &statusLine{app: e.app, start: time.Now(), tty: true, rep: &verdict.Report{}}
		st.rep.Add(verdict.Line{Kind: verdict.KindRun, Run: 1, Steps: []string{"образ собирается"}})
		st.build(buildevent.Event{Image: "i", Step: "[builder 4/4] RUN go build -ldflags=\"-s -w\" -o /server server.go", State: buildevent.Running})
		time.Sleep(8100 * time.Millisecond)
		st.draw(2)
		frames := statusFrames(e.stdout.String())
		require.Len(t, frames, 1)
		assert.Equal(t, "⠹ 8,1 с · образ собирается · [builder 4/4] RUN go build -ldflags=\"-s -w… 8,1 с", frames[0])
		assert.Less(t, len([]rune(frames[0])), 80)
	})
}

func TestLessonsWithoutDockerDoNotAskForIt(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass"
	writeBootstrap(t, e)
	e.dockerErr = errors.New("Cannot connect to the Docker daemon")
	require.Equal(t, ExitOK, e.run("check", "1"), e.stderr.String())
	assert.Empty(t, e.scripts, "lesson 1 needs no Docker: no make images")
	assert.Zero(t, e.dockerAsked, "nor a question to the daemon")
}

func writeBootstrap(t *testing.T, e *testEnv) {
	for _, s := range bootstrapScripts {
		e.writeFile(t, s, "#!/bin/bash\n")
	}
}

func TestDockerLessonsPrepareDockerOnce(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass"
	writeBootstrap(t, e)
	require.Equal(t, ExitOK, e.run("check", "2"), e.stderr.String())
	assert.Equal(t, bootstrapScripts, e.scripts, "docker.sh, buildx.sh, images.sh: what make images did")
	require.Equal(t, ExitOK, e.run("check", "2"))
	assert.Len(t, e.scripts, 3, "the same run of the tool (watch) prepares once")
}

func TestBootstrapFailureStopsTheCheck(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass"
	writeBootstrap(t, e)
	e.scriptErr = map[string]error{"internal/bootstrap/images.sh": exitError(1)}
	assert.Equal(t, ExitFail, e.run("check", "3"))
	assert.Contains(t, e.stderr.String(), "подготовка Docker (bash internal/bootstrap/images.sh) не удалась")
	assert.Contains(t, e.stdout.String(), "internal/bootstrap/images.sh: не получилось", "the script's own words reach the student")
	assert.Empty(t, e.testArgs)
}

func TestDockerHostWithoutASocket(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass"
	writeBootstrap(t, e)
	e.env["DOCKER_HOST"] = "unix:///no/such.sock"
	assert.Equal(t, ExitFail, e.run("check", "3"))
	stderr := e.stderr.String()
	assert.Contains(t, stderr, "по адресу DOCKER_HOST=unix:///no/such.sock никто не слушает: файла сокета /no/such.sock нет")
	assert.Contains(t, stderr, "Что делать: уберите переменную (unset DOCKER_HOST)")
	assert.Empty(t, e.scripts, "no dockerd is started and waited for on another socket")
	assert.Zero(t, e.dockerAsked)
	assert.Empty(t, e.testArgs)
}

func TestUnderMakeNextStepsAreMakeTargets(t *testing.T) {
	t.Run("passed", func(t *testing.T) {
		e := newEnv(t)
		e.env["MAKELEVEL"] = "1"
		e.recording = "pass"
		require.Equal(t, ExitOK, e.run("check", "2"))
		assert.Contains(t, e.stdout.String(), "— make read-3\n")
		assert.NotContains(t, e.stdout.String(), "workshop read")
	})
	t.Run("failed", func(t *testing.T) {
		e := newEnv(t)
		e.env["MAKELEVEL"] = "1"
		e.recording = "fail"
		require.Equal(t, ExitFail, e.run("check", "2"))
		assert.Contains(t, e.stdout.String(), "проверьте снова: make check-2\n")
		assert.Contains(t, e.stdout.String(), "Подсказки к заданию: make hint-2\n")
	})
	t.Run("hint", func(t *testing.T) {
		e := newEnv(t)
		e.env["MAKELEVEL"] = "2"
		require.Equal(t, ExitOK, e.run("hint", "3"))
		assert.Contains(t, e.stdout.String(), "Следующая подсказка: make hint-3\n")
	})
	t.Run("not under make", func(t *testing.T) {
		e := newEnv(t)
		require.Equal(t, ExitOK, e.run("hint", "3"))
		assert.Contains(t, e.stdout.String(), "Следующая подсказка: workshop hint 3\n")
	})
}

func TestReadyDockerSkipsTheBootstrapScripts(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass"
	writeBootstrap(t, e)
	var asked []int
	e.app.ReadyFast = func(_ context.Context, l lessons.Lesson) bool { asked = append(asked, l.Number); return true }
	require.Equal(t, ExitOK, e.run("check", "2"), e.stderr.String())
	assert.Equal(t, []int{2}, asked)
	assert.Empty(t, e.scripts, "Docker answers with the base images: no bash, no bootstrap")
	assert.Empty(t, e.exec.ran("docker"), "and no docker CLI either")
	assert.Zero(t, e.dockerAsked, "ReadyFast has asked the daemon already")

	e.app.ReadyFast = func(context.Context, lessons.Lesson) bool { return false }
	e.app.dockerReady = false
	require.Equal(t, ExitOK, e.run("check", "2"))
	assert.Equal(t, bootstrapScripts, e.scripts, "a base image missing: the scripts install it")
}

// The base images a lesson's check needs, read from its Dockerfiles as images.sh reads them.
func TestLessonBaseImages(t *testing.T) {
	root := lessons.FindRoot(".")
	for n, want := range map[int][]string{
		2: {"docker/dockerfile:1", "golang:1.26-bookworm"}, // not the starter's bare golang
		3: {"debian:bullseye-slim", "docker/dockerfile:1", "golang:1.26-bookworm"},
		5: {"docker/dockerfile:1", "golang:1.26-bookworm"},
	} {
		l, err := lessons.ByNumber(n)
		require.NoError(t, err)
		assert.Equal(t, want, lessonBaseImages(root, l), "lesson %d", n)
	}
}

// Without bash (Windows without WSL) a check that needs Docker prepared says what to start and
// pull instead of failing on a missing program; with bash it says why the scripts run.
func TestBootstrapSaysWhyAndNeedsBash(t *testing.T) {
	t.Run("no bash", func(t *testing.T) {
		e := newEnv(t)
		e.recording = "pass"
		writeBootstrap(t, e)
		e.app.LookPath = func(string) (string, error) { return "", errors.New("executable file not found in %PATH%") }
		assert.Equal(t, ExitFail, e.run("check", "3"))
		stderr := e.stderr.String()
		assert.Contains(t, stderr, "Docker не отвечает или у него нет базовых образов урока (docker/dockerfile:1)", "the fake root has no Dockerfiles: only the frontend")
		assert.Contains(t, stderr, "Что делать: запустите Docker (Docker Desktop) и скачайте базовые образы урока")
		assert.Empty(t, e.scripts)
		assert.Empty(t, e.testArgs)
	})
	t.Run("bash", func(t *testing.T) {
		e := newEnv(t)
		e.recording = "pass"
		writeBootstrap(t, e)
		e.app.LookPath = func(string) (string, error) { return "/bin/bash", nil }
		require.Equal(t, ExitOK, e.run("check", "3"), e.stderr.String())
		assert.Contains(t, e.stdout.String(), "готовлю, как make images — bash internal/bootstrap/docker.sh, bash internal/bootstrap/buildx.sh, bash internal/bootstrap/images.sh.\n")
		assert.Equal(t, bootstrapScripts, e.scripts)
	})
}
