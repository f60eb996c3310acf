package bench

import (
	"os"
	"path/filepath"
	"testing"
)

func TestUpdateReadme(t *testing.T) {
	path := filepath.Join(t.TempDir(), "README.md")
	before := "# Title\n\n![chart](docs/bench/sizes.svg)\n\n" + readmeBegin + "\nold line\n" + readmeEnd + "\n\n## Next\n"
	if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	ok, err := UpdateReadme(path, "Замерено 2026-11-27.")
	if err != nil || !ok {
		t.Fatalf("UpdateReadme = %v, %v; want true, nil", ok, err)
	}
	got, _ := os.ReadFile(path)
	want := "# Title\n\n![chart](docs/bench/sizes.svg)\n\n" + readmeBegin + "\nЗамерено 2026-11-27.\n" + readmeEnd + "\n\n## Next\n"
	if string(got) != want {
		t.Errorf("README after update:\n%s\nwant:\n%s", got, want)
	}
}

func TestUpdateReadmeWithoutMarkers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "README.md")
	const text = "# Title\n\nno markers here\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ok, err := UpdateReadme(path, "line")
	if err != nil || ok {
		t.Errorf("UpdateReadme without markers = %v, %v; want false, nil", ok, err)
	}
	if got, _ := os.ReadFile(path); string(got) != text {
		t.Errorf("a README without markers was changed:\n%s", got)
	}
}

func TestReadmeFor(t *testing.T) {
	root := filepath.Join(string(filepath.Separator), "repo")
	if got := readmeFor(root, filepath.Join(root, "docs", "bench")); got != filepath.Join(root, "README.md") {
		t.Errorf("readmeFor(out inside root) = %q", got)
	}
	if got := readmeFor(root, filepath.Join(string(filepath.Separator), "tmp", "bench")); got != "" {
		t.Errorf("readmeFor(out outside root) = %q, want none", got)
	}
}
