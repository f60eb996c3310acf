package lessoncheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Starter returns a target for the exercise's starter files as committed (git HEAD), copied
// with the lesson's own files into a temporary build context. So the proof that the starter
// fails holds even after the student has edited (or solved) exercise/. Where git or the
// commit is unavailable the working tree's files are used, and the test log says so.
func Starter(tb testing.TB, dockerfile string, files ...string) Target {
	tb.Helper()
	lesson := Lesson(tb, dockerfile)
	wd := lesson.Context
	if *exercise {
		// In exercise mode Lesson points into exercise/; the starter lives there too.
		lesson.Dockerfile, lesson.Dir = dockerfile, wd
	}
	tmp := tb.TempDir()
	entries, err := os.ReadDir(wd)
	if err != nil {
		tb.Fatal(err)
	}
	// The lesson's own top-level files form the build context (server.go, .dockerignore, …).
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		copyFile(tb, filepath.Join(wd, e.Name()), filepath.Join(tmp, e.Name()))
	}
	if dockerfile != "" {
		files = append(files, filepath.Join("exercise", dockerfile))
	}
	for _, f := range files {
		dst := filepath.Join(tmp, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(dst, committed(tb, filepath.Join(wd, f)), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	t := Target{Name: "заготовка задания", Lesson: lesson.Lesson, Context: tmp, Dir: filepath.Join(tmp, "exercise")}
	if dockerfile != "" {
		t.Dockerfile = filepath.Join("exercise", dockerfile)
		t.Tag = "starter-" + dockerfile
	}
	return t
}

// committed returns the file as in git HEAD, or as on disk when git can't tell.
func committed(tb testing.TB, path string) []byte {
	tb.Helper()
	dir, base := filepath.Split(path)
	out, err := exec.Command("git", "-C", dir, "show", "HEAD:./"+base).Output()
	if err == nil {
		return out
	}
	tb.Logf("%s: нет версии в git HEAD (%v), беру файл с диска", path, err)
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func copyFile(tb testing.TB, src, dst string) {
	tb.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}
