package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/go-docker-workshop/workshop/lessons"
	"io"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/internal/buildevent"
	"github.com/go-docker-workshop/workshop/internal/testjson"
)

// build-events.jsonl is a real `go test -json` run of lesson 06's reference checks with
// WORKSHOP_BUILD_EVENTS=1: its builds report their steps as marked output lines, and one
// check fails.

func TestCheckAsksForBuildEvents(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass.jsonl"
	require.Equal(t, ExitOK, e.run("check", "2"))
	require.Len(t, e.goTestEnv, 1)
	assert.Contains(t, e.goTestEnv[0], buildevent.EnvVar+"=1")
}

func TestCheckShowsBuildStepsWhenPiped(t *testing.T) {
	e := newEnv(t)
	e.recording = "build-events.jsonl"
	assert.Equal(t, ExitFail, e.run("check", "6"))
	out := e.stdout.String()
	for _, want := range []string{
		"  · [builder 2/7] WORKDIR /src CACHED\n",
		"  · [builder 5/7] RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath std CACHED\n",
		"  ✓ [builder 6/7] COPY server.go ./ 0,1 с\n",
		"  ✓ [builder 7/7] RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64     go build -trimpath -ldflags=\"-s -w\" -o… 8,1 с\n",
		"  ▶ TestLesson › образ собирается",
		"Первая ошибка — после правки server.go всё до COPY исходников берётся из кэша:",
	} {
		assert.Contains(t, out, want)
	}
	assert.NotRegexp(t, `(?m)^  [✓·✗] \[internal\]`, out, "BuildKit's own quick steps get no line")
	assert.Less(t, strings.Index(out, "WORKDIR /src CACHED"), strings.Index(out, "✗ Урок 6"), "steps show while the checks run")
	assertNoMarks(t, out+e.stderr.String())
}

func assertNoMarks(t *testing.T, s string) {
	t.Helper()
	assert.NotContains(t, s, "workshop-build")
	assert.NotContains(t, s, "\x1e")
}

func TestBuildEventsStayOutOfTheReport(t *testing.T) {
	data, err := readRecording("build-events.jsonl")
	require.NoError(t, err)
	e := newEnv(t)
	st := &statusLine{app: e.app, rep: &testjson.Report{}, announced: map[string]bool{}}
	for line := range strings.SplitSeq(strings.TrimSpace(string(data)), "\n") {
		st.add([]byte(line))
	}
	for _, test := range st.rep.Tests {
		assertNoMarks(t, strings.Join(test.Output, "\n"))
	}
	assertNoMarks(t, strings.Join(st.rep.Output, "\n"))
	assert.Empty(t, st.steps, "every step that started also ended")
}

func TestSplitBuildEvent(t *testing.T) {
	ev := buildevent.Event{Image: "workshop/03:dockerfile", Step: "[builder 4/4] RUN go build -o server .", State: buildevent.Done, Took: 8100 * time.Millisecond}
	output := func(text string) []byte {
		data, err := json.Marshal(testjson.Event{Action: "output", Package: "p", Test: "TestLesson/образ_собирается", Output: text})
		require.NoError(t, err)
		return data
	}

	t.Run("an output event that is only the mark", func(t *testing.T) {
		rest, got, ok := splitBuildEvent(output(ev.Line()))
		assert.True(t, ok)
		assert.Equal(t, ev, got)
		assert.Nil(t, rest)
	})
	t.Run("the test's own output before the mark stays", func(t *testing.T) {
		rest, got, ok := splitBuildEvent(output("partial line" + ev.Line()))
		require.True(t, ok)
		assert.Equal(t, ev, got)
		var e testjson.Event
		require.NoError(t, json.Unmarshal(rest, &e))
		assert.Equal(t, "partial line\n", e.Output)
		assert.Equal(t, "TestLesson/образ_собирается", e.Test)
	})
	t.Run("a plain line outside JSON", func(t *testing.T) {
		rest, got, ok := splitBuildEvent([]byte(strings.TrimSuffix(ev.Line(), "\n")))
		assert.True(t, ok)
		assert.Equal(t, ev, got)
		assert.Nil(t, rest)
	})
	t.Run("other lines pass untouched", func(t *testing.T) {
		for _, line := range [][]byte{output("    lesson_test.go:12: workshop-build is a word\n"), []byte(`{"Action":"pass","Test":"TestX"}`), []byte("FAIL")} {
			rest, _, ok := splitBuildEvent(line)
			assert.False(t, ok)
			assert.Equal(t, line, rest)
		}
	})
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

// events writes go test -json lines to w as a fake go test would, one at a time.
type events struct {
	w io.Writer
}

func (e events) out(test, text string) {
	data, _ := json.Marshal(testjson.Event{Action: "output", Package: "p", Test: test, Output: text})
	fmt.Fprintf(e.w, "%s\n", data)
}

func (e events) action(action, test string) {
	data, _ := json.Marshal(testjson.Event{Action: action, Package: "p", Test: test})
	fmt.Fprintf(e.w, "%s\n", data)
}

// TestCheckShowsTheBuildStepOnATerminal runs the status line on a fake clock: the tests
// build for 8,5 s in one step, and the line redrawn every 120 ms shows that step and its time.
func TestCheckShowsTheBuildStepOnATerminal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t)
		e.app.Terminal = func() bool { return true }
		e.app.Size = func() (int, int, bool) { return 100, 20, true }
		e.app.Now = time.Now // the bubble's clock
		const test = "TestLesson/образ_собирается"
		step := buildevent.Event{Image: "workshop/02-single-stage:dockerfile", Step: "[4/4] RUN go build -o server server.go"}
		e.app.GoTest = func(ctx context.Context, dir string, args, env []string, stdout io.Writer) error {
			ev := events{stdout}
			time.Sleep(time.Second) // go test compiles the tests
			ev.action("run", "TestLesson")
			ev.action("run", test)
			step.State = buildevent.Running
			ev.out(test, step.Line())
			time.Sleep(8500 * time.Millisecond)
			step.State, step.Took = buildevent.Done, 8500*time.Millisecond
			ev.out(test, step.Line())
			time.Sleep(time.Second)
			ev.action("pass", test)
			ev.action("pass", "TestLesson")
			ev.action("pass", "")
			return nil
		}
		require.Equal(t, ExitOK, e.run("check", "2"))
		out := e.stdout.String()

		frames := statusFrames(out)
		assert.Contains(t, frames, "⠋ 0,1 с · сборка тестов…", "the first frame, 120 ms in")
		assert.Contains(t, frames, "⠇ 1,1 с · TestLesson › образ собирается · [4/4] RUN go build -o server server.go 0,1 с")
		assert.Contains(t, frames, "⠇ 9,5 с · TestLesson › образ собирается · [4/4] RUN go build -o server server.go 8,5 с",
			"the step's own time grows with the run's")
		assert.Contains(t, frames, "⠏ 9,6 с · TestLesson › образ собирается", "the step is gone once it ended")
		for _, f := range frames {
			assert.Less(t, len([]rune(f)), 100, "the status line fits the terminal: %q", f)
		}
		assert.NotContains(t, out, "✓ [4/4]", "a terminal gets the status line, not a line per step")
		assertNoMarks(t, out)
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
		st := &statusLine{app: e.app, start: time.Now(), tty: true, rep: &testjson.Report{}}
		st.rep.Add(testjson.Event{Action: "run", Test: "TestLesson/образ_собирается"})
		st.build(buildevent.Event{Image: "i", Step: "[builder 4/4] RUN go build -ldflags=\"-s -w\" -o /server server.go", State: buildevent.Running})
		time.Sleep(8100 * time.Millisecond)
		st.draw(2)
		frames := statusFrames(e.stdout.String())
		require.Len(t, frames, 1)
		assert.Equal(t, "⠹ 8,1 с · TestLesson › образ собирается · [builder 4/4] RUN go build -l… 8,1 с", frames[0])
		assert.Less(t, len([]rune(frames[0])), 80)
	})
}

func TestLessonsWithoutDockerDoNotAskForIt(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass.jsonl"
	writeBootstrap(t, e)
	e.exec.answers["docker version"] = answer{err: errors.New("docker: command not found")}
	require.Equal(t, ExitOK, e.run("check", "1"), e.stderr.String())
	assert.Empty(t, e.scripts, "lesson 1 needs no Docker: no make images")
	assert.Empty(t, e.exec.ran("docker"), "nor a question to the daemon")
}

func writeBootstrap(t *testing.T, e *testEnv) {
	for _, s := range bootstrapScripts {
		e.writeFile(t, s, "#!/bin/bash\n")
	}
}

func TestDockerLessonsPrepareDockerOnce(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass.jsonl"
	writeBootstrap(t, e)
	require.Equal(t, ExitOK, e.run("check", "2"), e.stderr.String())
	assert.Equal(t, bootstrapScripts, e.scripts, "docker.sh, buildx.sh, images.sh: what make images did")
	require.Equal(t, ExitOK, e.run("check", "2"))
	assert.Len(t, e.scripts, 3, "the same run of the tool (watch) prepares once")
}

func TestBootstrapFailureStopsTheCheck(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass.jsonl"
	writeBootstrap(t, e)
	e.scriptErr = map[string]error{"internal/bootstrap/images.sh": exitError(1)}
	assert.Equal(t, ExitFail, e.run("check", "3"))
	assert.Contains(t, e.stderr.String(), "подготовка Docker (bash internal/bootstrap/images.sh) не удалась")
	assert.Contains(t, e.stdout.String(), "internal/bootstrap/images.sh: не получилось", "the script's own words reach the student")
	assert.Empty(t, e.goTestArgs)
}

func TestDockerHostWithoutASocket(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass.jsonl"
	writeBootstrap(t, e)
	e.env["DOCKER_HOST"] = "unix:///no/such.sock"
	assert.Equal(t, ExitFail, e.run("check", "3"))
	stderr := e.stderr.String()
	assert.Contains(t, stderr, "по адресу DOCKER_HOST=unix:///no/such.sock никто не слушает: файла сокета /no/such.sock нет")
	assert.Contains(t, stderr, "Что делать: уберите переменную (unset DOCKER_HOST)")
	assert.Empty(t, e.scripts, "no dockerd is started and waited for on another socket")
	assert.Empty(t, e.exec.ran("docker"))
	assert.Empty(t, e.goTestArgs)
}

func TestUnderMakeNextStepsAreMakeTargets(t *testing.T) {
	t.Run("passed", func(t *testing.T) {
		e := newEnv(t)
		e.env["MAKELEVEL"] = "1"
		e.recording = "pass.jsonl"
		require.Equal(t, ExitOK, e.run("check", "2"))
		assert.Contains(t, e.stdout.String(), "— make read-3\n")
		assert.NotContains(t, e.stdout.String(), "workshop read")
	})
	t.Run("failed", func(t *testing.T) {
		e := newEnv(t)
		e.env["MAKELEVEL"] = "1"
		e.recording = "fail.jsonl"
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
	e.recording = "pass.jsonl"
	writeBootstrap(t, e)
	var asked []int
	e.app.ReadyFast = func(_ context.Context, l lessons.Lesson) bool { asked = append(asked, l.Number); return true }
	require.Equal(t, ExitOK, e.run("check", "2"), e.stderr.String())
	assert.Equal(t, []int{2}, asked)
	assert.Empty(t, e.scripts, "Docker answers with the base images: no bash, no bootstrap")
	assert.Empty(t, e.exec.ran("docker"), "and no docker CLI either")

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
