// Package progress keeps the student's progress through the course in a small JSON file:
// the result of the last exercise check of each lesson and how many hints were shown.
// The file lives in .workshop/progress.json at the repository root; the directory gets its
// own .gitignore so that progress never ends up in a commit.
package progress

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Dir and FileName name the progress file relative to the repository root.
const (
	Dir      = ".workshop"
	FileName = "progress.json"
)

// Check results stored in Lesson.Status.
const (
	Passed = "passed"
	Failed = "failed"
)

// Path returns the progress file's path for the repository at root.
func Path(root string) string { return filepath.Join(root, Dir, FileName) }

// Lesson is the stored state of one lesson, keyed by its slug in File.Lessons.
type Lesson struct {
	// Status is the result of the last exercise check: Passed, Failed or empty (never checked).
	Status    string    `json:"status,omitempty"`
	CheckedAt time.Time `json:"checked_at,omitzero"`
	// HintsSeen is how many hints, counted from the first, the student has been shown.
	HintsSeen int `json:"hints_seen,omitempty"`
}

// File is the whole progress file.
type File struct {
	Version int                `json:"version"`
	Lessons map[string]*Lesson `json:"lessons"`

	path string
}

// New returns an empty progress that Save writes to path.
func New(path string) *File {
	return &File{Version: 1, Lessons: map[string]*Lesson{}, path: path}
}

// Load reads the progress file at path. A missing file is an empty progress, not an error.
func Load(path string) (*File, error) {
	f := New(path)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read progress: %w", err)
	}
	if err := json.Unmarshal(data, f); err != nil {
		return nil, fmt.Errorf("read progress %s: %w", path, err)
	}
	if f.Lessons == nil {
		f.Lessons = map[string]*Lesson{}
	}
	f.path = path
	return f, nil
}

// Lesson returns the state of the lesson with the given slug; the zero Lesson when there is none.
func (f *File) Lesson(slug string) Lesson {
	if l, ok := f.Lessons[slug]; ok && l != nil {
		return *l
	}
	return Lesson{}
}

// Update changes the state of one lesson in memory; Save writes it.
func (f *File) Update(slug string, change func(*Lesson)) {
	l, ok := f.Lessons[slug]
	if !ok || l == nil {
		l = &Lesson{}
		f.Lessons[slug] = l
	}
	change(l)
}

// Save writes the file atomically, creating its directory (with a .gitignore) when needed.
func (f *File) Save() error {
	if f.path == "" {
		return errors.New("save progress: no path")
	}
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	if filepath.Base(dir) == Dir {
		ignore := filepath.Join(dir, ".gitignore")
		if _, err := os.Stat(ignore); errors.Is(err, fs.ErrNotExist) {
			// Best effort: the repository's own .gitignore may list the directory too.
			_ = os.WriteFile(ignore, []byte("# Прогресс студента: не для коммитов.\n*\n"), 0o644)
		}
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".progress-*.json")
	if err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("save progress: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("save progress: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	return nil
}
