package cli

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/internal/progress"
	"github.com/go-docker-workshop/workshop/internal/render"
	"github.com/go-docker-workshop/workshop/lessons"
)

func TestReset(t *testing.T) {
	l, err := lessons.ByNumber(2)
	require.NoError(t, err)
	lessonDir := func(e *testEnv) string { return filepath.Join(e.root, "lessons", l.Slug) }
	checkout := "git checkout -- " + strings.Join(l.Exercise.Files, " ")

	t.Run("--yes restores without asking", func(t *testing.T) {
		e := newEnv(t)
		e.exec.answers["git checkout"] = answer{}
		p := progress.New(e.app.ProgressPath)
		p.Update(l.Slug, func(s *progress.Lesson) { s.Status, s.HintsSeen = progress.Failed, 2 })
		require.NoError(t, p.Save())

		got := e.run("reset", "2", "--yes")
		require.Equal(t, ExitOK, got, e.stderr.String())
		calls := e.exec.ran("git checkout")
		require.Len(t, calls, 1)
		assert.Equal(t, checkout, calls[0].line)
		assert.Equal(t, lessonDir(e), calls[0].dir, "files are named relative to the lesson directory")
		assert.Contains(t, e.stdout.String(), "снова в исходном виде")
		assert.NotContains(t, e.stdout.String(), "[y/N]")

		s := e.progress(t).Lesson(l.Slug)
		assert.Empty(t, s.Status, "a reset exercise is not started")
		assert.Equal(t, 2, s.HintsSeen, "seen hints stay seen")
	})

	for _, answerText := range []string{"y\n", "да\n", "Yes\n"} {
		t.Run("confirmed with "+strings.TrimSpace(answerText), func(t *testing.T) {
			e := newEnv(t)
			e.exec.answers["git checkout"] = answer{}
			e.app.Stdin = strings.NewReader(answerText)
			require.Equal(t, ExitOK, e.run("reset", "2"), e.stderr.String())
			assert.Contains(t, e.stdout.String(), "Продолжить? [y/N]")
			assert.Len(t, e.exec.ran("git checkout"), 1)
		})
	}

	for name, input := range map[string]string{"declined": "n\n", "empty answer": "\n", "no input": ""} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.exec.answers["git checkout"] = answer{}
			e.app.Stdin = strings.NewReader(input)
			assert.Equal(t, ExitOK, e.run("reset", "2"), "declining is no failure: make must not say «Error 1»")
			assert.Contains(t, e.stdout.String(), "Ничего не изменено.")
			assert.Empty(t, e.exec.ran("git checkout"))
		})
	}

	t.Run("git fails", func(t *testing.T) {
		e := newEnv(t)
		e.exec.answers["git checkout"] = answer{err: &commandError{name: "git", err: exitError(1),
			stderr: "error: pathspec 'exercise/Dockerfile' did not match any file(s) known to git"}}
		assert.Equal(t, ExitFail, e.run("reset", "-y", "2"))
		assert.Contains(t, e.stderr.String(), "ошибка: git не смог восстановить файлы задания: git: error: pathspec")
		assert.Contains(t, e.stderr.String(), "Что делать: проверьте, что каталог курса получен через git clone")
	})

	t.Run("no git", func(t *testing.T) {
		e := newEnv(t)
		e.exec.answers["git checkout"] = answer{err: &commandError{name: "git", err: &exec.Error{Name: "git", Err: exec.ErrNotFound}}}
		assert.Equal(t, ExitFail, e.run("reset", "--yes", "2"))
		assert.Contains(t, e.stderr.String(), "git не найден")
		assert.Contains(t, e.stderr.String(), "Что делать: установите git")
	})
}

func TestDoctor(t *testing.T) {
	notFound := func(name string) error {
		return &commandError{name: name, err: &exec.Error{Name: name, Err: exec.ErrNotFound}}
	}
	healthy := map[string]answer{
		"go env GOVERSION":                   {out: "go1.26.8\n"},
		"git --version":                      {out: "git version 2.39.5\n"},
		"docker buildx version":              {out: "github.com/docker/buildx v0.38.2 1a2b3c4\n"},
		"engine version":                     {out: "29.1.0 1.52"},
		"engine labels golang:1.26-bookworm": {out: "workshop.standin=true\n"},
		"engine labels debian:bullseye-slim": {out: "maintainer=someone\n"},
		"engine rootdir":                     {out: "/var/lib/docker"},
	}
	tests := []struct {
		name     string
		change   map[string]answer
		free     uint64
		wantCode int
		want     []string
	}{
		{
			name: "all good", free: 50 << 30, wantCode: ExitOK,
			want: []string{
				"✓ Go 1.26.8", "✓ git 2.39.5", "✓ Docker отвечает: сервер 29.1.0, API 1.52",
				"✓ базовый образ golang:1.26-bookworm есть: подмена (метка workshop.standin=true)",
				"✓ базовый образ debian:bullseye-slim есть\n",
				"✓ свободно 50,0 ГБ в /var/lib/docker", "Всё готово к работе",
			},
		},
		{
			name: "old Go", free: 50 << 30, wantCode: ExitFail,
			change: map[string]answer{"go env GOVERSION": {out: "go1.25.4\n"}},
			want:   []string{"✗ Go 1.25.4 слишком старый: курсу нужен Go 1.26 или новее", "Что делать: установите Go 1.26", "Проблем: 1."},
		},
		{
			name: "no Go", free: 50 << 30, wantCode: ExitFail,
			change: map[string]answer{"go env GOVERSION": {err: notFound("go")}},
			want:   []string{"✗ Go не найден в PATH"},
		},
		{
			name: "missing base image", free: 50 << 30, wantCode: ExitFail,
			change: map[string]answer{"engine labels debian:bullseye-slim": {err: errors.New("No such image: debian:bullseye-slim")}},
			want:   []string{"✗ базового образа debian:bullseye-slim нет\n      Что делать: make images"},
		},
		{
			name: "Docker silent", free: 50 << 30, wantCode: ExitFail,
			change: map[string]answer{"engine version": {err: errors.New("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?")}},
			want: []string{"✗ Docker-демон не отвечает: Cannot connect", "Что делать: make docker",
				"– базовые образы не проверены: Docker не отвечает", "в /\n"},
		},
		{
			name: "no buildx is a warning", free: 50 << 30, wantCode: ExitOK,
			change: map[string]answer{"docker buildx version": {err: exitError(1)}},
			want:   []string{"! docker build соберёт устаревшим классическим сборщиком", "Что делать: make docker"},
		},
		{
			name: "buildx", free: 50 << 30, wantCode: ExitOK,
			want: []string{"✓ docker build собирает BuildKit: github.com/docker/buildx v0.38.2"},
		},
		{
			name: "no Docker", free: 50 << 30, wantCode: ExitFail,
			change: map[string]answer{"engine version": {err: errors.New("Cannot connect to the Docker daemon"), out: ""},
				"docker buildx version": {err: notFound("docker")}},
			want: []string{"✗ Docker не установлен", "Что делать: make docker"},
		},
		{
			name: "an engine, but no docker command", free: 50 << 30, wantCode: ExitFail,
			change: map[string]answer{"docker buildx version": {err: notFound("docker")}},
			want:   []string{"✓ Docker отвечает", "✗ команды docker нет в PATH: проверки курса говорят с движком сами"},
		},
		{
			name: "little disk space is a warning", free: 3 << 30, wantCode: ExitOK,
			want: []string{"! свободно 3,0 ГБ в /var/lib/docker — мало", "Что делать: docker system prune", "предупреждения (1)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.exec.answers = map[string]answer{}
			for k, v := range healthy {
				e.exec.answers[k] = v
			}
			for k, v := range tt.change {
				e.exec.answers[k] = v
			}
			e.app.FreeSpace = func(string) (uint64, error) { return tt.free, nil }
			e.app.Engine = func(context.Context) (Engine, error) { return fakeEngine{e.exec}, nil }
			got := e.run("doctor")
			assert.Equal(t, tt.wantCode, got, "stdout:\n%s", e.stdout)
			for _, w := range tt.want {
				assert.Contains(t, e.stdout.String(), w)
			}
			for _, c := range e.exec.ran("docker") {
				assert.Equal(t, "docker buildx version", c.line, "doctor asks the engine through its API; the docker command only about its plugin")
			}
		})
	}
}

func TestRead(t *testing.T) {
	newRepo := func(t *testing.T) *testEnv {
		e := newEnv(t)
		e.writeFile(t, "README.md", "# Практикум\n\nНачните с [урока 1](lessons/01-server/README.md).\n")
		e.writeFile(t, "ru/dockerfile.md", "# Разбор Dockerfile\n\n## Этап 1\n\nСм. [урок 3](../lessons/03-multi-stage/README.md) и [Docker](https://docs.docker.com/).\n")
		e.writeFile(t, "docs/teachers.md", "# Для преподавателя\n")
		e.writeFile(t, "lessons/03-multi-stage/README.md", "# Урок 3 — рабочая копия\n\nЗадание: [Dockerfile](exercise/Dockerfile).\n")
		e.writeFile(t, "lessons/03-multi-stage/exercise/Dockerfile", "FROM golang:1.26-bookworm AS builder\n")
		return e
	}

	t.Run("a glossary page with its links from the root", func(t *testing.T) {
		e := newRepo(t)
		require.Equal(t, ExitOK, e.run("read", "ru/dockerfile.md"), e.stderr.String())
		out := e.stdout.String()
		assert.Contains(t, out, "Разбор Dockerfile")
		assert.Contains(t, out, "урок 3 (lessons/03-multi-stage/README.md)")
		assert.Contains(t, out, "https://docs.docker.com/")
		assert.NotContains(t, out, "\x1b[", "piped output is plain")
	})

	t.Run("a section link reads the whole file", func(t *testing.T) {
		e := newRepo(t)
		require.Equal(t, ExitOK, e.run("read", "ru/dockerfile.md#этап-1"), e.stderr.String())
		assert.Contains(t, e.stdout.String(), "Разбор Dockerfile")
	})

	t.Run("a lesson from the working tree", func(t *testing.T) {
		e := newRepo(t)
		require.Equal(t, ExitOK, e.run("read", "03-multi-stage"), e.stderr.String())
		assert.Contains(t, e.stdout.String(), "Урок 3 — рабочая копия")
		assert.Contains(t, e.stdout.String(), "lessons/03-multi-stage/exercise/Dockerfile")
	})

	t.Run("a lesson from the binary when the tree has none", func(t *testing.T) {
		e := newRepo(t)
		l, err := lessons.ByNumber(1)
		require.NoError(t, err)
		src, err := l.README()
		require.NoError(t, err)
		want, err := render.Markdown(src, "lessons/01-server/README.md", render.Options{Style: render.NoTTY, Width: 80})
		require.NoError(t, err)
		require.Equal(t, ExitOK, e.run("read", "1"), e.stderr.String())
		assert.Equal(t, want, e.stdout.String())
	})

	t.Run("a lesson README by path outside the repository", func(t *testing.T) {
		e := newEnv(t)
		e.app.Root = ""
		require.Equal(t, ExitOK, e.run("read", "lessons/01-server/README.md"), e.stderr.String())
		assert.NotEmpty(t, strings.TrimSpace(e.stdout.String()))
	})

	t.Run("README.md by default", func(t *testing.T) {
		e := newRepo(t)
		require.Equal(t, ExitOK, e.run("read"), e.stderr.String())
		assert.Contains(t, e.stdout.String(), "Практикум")
		assert.Contains(t, e.stdout.String(), "урока 1 (lessons/01-server/README.md)")
	})

	t.Run("relative to the working directory", func(t *testing.T) {
		e := newRepo(t)
		e.app.Dir = filepath.Join(e.root, "lessons", "03-multi-stage")
		require.Equal(t, ExitOK, e.run("read", "README.md"), e.stderr.String())
		assert.Contains(t, e.stdout.String(), "Урок 3 — рабочая копия")
		assert.Contains(t, e.stdout.String(), "lessons/03-multi-stage/exercise/Dockerfile", "links still resolve from the root")
	})

	t.Run("an exercise file as code", func(t *testing.T) {
		e := newRepo(t)
		require.Equal(t, ExitOK, e.run("read", "lessons/03-multi-stage/exercise/Dockerfile"), e.stderr.String())
		assert.Contains(t, e.stdout.String(), "FROM golang:1.26-bookworm AS builder")
	})

	t.Run("width flag", func(t *testing.T) {
		e := newRepo(t)
		e.writeFile(t, "ru/long.md", strings.Repeat("слово ", 60)+"\n")
		require.Equal(t, ExitOK, e.run("read", "--width", "40", "ru/long.md"), e.stderr.String())
		for line := range strings.SplitSeq(e.stdout.String(), "\n") {
			assert.LessOrEqual(t, len([]rune(strings.TrimRight(line, " "))), 40)
		}
	})

	t.Run("unknown document lists what there is", func(t *testing.T) {
		e := newRepo(t)
		assert.Equal(t, ExitFail, e.run("read", "ru/nope.md"))
		assert.Contains(t, e.stderr.String(), "ошибка: документ «ru/nope.md» не найден")
		assert.Contains(t, e.stderr.String(), "Что делать: выберите урок (workshop read 1 … workshop read")
		assert.Contains(t, e.stderr.String(), "README.md, docs/teachers.md, ru/dockerfile.md")
	})

	t.Run("a directory", func(t *testing.T) {
		e := newRepo(t)
		assert.Equal(t, ExitFail, e.run("read", "ru"))
		assert.Contains(t, e.stderr.String(), "ru — это каталог")
	})

	t.Run("two documents", func(t *testing.T) {
		e := newRepo(t)
		assert.Equal(t, ExitUsage, e.run("read", "1", "2"))
	})
}

func TestRenderOptions(t *testing.T) {
	e := newEnv(t)
	t.Run("pipe", func(t *testing.T) {
		opt, err := e.app.renderOptions(&flags{})
		require.NoError(t, err)
		assert.Equal(t, render.Options{Style: render.NoTTY, Width: 80}, opt)
	})
	t.Run("wide terminal is capped", func(t *testing.T) {
		e.app.Size = func() (int, int, bool) { return 300, 50, true }
		opt, err := e.app.renderOptions(&flags{})
		require.NoError(t, err)
		assert.Equal(t, render.MaxWidth, opt.Width)
	})
	t.Run("flag wins", func(t *testing.T) {
		opt, err := e.app.renderOptions(&flags{width: "100"})
		require.NoError(t, err)
		assert.Equal(t, 100, opt.Width)
	})
}

func TestWatch(t *testing.T) {
	e := newEnv(t)
	e.recording = "fail"
	e.writeFile(t, "lessons/02-single-stage/exercise/Dockerfile", "FROM golang\n")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- e.app.Run(ctx, []string{"watch", "2"}) }()

	waitFor := func(what string, count int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for strings.Count(e.stdout.String(), what) < count {
			if time.Now().After(deadline) {
				t.Fatalf("waited 10 s for %d× %q; output:\n%s\nstderr:\n%s", count, what, e.stdout, e.stderr)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor("Жду изменений в lessons/02-single-stage/exercise/", 1)
	assert.Equal(t, 1, strings.Count(e.stdout.String(), "Проверяю задание урока 2"), "one check at the start")

	e.writeFile(t, "lessons/02-single-stage/exercise/Dockerfile", "FROM golang:1.26-bookworm\n")
	waitFor("Проверяю задание урока 2", 2)
	waitFor("Жду изменений", 2)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, ExitOK, code, "Ctrl-C ends watch cleanly")
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop after cancel")
	}
	assert.Contains(t, e.stdout.String(), "Наблюдение остановлено.")
	assert.Equal(t, progress.Failed, e.progress(t).Lesson("02-single-stage").Status)
}

func TestWatchMissingExercise(t *testing.T) {
	e := newEnv(t)
	assert.Equal(t, ExitFail, e.run("watch", "2"))
	assert.Contains(t, e.stderr.String(), "каталога задания lessons/02-single-stage/exercise нет")
	_ = os.Remove(e.app.ProgressPath)
}
