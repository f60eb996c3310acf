package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/progress"
	"github.com/go-docker-workshop/workshop/lessons"
)

// findLesson resolves a lesson argument: a number ("3", "03"), a directory name
// ("03-multi-stage"), a name without its number ("multi-stage") or a path ("lessons/03-multi-stage").
func (a *App) findLesson(arg string) (lessons.Lesson, error) {
	all, err := lessons.All()
	if err != nil {
		return lessons.Lesson{}, err
	}
	key := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(arg), "./"), "/")
	key = strings.TrimPrefix(key, "lessons/")
	if n, err := strconv.Atoi(key); err == nil {
		if n >= 1 && n <= len(all) {
			return all[n-1], nil
		}
	} else {
		for _, l := range all {
			if key == l.Slug || key == strings.TrimLeft(strings.TrimLeft(l.Slug, "0123456789"), "-") {
				return l, nil
			}
		}
	}
	return lessons.Lesson{}, failure(
		fmt.Sprintf("укажите номер от 1 до %d или каталог урока (например, 03-multi-stage); список уроков — %s.", len(all), a.suggest("list", 0)),
		fmt.Errorf("урок «%s» не найден: в курсе уроки с 1 по %d", arg, len(all)))
}

// lessonArg checks that args hold exactly one lesson (plus up to extra more arguments).
func (a *App) lessonArg(cmd string, args []string, extra int) (lessons.Lesson, error) {
	if len(args) == 0 {
		return lessons.Lesson{}, usageError(
			fmt.Sprintf("укажите урок, например: %s (список уроков — %s).", a.suggest(cmd, 1), a.suggest("list", 0)),
			"не указан урок")
	}
	if len(args) > 1+extra {
		return lessons.Lesson{}, usageError(
			fmt.Sprintf("посмотрите, как вызывать команду: %s help %s.", a.Prog, cmd),
			"лишние аргументы: %s", strings.Join(args[1+extra:], " "))
	}
	return a.findLesson(args[0])
}

// needRoot fails when the tool runs outside the course repository.
func (a *App) needRoot(what string) error {
	if a.Root != "" {
		return nil
	}
	return failure(
		"перейдите в каталог репозитория курса (там, где go.mod и каталог lessons/) и повторите команду.",
		fmt.Errorf("%s работает только внутри репозитория курса, а текущий каталог не в нём", what))
}

// exerciseFiles lists the exercise's files relative to the repository root, slash-separated.
func exerciseFiles(l lessons.Lesson) []string {
	var out []string
	for _, f := range l.Exercise.Files {
		out = append(out, path.Join(l.Dir(), f))
	}
	return out
}

// loadProgress reads the progress file; an unreadable file is reported and treated as empty.
func (a *App) loadProgress() *progress.File {
	if a.ProgressPath == "" {
		return progress.New("")
	}
	p, err := progress.Load(a.ProgressPath)
	if err != nil {
		fmt.Fprintf(a.Stderr, "Прогресс не прочитан (%v); начинаю с чистого листа.\n", err)
		return progress.New(a.ProgressPath)
	}
	return p
}

func (a *App) saveProgress(p *progress.File) {
	if a.ProgressPath == "" {
		return
	}
	if err := p.Save(); err != nil {
		fmt.Fprintf(a.Stderr, "Прогресс не сохранён: %v\n", err)
	}
}

// changedInGit reports whether git sees changes in the exercise files since the starter
// version; false when git cannot tell (no git, no repository, files not tracked).
func (a *App) changedInGit(ctx context.Context, l lessons.Lesson) bool {
	if a.Root == "" {
		return false
	}
	args := append([]string{"diff", "--quiet", "--"}, exerciseFiles(l)...)
	_, err := a.Exec(ctx, a.Root, "git", args...)
	return exitCode(err) == 1
}

// exitCode is the exit code of a command that ran and failed; -1 when it did not run.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ec interface{ ExitCode() int }
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return -1
}

// status names the state of a lesson as the list shows it.
type status int

const (
	notStarted status = iota
	inProgress
	done
)

func (s status) String() string {
	switch s {
	case done:
		return "готово"
	case inProgress:
		return "в работе"
	}
	return "не начато"
}

func (a *App) lessonStatus(ctx context.Context, p *progress.File, l lessons.Lesson) status {
	switch p.Lesson(l.Slug).Status {
	case progress.Passed:
		return done
	case progress.Failed:
		return inProgress
	}
	if a.changedInGit(ctx, l) {
		return inProgress
	}
	return notStarted
}

// readLessonREADME reads the README from the working tree when it is there (the student may
// be editing the course), else from the copy embedded in the binary.
func (a *App) readLessonREADME(l lessons.Lesson) ([]byte, error) {
	if a.Root != "" {
		data, err := os.ReadFile(filepath.Join(a.Root, filepath.FromSlash(l.Dir()), "README.md"))
		if err == nil {
			return data, nil
		}
	}
	data, err := l.README()
	if err != nil {
		return nil, fmt.Errorf("read %s/README.md: %w", l.Dir(), err)
	}
	return data, nil
}
