package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/verdict"
	"github.com/go-docker-workshop/workshop/lessons"
)

// Target is one Dockerfile the bench measures. ImageResult embeds it, so its fields are
// also those of results.json.
type Target struct {
	Name       string `json:"name"`       // 05-scratch, root, root-single: also the tag workshop/bench:<name>
	Title      string `json:"title"`      // Russian, for the reports
	Lesson     int    `json:"lesson"`     // 0 for the root Dockerfiles
	Context    string `json:"context"`    // build context relative to the repository root
	Dockerfile string `json:"dockerfile"` // relative to Context
	Source     string `json:"source"`     // the server's source relative to Context: the file the warm rebuild edits
}

// Root Dockerfiles: the pair compare.sh builds, with the repository as the build context.
const (
	RootSingle = "root-single"
	RootMulti  = "root"
)

// Discover lists the targets in course order: every Docker lesson whose reference Dockerfile
// exists, then the root pair. missing names those without a Dockerfile yet.
func Discover(root string) (targets []Target, missing []string, err error) {
	all, err := lessons.All()
	if err != nil {
		return nil, nil, err
	}
	var candidates []Target
	for _, l := range all {
		if l.Docker {
			candidates = append(candidates, Target{Name: l.Slug, Title: fmt.Sprintf("Урок %d. %s", l.Number, l.Title),
				Lesson: l.Number, Context: filepath.FromSlash(l.Dir()), Dockerfile: "Dockerfile", Source: "server.go"})
		}
	}
	candidates = append(candidates,
		Target{Name: RootSingle, Title: "Корневой Dockerfile.single (одноэтапный)", Context: ".", Dockerfile: "Dockerfile.single", Source: "server/server.go"},
		Target{Name: RootMulti, Title: "Корневой Dockerfile (многоэтапный)", Context: ".", Dockerfile: "Dockerfile", Source: "server/server.go"})
	for _, t := range candidates {
		if exists(filepath.Join(root, t.Context, t.Dockerfile)) && exists(filepath.Join(root, t.Context, t.Source)) {
			targets = append(targets, t)
		} else {
			missing = append(missing, t.Name)
		}
	}
	return targets, missing, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Select picks the target named by only: a name (05-scratch, root), a unique prefix of one
// or a lesson number (5, 05). An empty only selects all.
func Select(targets []Target, only string) ([]Target, error) {
	if only == "" {
		return targets, nil
	}
	var names []string
	var found []Target
	n, numErr := strconv.Atoi(only)
	for _, t := range targets {
		if t.Name == only {
			return []Target{t}, nil
		}
		names = append(names, t.Name)
		if (numErr == nil && n > 0 && t.Lesson == n) || (numErr != nil && strings.HasPrefix(t.Name, only)) {
			found = append(found, t)
		}
	}
	if len(found) == 1 {
		return found, nil
	}
	return nil, verdict.Failf("укажите одно из: "+strings.Join(names, ", "), "-only %q: нет такого образа или имя неоднозначно", only)
}
