package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/moby/moby/client"

	"github.com/go-docker-workshop/workshop/internal/buildevent"
	"github.com/go-docker-workshop/workshop/internal/progress"
	"github.com/go-docker-workshop/workshop/internal/ru"
	"github.com/go-docker-workshop/workshop/internal/verdict"
	"github.com/go-docker-workshop/workshop/lessons"
)

// maxMessageLines bounds the failure text shown in a summary; the rest is a go test -v away.
const maxMessageLines = 40

func (a *App) cmdCheck(ctx context.Context, _ *flags, args []string) error {
	l, err := a.lessonArg("check", args, 0)
	if err != nil {
		return err
	}
	passed, err := a.check(ctx, l)
	if err != nil {
		return err
	}
	if !passed {
		return errSilent
	}
	return nil
}

// check runs the exercise checks of lesson l, prints the summary and records the result.
func (a *App) check(ctx context.Context, l lessons.Lesson) (passed bool, err error) {
	if err := a.needRoot("проверка задания"); err != nil {
		return false, err
	}
	a.compileAhead(ctx, l)
	if err := a.dockerAnswers(ctx, l); err != nil {
		return false, err
	}
	fmt.Fprintf(a.Stdout, "Проверяю задание урока %d «%s»: %s\n", l.Number, l.Title, strings.Join(exerciseFiles(l), ", "))
	res, err := a.runChecks(ctx, l, true)
	if err != nil {
		return false, err
	}
	outcome := a.summary(a.Stdout, res, true)
	a.saveCheck(l, classroomResult(res))
	if outcome == outcomeNone {
		return false, nil
	}
	if outcome == outcomePassed {
		a.printNext(a.Stdout, l)
	}
	p := a.loadProgress()
	p.Update(l.Slug, func(s *progress.Lesson) {
		s.Status = progress.Failed
		if outcome == outcomePassed {
			s.Status = progress.Passed
		}
		s.CheckedAt = a.Now().UTC().Truncate(time.Second)
	})
	a.saveProgress(p)
	return outcome == outcomePassed, nil
}

// dockerAnswers makes Docker ready for a lesson that needs it and fails early, with the fix,
// when it cannot be: it names a DOCKER_HOST socket that nobody listens on at once, runs the
// bootstrap scripts (what `make images` does: start Docker where it can, get the base images)
// once per run of the tool, then asks the daemon. Lessons without Docker skip all of it.
func (a *App) dockerAnswers(ctx context.Context, l lessons.Lesson) error {
	if !l.Docker {
		return nil
	}
	if err := a.dockerHostListens(l); err != nil {
		return err
	}
	if !a.dockerReady && a.ReadyFast != nil && a.ReadyFast(ctx, l) {
		a.dockerReady = true
		return nil
	}
	if !a.dockerReady {
		if err := a.bootstrap(ctx, l); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := a.DockerVersion(ctx); err != nil {
		if h := a.Getenv("DOCKER_HOST"); h != "" {
			return failure(dockerHostHint(h),
				fmt.Errorf("урок %d собирает образы, а Docker по адресу DOCKER_HOST=%s не отвечает: %s", l.Number, h, firstLine(err.Error())))
		}
		return failure(
			fmt.Sprintf("запустите Docker командой make docker, затем проверьте окружение: %s.", a.suggest("doctor", 0)),
			fmt.Errorf("урок %d собирает образы, а Docker не отвечает: %s", l.Number, firstLine(err.Error())))
	}
	return nil
}

// dockerServerVersion is the daemon's version, asked through the Docker API (DOCKER_HOST and
// the other DOCKER_* variables as the docker CLI reads them).
func dockerServerVersion(ctx context.Context) (string, error) {
	cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return "", err
	}
	defer cli.Close()
	v, err := cli.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return "", err
	}
	return v.Version, nil
}

// dockerHostListens checks a DOCKER_HOST that names a unix socket: when there is no socket
// at that path, no engine can answer there, and waiting for one (as starting dockerd on the
// default socket would) is pointless.
func (a *App) dockerHostListens(l lessons.Lesson) error {
	h := a.Getenv("DOCKER_HOST")
	path, ok := strings.CutPrefix(h, "unix://")
	if !ok {
		return nil
	}
	info, err := os.Stat(path)
	if err == nil && info.Mode()&os.ModeSocket != 0 {
		return nil
	}
	what := "файла сокета " + path + " нет"
	if err == nil {
		what = path + " — не сокет"
	}
	return failure(dockerHostHint(h),
		fmt.Errorf("урок %d собирает образы, а по адресу DOCKER_HOST=%s никто не слушает: %s", l.Number, h, what))
}

func dockerHostHint(h string) string {
	return "уберите переменную (unset DOCKER_HOST), чтобы работать с локальным Docker, " +
		"или запустите движок, который она называет (" + h + "), и повторите команду."
}

// bootstrapScripts are what `make docker` and `make images` run, in order.
var bootstrapScripts = []string{"internal/bootstrap/docker.sh", "internal/bootstrap/buildx.sh", "internal/bootstrap/images.sh"}

// bootstrap runs the bootstrap scripts of the course, as `make images` does; their output
// goes to the student, since installing Docker or building base images takes minutes. They run
// only when Docker does not answer or a base image is missing, and the student is told so
// first; without bash (Windows without WSL) the student is told what to start or pull.
func (a *App) bootstrap(ctx context.Context, l lessons.Lesson) error {
	var scripts []string
	for _, script := range bootstrapScripts {
		if _, err := os.Stat(filepath.Join(a.Root, filepath.FromSlash(script))); err == nil {
			scripts = append(scripts, script)
		}
	}
	if len(scripts) == 0 { // an old checkout without them: the daemon check below still runs
		a.dockerReady = true
		return nil
	}
	images := strings.Join(lessonBaseImages(a.Root, l), ", ")
	if a.LookPath != nil {
		if _, err := a.LookPath("bash"); err != nil {
			return failure(
				"запустите Docker (Docker Desktop) и скачайте базовые образы урока: docker pull <образ> для каждого из "+images+
					"; затем повторите проверку. Подготовить их сама проверка может только там, где есть bash (Linux, macOS, WSL).",
				fmt.Errorf("урок %d собирает образы, а Docker не отвечает или у него нет базовых образов урока (%s)", l.Number, images))
		}
	}
	fmt.Fprintf(a.Stdout, "Docker не отвечает или у него нет базовых образов урока (%s): готовлю, как make images — bash %s.\n",
		images, strings.Join(scripts, ", bash "))
	for _, script := range scripts {
		if err := a.Script(ctx, a.Root, script, a.Stdout); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return failure(
				fmt.Sprintf("прочтите сообщение выше: оно говорит, что сделать; затем проверьте окружение: %s.", a.suggest("doctor", 0)),
				fmt.Errorf("урок %d собирает образы, а подготовка Docker (bash %s) не удалась: %v", l.Number, script, err))
		}
	}
	a.dockerReady = true
	return nil
}

// compileAhead starts compiling the lesson's test binary when it is not current (the first
// check of a lesson, or after the course changed), so that the compiler works while Docker is
// made ready (a base image pulled on a new machine); checkLesson waits for it. The student is
// told why this check starts slower than the next.
func (a *App) compileAhead(ctx context.Context, l lessons.Lesson) {
	if a.Compile == nil || a.TestsCurrent == nil || a.TestsCurrent(a.Root, l.Package()) {
		return
	}
	fmt.Fprintln(a.Stdout, "Компилирую тесты урока: так бывает при первой проверке урока и после обновления курса "+
		"(впервые на новой машине — до 2 минут на 2 ядрах); следующие проверки начнутся сразу.")
	done := make(chan struct{})
	if a.ahead == nil {
		a.ahead = map[string]chan struct{}{}
	}
	a.ahead[l.Package()] = done
	go func() {
		defer close(done)
		_ = a.Compile(ctx, a.Root, l.Package())
	}()
}

// Result is what one check run of a lesson found.
type Result struct {
	Lesson lessons.Lesson
	// Status is verdict.Passed or verdict.Failed, or "" when nothing was checked: the
	// lesson has no tests, or they failed for the course's reasons, not the exercise's.
	Status string
	// Run is the target's steps (name, status, problem with its hint, time), nil when the
	// checks never ran (the tests did not compile, a panic before the first step).
	Run *verdict.Run
	// Message is what to show when no step's problem says it: the compiler's messages, a
	// panic, a time-out, another test of the package that failed.
	Message []string
	// CourseError says that the failure is the course's (its tests do not build or run),
	// not the exercise's.
	CourseError bool
	Elapsed     time.Duration
}

// FirstProblem is one line: the failing step and what is wrong; "" when passed.
func (r *Result) FirstProblem() string {
	if r.Status == verdict.Passed {
		return ""
	}
	if r.Run != nil {
		if s := r.Run.FirstFailure(); s != nil && s.Problem != nil {
			return s.Name + ": " + firstLine(s.Problem.What)
		}
	}
	for _, line := range r.Message {
		if strings.TrimSpace(line) != "" {
			return strings.TrimSpace(line)
		}
	}
	if r.Status == verdict.Failed {
		return "проверка не пройдена"
	}
	return "ничего не проверено"
}

// runChecks runs the lesson's checks with live progress on a.Stdout.
func (a *App) runChecks(ctx context.Context, l lessons.Lesson, exercise bool) (*Result, error) {
	return a.checkLesson(ctx, l, exercise, true)
}

// checkLesson runs lesson l's checks (exercise: the student's exercise, otherwise the
// reference solution and the course's own tests) in a.Root and returns what they found,
// printing no summary. live shows progress on a.Stdout while they run. The checks write
// their report (internal/verdict) to a file under .workshop/report/; the tests' own output
// is kept only for what the report cannot carry.
func (a *App) checkLesson(ctx context.Context, l lessons.Lesson, exercise bool, live bool) (*Result, error) {
	start := a.Now()
	reportPath := filepath.Join(a.Root, ".workshop", "report", l.Slug+".jsonl")
	if err := os.MkdirAll(filepath.Dir(reportPath), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(reportPath, nil, 0o644); err != nil {
		return nil, err
	}
	rf, err := os.Open(reportPath)
	if err != nil {
		return nil, err
	}
	defer rf.Close()

	st := &statusLine{app: a, start: start, tty: a.Terminal(), quiet: !live, rep: &verdict.Report{}}
	stopDraw := st.run()
	stopTail := make(chan struct{})
	tailed := make(chan struct{})
	go func() {
		defer close(tailed)
		_ = verdict.Tail(rf, stopTail, 50*time.Millisecond, st.add)
	}()
	if ahead := a.ahead[l.Package()]; ahead != nil {
		<-ahead // its error, if any, comes again from Tests, with the compiler's words
		delete(a.ahead, l.Package())
	}
	var out bytes.Buffer
	runErr := a.Tests(ctx, a.Root, l.Package(), testArgs(exercise), []string{verdict.EnvVar + "=" + reportPath}, &out)
	close(stopTail)
	<-tailed
	stopDraw()
	elapsed := a.Now().Sub(start)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var ce *compileError
	switch {
	case errors.As(runErr, &ce), errors.Is(runErr, errNoTests), exitCode(runErr) >= 0:
	default: // the go command or the test binary did not start at all
		return nil, failure(
			fmt.Sprintf("установите Go 1.26 или новее и проверьте окружение: %s.", a.suggest("doctor", 0)),
			fmt.Errorf("тесты урока не запустились: %w", runErr))
	}
	res := resultOf(l, st.report(), runErr, out.String(), exercise)
	res.Elapsed = elapsed
	return res, nil
}

// resultOf judges a run from its report, how the test binary ended and its output.
func resultOf(l lessons.Lesson, rep *verdict.Report, runErr error, out string, exercise bool) *Result {
	res := &Result{Lesson: l}
	var ce *compileError
	switch {
	case errors.As(runErr, &ce):
		var msg []string
		for _, line := range strings.Split(ce.Output, "\n") {
			if !strings.HasPrefix(line, "# ") {
				msg = append(msg, line)
			}
		}
		res.Message = msg
		if exercise && mentionsExercise(msg, l) {
			res.Status = verdict.Failed
		} else {
			res.CourseError = true
		}
		return res
	case errors.Is(runErr, errNoTests):
		return res
	}
	for _, run := range rep.Runs {
		if res.Run == nil || (run.Status() == verdict.Failed && res.Run.Status() != verdict.Failed) || run.Current() != nil && res.Run.Current() == nil {
			res.Run = run
		}
	}
	output := outputLines(out)
	switch {
	case res.Run != nil && res.Run.Status() == verdict.Failed:
		res.Status = verdict.Failed
	case runErr != nil && res.Run != nil && res.Run.Current() != nil:
		// A step never ended: the tests panicked or ran out of time inside it.
		res.Status, res.Message = verdict.Failed, output
	case runErr != nil && len(rep.Runs) == 0:
		// No check ran and the tests failed: the course's tests, not the exercise.
		res.CourseError, res.Message = true, output
	case runErr != nil:
		// Every step passed and another test of the package failed (in the reference run:
		// the starter's or a variant's verdict).
		res.Status, res.Message = verdict.Failed, output
	case len(rep.Runs) > 0:
		res.Status = verdict.Passed
	}
	return res
}

// outputLines is the test binary's output without its closing status lines.
func outputLines(out string) []string {
	var msg []string
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		switch {
		case line == "PASS", line == "FAIL", strings.HasPrefix(line, "exit status "):
			continue
		}
		msg = append(msg, line)
	}
	if len(msg) == 1 && msg[0] == "" {
		return nil
	}
	return msg
}

// statusLine shows the progress of a check run from its report: on a terminal one line
// redrawn in place (spinner, seconds, the running step and the build step that runs, with its
// own time, as docker build shows it), elsewhere a plain line for each check that starts and
// each build step that ends, and a reminder every 15 s that the run goes on.
type statusLine struct {
	app   *App
	start time.Time
	tty   bool
	quiet bool // show nothing: the caller prints its own lines

	mu        sync.Mutex
	rep       *verdict.Report
	lastPrint time.Time
	drawn     bool
	steps     []runningStep // build steps that run, in the order they started
}

// runningStep is a build step that started and has not ended.
type runningStep struct {
	image, step string
	since       time.Time
}

var spinner = []rune("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

func (s *statusLine) run() (stop func()) {
	if s.quiet {
		return func() {}
	}
	s.lastPrint = s.app.Now()
	interval := 15 * time.Second
	if s.tty {
		interval = 120 * time.Millisecond
	}
	ticker := time.NewTicker(interval)
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		frame := 0
		for {
			select {
			case <-quit:
				return
			case <-ticker.C:
				s.mu.Lock()
				if s.tty {
					s.draw(frame)
					frame++
				} else if s.app.Now().Sub(s.lastPrint) >= interval {
					s.printf("  … идёт проверка%s (%s)\n", displaySuffix(s.current()), seconds(s.app.Now().Sub(s.start)))
				}
				s.mu.Unlock()
			}
		}
	}()
	return func() {
		ticker.Stop()
		close(quit)
		<-finished
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.drawn {
			fmt.Fprint(s.app.Stdout, "\r\x1b[2K")
		}
	}
}

// report is what the report said, for the summary.
func (s *statusLine) report() *verdict.Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rep
}

// current names the check that runs now, "" when none does.
func (s *statusLine) current() string {
	for i := len(s.rep.Runs) - 1; i >= 0; i-- {
		if st := s.rep.Runs[i].Current(); st != nil {
			return st.Name
		}
	}
	return ""
}

func (s *statusLine) add(l verdict.Line) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rep.Add(l)
	if s.quiet {
		return
	}
	switch l.Kind {
	case verdict.KindBuild:
		s.build(*l.Build)
	case verdict.KindStep:
		if !s.tty {
			s.printf("  ▶ %s (%s)\n", l.Step, seconds(s.app.Now().Sub(s.start)))
		}
	}
}

// build takes a build step's start or end into account: the terminal's status line shows
// the step that runs; elsewhere each step that ends gets a line.
func (s *statusLine) build(ev buildevent.Event) {
	if ev.State == buildevent.Running {
		s.steps = append(s.steps, runningStep{image: ev.Image, step: ev.Step, since: s.app.Now()})
		return
	}
	s.steps = slices.DeleteFunc(s.steps, func(r runningStep) bool { return r.image == ev.Image && r.step == ev.Step })
	if s.tty {
		return
	}
	if line := stepLine(ev); line != "" {
		s.printf("%s\n", line)
	}
}

// stepLine is the line of a build step that ended, as docker build --progress=plain marks
// it: its time, or CACHED. BuildKit's own quick steps ([internal] load …) get none.
func stepLine(ev buildevent.Event) string {
	instruction := strings.HasPrefix(ev.Step, "[") && !strings.HasPrefix(ev.Step, "[internal]")
	if !instruction && ev.Took < time.Second {
		return ""
	}
	step := shorten(ev.Step, 100)
	switch ev.State {
	case buildevent.Cached:
		return fmt.Sprintf("  · %s CACHED", step)
	case buildevent.Failed:
		return fmt.Sprintf("  ✗ %s %s", step, seconds(ev.Took))
	case buildevent.Done:
		return fmt.Sprintf("  ✓ %s %s", step, seconds(ev.Took))
	}
	return ""
}

// shorten cuts s to at most n runes, ending it with "…" when cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

func (s *statusLine) printf(format string, args ...any) {
	fmt.Fprintf(s.app.Stdout, format, args...)
	s.lastPrint = s.app.Now()
}

func (s *statusLine) draw(frame int) {
	now := s.app.Now()
	elapsed := now.Sub(s.start)
	what := s.current()
	switch {
	case what != "":
	case len(s.rep.Runs) == 0:
		what = "сборка тестов…"
	default:
		what = "…"
	}
	line := fmt.Sprintf("%c %s · %s", spinner[frame%len(spinner)], seconds(elapsed), what)
	width, _, sized := s.app.Size()
	if n := len(s.steps); n > 0 {
		// The step that started last, with its own time; the step's text gives way first
		// when the line is too long for the terminal.
		cur := s.steps[n-1]
		took := " " + seconds(now.Sub(cur.since))
		step := cur.step
		if sized {
			room := width - 1 - utf8.RuneCountInString(line) - len(" · ") - utf8.RuneCountInString(took)
			if room >= 12 {
				step = shorten(step, room)
			} else {
				step = ""
			}
		}
		if step != "" {
			line += " · " + step + took
		}
	}
	if sized && utf8.RuneCountInString(line) >= width {
		r := []rune(line)
		line = string(r[:max(0, width-2)]) + "…"
	}
	fmt.Fprintf(s.app.Stdout, "\r\x1b[2K%s", line)
	s.drawn = true
}

func displaySuffix(name string) string {
	if name == "" {
		return ""
	}
	return ": " + name
}

// outcome is how a check run ended.
type outcome int

const (
	outcomeNone   outcome = iota // nothing was checked: no tests, or the course's tests failed
	outcomePassed                // every check passed
	outcomeFailed                // a check failed
)

func (r *Result) outcome() outcome {
	switch r.Status {
	case verdict.Passed:
		return outcomePassed
	case verdict.Failed:
		return outcomeFailed
	}
	return outcomeNone
}

// summary prints what a run showed: ✓ and ✗ lines, then the first failure's message with
// its hint. exercise says whether the student's exercise or the reference solution was checked.
func (a *App) summary(w io.Writer, res *Result, exercise bool) outcome {
	l := res.Lesson
	subject := fmt.Sprintf("Урок %d «%s»", l.Number, l.Title)
	if !exercise {
		subject = fmt.Sprintf("Эталонное решение урока %d «%s»", l.Number, l.Title)
	}
	took := seconds(res.Elapsed)
	switch {
	case res.CourseError && res.Run == nil && len(res.Message) > 0 && res.Status == "":
		fmt.Fprintf(w, "\n✗ %s: тесты урока не собрались или не запустились (%s).\n\n", subject, took)
		a.printMessage(w, res.Message, nil, l, false)
		a.notYourFault(w, exercise)
		return outcomeNone

	case res.Status == "" && res.Run == nil:
		fmt.Fprintf(w, "\n%s: проверок нет — в %s нет проверок урока.\n", subject, l.Dir())
		return outcomeNone

	case res.Status == verdict.Failed && res.Run == nil:
		fmt.Fprintf(w, "\n✗ %s: задание не компилируется (%s).\n\n", subject, took)
		a.printMessage(w, res.Message, nil, l, exercise)
		a.printFix(w, l, exercise)
		return outcomeFailed

	case res.Status == verdict.Passed:
		fmt.Fprintf(w, "\n✓ %s: все проверки пройдены (%s).\n\n", subject, took)
		printSteps(w, res.Run)
		return outcomePassed
	}

	fmt.Fprintf(w, "\n✗ %s: проверка не пройдена (%s).\n\n", subject, took)
	printSteps(w, res.Run)
	failed := res.Run.FirstFailure()
	if failed == nil {
		failed = res.Run.Current() // a step that never ended
	}
	if failed == nil || failed.Problem == nil {
		// The steps passed or one broke off; the tests' own output says why.
		switch {
		case failed != nil:
			fmt.Fprintf(w, "\nПроверка «%s» прервалась:\n\n", failed.Name)
		case exercise:
			fmt.Fprint(w, "\nПроверки задания пройдены, но другие тесты урока — нет:\n\n")
		default:
			fmt.Fprint(w, "\nЭталон проходит проверки, но тесты самого курса (стартовый код, варианты) — нет:\n\n")
		}
		msg := res.Message
		if len(msg) == 0 {
			msg = []string{"тесты завершились с ошибкой и ничего не объяснили"}
		}
		a.printMessage(w, msg, nil, l, exercise)
		a.printFix(w, l, exercise)
		return outcomeFailed
	}
	fmt.Fprintf(w, "\nПервая ошибка — %s:\n\n", failed.Name)
	msg := append(slices.Clone(failed.Log), strings.Split(failed.Problem.What, "\n")...)
	a.printMessage(w, msg, failed.Problem, l, exercise)
	if rest := notRunCount(res.Run); rest > 0 {
		fmt.Fprintf(w, "Ещё %d %s: сначала исправьте эту.\n", rest, ru.Plural(rest, "проверка не запускалась", "проверки не запускались", "проверок не запускались"))
	}
	a.printFix(w, l, exercise)
	return outcomeFailed
}

func notRunCount(r *verdict.Run) int {
	n := 0
	for _, s := range r.Steps {
		if s.Status == verdict.NotRun {
			n++
		}
	}
	return n
}

// notYourFault tells the student that a failure is the course's, not theirs.
func (a *App) notYourFault(w io.Writer, exercise bool) {
	if exercise {
		fmt.Fprintln(w, "Дело не в вашем задании: обновите репозиторий курса (git pull) или сообщите преподавателю.")
	}
}

// mentionsExercise reports whether compiler messages point into the exercise's directories.
func mentionsExercise(msg []string, l lessons.Lesson) bool {
	for _, f := range exerciseFiles(l) {
		dir := path.Dir(f) + "/"
		for _, line := range msg {
			if strings.Contains(line, dir) {
				return true
			}
		}
	}
	return false
}

// printSteps lists the run's checks that ran: ✓ or ✗ and the time of the longer ones.
func printSteps(w io.Writer, r *verdict.Run) {
	if r == nil {
		return
	}
	broken := false // a step that never ended is the last one shown
	for _, s := range r.Steps {
		mark := "✗"
		switch s.Status {
		case verdict.Passed:
			mark = "✓"
		case verdict.NotRun:
			continue
		case "":
			if broken {
				continue
			}
			broken = true
		}
		line := fmt.Sprintf("  %s %s", mark, s.Name)
		if s.Elapsed >= time.Second {
			line += fmt.Sprintf(" (%s)", seconds(s.Elapsed))
		}
		fmt.Fprintln(w, line)
	}
}

// printMessage prints a failure message indented, at most maxMessageLines lines, then the
// problem's hint when there is one.
func (a *App) printMessage(w io.Writer, msg []string, p *verdict.Problem, l lessons.Lesson, exercise bool) {
	if len(msg) > maxMessageLines {
		more := len(msg) - maxMessageLines
		msg = append(msg[:maxMessageLines:maxMessageLines],
			fmt.Sprintf("… и ещё %d строк; весь вывод покажет %s", more, verboseCommand(l, exercise)))
	}
	for _, line := range msg {
		if line == "" {
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintf(w, "    %s\n", line)
	}
	if p != nil && p.Hint != "" {
		fmt.Fprintf(w, "    %s%s\n", verdict.HintWord, p.Hint)
	}
	fmt.Fprintln(w)
}

// printFix says what to do next with the exercise. The catalogue's hints go from a nudge to
// nearly the answer: they are shown only when asked for (workshop hint N), one at a time.
func (a *App) printFix(w io.Writer, l lessons.Lesson, exercise bool) {
	if !exercise {
		return
	}
	fmt.Fprintf(w, "Исправьте %s и проверьте снова: %s\n", strings.Join(exerciseFiles(l), ", "), a.suggest("check", l.Number))
	if len(l.Exercise.Hints) > 0 {
		fmt.Fprintf(w, "Подсказки к заданию: %s\n", a.suggest("hint", l.Number))
	}
}

// printNext names the lesson after l.
func (a *App) printNext(w io.Writer, l lessons.Lesson) {
	next, err := lessons.ByNumber(l.Number + 1)
	fmt.Fprintln(w)
	if err != nil {
		fmt.Fprintf(w, "Это было последнее задание курса. Поздравляем! Весь список: %s\n", a.suggest("list", 0))
		return
	}
	fmt.Fprintf(w, "Следующий урок: %d «%s» — %s\n", next.Number, next.Title, a.suggest("read", next.Number))
}

// seconds formats a duration the Russian way: "0,4 с", "12 с", "1 мин 5 с".
func seconds(d time.Duration) string { return ru.Elapsed(d) }

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
