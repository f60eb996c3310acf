package cli

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/lessons"
)

// frontendImage is the Dockerfile frontend that `# syntax=docker/dockerfile:1` lines name;
// images.sh makes it exist too.
const frontendImage = "docker/dockerfile:1"

// dockerReadyFast is the bootstrap scripts' work done as a check, in Go: the engine answers
// and every base image of the lesson's Dockerfiles is on it. When it holds there is nothing
// for docker.sh, buildx.sh and images.sh to do, and a warm check starts at once; when it
// does not, the scripts run and say what they install.
func dockerReadyFast(ctx context.Context, root string, l lessons.Lesson) bool {
	cli, err := dockerAPI(ctx)
	if err != nil {
		return false
	}
	defer cli.Close()
	for _, ref := range lessonBaseImages(root, l) {
		if _, err := cli.ImageInspect(ctx, ref); err != nil {
			return false
		}
	}
	return true
}

// lessonBaseImages lists the images the lesson's reference Dockerfiles start from, as
// images.sh finds them: no stages, no scratch, nothing built from an ARG, nothing from
// exercise/ (a starter may name an image on purpose that no one should fetch); plus the
// Dockerfile frontend.
func lessonBaseImages(root string, l lessons.Lesson) []string {
	refs := []string{frontendImage}
	dir := filepath.Join(root, filepath.FromSlash(l.Dir()))
	files, _ := filepath.Glob(filepath.Join(dir, "*Dockerfile*"))
	for _, p := range files {
		if info, err := os.Stat(p); err != nil || info.IsDir() || strings.HasSuffix(p, ".dockerignore") {
			continue
		}
		f, err := dockerfile.Parse(p)
		if err != nil {
			continue // the check itself reports a broken Dockerfile
		}
		for _, st := range f.Stages {
			if st.Base == "scratch" || f.IsStage(st) || strings.Contains(st.Base, "$") {
				continue
			}
			refs = append(refs, st.Base)
		}
	}
	slices.Sort(refs)
	return slices.Compact(refs)
}
