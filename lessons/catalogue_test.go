package lessons

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The catalogue is the one list of lessons: every entry must point at a complete lesson
// and every lesson directory must be in it.
func TestCatalogueMatchesTheLessonDirectories(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, l := range all {
		listed[l.Slug] = true
		t.Run(l.Slug, func(t *testing.T) {
			if !strings.HasPrefix(l.Slug, twoDigits(l.Number)+"-") {
				t.Errorf("slug %q must start with its number %s-", l.Slug, twoDigits(l.Number))
			}
			if l.Title == "" || l.Summary == "" {
				t.Error("title and summary are required")
			}
			readme, err := l.README()
			if err != nil {
				t.Fatalf("README: %v", err)
			}
			wantHeading := fmt.Sprintf("# Урок %d — ", l.Number)
			if !strings.HasPrefix(string(readme), wantHeading) {
				t.Errorf("README must start with %q", wantHeading)
			}
			if len(l.Exercise.Files) == 0 || len(l.Exercise.Hints) == 0 {
				t.Error("an exercise needs files and hints")
			}
			for _, f := range l.Exercise.Files {
				if _, err := os.Stat(filepath.Join(l.Slug, f)); err != nil {
					t.Errorf("exercise file: %v", err)
				}
			}
			if _, err := os.Stat(filepath.Join(l.Slug, "Dockerfile")); l.Docker && err != nil {
				t.Errorf("a Docker lesson needs its reference Dockerfile: %v", err)
			}
		})
	}
	dirs, err := filepath.Glob("[0-9][0-9]-*")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !listed[d] {
			t.Errorf("lessons/%s is not in catalogue.json", d)
		}
	}
}

func TestReadmesShareTheirHeadings(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"## Цель", "## Теория", "## Шаг за шагом", "## Задание", "## Проверка", "## Подсказки", "## Что дальше"}
	for _, l := range all {
		readme, err := l.README()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, line := range strings.Split(string(readme), "\n") {
			if strings.HasPrefix(line, "## ") {
				got = append(got, strings.TrimSpace(line))
			}
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: headings\n got %q\nwant %q", l.Slug, got, want)
		}
	}
}

func TestByNumber(t *testing.T) {
	l, err := ByNumber(3)
	if err != nil || l.Slug != "03-multi-stage" {
		t.Errorf("ByNumber(3) = %q, %v; want 03-multi-stage", l.Slug, err)
	}
	if _, err := ByNumber(99); err == nil || !strings.Contains(err.Error(), "урока 99 нет") {
		t.Errorf("ByNumber(99) error = %v, want a Russian message", err)
	}
}

func twoDigits(n int) string { return fmt.Sprintf("%02d", n) }
