package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/go-docker-workshop/workshop/lessons"
)

// Target is one Dockerfile the bench measures.
type Target struct {
	Name       string // 05-scratch, root, root-single: also the tag workshop/bench:<name>
	Title      string // Russian, for the reports
	Lesson     int    // 0 for the root Dockerfiles
	Context    string // build context relative to the repository root
	Dockerfile string // relative to Context
	Source     string // the server's source relative to Context: the file the warm rebuild edits
}

// LessonLabel is the value of the image's workshop.lesson label.
func (t Target) LessonLabel() string {
	switch {
	case t.Lesson > 0:
		return filepath.Base(t.Context)
	case t.Name == RootSingle || t.Name == RootMulti:
		return "root"
	default:
		return "bench"
	}
}

// Root Dockerfiles: the pair compare.sh builds, with the repository as the build context.
const (
	RootSingle = "root-single"
	RootMulti  = "root"
)

// Discover lists the targets in course order: every Docker lesson whose reference Dockerfile
// exists, then the root pair. missing names the Docker lessons without a Dockerfile yet.
func Discover(root string) (targets []Target, missing []string, err error) {
	all, err := lessons.All()
	if err != nil {
		return nil, nil, err
	}
	for _, l := range all {
		if !l.Docker {
			continue
		}
		t := Target{
			Name: l.Slug, Title: fmt.Sprintf("Урок %d. %s", l.Number, l.Title), Lesson: l.Number,
			Context: filepath.FromSlash(l.Dir()), Dockerfile: "Dockerfile", Source: "server.go",
		}
		if !exists(filepath.Join(root, t.Context, t.Dockerfile)) || !exists(filepath.Join(root, t.Context, t.Source)) {
			missing = append(missing, l.Slug)
			continue
		}
		targets = append(targets, t)
	}
	for _, t := range []Target{
		{Name: RootSingle, Title: "Корневой Dockerfile.single (одноэтапный)", Context: ".", Dockerfile: "Dockerfile.single", Source: "server/server.go"},
		{Name: RootMulti, Title: "Корневой Dockerfile (многоэтапный)", Context: ".", Dockerfile: "Dockerfile", Source: "server/server.go"},
	} {
		if !exists(filepath.Join(root, t.Dockerfile)) {
			missing = append(missing, t.Name)
			continue
		}
		targets = append(targets, t)
	}
	return targets, missing, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Select picks the targets named by only: a name (05-scratch, root), a unique prefix of one
// or a lesson number (5, 05). An empty only selects all.
func Select(targets []Target, only string) ([]Target, error) {
	if only == "" {
		return targets, nil
	}
	var names []string
	for _, t := range targets {
		names = append(names, t.Name)
		if t.Name == only {
			return []Target{t}, nil
		}
	}
	var found []Target
	n, numErr := strconv.Atoi(only)
	for _, t := range targets {
		if (numErr == nil && t.Lesson == n && n > 0) || (numErr != nil && strings.HasPrefix(t.Name, only)) {
			found = append(found, t)
		}
	}
	if len(found) == 1 {
		return found, nil
	}
	return nil, fmt.Errorf("-only %q: нет такого образа или имя неоднозначно\nПодсказка: укажите одно из: %s", only, strings.Join(names, ", "))
}

// order is the sort key of the course order: lessons by number, then Dockerfile.single,
// then Dockerfile, then anything else by name.
func order(name string, lesson int) int {
	switch {
	case lesson > 0:
		return lesson
	case name == RootSingle:
		return 1000
	case name == RootMulti:
		return 1001
	default:
		return 2000
	}
}

func sortImages(imgs []ImageResult) {
	slices.SortStableFunc(imgs, func(a, b ImageResult) int {
		if d := order(a.Name, a.Lesson) - order(b.Name, b.Lesson); d != 0 {
			return d
		}
		return strings.Compare(a.Name, b.Name)
	})
}

// FindRoot walks up from dir to the directory with the workshop's go.mod.
func FindRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && strings.Contains(string(data), "module github.com/go-docker-workshop/workshop") {
			return d, nil
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("не найден корень практикума (go.mod модуля github.com/go-docker-workshop/workshop) выше %s\nПодсказка: запускайте из каталога практикума: go run ./cmd/bench", dir)
		}
	}
}
