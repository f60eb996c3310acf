// Package lessons holds the course catalogue: the one ordered list of lessons that the
// Makefile, the CLI and the tests read. Each lesson lives in its own directory next to
// this file; the catalogue names it, its exercise files and its hints.
package lessons

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
)

//go:embed catalogue.json
var catalogueJSON []byte

// Docs holds every lesson's README so the CLI can render them without the source tree.
//
//go:embed */README.md
var Docs embed.FS

// CourseOnly is the reason a test of the course itself (the starter fails, test-data
// variants) is skipped when a student checks an exercise (go test -exercise). Lessons skip
// with it (lessoncheck.SkipInExercise) and the CLI leaves tests skipped with it out of the
// student's summary: both read this one constant.
const CourseOnly = "проверка самого курса: в режиме -exercise не нужна"

// Lesson is one entry of the catalogue.
type Lesson struct {
	Number   int      `json:"number"`
	Slug     string   `json:"slug"`
	Title    string   `json:"title"`
	Summary  string   `json:"summary"`
	Docker   bool     `json:"docker"`
	Exercise Exercise `json:"exercise"`
}

// Exercise lists the files a student edits (relative to the lesson's directory) and the
// hints shown one by one.
type Exercise struct {
	Files []string `json:"files"`
	Hints []string `json:"hints"`
}

// Dir is the lesson's directory relative to the repository root.
func (l Lesson) Dir() string { return path.Join("lessons", l.Slug) }

// Package is the Go package path that `go test` takes to check the lesson.
func (l Lesson) Package() string { return "./" + l.Dir() + "/" }

// README returns the lesson's README text.
func (l Lesson) README() ([]byte, error) {
	return fs.ReadFile(Docs, path.Join(l.Slug, "README.md"))
}

// All returns the lessons in course order.
func All() ([]Lesson, error) {
	var c struct {
		Lessons []Lesson `json:"lessons"`
	}
	if err := json.Unmarshal(catalogueJSON, &c); err != nil {
		return nil, fmt.Errorf("read lessons/catalogue.json: %w", err)
	}
	for i, l := range c.Lessons {
		if l.Number != i+1 {
			return nil, fmt.Errorf("lessons/catalogue.json: lesson %q has number %d, want %d", l.Slug, l.Number, i+1)
		}
	}
	return c.Lessons, nil
}

// ByNumber returns lesson n (1-based).
func ByNumber(n int) (Lesson, error) {
	all, err := All()
	if err != nil {
		return Lesson{}, err
	}
	if n < 1 || n > len(all) {
		return Lesson{}, fmt.Errorf("урока %d нет: в курсе уроки с 1 по %d", n, len(all))
	}
	return all[n-1], nil
}
