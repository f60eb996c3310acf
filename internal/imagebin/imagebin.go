// Package imagebin finds the executable an image runs and reads its ELF headers. It sits
// between imagetest (which reads an image's files) and its users, the lessons' checks
// (lessoncheck) and the bench, so that the bench needs no test package to find a binary.
// What is wrong with the image itself is a *verdict.Problem; a daemon's failure is a plain
// error.
package imagebin

import (
	"bytes"
	"context"
	"errors"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/go-docker-workshop/workshop/internal/elfinfo"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/verdict"
)

// Binary is the server's executable found in an image.
type Binary struct {
	Path string
	Info elfinfo.Info
	Size int64
}

// FindBinary finds the file the image runs: the first word of ENTRYPOINT (or of CMD when
// there is no ENTRYPOINT), resolved as Docker does against WorkingDir, or against PATH for a
// bare name, and reads its ELF headers. The answer is kept per image ID for the rest of the
// process, so the checks and the bench, which each need the binary, read it once.
func FindBinary(ctx context.Context, img *imagetest.Image) (Binary, error) {
	if img.ID == "" { // the legacy builder does not report the ID: nothing to key on
		return findBinary(ctx, img)
	}
	v, _ := binaries.LoadOrStore(img.ID, &binaryEntry{})
	e := v.(*binaryEntry)
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.done {
		bin, err := findBinary(ctx, img)
		p, isProblem := err.(*verdict.Problem)
		if err != nil && !isProblem {
			return bin, err // the daemon failed, not the image: the next call tries again
		}
		e.bin, e.problem, e.done = bin, p, true
	}
	bin := e.bin
	bin.Info.Needed = slices.Clone(bin.Info.Needed)
	if e.problem != nil {
		p := *e.problem // each caller gets its own copy to word as it likes
		return bin, &p
	}
	return bin, nil
}

// binaries holds FindBinary's answer for each image ID: image ID → *binaryEntry.
var binaries sync.Map

type binaryEntry struct {
	mu      sync.Mutex // held while the binary is looked up, so that concurrent callers wait for it
	done    bool
	bin     Binary
	problem *verdict.Problem // what is wrong with the image, when FindBinary says so
}

func findBinary(ctx context.Context, img *imagetest.Image) (Binary, error) {
	info, err := img.Inspect(ctx)
	if err != nil {
		return Binary{}, err
	}
	argv := info.Config.Entrypoint
	if len(argv) == 0 {
		argv = info.Config.Cmd
	}
	if len(argv) == 0 {
		return Binary{}, verdict.Failf("задайте в финальном этапе ENTRYPOINT или CMD в exec-форме с путём к бинарнику (урок 5, "+
			"раздел «Exec-форма обязательна»)", "в образе %s не задана команда запуска", img.Ref)
	}
	prog, err := FindProgram(ctx, img, info.Config, argv[0])
	if err != nil {
		return Binary{}, err
	}
	for _, f := range prog.Found {
		if f.Dir {
			continue
		}
		data, err := img.ReadFile(ctx, f.Path)
		if err != nil {
			return Binary{}, err
		}
		ei, err := elfinfo.Inspect(bytes.NewReader(data))
		if errors.Is(err, elfinfo.ErrNotELF) {
			return Binary{}, verdict.Failf("запускайте скомпилированный бинарник, а не скрипт или исходник",
				"%s, который запускает образ, — не исполняемый файл Linux (не ELF)", f.Path)
		}
		if err != nil {
			return Binary{}, err
		}
		return Binary{Path: f.Path, Info: ei, Size: int64(len(data))}, nil
	}
	return Binary{}, verdict.Failf("путь в ENTRYPOINT/CMD должен совпадать с тем, куда COPY --from положил бинарник "+
		"(относительный путь считается от WORKDIR)",
		"образ запускает %q, но файла %s в образе нет", strings.Join(argv, " "), strings.Join(prog.Candidates, " или "))
}

// Program is where the program a command names is in an image.
type Program struct {
	Name       string           // the command's first word, e.g. "/server" or "curl"
	Candidates []string         // the paths Docker tries for it, in order
	Found      []imagetest.File // the candidates the image has, symlinks followed, in the same order
}

// FindProgram looks name up in the image's files as Docker does when it starts a command: an
// absolute path as it is, a relative one against WorkingDir, a bare name in each directory of
// the image's PATH (Docker's default PATH when the image sets none). Symlinks are followed.
func FindProgram(ctx context.Context, img *imagetest.Image, cfg imagetest.Config, name string) (Program, error) {
	prog := Program{Name: name}
	switch {
	case path.IsAbs(name):
		prog.Candidates = []string{path.Clean(name)}
	case strings.Contains(name, "/"):
		prog.Candidates = []string{path.Join("/", cfg.WorkingDir, name)}
	default:
		pathEnv, ok := cfg.EnvValue("PATH")
		if !ok {
			pathEnv = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
		}
		for _, dir := range strings.Split(pathEnv, ":") {
			prog.Candidates = append(prog.Candidates, path.Join("/", dir, name))
		}
	}
	files, err := img.Files(ctx)
	if err != nil {
		return Program{}, err
	}
	byPath := make(map[string]imagetest.File, len(files))
	for _, f := range files {
		byPath[f.Path] = f
	}
	for _, c := range prog.Candidates {
		f, ok := byPath[c]
		for hops := 0; ok && f.Symlink && hops < 8; hops++ {
			target := f.Linkname
			if !path.IsAbs(target) {
				target = path.Join(path.Dir(f.Path), target)
			}
			f, ok = byPath[path.Clean(target)]
		}
		if ok && !f.Symlink {
			prog.Found = append(prog.Found, f)
		}
	}
	return prog, nil
}
