package bench

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// copyContext copies the part of a build context that `docker build` would send (the files
// .dockerignore lets through, plus the Dockerfile and .dockerignore themselves) to dst, so
// the bench can edit the server's source without touching the repository.
func copyContext(src, dst, dockerfile string) error {
	var patterns []string
	if f, err := os.Open(filepath.Join(src, ".dockerignore")); err == nil {
		patterns, err = ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s/.dockerignore: %w", src, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return fmt.Errorf("%s/.dockerignore: %w", src, err)
	}
	always := map[string]bool{filepath.Clean(dockerfile): true, ".dockerignore": true}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil || rel == "." {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if !always[rel] {
			excluded, err := pm.MatchesOrParentMatches(filepath.ToSlash(rel))
			if err != nil {
				return err
			}
			if excluded {
				return nil
			}
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
