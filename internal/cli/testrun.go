package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/gotoolchain"
	"github.com/go-docker-workshop/workshop/lessons"
)

// compileError is a lesson's test binary that did not compile: Output is what the go
// command printed (the compiler's messages, file:line:column first).
type compileError struct {
	Output string
}

func (e *compileError) Error() string {
	return "тесты не скомпилировались:\n" + e.Output
}

// errNoTests says that a package has no test files: go test -c writes no binary then.
var errNoTests = errors.New("no test files")

// runTests is the real App.Tests: it compiles the test binary of pkg (a "./lessons/…/"
// path) into .workshop/test/ unless the one there is current, then runs it in the package's
// directory, as go test would, with args and env added. The binary is run directly: its
// results come from the report the checks write (internal/verdict), not from go test's
// output, which goes to out only for what the report cannot carry (a panic, a time-out).
func runTests(ctx context.Context, root, pkg string, args, env []string, out io.Writer) error {
	if err := compileTests(ctx, root, pkg); err != nil {
		return err
	}
	bin, _ := testBinary(root, pkg)
	cmd := exec.CommandContext(ctx, bin, append([]string{"-test.paniconexit0", "-test.timeout=20m"}, args...)...)
	cmd.Dir = filepath.Join(root, filepath.FromSlash(packageDir(pkg))) // go test runs a test in its package's directory
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = out, out
	interruptGroup(cmd)
	cmd.WaitDelay = 30 * time.Second
	return cmd.Run()
}

func packageDir(pkg string) string { return strings.Trim(strings.TrimPrefix(pkg, "./"), "/") }

// testBinary is where the test binary of pkg and its stamp are kept.
func testBinary(root, pkg string) (bin, stamp string) {
	bin = filepath.Join(root, ".workshop", "test", strings.ReplaceAll(packageDir(pkg), "/", "_")+".test")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	return bin, bin + ".stamp"
}

// testsCurrent reports whether pkg's test binary was compiled from the sources as they are.
func testsCurrent(root, pkg string) bool {
	bin, stamp := testBinary(root, pkg)
	old, err := os.ReadFile(stamp)
	if err != nil || string(old) != fingerprint(root) {
		return false
	}
	_, err = os.Stat(bin)
	return err == nil
}

// compileTests runs `go test -c` for pkg into .workshop/test/, unless the binary there was
// compiled from the same sources: a stamp beside it holds a fingerprint of every Go source
// file and module file of the repository (path, size, modification time) and of the go
// command. The go command takes a current binary from its build cache too, but only after
// hashing the whole dependency graph, about 0,3–0,5 s of a check that should take 1–3 s.
func compileTests(ctx context.Context, root, pkg string) error {
	if testsCurrent(root, pkg) {
		return nil
	}
	bin, stamp := testBinary(root, pkg)
	print := fingerprint(root)
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return err
	}
	// Without test files go test -c writes nothing: an old binary must not stand in.
	if err := os.Remove(bin); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	_ = os.Remove(stamp)
	cmd := exec.CommandContext(ctx, "go", "test", "-c", "-o", bin, pkg)
	cmd.Dir = root
	output, err := cmd.CombinedOutput()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return &compileError{Output: strings.TrimSpace(string(output))}
		}
		return err // the go command did not run at all
	}
	if _, err := os.Stat(bin); err != nil {
		return errNoTests
	}
	return os.WriteFile(stamp, []byte(print), 0o644)
}

// fingerprint sums what a test binary is compiled from: the repository's Go sources,
// go.mod and go.sum, the kinds of files the course embeds (//go:embed of .json, .md, .pem,
// .tmpl), the go command found on PATH and the environment that changes a build. Hidden
// directories (.git, .workshop) and the exercises, which the checks read at run time and
// never compile into a test binary, are skipped: a student's edit needs no new binary.
func fingerprint(root string) string {
	h := sha256.New()
	var lines []string
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || name == "exercise") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(name) {
		case ".go", ".mod", ".sum", ".json", ".md", ".pem", ".tmpl":
		default:
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		lines = append(lines, fmt.Sprintf("%s %d %d", filepath.ToSlash(rel), info.Size(), info.ModTime().UnixNano()))
		return nil
	})
	sort.Strings(lines)
	lines = append(lines, gotoolchain.Stamp())
	for _, l := range lines {
		h.Write([]byte(l + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// testArgs are the test binary's arguments for a lesson's checks; -exercise switches the
// lesson's tests from the reference solution to the student's exercise.
func testArgs(exercise bool) []string {
	args := []string{"-test.count=1"}
	if exercise {
		args = append(args, "-exercise")
	}
	return args
}

// verboseCommand is the go test command line that shows a lesson's whole test output.
func verboseCommand(l lessons.Lesson, exercise bool) string {
	args := []string{"go", "test", l.Package()}
	if exercise {
		args = append(args, "-exercise")
	}
	return strings.Join(append(args, "-count=1", "-v"), " ")
}
