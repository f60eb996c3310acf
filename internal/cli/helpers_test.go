package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"github.com/go-docker-workshop/workshop/internal/imagesize"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/internal/progress"
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

	mu         sync.Mutex
	goTestArgs [][]string
	goTestEnv  [][]string
	scripts    []string // bootstrap scripts run, in order
	scriptErr  map[string]error
	env        map[string]string // what Getenv returns
	recording  string            // testdata file of ../testjson (or testdata/ of this package) replayed as the go test output

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
		GoTest:       e.goTest,
		Script:       e.script,
		Images:       e.images,
		FreeSpace:    func(string) (uint64, error) { return 100 << 30, nil },
		Terminal:     func() bool { return false },
		Size:         func() (int, int, bool) { return 0, 0, false },
	}
	return e
}

// goTest replays the recording, as go test would print it, and fails like go test when the
// run failed.
func (e *testEnv) goTest(_ context.Context, _ string, args, env []string, stdout io.Writer) error {
	e.mu.Lock()
	e.goTestArgs = append(e.goTestArgs, args)
	e.goTestEnv = append(e.goTestEnv, env)
	name := e.recording
	e.mu.Unlock()
	if name == "" {
		return fmt.Errorf("test did not choose a go test recording")
	}
	data, err := readRecording(name)
	if err != nil {
		return err
	}
	if _, err := stdout.Write(data); err != nil {
		return err
	}
	if name != "pass.jsonl" && !strings.HasPrefix(name, "pass-") {
		return exitError(1) // every other recording is of a failed run
	}
	return nil
}

// readRecording reads a go test -json recording: ../testjson/testdata/<name>, or
// testdata/<name> of this package for the recordings only the CLI reads (build events).
func readRecording(name string) ([]byte, error) {
	if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
		return data, nil
	}
	return os.ReadFile(filepath.Join("..", "testjson", "testdata", name))
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
