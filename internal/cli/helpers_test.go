package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/internal/imagesize"
	"github.com/go-docker-workshop/workshop/internal/progress"
	"github.com/go-docker-workshop/workshop/internal/verdict"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file under -update.
func golden(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "go test ./internal/cli/ -update creates %s", path)
	require.Equal(t, string(want), got, "output differs from %s (go test -update rewrites it)", path)
}

// syncBuffer is a bytes.Buffer that a command and a test may use at the same time.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// exitError is a command that ran and exited with a code, as *exec.ExitError is.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }
func (e exitError) ExitCode() int { return int(e) }

// call is one command the app ran.
type call struct {
	dir  string
	line string
}

// answer is what a fake command prints and how it ends.
type answer struct {
	out string
	err error
}

// fakeExec answers commands by the longest matching prefix of their command line.
type fakeExec struct {
	mu      sync.Mutex
	answers map[string]answer
	calls   []call
}

func (f *fakeExec) run(_ context.Context, dir, name string, args ...string) (string, error) {
	line := strings.Join(append([]string{name}, args...), " ")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call{dir: dir, line: line})
	best := ""
	for prefix := range f.answers {
		if strings.HasPrefix(line, prefix) && len(prefix) > len(best) {
			best = prefix
		}
	}
	if best == "" {
		return "", &commandError{name: name, err: exitError(1), stderr: "unexpected command in test: " + line}
	}
	a := f.answers[best]
	return a.out, a.err
}

func (f *fakeExec) ran(prefix string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if strings.HasPrefix(c.line, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// testEnv is an App wired to buffers, a temporary repository root and fakes.
type testEnv struct {
	app    *App
	stdout *syncBuffer
	stderr *syncBuffer
	exec   *fakeExec
	root   string

	mu          sync.Mutex
	testArgs    [][]string // the arguments of each run of a lesson's tests
	testEnv     [][]string
	scripts     []string // bootstrap scripts run, in order
	scriptErr   map[string]error
	env         map[string]string // what Getenv returns
	dockerErr   error             // what the daemon answers DockerVersion: nil is a daemon that answers
	dockerAsked int               // how many times DockerVersion asked
	recording   string            // the scenario a run of a lesson's tests replays: a key of scenarios

	lessonImages []imagesize.Image // what Images finds for any lesson
	imagesAsked  []string          // the slugs Images was asked for, in order
}

// images is the fake of App.Images: no Docker, the test's images.
func (e *testEnv) images(_ context.Context, slug string) ([]imagesize.Image, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.imagesAsked = append(e.imagesAsked, slug)
	return e.lessonImages, nil
}

func newEnv(t testing.TB) *testEnv {
	t.Helper()
	root := t.TempDir()
	e := &testEnv{
		stdout: &syncBuffer{},
		stderr: &syncBuffer{},
		root:   root,
		env:    map[string]string{},
		exec: &fakeExec{answers: map[string]answer{
			"docker version": {out: "29.1.0 1.52\n"},
			"git diff":       {}, // no changes in the exercise files
		}},
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	e.app = &App{
		Stdin:        strings.NewReader(""),
		Stdout:       e.stdout,
		Stderr:       e.stderr,
		Dir:          root,
		Root:         root,
		Prog:         "workshop",
		ProgressPath: progress.Path(root),
		Getenv:       func(k string) string { return e.env[k] },
		Now:          func() time.Time { return now },
		Exec:         e.exec.run,
		Tests:        e.tests,
		DockerVersion: func(context.Context) (string, error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.dockerAsked++
			return "29.1.0", e.dockerErr
		},
		Script:    e.script,
		Images:    e.images,
		FreeSpace: func(string) (uint64, error) { return 100 << 30, nil },
		Terminal:  func() bool { return false },
		Size:      func() (int, int, bool) { return 0, 0, false },
	}
	return e
}

// scenario is what a fake run of a lesson's tests does: the report lines it writes
// (testdata/report/<report>.jsonl), the test binary's output and how it ends.
type scenario struct {
	report string
	out    string
	err    error
}

var scenarios = map[string]scenario{
	"pass":        {report: "pass"},
	"fail":        {report: "fail", out: "--- FAIL: TestLesson (0.20s)\nFAIL\n", err: exitError(1)},
	"fail-nohint": {report: "fail-nohint", out: "FAIL\n", err: exitError(1)},
	"panic": {report: "panic", err: exitError(2),
		out: "panic: runtime error: invalid memory address or nil pointer dereference [recovered]\ngoroutine 7 [running]:\nFAIL\n"},
	"exercise-compile": {err: &compileError{Output: "# github.com/go-docker-workshop/workshop/lessons/01-server/exercise\n" +
		"lessons/01-server/exercise/server.go:12:2: undefined: hadnler"}},
	"course-compile": {err: &compileError{Output: "# github.com/go-docker-workshop/workshop/lessons/03-multi-stage\n" +
		"lessons/03-multi-stage/lesson_test.go:40:9: undefined: lessoncheck.Gone"}},
	"no-runs": {out: "flag provided but not defined: -exercise\nUsage of lesson.test:\n", err: exitError(2)},
	"variant-fails": {report: "pass", out: "--- FAIL: TestVariants (3.10s)\n    --- FAIL: TestVariants/bad-x (3.00s)\n" +
		"        course.go:90: bad-x passed, want a failure with \"shell\"\nFAIL\n", err: exitError(1)},
	"no-tests": {err: errNoTests},
}

// tests fakes App.Tests: it writes the scenario's report to the file the environment names
// and its output, and ends as the scenario says.
func (e *testEnv) tests(_ context.Context, _, _ string, args, env []string, out io.Writer) error {
	e.mu.Lock()
	e.testArgs = append(e.testArgs, args)
	e.testEnv = append(e.testEnv, env)
	name := e.recording
	e.mu.Unlock()
	sc, ok := scenarios[name]
	if !ok {
		return fmt.Errorf("test did not choose a scenario: %q", name)
	}
	if sc.report != "" {
		data, err := os.ReadFile(filepath.Join("testdata", "report", sc.report+".jsonl"))
		if err != nil {
			return err
		}
		path := ""
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, verdict.EnvVar+"="); ok {
				path = v
			}
		}
		if path == "" {
			return fmt.Errorf("no %s in the environment of the tests: %q", verdict.EnvVar, env)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprint(out, sc.out)
	return sc.err
}

// script fakes a bootstrap script: it succeeds unless scriptErr names it.
func (e *testEnv) script(_ context.Context, _, script string, out io.Writer) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.scripts = append(e.scripts, script)
	if err := e.scriptErr[script]; err != nil {
		fmt.Fprintf(out, "%s: не получилось\n", script)
		return err
	}
	return nil
}

func (e *testEnv) run(args ...string) int {
	return e.app.Run(context.Background(), args)
}

func (e *testEnv) progress(t testing.TB) *progress.File {
	t.Helper()
	p, err := progress.Load(e.app.ProgressPath)
	require.NoError(t, err)
	return p
}

func (e *testEnv) writeFile(t testing.TB, rel, content string) {
	t.Helper()
	path := filepath.Join(e.root, filepath.FromSlash(rel))
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}
