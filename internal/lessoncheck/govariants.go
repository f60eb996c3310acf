package lessoncheck

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// GoVariants runs the lesson's other servers from testdata/*.go through steps, each as the
// server.go of a temporary directory: ok-* must pass, every other one must fail with a message
// that contains its first line, `// want: …`. dockerfile is the lesson's Dockerfile for steps
// that build an image ("" when none do). Variants run side by side when parallel is set.
func GoVariants(t *testing.T, dockerfile string, parallel bool, steps func(t *testing.T) []Step) {
	t.Helper()
	files, err := filepath.Glob("testdata/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go variants in testdata/: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".go")
		t.Run(name, func(t *testing.T) {
			if parallel {
				t.Parallel()
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "server.go"), src, 0o644); err != nil {
				t.Fatal(err)
			}
			target := Lesson(t, dockerfile)
			target.Name, target.Dir = file, dir
			target.SharedGoCache = true // fixtures: see Variants
			step, err := FirstProblem(context.Background(), target, steps(t))
			Judge(t, name, wantIn(t, file, src, "// want:"), step, err)
		})
	}
}

// Judge gives the verdict on a variant named name that stopped at step with err: an ok-*
// variant must pass; any other must fail with a message that contains want.
func Judge(t *testing.T, name, want, step string, err error) {
	t.Helper()
	if strings.HasPrefix(name, "ok-") {
		if err != nil {
			t.Fatalf("a correct variant fails at %q:\n%v", step, err)
		}
		return
	}
	if err == nil {
		t.Fatalf("passes every check, want a failure with %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("fails at %q with\n%v\nwant the message to contain %q", step, err, want)
		return
	}
	t.Logf("fails as intended at %q:\n%v", step, err)
}

// wantIn reads the expected part of a wrong variant's message from its first line, prefix
// followed by the text. ok-* variants need none.
func wantIn(t *testing.T, file string, src []byte, prefix string) string {
	t.Helper()
	if strings.HasPrefix(filepath.Base(file), "ok-") {
		return ""
	}
	first, _, _ := strings.Cut(string(src), "\n")
	want, ok := strings.CutPrefix(first, prefix)
	if !ok || strings.TrimSpace(want) == "" {
		t.Fatalf("%s: the first line must be `%s <part of the expected message>`", file, prefix)
	}
	return strings.TrimSpace(want)
}
