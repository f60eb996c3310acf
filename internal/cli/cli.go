// Package cli is the workshop's terminal tool: it reads the lessons, checks the student's
// exercises, gives hints and keeps progress. Everything writes to the io.Writers of an App,
// so the commands are tested with buffers; cmd/workshop only wires the process to Main.
package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"github.com/go-docker-workshop/workshop/internal/imagesize"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/progress"
	"github.com/go-docker-workshop/workshop/internal/render"
	"github.com/go-docker-workshop/workshop/internal/verdict"
	"github.com/go-docker-workshop/workshop/lessons"
)

// Exit codes that scripts can rely on.
const (
	ExitOK    = 0
	ExitFail  = 1 // a check failed, or the user asked for something that cannot be done
	ExitUsage = 2 // the command line is wrong
)

// App is one run of the tool with everything it touches from outside.
type App struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	// Dir is the working directory; Root is the course repository's root directory, empty
	// outside the repository.
	Dir  string
	Root string
	// Prog is how the student calls this tool, for the commands that messages suggest.
	Prog string
	// ProgressPath is the progress file.
	ProgressPath string

	Getenv func(string) string
	Now    func() time.Time
	// Exec runs a short command in dir and returns its standard output; a failure's error
	// carries the command's standard error.
	Exec func(ctx context.Context, dir, name string, args ...string) (string, error)
	// Tests compiles the test binary of a lesson's package (pkg: "./lessons/…/") in the
	// repository root and runs it with args and env added, its output going to out. A binary
	// that does not compile is a *compileError; errNoTests says the package has no tests;
	// otherwise the error says how the binary exited. The checks' verdicts come from the
	// report they write (verdict.EnvVar in env), not from out.
	Tests func(ctx context.Context, root, pkg string, args, env []string, out io.Writer) error
	// Script runs `bash <script>` in dir with its output going to out (the bootstrap scripts
	// that install Docker and the base images).
	Script func(ctx context.Context, dir, script string, out io.Writer) error
	// Compile compiles a lesson's test binary unless it is current, which TestsCurrent says;
	// nil: Tests compiles when it runs.
	Compile      func(ctx context.Context, root, pkg string) error
	TestsCurrent func(root, pkg string) bool
	// LookPath finds a program on PATH, as exec.LookPath does (bash for the bootstrap scripts).
	LookPath func(file string) (string, error)
	// DockerVersion asks the daemon for its version, through the Docker API as the checks
	// talk to it; an error says why no daemon answered.
	DockerVersion func(ctx context.Context) (string, error)
	// Engine opens the Docker engine's API for doctor (openEngine; tests give a fake).
	Engine func(ctx context.Context) (Engine, error)
	// ReadyFast reports that Docker answers and has the lesson's base images, so the bootstrap
	// scripts can be skipped (nil: always run them).
	ReadyFast func(ctx context.Context, l lessons.Lesson) bool
	// Images measures the images that carry a lesson's label (workshop.lesson=<slug>).
	Images func(ctx context.Context, slug string) ([]imagesize.Image, error)
	// FreeSpace returns the bytes available to unprivileged users on path's file system.
	FreeSpace func(path string) (uint64, error)
	// Terminal reports whether Stdout is a terminal; Size its width and height.
	Terminal func() bool
	Size     func() (width, height int, ok bool)

	lang string
	// ahead holds the test binaries compileAhead compiles, by package, until they are done.
	ahead map[string]chan struct{}
	// dockerReady is set once the bootstrap scripts succeeded in this run (watch re-checks
	// many times).
	dockerReady bool
}

// Main runs the tool for a process and returns its exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return New(stdin, stdout, stderr).Run(ctx, args)
}

// New returns an App wired to the real world: the working directory's repository, the
// process environment, os/exec and the terminal.
func New(stdin io.Reader, stdout, stderr io.Writer) *App {
	a := &App{
		Stdin:         stdin,
		Stdout:        stdout,
		Stderr:        stderr,
		Getenv:        os.Getenv,
		Now:           time.Now,
		Exec:          execCommand,
		Tests:         runTests,
		DockerVersion: dockerServerVersion,
		LookPath:      exec.LookPath,
		Compile:       compileTests,
		TestsCurrent:  testsCurrent,
		Script:        runScript,
		Images:        lessonImages,
		Engine:        openEngine,
		FreeSpace:     freeSpace,
		Prog:          progName(),
	}
	a.ReadyFast = func(ctx context.Context, l lessons.Lesson) bool { return dockerReadyFast(ctx, a.Root, l) }
	a.Terminal = func() bool { _, ok := render.Terminal(a.Stdout); return ok }
	a.Size = func() (int, int, bool) { return render.Size(a.Stdout) }
	a.Dir, _ = os.Getwd()
	if root := os.Getenv("WORKSHOP_ROOT"); root != "" {
		a.Root = root
	} else if a.Dir != "" {
		a.Root = lessons.FindRoot(a.Dir)
	}
	a.ProgressPath = defaultProgressPath(a.Root)
	return a
}

func defaultProgressPath(root string) string {
	if p := os.Getenv("WORKSHOP_PROGRESS"); p != "" {
		return p
	}
	if root != "" {
		return progress.Path(root)
	}
	// Outside the repository only hints can be remembered; keep them per user.
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "go-docker-workshop", progress.FileName)
	}
	return ""
}

// progName is "go run ./cmd/workshop" under go run (the binary sits in a go-build
// temporary directory), the relative path it was started by (bin/workshop from make) and
// the binary's name otherwise.
func progName() string {
	exe, err := os.Executable()
	if err == nil && strings.Contains(exe, string(filepath.Separator)+"go-build") {
		return "go run ./cmd/workshop"
	}
	if len(os.Args) > 0 {
		// A relative path such as bin/workshop (how the Makefile runs it) is what the
		// student can type again from the same directory; an absolute one is just noise.
		if arg := os.Args[0]; !filepath.IsAbs(arg) && strings.ContainsRune(arg, filepath.Separator) {
			return arg
		}
		return filepath.Base(os.Args[0])
	}
	return "workshop"
}

// Run runs one command line and returns the exit code.
func (a *App) Run(ctx context.Context, args []string) int {
	return a.printError(a.run(ctx, args))
}

// printError tells the user what went wrong and what to do, and returns the exit code.
func (a *App) printError(err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, errSilent) {
		return ExitFail
	}
	var ue *userError
	if errors.As(err, &ue) {
		fmt.Fprintf(a.Stderr, "ошибка: %s\n", ue.Error())
		if ue.hint != "" {
			fmt.Fprintf(a.Stderr, "Что делать: %s\n", ue.hint)
		}
		return ue.code
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(a.Stderr, "Прервано.")
		return ExitFail
	}
	// A Problem (or a plain error) is printed from its fields: what is wrong, then its hint.
	p := verdict.As(err)
	fmt.Fprintf(a.Stderr, "ошибка: %s\n", p.What)
	if p.Hint != "" {
		fmt.Fprintf(a.Stderr, "Что делать: %s\n", p.Hint)
	}
	return ExitFail
}

// errSilent ends a command with exit code 1 after it has said everything itself
// (a failed check prints its own summary).
var errSilent = errors.New("failed")

// userError is a mistake the user can fix; hint says how.
type userError struct {
	err  error
	hint string
	code int
}

func (e *userError) Error() string { return e.err.Error() }
func (e *userError) Unwrap() error { return e.err }

// usageError is a wrong command line (exit code 2).
func usageError(hint, format string, args ...any) error {
	return &userError{err: fmt.Errorf(format, args...), hint: hint, code: ExitUsage}
}

// failure is a user error with exit code 1.
func failure(hint string, err error) error {
	return &userError{err: err, hint: hint, code: ExitFail}
}

// command is one subcommand.
type command struct {
	name  string
	args  string // argument synopsis
	short string // one line for the usage text, Russian
	en    string // the same in English
	flags []string
	run   func(a *App, ctx context.Context, f *flags, args []string) error
}

// flags holds every flag any command takes; parseFlags checks which one a command allows.
type flags struct {
	help    bool
	yes     bool
	noPager bool
	lang    string
	width   string
	bytes   bool
	compare bool
	// check --all and grade (checkall.go, grade.go)
	all     bool
	reuse   bool
	junit   string
	summary string
	csv     string
	timeout string
}

var commands []command

func init() {
	commands = []command{
		{name: "list", short: "уроки по порядку, их статус и следующий урок",
			en: "lessons in order, their status and the next one", run: (*App).cmdList},
		{name: "read", args: "N | ФАЙЛ", short: "показать урок N или документ: ru/….md, docs/….md, README.md",
			en:    "show lesson N or a document: ru/….md, docs/….md, README.md",
			flags: []string{"no-pager", "width"}, run: (*App).cmdRead},
		{name: "check", args: "N", short: "проверить ваше задание урока N (check --all — задания всех уроков)",
			en:    "check your exercise of lesson N (--all: every lesson's)",
			flags: []string{"all", "reuse", "junit", "summary"}, run: (*App).cmdCheckCommand},
		{name: "watch", args: "N", short: "перепроверять задание урока N при каждом сохранении файла",
			en: "re-check the exercise of lesson N on every save", run: (*App).cmdWatch},
		{name: "hint", args: "N [K]", short: "следующая (или K-я) подсказка к заданию урока N",
			en: "the next (or K-th) hint for the exercise of lesson N", run: (*App).cmdHint},
		{name: "reset", args: "N", short: "вернуть файлы задания урока N к исходному виду",
			en: "restore the starter files of lesson N's exercise", flags: []string{"yes"}, run: (*App).cmdReset},
		{name: "doctor", short: "проверить окружение: Go, Docker, базовые образы, место на диске",
			en: "check the setup: Go, Docker, base images, disk space", run: (*App).cmdDoctor},
		{name: "lesson", args: "N", short: "для преподавателя: урок, эталонные проверки и размеры образов",
			en:    "for instructors: the lesson, the reference checks and image sizes",
			flags: []string{"width"}, run: (*App).cmdLesson},
		{name: "grade", args: "КАТАЛОГ...", short: "для преподавателя: таблица заданий группы по клонам студентов",
			en:    "for instructors: a table of a group's exercises from the students' clones",
			flags: []string{"csv", "timeout"}, run: (*App).cmdGrade},
		{name: "size", args: "ОБРАЗ...", short: "размер образа без сжатия, как его считают проверки, и что покажет docker images",
			en:    "an image's uncompressed size as the checks judge it, and what docker images shows",
			flags: []string{"bytes", "compare"}, run: (*App).cmdSize},
		{name: "help", args: "[КОМАНДА]", short: "эта справка",
			en: "this help", run: (*App).cmdHelp},
	}
}

func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func (a *App) run(ctx context.Context, args []string) error {
	f, pos, err := a.parseFlags(args)
	if err != nil {
		return err
	}
	switch f.lang {
	case "", "ru", "en":
		a.lang = f.lang
	default:
		return usageError("выберите --lang ru или --lang en.", "язык «%s» не поддерживается", f.lang)
	}
	if len(pos) == 0 {
		if f.help {
			a.usage(a.Stdout)
			return nil
		}
		a.usage(a.Stderr)
		return errSilentUsage
	}
	name, rest := pos[0], pos[1:]
	cmd, ok := lookup(name)
	if !ok {
		return usageError("посмотрите список команд: "+a.Prog+" help.", "неизвестная команда «%s»", name)
	}
	if f.help {
		return a.commandHelp(a.Stdout, cmd)
	}
	for flag, set := range map[string]bool{"yes": f.yes, "no-pager": f.noPager, "width": f.width != "",
		"all": f.all, "reuse": f.reuse, "junit": f.junit != "", "summary": f.summary != "", "csv": f.csv != "", "timeout": f.timeout != ""} {
		if set && !slices.Contains(cmd.flags, flag) {
			return usageError(fmt.Sprintf("посмотрите, что принимает команда: %s help %s.", a.Prog, cmd.name),
				"команда %s не принимает флаг --%s", cmd.name, flag)
		}
	}
	return cmd.run(a, ctx, f, rest)
}

// errSilentUsage ends a run with exit code 2 after the usage text.
var errSilentUsage = &userError{err: errors.New("не указана команда"), code: ExitUsage}

// parseFlags separates flags from positional arguments; flags may stand anywhere.
func (a *App) parseFlags(args []string) (*flags, []string, error) {
	f := &flags{}
	var pos []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(arg) < 2 || arg[0] != '-' || isNumber(arg) { // "-1" is a (wrong) lesson, not a flag
			pos = append(pos, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		needValue := func() (string, error) {
			if hasValue {
				return value, nil
			}
			if i+1 >= len(args) {
				return "", usageError("укажите значение, например: --"+name+" "+valueExample[name]+".",
					"у флага --%s нет значения", name)
			}
			i++
			return args[i], nil
		}
		var err error
		switch name {
		case "h", "help":
			f.help = true
		case "y", "yes":
			f.yes = true
		case "no-pager":
			f.noPager = true
		case "bytes":
			f.bytes = true
		case "compare":
			f.compare = true
		case "lang":
			f.lang, err = needValue()
		case "width":
			f.width, err = needValue()
		case "all":
			f.all = true
		case "reuse":
			f.reuse = true
		case "junit":
			f.junit, err = needValue()
		case "summary":
			f.summary, err = needValue()
		case "csv":
			f.csv, err = needValue()
		case "timeout":
			f.timeout, err = needValue()
		default:
			return nil, nil, usageError("посмотрите список флагов: "+a.Prog+" help.", "неизвестный флаг %s", arg)
		}
		if err != nil {
			return nil, nil, err
		}
		if _, takesValue := valueExample[name]; hasValue && !takesValue {
			return nil, nil, usageError("пишите флаг без значения: --"+name+".", "флаг %s не принимает значение", arg)
		}
	}
	return f, pos, nil
}

// valueExample names the flags that take a value, with an example of one.
var valueExample = map[string]string{"lang": "en", "width": "100", "junit": "report.xml",
	"summary": "summary.md", "csv": "grades.csv", "timeout": "10m"}

// confirm asks a yes/no question on Stdout and reads the answer from Stdin; no by default.
func (a *App) confirm(question string) bool {
	fmt.Fprintf(a.Stdout, "%s [y/N] ", question)
	line, err := bufio.NewReader(a.Stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(a.Stdout)
		return false
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes", "д", "да":
		return true
	}
	return false
}

// execCommand runs a short command and returns its standard output.
func execCommand(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), &commandError{name: name, err: err, stderr: strings.TrimSpace(stderr.String())}
	}
	return string(out), nil
}

// commandError is a command that failed, with what it said on standard error.
type commandError struct {
	name   string
	err    error
	stderr string
}

func (e *commandError) Error() string {
	if e.stderr != "" {
		return e.name + ": " + e.stderr
	}
	return e.name + ": " + e.err.Error()
}

func (e *commandError) Unwrap() error { return e.err }

// runScript runs a bash script, its standard output and error both going to out.
func runScript(ctx context.Context, dir, script string, out io.Writer) error {
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Stdin = nil
	return cmd.Run()
}

// suggest is the command line a message offers for a command about a lesson (0: none):
// a make target when the tool runs under make (MAKELEVEL is set), as the student typed
// `make check-3`, and the tool's own command line otherwise.
func (a *App) suggest(cmd string, lesson int) string {
	if a.Getenv("MAKELEVEL") != "" {
		if lesson > 0 {
			return fmt.Sprintf("make %s-%d", cmd, lesson)
		}
		return "make " + cmd
	}
	if lesson > 0 {
		return fmt.Sprintf("%s %s %d", a.Prog, cmd, lesson)
	}
	return a.Prog + " " + cmd
}
