package lessoncheck

import (
	"bytes"
	"context"
	"errors"
	"path"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/elfinfo"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// Binary is the server's executable found in an image.
type Binary struct {
	Path string
	Info elfinfo.Info
	Size int64
}

// FindBinary finds the file the image runs: the first word of ENTRYPOINT (or of CMD when
// there is no ENTRYPOINT), resolved as Docker does against WorkingDir, or against PATH for a
// bare name, and reads its ELF headers.
func FindBinary(ctx context.Context, img *imagetest.Image) (Binary, error) {
	info, err := img.Inspect(ctx)
	if err != nil {
		return Binary{}, err
	}
	argv := info.Config.Entrypoint
	if len(argv) == 0 {
		argv = info.Config.Cmd
	}
	if len(argv) == 0 {
		return Binary{}, Failf(`добавьте ENTRYPOINT ["/server"]`, "в образе %s не задана команда запуска", img.Ref)
	}
	name := argv[0]
	var candidates []string
	switch {
	case path.IsAbs(name):
		candidates = []string{name}
	case strings.Contains(name, "/"):
		candidates = []string{path.Join("/", info.Config.WorkingDir, name)}
	default:
		pathEnv, ok := info.Config.EnvValue("PATH")
		if !ok {
			pathEnv = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
		}
		for _, dir := range strings.Split(pathEnv, ":") {
			candidates = append(candidates, path.Join("/", dir, name))
		}
	}
	files, err := img.Files(ctx)
	if err != nil {
		return Binary{}, err
	}
	byPath := make(map[string]imagetest.File, len(files))
	for _, f := range files {
		byPath[f.Path] = f
	}
	for _, c := range candidates {
		f, ok := byPath[c]
		for hops := 0; ok && f.Symlink && hops < 8; hops++ {
			target := f.Linkname
			if !path.IsAbs(target) {
				target = path.Join(path.Dir(f.Path), target)
			}
			f, ok = byPath[path.Clean(target)]
		}
		if !ok || f.Dir {
			continue
		}
		data, err := img.ReadFile(ctx, f.Path)
		if err != nil {
			return Binary{}, err
		}
		ei, err := elfinfo.Inspect(bytes.NewReader(data))
		if errors.Is(err, elfinfo.ErrNotELF) {
			return Binary{}, Failf("запускайте скомпилированный бинарник, а не скрипт или исходник",
				"%s, который запускает образ, — не исполняемый файл Linux (не ELF)", f.Path)
		}
		if err != nil {
			return Binary{}, err
		}
		return Binary{Path: f.Path, Info: ei, Size: int64(len(data))}, nil
	}
	return Binary{}, Failf("путь в ENTRYPOINT/CMD должен совпадать с тем, куда COPY --from положил бинарник "+
		"(относительный путь считается от WORKDIR)",
		"образ запускает %q, но файла %s в образе нет", strings.Join(argv, " "), strings.Join(candidates, " или "))
}
