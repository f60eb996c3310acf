package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/go-docker-workshop/workshop/internal/classroom"
	"github.com/go-docker-workshop/workshop/lessons"
)

// savedCheck is a lesson's last exercise check, kept beside its report so that
// `check --all --reuse` can take it instead of checking again what has not changed: in
// GitHub Classroom the table step comes right after the lessons' own checks.
type savedCheck struct {
	// Key sums what the check read (checkKey); the result stands only for the same key.
	Key    string           `json:"key"`
	Result classroom.Result `json:"result"`
}

func savedCheckPath(root string, l lessons.Lesson) string {
	return filepath.Join(root, ".workshop", "report", l.Slug+".result.json")
}

// checkKey sums what an exercise check of lesson l reads: the course's checks as compiled
// (the test binary's fingerprint: sources, go command) and every file in the lesson's
// directory, the exercise and the build context alike, by path and content.
func checkKey(root string, l lessons.Lesson) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "checks %s\n", fingerprint(root))
	dir := filepath.Join(root, filepath.FromSlash(l.Dir()))
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "file %s\n", filepath.ToSlash(rel))
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// saveCheck keeps r, a judged exercise check of lesson l, for check --all --reuse. Only a
// verdict on the exercise is kept (passed or failed): a time-out or a broken machine is
// checked again. Nothing is saved when the key cannot be computed.
func (a *App) saveCheck(l lessons.Lesson, r classroom.Result) {
	path := savedCheckPath(a.Root, l)
	_ = os.Remove(path)
	if r.Status != classroom.Passed && r.Status != classroom.Failed {
		return
	}
	key, err := checkKey(a.Root, l)
	if err != nil {
		return
	}
	data, err := json.Marshal(savedCheck{Key: key, Result: r})
	if err != nil {
		return
	}
	_ = os.WriteFile(path, data, 0o644)
}

// savedCheckOf is lesson l's kept result when nothing it read has changed since.
func (a *App) savedCheckOf(l lessons.Lesson) (classroom.Result, bool) {
	data, err := os.ReadFile(savedCheckPath(a.Root, l))
	if err != nil {
		return classroom.Result{}, false
	}
	var s savedCheck
	if json.Unmarshal(data, &s) != nil || s.Result.Number != l.Number || s.Result.Slug != l.Slug {
		return classroom.Result{}, false
	}
	key, err := checkKey(a.Root, l)
	if err != nil || key != s.Key {
		return classroom.Result{}, false
	}
	return s.Result, true
}
