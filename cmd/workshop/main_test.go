package main

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary act as the workshop command: the tests below run it again
// with WORKSHOP_RUN_MAIN=1 to see real exit codes and output streams.
func TestMain(m *testing.M) {
	if os.Getenv("WORKSHOP_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func runMain(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "WORKSHOP_RUN_MAIN=1", "WORKSHOP_PROGRESS="+t.TempDir()+"/progress.json")
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errOut.String(), exit.ExitCode()
	}
	require.NoError(t, err)
	return out.String(), errOut.String(), 0
}

func TestExitCodes(t *testing.T) {
	t.Run("help", func(t *testing.T) {
		stdout, _, code := runMain(t, "help")
		assert.Equal(t, 0, code)
		assert.Contains(t, stdout, "Команды:")
	})
	t.Run("usage error", func(t *testing.T) {
		_, stderr, code := runMain(t, "frob")
		assert.Equal(t, 2, code)
		assert.Contains(t, stderr, "неизвестная команда «frob»")
	})
	t.Run("unknown lesson", func(t *testing.T) {
		_, stderr, code := runMain(t, "hint", "99")
		assert.Equal(t, 1, code)
		assert.Contains(t, stderr, "Что делать:")
	})
	t.Run("hint from the catalogue", func(t *testing.T) {
		stdout, _, code := runMain(t, "hint", "1")
		assert.Equal(t, 0, code)
		assert.Contains(t, stdout, "Подсказка 1 из")
	})
}
