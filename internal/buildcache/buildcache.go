// Package buildcache holds what a check of BuildKit's cache needs besides the lesson's words:
// an edited copy of a build context (Edit), which COPY brings which file of the context
// (Brings), the BuildKit step behind each Dockerfile line (StepsByLine), a Dockerfile cut
// after a line (Cut) and how many packages Go's build cache in an image holds compiled
// (CompiledPackages).
package buildcache

import (
	"context"
	"crypto/rand"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// Edit copies the build context src to a new temporary directory and appends a unique line
// to its file rel, so that the COPY of that file misses the cache in every run, not only the
// first. The caller removes the directory.
func Edit(src, rel string) (string, error) {
	dir, err := os.MkdirTemp("", "workshop-edit-")
	if err != nil {
		return "", err
	}
	if err := CopyTree(src, dir); err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	if err := AppendLine(filepath.Join(dir, rel)); err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// AppendLine appends a unique Go comment to file.
func AppendLine(file string) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f, "\n// Added by the build cache check (%s).\n", rand.Text()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// CopyTree copies a build context with its files' modes: COPY's checksum includes them.
// Other than regular files and directories are left out.
func CopyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			// MkdirTemp made the root 0700: give it the context's mode too, or COPY of a
			// file below it (gomod/go.mod) gets another checksum than from the lesson dir.
			if err := os.MkdirAll(target, info.Mode().Perm()); err != nil {
				return err
			}
			return os.Chmod(target, info.Mode().Perm())
		case !info.Mode().IsRegular():
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
}

// Brings reports whether a COPY or ADD from the build context brings the file at rel (a path
// in the context): a source that is the file, a directory above it, or a pattern for either.
func Brings(in dockerfile.Instruction, rel string) bool {
	if (in.Name != "COPY" && in.Name != "ADD") || in.From != "" || len(in.Args) < 2 {
		return false
	}
	for _, src := range in.Args[:len(in.Args)-1] {
		src = strings.TrimPrefix(path.Clean("/"+src), "/")
		if src == "" || src == rel || strings.HasPrefix(rel, src+"/") {
			return true
		}
		for p := rel; p != "."; p = path.Dir(p) {
			if ok, _ := path.Match(src, p); ok {
				return true
			}
		}
	}
	return false
}

// StepsByLine maps each line of the Dockerfile f to the BuildKit step of img that built it.
func StepsByLine(f *dockerfile.File, img *imagetest.Image) map[int]*imagetest.BuildStep {
	byLine := map[int]*imagetest.BuildStep{}
	for i := range img.Steps {
		st := &img.Steps[i]
		if stage, k, _, ok := st.Position(); ok {
			if line := f.StepLine(stage, k, st.Instruction()); line > 0 {
				byLine[line] = st
			}
		}
	}
	return byLine
}

// Cut is the Dockerfile src (parsed as f) up to and with the instruction at line, its
// continuation lines too, and nothing of what follows: a build of it stops after that
// instruction.
func Cut(f *dockerfile.File, src []byte, line int) []byte {
	lines := strings.SplitAfter(string(src), "\n")
	return []byte(strings.Join(lines[:min(nextInstruction(f, line, len(lines)+1)-1, len(lines))], ""))
}

// CutBefore is the Dockerfile src before line: the build stops just before that instruction.
func CutBefore(src []byte, line int) []byte {
	lines := strings.SplitAfter(string(src), "\n")
	return []byte(strings.Join(lines[:min(max(line-1, 0), len(lines))], ""))
}

// nextInstruction returns the line of the first instruction (of any stage) after line, or
// end when there is none.
func nextInstruction(f *dockerfile.File, line, end int) int {
	next := end
	for _, st := range f.Stages {
		if st.Line > line && st.Line < next {
			next = st.Line
		}
		for _, in := range st.Instructions {
			if in.Line > line && in.Line < next {
				next = in.Line
			}
		}
	}
	return next
}

// CompiledPackages counts the compiled packages in the Go build cache of an image of a build
// stage: the outputs that are package archives («!<arch>»), one per compiled package. It runs
// in a container that is removed at once; the image needs sh, find, grep and go.
func CompiledPackages(ctx context.Context, img *imagetest.Image) (int, error) {
	// A shell that ends on SIGTERM, so that removing the container does not wait 10 s.
	idle := []string{"sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"}
	ctr, err := img.Run(ctx, imagetest.RunOptions{NoWait: true, Cmd: idle})
	defer func() { _ = ctr.Terminate(context.Background()) }()
	if err != nil {
		return 0, fmt.Errorf("container of the build stage %s: %w", img.Ref, err)
	}
	const count = `d=$(go env GOCACHE) || exit 1; [ -d "$d" ] || { echo 0; exit 0; }; ` +
		`find "$d" -type f -name '*-d' -exec grep -l -m1 -a '^!<arch>$' {} + | wc -l`
	code, out, err := ctr.Exec(ctx, "sh", "-c", count)
	if err != nil || code != 0 {
		return 0, fmt.Errorf("counting the Go build cache in %s: code %d, %v: %s", img.Ref, code, err, out)
	}
	fields := strings.Fields(out)
	if len(fields) == 0 {
		return 0, fmt.Errorf("counting the Go build cache in %s: no output", img.Ref)
	}
	return strconv.Atoi(fields[len(fields)-1])
}
