package lessoncheck

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// What the build stage leaves in a final image when too much is copied into it: the Go
// toolchain, the sources, the build machine's paths inside the binary.

// BuildLeftovers names what among an image's files is needed only to build the server: the
// Go toolchain in /usr/local/go, a go command in a bin/ directory, Go sources. nil when there
// is none.
func BuildLeftovers(files []imagetest.File) []string {
	var toolchain, gobin, sources []string
	for _, f := range files {
		switch {
		case f.Path == "/usr/local/go" || strings.HasPrefix(f.Path, "/usr/local/go/"):
			toolchain = append(toolchain, f.Path)
		case f.Dir:
		case path.Base(f.Path) == "go" && path.Base(path.Dir(f.Path)) == "bin":
			gobin = append(gobin, f.Path)
		case strings.HasSuffix(f.Path, ".go"):
			sources = append(sources, f.Path)
		}
	}
	var found []string
	if len(toolchain) > 0 {
		found = append(found, fmt.Sprintf("инструменты сборки Go в /usr/local/go (файлов: %d)", len(toolchain)))
	}
	if len(gobin) > 0 {
		found = append(found, "команда go: "+Examples(gobin))
	}
	if len(sources) > 0 {
		found = append(found, "исходники: "+Examples(sources))
	}
	return found
}

// NoBuildLeftovers is a check that the final image holds none of BuildLeftovers; hint says
// what to copy from the build stage instead.
func NoBuildLeftovers(hint string) func(s *State) error {
	return func(s *State) error {
		files, err := s.Image.Files(s.Ctx)
		if err != nil {
			return err
		}
		if found := BuildLeftovers(files); len(found) > 0 {
			return Failf(hint, "в финальном образе осталось то, что нужно только для сборки: %s", strings.Join(found, "; "))
		}
		return nil
	}
}

// CheckTrimpath checks that the binary the image runs keeps no paths of the machine that
// built it (BuildPaths); hint says how to build it.
func CheckTrimpath(s *State, hint string) error {
	bin, err := FindBinary(s.Ctx, s.Image)
	if err != nil {
		return err
	}
	data, err := s.Image.ReadFile(s.Ctx, bin.Path)
	if err != nil {
		return err
	}
	if paths := BuildPaths(data); len(paths) > 0 {
		return Failf(hint,
			"бинарник %s хранит пути машины, где его собрали: %s (всего %d). Без -trimpath go build записывает "+
				"полный путь каждого исходника: так из образа видно, как устроена машина сборки",
			bin.Path, Examples(paths), len(paths))
	}
	return nil
}

// BuildPaths returns the absolute .go paths in a binary, the sources' own first, then the
// standard library's. Without -trimpath go build records the full path of every source file
// in the binary's line table (/build/server.go, /usr/local/go/src/…), NUL-terminated, for
// stack traces; -s -w keeps them. With -trimpath they are relative: net/http/server.go.
func BuildPaths(data []byte) []string {
	var own, std []string
	for _, c := range bytes.Split(data, []byte{0}) {
		if len(c) < 5 || len(c) > 400 || c[0] != '/' || !bytes.HasSuffix(c, []byte(".go")) ||
			bytes.ContainsAny(c, " \t\n\r") {
			continue
		}
		if p := string(c); strings.HasPrefix(p, "/usr/local/go/") {
			std = append(std, p)
		} else {
			own = append(own, p)
		}
	}
	return append(own, std...)
}

// Examples shows the first three paths of a list and how many more there are:
// «/a, /b, /c и ещё 2».
func Examples(paths []string) string {
	if len(paths) > 3 {
		return fmt.Sprintf("%s и ещё %d", strings.Join(paths[:3], ", "), len(paths)-3)
	}
	return strings.Join(paths, ", ")
}
