package bench

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Markers around the README's line that says when and where the numbers were taken.
const (
	readmeBegin = "<!-- bench:machine -->"
	readmeEnd   = "<!-- /bench:machine -->"
)

// UpdateReadme replaces the text between the bench markers in the file at path with line,
// so the README shows the date, machine and versions of the numbers next to its chart.
// A file without the markers is left alone and reported with ok=false.
func UpdateReadme(path, line string) (ok bool, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	i := bytes.Index(data, []byte(readmeBegin))
	j := bytes.Index(data, []byte(readmeEnd))
	if i < 0 || j < i {
		return false, nil
	}
	var b bytes.Buffer
	b.Write(data[:i+len(readmeBegin)])
	b.WriteString("\n" + line + "\n")
	b.Write(data[j:])
	if bytes.Equal(b.Bytes(), data) {
		return true, nil
	}
	return true, os.WriteFile(path, b.Bytes(), 0o644)
}

// readmeFor returns the README that shows the report in out: the repository's own README
// when out lies inside root, none otherwise (a report written elsewhere is not the README's).
func readmeFor(root, out string) string {
	rel, err := filepath.Rel(root, out)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return filepath.Join(root, "README.md")
}

func updateReadme(root, out string, r *Results) (string, error) {
	path := readmeFor(root, out)
	if path == "" {
		return "", nil
	}
	ok, err := UpdateReadme(path, MachineLine(r))
	switch {
	case os.IsNotExist(err), err == nil && !ok:
		return "", nil
	case err != nil:
		return "", fmt.Errorf("README: %w", err)
	}
	return path, nil
}
