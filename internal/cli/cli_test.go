package cli

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/internal/progress"
	"github.com/go-docker-workshop/workshop/lessons"
)

func TestUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{"no command", nil, ExitUsage, nil, []string{"Использование:", "ошибка: не указана команда"}},
		{"help", []string{"help"}, ExitOK, []string{"Команды:", "list", "read N", "check N", "watch N", "hint N [K]", "reset N", "doctor", "lesson N", "Коды выхода"}, nil},
		{"-h", []string{"-h"}, ExitOK, []string{"Команды:"}, nil},
		{"--help", []string{"--help"}, ExitOK, []string{"Команды:"}, nil},
		{"english", []string{"--lang", "en", "help"}, ExitOK, []string{"Commands:", "check your exercise of lesson N", "Exit codes"}, nil},
		{"english with =", []string{"help", "--lang=en"}, ExitOK, []string{"Commands:"}, nil},
		{"help for a command", []string{"help", "check"}, ExitOK, []string{"workshop check N — проверить ваше задание", "-exercise"}, nil},
		{"-h after a command", []string{"reset", "-h"}, ExitOK, []string{"--yes"}, nil},
		{"unknown command", []string{"frob"}, ExitUsage, nil, []string{"ошибка: неизвестная команда «frob»", "Что делать: посмотрите список команд: workshop help."}},
		{"unknown flag", []string{"list", "--bogus"}, ExitUsage, nil, []string{"неизвестный флаг --bogus", "Что делать:"}},
		{"no lesson", []string{"check"}, ExitUsage, nil, []string{"ошибка: не указан урок", "Что делать: укажите урок, например: workshop check 1"}},
		{"two lessons", []string{"check", "1", "2"}, ExitUsage, nil, []string{"лишние аргументы: 2"}},
		{"list takes no arguments", []string{"list", "2"}, ExitUsage, nil, []string{"лишние аргументы: 2"}},
		{"flag of another command", []string{"reset", "1", "--width", "80"}, ExitUsage, nil, []string{"команда reset не принимает флаг --width"}},
		{"unknown language", []string{"--lang", "de", "help"}, ExitUsage, nil, []string{"язык «de» не поддерживается"}},
		{"flag without its value", []string{"read", "--width"}, ExitUsage, nil, []string{"у флага --width нет значения"}},
		{"bad width", []string{"read", "1", "--width", "wide"}, ExitUsage, nil, []string{"ширина «wide» не подходит"}},
		{"value for a boolean flag", []string{"reset", "1", "--yes=no"}, ExitUsage, nil, []string{"флаг --yes=no не принимает значение"}},
		{"hint with too many arguments", []string{"hint", "1", "2", "3"}, ExitUsage, nil, []string{"лишние аргументы: 3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			got := e.run(tt.args...)
			assert.Equal(t, tt.wantCode, got, "exit code; stderr:\n%s", e.stderr)
			for _, want := range tt.wantStdout {
				assert.Contains(t, e.stdout.String(), want)
			}
			for _, want := range tt.wantStderr {
				assert.Contains(t, e.stderr.String(), want)
			}
		})
	}
}

func TestUnknownLesson(t *testing.T) {
	for _, args := range [][]string{{"check", "11"}, {"hint", "0"}, {"read", "42"}, {"reset", "--yes", "cloud"}, {"watch", "-1"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			e := newEnv(t)
			got := e.run(args...)
			assert.Equal(t, ExitFail, got)
			assert.Contains(t, e.stderr.String(), "не найден: в курсе уроки с 1 по")
			assert.Contains(t, e.stderr.String(), "Что делать: укажите номер от 1 до")
			assert.Empty(t, e.exec.ran("git checkout"), "nothing is reset for an unknown lesson")
		})
	}
}

func TestFindLesson(t *testing.T) {
	all, err := lessons.All()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(all), 3)
	third := all[2]
	name := strings.TrimLeft(strings.TrimLeft(third.Slug, "0123456789"), "-")
	for _, arg := range []string{"3", "03", third.Slug, name, "lessons/" + third.Slug, "./lessons/" + third.Slug + "/"} {
		t.Run(arg, func(t *testing.T) {
			e := newEnv(t)
			got, err := e.app.findLesson(arg)
			require.NoError(t, err)
			assert.Equal(t, third.Slug, got.Slug)
		})
	}
}

func TestList(t *testing.T) {
	all, err := lessons.All()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(all), 4)

	e := newEnv(t)
	p := progress.New(e.app.ProgressPath)
	p.Update(all[0].Slug, func(l *progress.Lesson) { l.Status = progress.Passed })
	p.Update(all[1].Slug, func(l *progress.Lesson) { l.Status = progress.Failed })
	p.Update(all[3].Slug, func(l *progress.Lesson) { l.HintsSeen = 1 }) // hints alone do not start a lesson
	require.NoError(t, p.Save())
	// The student edited lesson 3's exercise but never checked it: git sees a difference.
	e.exec.answers["git diff --quiet -- "+exerciseFiles(all[2])[0]] = answer{err: exitError(1)}

	got := e.run("list")
	require.Equal(t, ExitOK, got, e.stderr.String())
	out := e.stdout.String()
	lines := strings.Split(out, "\n")
	row := func(l lessons.Lesson) string {
		t.Helper()
		for _, line := range lines {
			if strings.Contains(line, l.Title) {
				return line
			}
		}
		t.Fatalf("no row for lesson %d %q in:\n%s", l.Number, l.Title, out)
		return ""
	}
	assert.Contains(t, row(all[0]), "✓ готово")
	assert.Contains(t, row(all[1]), "… в работе")
	assert.Contains(t, row(all[2]), "… в работе")
	assert.Contains(t, row(all[3]), "· не начато")
	assert.True(t, strings.HasPrefix(row(all[1]), " → 2"), "the next lesson is marked: %q", row(all[1]))
	assert.False(t, strings.Contains(row(all[0]), "→"))
	assert.Contains(t, out, "Готово 1 из "+itoa(len(all))+". Следующий — урок 2 «"+all[1].Title+"»")
	assert.Contains(t, out, "workshop check 2")
}

func TestListAllDone(t *testing.T) {
	all, err := lessons.All()
	require.NoError(t, err)
	e := newEnv(t)
	p := progress.New(e.app.ProgressPath)
	for _, l := range all {
		p.Update(l.Slug, func(s *progress.Lesson) { s.Status = progress.Passed })
	}
	require.NoError(t, p.Save())
	require.Equal(t, ExitOK, e.run("list"))
	assert.Contains(t, e.stdout.String(), "все задания выполнены")
	assert.NotContains(t, e.stdout.String(), "→")
}

func TestListWithoutProgressFile(t *testing.T) {
	e := newEnv(t)
	require.Equal(t, ExitOK, e.run("list"))
	assert.Contains(t, e.stdout.String(), " → 1")
	assert.Contains(t, e.stdout.String(), "Готово 0 из")
	_, err := os.Stat(e.app.ProgressPath)
	assert.True(t, os.IsNotExist(err), "list only reads progress")
}

func TestHint(t *testing.T) {
	l, err := lessons.ByNumber(2)
	require.NoError(t, err)
	hints := l.Exercise.Hints
	require.GreaterOrEqual(t, len(hints), 2, "lesson 2 needs at least two hints for this test")

	e := newEnv(t)
	step := func(t *testing.T, args []string, wantCode int, want ...string) {
		t.Helper()
		e.stdout.buf.Reset()
		e.stderr.buf.Reset()
		got := e.run(args...)
		require.Equal(t, wantCode, got, e.stderr.String())
		for _, w := range want {
			assert.Contains(t, e.stdout.String()+e.stderr.String(), w)
		}
	}

	t.Run("first unseen", func(t *testing.T) {
		step(t, []string{"hint", "2"}, ExitOK, "Подсказка 1 из", hints[0], "Следующая подсказка: workshop hint 2")
		assert.Equal(t, 1, e.progress(t).Lesson(l.Slug).HintsSeen)
	})
	t.Run("next unseen", func(t *testing.T) {
		step(t, []string{"hint", "02"}, ExitOK, "Подсказка 2 из", hints[1])
		assert.Equal(t, 2, e.progress(t).Lesson(l.Slug).HintsSeen)
	})
	t.Run("an earlier one by number", func(t *testing.T) {
		step(t, []string{"hint", "2", "1"}, ExitOK, hints[0])
		assert.Equal(t, 2, e.progress(t).Lesson(l.Slug).HintsSeen, "looking back does not forget")
	})
	t.Run("the last one", func(t *testing.T) {
		step(t, []string{"hint", l.Slug, itoa(len(hints))}, ExitOK, hints[len(hints)-1], "Это последняя подсказка")
		assert.Equal(t, len(hints), e.progress(t).Lesson(l.Slug).HintsSeen)
	})
	t.Run("all seen", func(t *testing.T) {
		step(t, []string{"hint", "2"}, ExitOK, "Вы видели все подсказки", "1. "+hints[0], itoa(len(hints))+". "+hints[len(hints)-1])
	})
	t.Run("no such hint", func(t *testing.T) {
		step(t, []string{"hint", "2", "99"}, ExitFail, "подсказки «99» у урока 2 нет", "Что делать: укажите номер от 1 до")
	})
}

func TestHintsAreKeptPerLesson(t *testing.T) {
	e := newEnv(t)
	require.Equal(t, ExitOK, e.run("hint", "2"))
	require.Equal(t, ExitOK, e.run("hint", "3"))
	p := e.progress(t)
	l2, _ := lessons.ByNumber(2)
	l3, _ := lessons.ByNumber(3)
	assert.Equal(t, 1, p.Lesson(l2.Slug).HintsSeen)
	assert.Equal(t, 1, p.Lesson(l3.Slug).HintsSeen)
}

func TestParseGoVersion(t *testing.T) {
	tests := []struct {
		in           string
		major, minor int
		ok           bool
	}{
		{"go1.26.8", 1, 26, true},
		{"go1.27rc1", 1, 27, true},
		{"go1.9", 1, 9, true},
		{"devel go1.27-abc", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			major, minor, ok := parseGoVersion(tt.in)
			assert.Equal(t, tt.ok, ok)
			if tt.ok {
				assert.Equal(t, [2]int{tt.major, tt.minor}, [2]int{major, minor})
			}
		})
	}
}

func TestRunHonoursCancel(t *testing.T) {
	e := newEnv(t)
	e.recording = "pass"
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := e.app.Run(ctx, []string{"check", "2"})
	assert.Equal(t, ExitFail, got)
	assert.Contains(t, e.stderr.String(), "Прервано.")
	_, err := os.Stat(e.app.ProgressPath)
	assert.True(t, os.IsNotExist(err), "an interrupted check records nothing")
}

func itoa(n int) string { return strconv.Itoa(n) }
