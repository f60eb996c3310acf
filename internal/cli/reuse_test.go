package cli

import (
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/lessons"
)

// check --all --reuse takes a lesson's last check while nothing in the lesson has changed,
// and checks it again after an edit; without --reuse every lesson is checked.
func TestCheckAllReuse(t *testing.T) {
	e := newEnv(t)
	all, err := lessons.All()
	require.NoError(t, err)
	for _, l := range all {
		for _, f := range l.Exercise.Files {
			e.writeFile(t, path.Join(l.Dir(), f), "# решение студента\n")
		}
	}
	runs := func() int {
		e.mu.Lock()
		defer e.mu.Unlock()
		return len(e.testArgs)
	}
	e.recording = "pass"

	require.Equal(t, ExitOK, e.run("check", "3"))
	require.Equal(t, 1, runs())
	require.Equal(t, ExitOK, e.run("check", "--all", "--reuse"), e.stdout.String())
	assert.Equal(t, len(all), runs(), "lesson 3 checked again")
	assert.Contains(t, e.stdout.String(), "Результат последней проверки: 1 урок.")
	assert.Contains(t, e.stdout.String(), "✓ Урок 3 «Многоэтапная сборка» — пройдено")

	// An edit in lesson 3 (the exercise or its build context) makes it checked again; the
	// other lessons were saved by the run above.
	e.writeFile(t, path.Join(all[2].Dir(), all[2].Exercise.Files[0]), "# исправлено\n")
	e.recording = "fail"
	before := runs()
	assert.Equal(t, ExitFail, e.run("check", "--all", "--reuse"))
	assert.Equal(t, before+1, runs(), "only the edited lesson is checked")
	assert.Contains(t, e.stdout.String(), "✗ Урок 3 «Многоэтапная сборка» — не пройдено")
	assert.Contains(t, e.stdout.String(), "Результат последней проверки: 9 уроков.")

	// Without --reuse every lesson is checked.
	before = runs()
	assert.Equal(t, ExitFail, e.run("check", "--all"))
	assert.Equal(t, before+len(all), runs())

	// A lesson whose exercise is the starter again is «не начато», whatever its last check
	// said.
	first := all[0]
	for _, f := range first.Exercise.Files {
		data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(first.Dir()), filepath.FromSlash(f)))
		require.NoError(t, err)
		e.writeFile(t, path.Join(first.Dir(), f), string(data))
	}
	assert.Equal(t, ExitFail, e.run("check", "1"))
	assert.Equal(t, ExitFail, e.run("check", "--all", "--reuse"))
	assert.Contains(t, e.stdout.String(), "· Урок 1 «Сервер на Go» — не начато")

	// --reuse belongs to --all.
	assert.Equal(t, ExitUsage, e.run("check", "3", "--reuse"))
	assert.Contains(t, e.stderr.String(), "--reuse")
}
