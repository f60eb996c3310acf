package cli

import (
	"bytes"
	"context"
	"errors"
	"github.com/go-docker-workshop/workshop/internal/imagesize"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/internal/progress"
	"github.com/go-docker-workshop/workshop/internal/verdict"
	"github.com/go-docker-workshop/workshop/lessons"
)

func TestCheck(t *testing.T) {
	l2, err := lessons.ByNumber(2)
	require.NoError(t, err)
	l3, err := lessons.ByNumber(3)
	require.NoError(t, err)

	tests := []struct {
		name       string
		recording  string
		lesson     string
		wantCode   int
		wantStatus string // recorded in progress; "" when nothing is recorded
		want       []string
		dontWant   []string
	}{
		{
			name: "all checks pass", recording: "pass", lesson: "2",
			wantCode: ExitOK, wantStatus: progress.Passed,
			want: []string{
				"Проверяю задание урока 2 «" + l2.Title + "»: lessons/02-single-stage/exercise/Dockerfile",
				"  ▶ образ собирается",
				"✓ Урок 2 «" + l2.Title + "»: все проверки пройдены",
				"  ✓ образ собирается (1,2 с)",
				"  ✓ контейнер запускается и отвечает\n",
				"Следующий урок: 3 «" + l3.Title + "» — workshop read 3",
			},
			dontWant: []string{"✗", lessons.CourseOnly},
		},
		{
			name: "the first failure shows its own hint", recording: "fail", lesson: "2",
			wantCode: ExitFail, wantStatus: progress.Failed,
			want: []string{
				"✗ Урок 2 «" + l2.Title + "»: проверка не пройдена",
				"  ✓ Dockerfile разбирается\n  ✗ CMD в exec-форме\n\n",
				"Первая ошибка — CMD в exec-форме:",
				"    exercise/Dockerfile (строка 5): CMD записан в shell-форме:\n        CMD ./server\n" +
					"    Сервер запущен через /bin/sh -c и не получит SIGTERM.\n" +
					"    Подсказка: запишите CMD в exec-форме: CMD [\"./server\"].\n\n" +
					"Ещё 2 проверки не запускались: сначала исправьте эту.\n",
				"Исправьте lessons/02-single-stage/exercise/Dockerfile и проверьте снова: workshop check 2",
				"Подсказки к заданию: workshop hint 2",
			},
			dontWant: []string{"--- FAIL", "Подсказка: " + l2.Exercise.Hints[0], "образ собирается"},
		},
		{
			name: "without a hint in the message the catalogue's hints are only offered", recording: "fail-nohint", lesson: "2",
			wantCode: ExitFail, wantStatus: progress.Failed,
			want: []string{
				"Первая ошибка — контейнер запускается и отвечает:",
				"    журнал контейнера: listen tcp 127.0.0.1:8080\n    сервер не ответил на GET /healthz за 30 с\n\n",
				"Подсказки к заданию: workshop hint 2",
			},
			dontWant: []string{"Подсказка: ", "Ещё"},
		},
		{
			name: "a check that panics shows the panic", recording: "panic", lesson: "2",
			wantCode: ExitFail, wantStatus: progress.Failed,
			want: []string{
				"  ✓ CMD в exec-форме\n  ✗ образ собирается\n",
				"Проверка «образ собирается» прервалась:",
				"    panic: runtime error: invalid memory address",
				"проверьте снова: workshop check 2",
			},
			dontWant: []string{"    FAIL"},
		},
		{
			name: "an exercise that does not compile", recording: "exercise-compile", lesson: "1",
			wantCode: ExitFail, wantStatus: progress.Failed,
			want: []string{
				"задание не компилируется",
				"    lessons/01-server/exercise/server.go:12:2: undefined: hadnler",
				"проверьте снова: workshop check 1",
			},
			dontWant: []string{"# github.com"},
		},
		{
			name: "a lesson whose tests do not build is not the student's failure", recording: "course-compile", lesson: "3",
			wantCode: ExitFail,
			want:     []string{"тесты урока не собрались или не запустились", "undefined: lessoncheck.Gone", "Дело не в вашем задании"},
			dontWant: []string{"Исправьте"},
		},
		{
			name: "tests that fail before any check are not the student's failure", recording: "no-runs", lesson: "4",
			wantCode: ExitFail,
			want:     []string{"тесты урока не собрались или не запустились", "flag provided but not defined: -exercise", "Дело не в вашем задании"},
			dontWant: []string{"Исправьте"},
		},
		{
			name: "a lesson without tests checks nothing", recording: "no-tests", lesson: "4",
			wantCode: ExitFail,
			want:     []string{"проверок нет"},
			dontWant: []string{"Исправьте", "✓"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.recording = tt.recording
			l, err := e.app.findLesson(tt.lesson)
			require.NoError(t, err)

			got := e.run("check", tt.lesson)
			out := e.stdout.String()
			assert.Equal(t, tt.wantCode, got, "exit code; stdout:\n%s\nstderr:\n%s", out, e.stderr)
			for _, w := range tt.want {
				assert.Contains(t, out, w)
			}
			for _, w := range tt.dontWant {
				assert.NotContains(t, out, w)
			}

			require.Len(t, e.testArgs, 1)
			assert.Equal(t, []string{"-test.count=1", "-exercise"}, e.testArgs[0])

			s := e.progress(t).Lesson(l.Slug)
			assert.Equal(t, tt.wantStatus, s.Status)
			if tt.wantStatus != "" {
				assert.Equal(t, e.app.Now().UTC(), s.CheckedAt)
			}
		})
	}
}

func TestCheckNeedsDocker(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass"
	e.dockerErr = errors.New("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?")
	got := e.run("check", "2")
	assert.Equal(t, ExitFail, got)
	assert.Contains(t, e.stderr.String(), "Docker не отвечает: Cannot connect to the Docker daemon")
	assert.Contains(t, e.stderr.String(), "Что делать: запустите Docker командой make docker")
	assert.Empty(t, e.testArgs, "no tests run without Docker")
}

func TestCheckOutsideTheRepository(t *testing.T) {
	e := newEnv(t)
	e.app.Root = ""
	got := e.run("check", "1")
	assert.Equal(t, ExitFail, got)
	assert.Contains(t, e.stderr.String(), "работает только внутри репозитория курса")
	assert.Contains(t, e.stderr.String(), "Что делать: перейдите в каталог репозитория курса")
}

func TestCheckShowsProgressOnATerminal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t)
		e.recording = "pass"
		e.app.Terminal = func() bool { return true }
		e.app.Size = func() (int, int, bool) { return 60, 20, true }
		e.app.Now = time.Now // the bubble's fake clock
		replay := e.app.Tests
		e.app.Tests = func(ctx context.Context, root, pkg string, args, env []string, out io.Writer) error {
			// go test -c compiles for a while before the first check starts.
			time.Sleep(400 * time.Millisecond)
			return replay(ctx, root, pkg, args, env, out)
		}
		require.Equal(t, ExitOK, e.run("check", "2"))
		out := e.stdout.String()
		assert.Contains(t, out, "\r\x1b[2K", "the status line is redrawn in place")
		frames := statusFrames(out)
		assert.Equal(t, []string{"⠋ 0,1 с · сборка тестов…", "⠙ 0,2 с · сборка тестов…", "⠹ 0,4 с · сборка тестов…"}, frames,
			"a frame every 120 ms until the recording is replayed at once")
		assert.NotContains(t, out, "▶", "a terminal gets one status line, not a line per test")
		for _, f := range frames {
			assert.Less(t, len([]rune(f)), 60, "the status line fits the terminal: %q", f)
		}
	})
}

// TestSummaryGolden pins the summary's layout for a fixed lesson, independent of the catalogue.
func TestSummaryGolden(t *testing.T) {
	l := lessons.Lesson{
		Number: 2, Slug: "02-single-stage", Title: "Одноэтапный образ", Docker: true,
		Exercise: lessons.Exercise{
			Files: []string{"exercise/Dockerfile"},
			Hints: []string{"Базовый образ с Go: FROM golang:1.26-bookworm (тег обязателен)."},
		},
	}
	for _, tt := range []struct {
		scenario string
		exercise bool
		want     outcome
	}{
		{"pass", true, outcomePassed},
		{"fail", true, outcomeFailed},
		{"fail-nohint", true, outcomeFailed},
		{"fail", false, outcomeFailed},
		{"panic", true, outcomeFailed},
		{"exercise-compile", true, outcomeFailed},
		{"course-compile", true, outcomeNone},
		{"variant-fails", false, outcomeFailed},
	} {
		name := tt.scenario
		if !tt.exercise {
			name += "-reference"
		}
		t.Run(name, func(t *testing.T) {
			sc := scenarios[tt.scenario]
			rep := &verdict.Report{}
			if sc.report != "" {
				f, err := os.Open(filepath.Join("testdata", "report", sc.report+".jsonl"))
				require.NoError(t, err)
				defer f.Close()
				stop := make(chan struct{})
				close(stop)
				require.NoError(t, verdict.Tail(f, stop, time.Millisecond, rep.Add))
			}
			l := l
			if tt.scenario == "exercise-compile" {
				l.Number, l.Slug, l.Exercise.Files = 1, "01-server", []string{"exercise/server.go"}
			}
			res := resultOf(l, rep, sc.err, sc.out, tt.exercise)
			res.Elapsed = 42 * time.Second
			e := newEnv(t)
			var buf bytes.Buffer
			got := e.app.summary(&buf, res, tt.exercise)
			assert.Equal(t, tt.want, got)
			golden(t, "summary-"+name+".golden", buf.String())
		})
	}
}

func TestSeconds(t *testing.T) {
	tests := map[time.Duration]string{
		400 * time.Millisecond:  "0,4 с",
		1200 * time.Millisecond: "1,2 с",
		42 * time.Second:        "42 с",
		65 * time.Second:        "1 мин 5 с",
	}
	for d, want := range tests {
		t.Run(want, func(t *testing.T) {
			assert.Equal(t, want, seconds(d))
		})
	}
}

func TestLessonForInstructors(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass"
	e.writeFile(t, "lessons/02-single-stage/README.md", "# Урок 2 — рабочая копия\n\nТекст урока.\n")
	e.lessonImages = []imagesize.Image{
		{Ref: "workshop/02-single-stage:reference", Size: imagesize.Size{Bytes: 682_900_000},
			Reported: imagesize.Report{Store: imagesize.StoreContainerd, DiskUsage: 983_000_000, ContentSize: 225_000_000}},
		{Ref: "workshop/03-multi-stage:reference", Size: imagesize.Size{Bytes: 87_400_000},
			Reported: imagesize.Report{Store: imagesize.StoreClassic, Size: 87_400_000}},
	}

	got := e.run("lesson", "2")
	out := e.stdout.String()
	require.Equal(t, ExitOK, got, "stdout:\n%s\nstderr:\n%s", out, e.stderr)
	assert.Contains(t, out, "Урок 2 — рабочая копия", "the README from the working tree comes first")
	assert.Contains(t, out, "Эталонное решение урока 2")
	assert.Contains(t, out, "Образы урока (метка workshop.lesson=02-single-stage):")
	assert.Contains(t, out, "workshop/02-single-stage:reference   683 МБ без сжатия    docker images (хранилище containerd): DISK USAGE 983 МБ, CONTENT SIZE 225 МБ")
	assert.Contains(t, out, "workshop/03-multi-stage:reference    87,4 МБ без сжатия   docker images (классическое хранилище): SIZE 87,4 МБ")
	assert.NotContains(t, out, "Следующий урок", "instructors are not sent on")

	assert.Equal(t, []string{"-test.count=1"}, e.testArgs[0], "reference checks run without -exercise")
	assert.Equal(t, []string{"02-single-stage"}, e.imagesAsked, "the lesson's images are found by its label")
	_, err := os.Stat(e.app.ProgressPath)
	assert.True(t, os.IsNotExist(err), "a reference run is not the student's progress")
}

func TestLessonReferenceFails(t *testing.T) {
	e := newEnv(t)
	e.recording = "fail"
	got := e.run("lesson", "2")
	assert.Equal(t, ExitFail, got)
	assert.Contains(t, e.stdout.String(), "Образов с меткой workshop.lesson=02-single-stage нет")
}

// A lesson whose test binary is not current is compiled while Docker is made ready, the
// student is told why this check is slower, and the checks run once it is compiled.
func TestCheckCompilesAheadOfDocker(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass"
	var order []string
	var mu sync.Mutex
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
	e.app.TestsCurrent = func(string, string) bool { return false }
	e.app.Compile = func(context.Context, string, string) error {
		time.Sleep(50 * time.Millisecond)
		note("compiled")
		return nil
	}
	e.app.ReadyFast = func(context.Context, lessons.Lesson) bool { note("docker ready"); return true }
	replay := e.app.Tests
	e.app.Tests = func(ctx context.Context, root, pkg string, args, env []string, out io.Writer) error {
		note("tests")
		return replay(ctx, root, pkg, args, env, out)
	}
	require.Equal(t, ExitOK, e.run("check", "2"), e.stderr.String())
	assert.Equal(t, []string{"docker ready", "compiled", "tests"}, order, "Docker is asked while the compiler works")
	assert.Contains(t, e.stdout.String(), "Компилирую тесты урока")

	order = nil
	e.app.TestsCurrent = func(string, string) bool { return true }
	before := len(e.stdout.String())
	require.Equal(t, ExitOK, e.run("check", "2"))
	assert.Equal(t, []string{"tests"}, order, "a current binary is not compiled (and Docker was found ready in this run already)")
	assert.NotContains(t, e.stdout.String()[before:], "Компилирую")
}
