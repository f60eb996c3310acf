package progress

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadMissingFileIsEmpty(t *testing.T) {
	p, err := Load(filepath.Join(t.TempDir(), "nope", FileName))
	require.NoError(t, err)
	assert.Equal(t, Lesson{}, p.Lesson("01-server"))
}

func TestSaveAndLoad(t *testing.T) {
	root := t.TempDir()
	path := Path(root)
	p, err := Load(path)
	require.NoError(t, err)

	checked := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	p.Update("02-single-stage", func(l *Lesson) { l.Status, l.CheckedAt = Passed, checked })
	p.Update("03-multi-stage", func(l *Lesson) { l.HintsSeen = 2 })
	require.NoError(t, p.Save())

	got, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, Lesson{Status: Passed, CheckedAt: checked}, got.Lesson("02-single-stage"))
	assert.Equal(t, Lesson{HintsSeen: 2}, got.Lesson("03-multi-stage"))
	assert.Equal(t, 1, got.Version)

	ignore, err := os.ReadFile(filepath.Join(root, Dir, ".gitignore"))
	require.NoError(t, err, "the progress directory keeps itself out of git")
	assert.Contains(t, string(ignore), "*")

	leftovers, err := filepath.Glob(filepath.Join(root, Dir, ".progress-*"))
	require.NoError(t, err)
	assert.Empty(t, leftovers, "no temporary files after an atomic save")
}

func TestLoadBrokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o644))
	_, err := Load(path)
	require.Error(t, err)
}

func TestSaveWithoutPath(t *testing.T) {
	require.Error(t, New("").Save())
}
