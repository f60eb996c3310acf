package lessoncheck

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/lessons"
)

// SkipInExercise skips a test of the course itself (the starter fails, test-data variants)
// when the student checks an exercise, with the reason the CLI knows, lessons.CourseOnly.
func SkipInExercise(t *testing.T) {
	t.Helper()
	if *exercise {
		t.Skip(lessons.CourseOnly)
	}
}

// StarterFails proves that the starter as committed does not ship solved: the checks stop at
// wantStep with a message that contains each of want. It returns the failure for checks of
// its own.
func StarterFails(t *testing.T, target Target, steps []Step, wantStep string, want ...string) error {
	t.Helper()
	step, err := FirstProblem(context.Background(), target, steps)
	if err == nil {
		t.Fatal("the starter passes every check: the exercise ships solved")
	}
	t.Logf("the starter fails as intended at %q:\n%v", step, err)
	if step != wantStep {
		t.Errorf("starter fails at step %q, want %q", step, wantStep)
	}
	for _, w := range append(want, "Подсказка:") {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("starter's message lacks %q:\n%v", w, err)
		}
	}
	return err
}

// Variants runs the lesson's other solutions from testdata/*.Dockerfile through the same
// steps: ok-* must pass, every other one must fail with a message that contains the text of
// its first line, `# want: …`. So checks judge the result rather than the spelling, and each
// typical mistake keeps its own message. The variants are the course's fixtures: they build
// side by side and share Go's build cache, so each set of compiler flags compiles the standard
// library once.
func Variants(t *testing.T, dockerfile string, steps func(t *testing.T) []Step) {
	t.Helper()
	variants(t, dockerfile, steps, true)
}

// VariantsInTurn is Variants with one variant at a time and without the shared Go cache, for
// a lesson whose checks judge what BuildKit takes from its cache. Variants share their first
// steps, and when builds run the same step side by side, BuildKit may reuse the result without
// recording it in the cache under every key (seen with dockerd 20.10 on a cold cache; open
// upstream as moby/buildkit#4674, "concurrent requests may skip loading some cache paths"):
// the next build then misses a step that a build of its own would have stored, and a correct
// Dockerfile fails.
func VariantsInTurn(t *testing.T, dockerfile string, steps func(t *testing.T) []Step) {
	t.Helper()
	variants(t, dockerfile, steps, false)
}

func variants(t *testing.T, dockerfile string, steps func(t *testing.T) []Step, parallel bool) {
	t.Helper()
	files, err := filepath.Glob("testdata/*.Dockerfile")
	if err != nil || len(files) == 0 {
		t.Fatalf("no variants in testdata/: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".Dockerfile")
		t.Run(name, func(t *testing.T) {
			// Variants are independent images under their own tags: run them side by side,
			// so one that waits (a stop timeout, a health interval) does not hold up the rest.
			if parallel {
				t.Parallel()
			}
			target := Lesson(t, dockerfile).WithDockerfile(file, file)
			target.Tag = "variant-" + name
			target.SharedGoCache = parallel // in turn: a lesson that judges the cache
			step, err := FirstProblem(context.Background(), target, steps(t))
			want := ""
			if !strings.HasPrefix(name, "ok-") {
				want = WantLine(t, file)
			}
			Judge(t, name, want, step, err)
		})
	}
}

// WantLine reads the expected part of a wrong variant's message from its first line,
// `# want: <text>`.
func WantLine(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	want, ok := strings.CutPrefix(first, "# want:")
	if !ok || strings.TrimSpace(want) == "" {
		t.Fatalf("%s: the first line must be `# want: <part of the expected message>`", file)
	}
	return strings.TrimSpace(want)
}

// WantStatic is the verdict of a table test on a static check, no Docker needed: src is
// parsed as a Dockerfile, and check must pass it (want "") or fail with a Problem whose
// message contains want and which has a hint.
func WantStatic(t *testing.T, src string, check func(f *dockerfile.File) error, want string) {
	t.Helper()
	f, err := dockerfile.ParseBytes("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	err = check(f)
	switch {
	case want == "" && err != nil:
		t.Errorf("a correct Dockerfile failed: %v", err)
	case want != "" && err == nil:
		t.Errorf("passed, want a failure with %q", want)
	case want != "":
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message:\n%v\nwant it to contain %q", err, want)
		}
		var p *Problem
		if !errors.As(err, &p) || p.Hint == "" {
			t.Errorf("the failure has no hint: %v", err)
		}
	}
}
