package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/lessons"
)

// A check runs its test binary through test2json: the JSON is what go test -json gives, the
// test runs in its package's directory with the lesson's flags, and a binary that does not
// compile is reported by go test itself.
func TestGoTestThroughTheTestBinary(t *testing.T) {
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
	t.Log("exercise", *exercise)
}
`)
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := goTest(context.Background(), dir, args, []string{"GOFLAGS="}, &out)
		return out.String(), err
	}

	out, err := run("./lessons/99-x/", "-exercise", "-count=1", "-json")
	require.NoError(t, err, out)
	assert.Contains(t, out, `"Action":"start","Package":"`+lessons.Module+`/lessons/99-x"`)
	assert.Contains(t, out, "exercise true")
	assert.Contains(t, out, `"Action":"pass","Package":"`+lessons.Module+`/lessons/99-x","Elapsed"`)
	_, err = os.Stat(filepath.Join(dir, ".workshop", "test", "lessons_99-x.test"))
	require.NoError(t, err, "the test binary is kept in .workshop/test/")

	out, err = run("./lessons/99-x/", "-count=1", "-json")
	require.NoError(t, err)
	assert.Contains(t, out, "exercise false")

	write("lessons/99-x/x_test.go", "package x\n\nfunc broken( {\n")
	out, err = run("./lessons/99-x/", "-count=1", "-json")
	require.Error(t, err)
	assert.True(t, strings.Contains(out, `"Action":"build-output"`) || strings.Contains(out, "syntax error"),
		"go test reports the compile error: %s", out)
}
