package classroom

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-docker-workshop/workshop/lessons"
)

// starterSums holds the SHA-256 of every exercise file as the course ships it, in the format
// of sha256sum: "<hex>  lessons/<slug>/exercise/<file>". A student's repository made from
// the course (a GitHub Classroom template, a fork) commits its own changes on top, so its git
// HEAD is no measure of the starter; these sums are. TestStarterSums keeps them equal to the
// course's exercise files; `go test ./internal/classroom -run TestStarterSums -update`
// writes them anew after an exercise changes.
//
//go:embed starters.sha256
var starterSums []byte

// Starters knows the exercise files as the course ships them, by SHA-256 of their text.
type Starters map[string]string // slash path from the repository root → hex SHA-256

// CourseStarters returns the sums the course ships with.
func CourseStarters() Starters {
	s, err := ParseStarters(starterSums)
	if err != nil {
		panic(err) // the embedded file is the course's own; TestStarterSums reads it too
	}
	return s
}

// ParseStarters reads sums in sha256sum's format.
func ParseStarters(data []byte) (Starters, error) {
	s := Starters{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != sha256.Size*2 {
			return nil, fmt.Errorf("starters.sha256:%d: want «<sha256>  <path>», got %q", n, line)
		}
		s[name] = sum
	}
	return s, sc.Err()
}

// Format writes the sums in sha256sum's format, in the order of the lessons' files.
func (s Starters) Format(all []lessons.Lesson) []byte {
	var b bytes.Buffer
	for _, l := range all {
		for _, f := range ExerciseFiles(l) {
			if sum, ok := s[f]; ok {
				fmt.Fprintf(&b, "%s  %s\n", sum, f)
			}
		}
	}
	return b.Bytes()
}

// Sum is the SHA-256 of a file's text as the starters are summed: line endings CRLF count
// as LF, so that a clone on Windows with core.autocrlf is the same starter.
func Sum(data []byte) string {
	sum := sha256.Sum256(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")))
	return hex.EncodeToString(sum[:])
}

// ExerciseFiles lists lesson l's exercise files as slash paths from the repository root.
func ExerciseFiles(l lessons.Lesson) []string {
	var out []string
	for _, f := range l.Exercise.Files {
		out = append(out, path.Join(l.Dir(), f))
	}
	return out
}

// NotStarted reports whether lesson l's exercise in the repository at root is still the
// starter: every exercise file is there and equal to the course's. A file the sums do not
// know (a lesson added after them) counts as started, so its checks run.
func (s Starters) NotStarted(root string, l lessons.Lesson) (bool, error) {
	files := ExerciseFiles(l)
	if len(files) == 0 {
		return false, nil
	}
	for _, f := range files {
		want, ok := s[f]
		if !ok {
			return false, nil
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil // a deleted file is a change; the checks say what is missing
		}
		if err != nil {
			return false, err
		}
		if Sum(data) != want {
			return false, nil
		}
	}
	return true, nil
}

// NotStartedText says why a lesson counts as not started.
func NotStartedText(l lessons.Lesson) []string {
	return []string{fmt.Sprintf("Задание не начато: %s — как в курсе.", strings.Join(ExerciseFiles(l), ", "))}
}
