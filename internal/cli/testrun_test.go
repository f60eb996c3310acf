package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/lessons"
)

// A check compiles the lesson's test binary once into .workshop/test/, runs it in its
// package's directory with the lesson's flags, compiles again only when a source changes,
// and tells a binary that does not compile, and a package without tests, from a failure.
func TestRunTestsThroughTheTestBinary(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	write("go.mod", "module "+lessons.Module+"\n\ngo 1.26\n")
	write("lessons/99-x/x_test.go", `package x

import (
	"flag"
	"os"
	"testing"
)

var exercise = flag.Bool("exercise", false, "")

func TestHere(t *testing.T) {
	if _, err := os.Stat("x_test.go"); err != nil {
		t.Fatal("not run in the package directory")
	}
	if os.Getenv("WORKSHOP_REPORT") != "r.jsonl" {
		t.Fatal("the environment did not reach the tests")
	}
	if *exercise {
		t.Fatal("exercise true")
	}
}
`)
	env := []string{"GOFLAGS=", "WORKSHOP_REPORT=r.jsonl"}
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := runTests(context.Background(), dir, "./lessons/99-x/", args, env, &out)
		return out.String(), err
	}
	bin := filepath.Join(dir, ".workshop", "test", "lessons_99-x.test")

	out, err := run("-test.count=1")
	require.NoError(t, err, out)
	first, err := os.Stat(bin)
	require.NoError(t, err, "the test binary is kept in .workshop/test/")

	out, err = run("-test.count=1", "-exercise")
	assert.Equal(t, 1, exitCode(err), "the binary ran and failed: %v", err)
	assert.Contains(t, out, "exercise true")
	again, err := os.Stat(bin)
	require.NoError(t, err)
	assert.Equal(t, first.ModTime(), again.ModTime(), "nothing changed: the binary is not compiled again")

	write("lessons/99-x/x_test.go", "package x\n\nfunc broken( {\n")
	future := time.Now().Add(time.Minute) // a new modification time even on a coarse clock
	require.NoError(t, os.Chtimes(filepath.Join(dir, "lessons/99-x/x_test.go"), future, future))
	_, err = run("-test.count=1")
	var ce *compileError
	require.True(t, errors.As(err, &ce), "want a compile error, got %v", err)
	assert.Contains(t, ce.Output, "lessons/99-x/x_test.go:3:")

	write("lessons/99-x/x.go", "package x\n")
	require.NoError(t, os.Remove(filepath.Join(dir, "lessons/99-x/x_test.go")))
	_, err = run("-test.count=1")
	assert.ErrorIs(t, err, errNoTests)
}
