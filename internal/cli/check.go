package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
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

	"github.com/go-docker-workshop/workshop/internal/buildevent"
	"github.com/go-docker-workshop/workshop/internal/progress"
	"github.com/go-docker-workshop/workshop/internal/ru"
	"github.com/go-docker-workshop/workshop/internal/testjson"
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
	if err := a.dockerAnswers(ctx, l); err != nil {
		return false, err
	}
	fmt.Fprintf(a.Stdout, "Проверяю задание урока %d «%s»: %s\n", l.Number, l.Title, strings.Join(exerciseFiles(l), ", "))
	rep, elapsed, err := a.runChecks(ctx, l, true)
	if err != nil {
		return false, err
	}
	outcome := a.summary(a.Stdout, l, rep, elapsed, true)
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
	if _, err := a.Exec(ctx, a.Root, "docker", "version", "--format", "{{.Server.Version}}"); err != nil {
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
// goes to the student, since installing Docker or building base images takes minutes.
func (a *App) bootstrap(ctx context.Context, l lessons.Lesson) error {
	for _, script := range bootstrapScripts {
		if _, err := os.Stat(filepath.Join(a.Root, filepath.FromSlash(script))); err != nil {
			continue // an old checkout without it: the daemon check below still runs
		}
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

// goTestArgs are the arguments of `go test` for a lesson; -exercise switches the lesson's
// tests from the reference solution to the student's exercise.
func goTestArgs(l lessons.Lesson, exercise bool) []string {
	if exercise {
		return []string{l.Package(), "-exercise", "-count=1", "-json"}
	}
	return []string{l.Package(), "-count=1", "-json"}
}

// verboseCommand is the go test command line that shows a lesson's whole test output.
func verboseCommand(l lessons.Lesson, exercise bool) string {
	args := []string{"go", "test", l.Package()}
	if exercise {
		args = append(args, "-exercise")
	}
	return strings.Join(append(args, "-count=1", "-v"), " ")
}

// runChecks runs the lesson's tests and shows what runs while they do.
func (a *App) runChecks(ctx context.Context, l lessons.Lesson, exercise bool) (*testjson.Report, time.Duration, error) {
	start := a.Now()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		// The checks report each build step on their standard output: see internal/buildevent.
		err := a.GoTest(ctx, a.Root, goTestArgs(l, exercise), []string{buildevent.EnvVar + "=1"}, pw)
		pw.Close()
		done <- err
	}()

	st := &statusLine{app: a, start: start, rep: &testjson.Report{}, tty: a.Terminal()}
	stop := st.run()
	sc := bufio.NewScanner(pr)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		st.add(sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		pr.CloseWithError(err)
	}
	runErr := <-done
	stop()
	elapsed := a.Now().Sub(start)

	if ctx.Err() != nil {
		return nil, elapsed, ctx.Err()
	}
	if runErr != nil && exitCode(runErr) < 0 { // go test did not run at all
		return nil, elapsed, failure(
			fmt.Sprintf("установите Go 1.26 или новее и проверьте окружение: %s.", a.suggest("doctor", 0)),
			fmt.Errorf("go test не запустился: %w", runErr))
	}
	return st.rep, elapsed, nil
}

// statusLine shows the progress of a go test run: on a terminal one line redrawn in place
// (spinner, seconds, the running test and the build step that runs, with its own time, as
// docker build shows it), elsewhere a plain line for each test that starts and each build
// step that ends, and a reminder every 15 s that the run goes on. The build steps come as
// marked lines of the tests' output (internal/buildevent); they never reach the report, so
// no summary or failure message shows them.
type statusLine struct {
	app   *App
	start time.Time
	tty   bool

	mu        sync.Mutex
	rep       *testjson.Report
	announced map[string]bool
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
	s.announced = map[string]bool{}
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
					name, _ := s.rep.Current()
					s.printf("  … идёт проверка%s (%s)\n", displaySuffix(name), seconds(s.app.Now().Sub(s.start)))
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

func (s *statusLine) add(line []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	line, ev, ok := splitBuildEvent(line)
	if ok {
		s.build(ev)
	}
	if line == nil {
		return
	}
	s.rep.AddLine(line)
	if s.tty {
		return
	}
	if name, _ := s.rep.Current(); name != "" && !s.announced[name] {
		s.announced[name] = true
		s.printf("  ▶ %s (%s)\n", testjson.DisplayName(name), seconds(s.app.Now().Sub(s.start)))
	}
}

// splitBuildEvent takes a build event out of a line of go test -json output: an output event
// whose text is a marked line, or such a line outside JSON. rest is what remains for the
// report: nil when the line was only the event, the event's JSON without the marked text
// when the test's own output preceded it on the same line.
func splitBuildEvent(line []byte) (rest []byte, ev buildevent.Event, ok bool) {
	if !bytes.Contains(line, []byte("workshop-build")) {
		return line, ev, false
	}
	var e testjson.Event
	if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil || e.Action == "" {
		ev, ok = buildevent.Parse(string(line))
		if !ok {
			return line, ev, false
		}
		if before := string(line[:bytes.Index(line, []byte(buildevent.Marker))]); strings.TrimSpace(before) != "" {
			return []byte(before), ev, true
		}
		return nil, ev, true
	}
	if e.Action != "output" {
		return line, ev, false
	}
	i := strings.Index(e.Output, buildevent.Marker)
	if i < 0 {
		return line, ev, false
	}
	if ev, ok = buildevent.Parse(e.Output); !ok {
		return line, ev, false
	}
	if i == 0 {
		return nil, ev, true
	}
	e.Output = e.Output[:i] + "\n"
	data, err := json.Marshal(e)
	if err != nil {
		return nil, ev, true
	}
	return data, ev, true
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
	var what string
	switch name, others := s.rep.Current(); {
	case name != "":
		what = testjson.DisplayName(name)
		if others > 0 {
			what += fmt.Sprintf(" (и ещё %d)", others)
		}
	case s.rep.Done():
		what = "завершение…"
	case len(s.rep.Tests) == 0:
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
	return ": " + testjson.DisplayName(name)
}

// outcome is how a check run ended.
type outcome int

const (
	outcomeNone   outcome = iota // nothing was checked: no tests, or all skipped
	outcomePassed                // every check passed
	outcomeFailed                // a check failed, or the tests did not build or run
)

// summary prints what a run showed: ✓ and ✗ lines, then the first failure's message with
// its hint. exercise says whether the student's exercise or the reference solution was checked.
func (a *App) summary(w io.Writer, l lessons.Lesson, rep *testjson.Report, elapsed time.Duration, exercise bool) outcome {
	subject := fmt.Sprintf("Урок %d «%s»", l.Number, l.Title)
	if !exercise {
		subject = fmt.Sprintf("Эталонное решение урока %d «%s»", l.Number, l.Title)
	}
	results := rep.Results()
	failed := rep.Failed()
	took := seconds(elapsed)
	name := displayNames(results)

	switch {
	case rep.BuildFailed():
		var msg []string
		for _, line := range rep.BuildOutput {
			if !strings.HasPrefix(line, "# ") {
				msg = append(msg, line)
			}
		}
		if exercise && mentionsExercise(msg, l) {
			fmt.Fprintf(w, "\n✗ %s: задание не компилируется (%s).\n\n", subject, took)
			a.printMessage(w, msg, l, exercise,
				"исправьте ошибку компиляции: файл, строка и столбец указаны в начале сообщения.")
			return outcomeFailed
		}
		fmt.Fprintf(w, "\n✗ %s: тесты урока не собрались (%s).\n\n", subject, took)
		a.printMessage(w, msg, l, false, "")
		a.notYourFault(w, exercise)
		return outcomeNone

	case rep.Passed():
		fmt.Fprintf(w, "\n✓ %s: все проверки пройдены (%s).\n\n", subject, took)
		printResults(w, results, name)
		return outcomePassed

	case len(failed) > 0:
		fmt.Fprintf(w, "\n✗ %s: проверка не пройдена (%s).\n\n", subject, took)
		printResults(w, results, name)
		first := failed[0]
		fmt.Fprintf(w, "\nПервая ошибка — %s:\n\n", name(first))
		msg := testjson.Messages(first.Output)
		if len(msg) == 0 {
			msg = []string{"(проверка не вывела сообщения)"}
		}
		// A runner's note such as "ещё 2 проверки не запускались" follows the message.
		msg = append(msg, testjson.Messages(rep.Aftermath(first))...)
		a.printMessage(w, msg, l, exercise, "")
		return outcomeFailed

	case rep.Status == testjson.Skip && len(rep.Tests) == 0:
		fmt.Fprintf(w, "\n%s: проверок нет — в %s нет тестов.\n", subject, l.Dir())
		return outcomeNone

	case rep.Status == testjson.Pass:
		fmt.Fprintf(w, "\n%s: все проверки пропущены (%s), ничего не проверено.\n\n", subject, took)
		printResults(w, results, name)
		return outcomeNone
	}

	// The package failed with no failed test: a panic, a timeout, a flag the tests do not know.
	fmt.Fprintf(w, "\n✗ %s: тесты завершились с ошибкой (%s).\n\n", subject, took)
	printResults(w, results, name)
	var msg []string
	for _, line := range testjson.Messages(rep.Output) {
		if line == "FAIL" || strings.HasPrefix(line, "FAIL\t") || strings.HasPrefix(line, "ok  \t") {
			continue
		}
		if strings.HasPrefix(line, "flag provided but not defined: -exercise") {
			fmt.Fprintln(w, "    Тесты урока не знают флаг -exercise: проверка задания для этого урока ещё не готова.")
			a.notYourFault(w, exercise)
			return outcomeNone
		}
		msg = append(msg, line)
	}
	if len(msg) == 0 {
		msg = []string{"go test завершился с ошибкой и ничего не объяснил."}
	}
	if len(results) > 0 {
		fmt.Fprintln(w)
	}
	a.printMessage(w, msg, l, exercise, "")
	return outcomeFailed
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

// displayNames names tests for the summary: without the top-level test when every result
// is a subtest of the same one (TestExercise › CMD в exec-форме reads as CMD в exec-форме).
func displayNames(results []*testjson.Test) func(*testjson.Test) string {
	top := ""
	for i, t := range results {
		head, _, sub := strings.Cut(t.Name, "/")
		if !sub || (i > 0 && head != top) {
			return func(t *testjson.Test) string { return testjson.DisplayName(t.Name) }
		}
		top = head
	}
	return func(t *testjson.Test) string {
		if rest, ok := strings.CutPrefix(t.Name, top+"/"); ok {
			return testjson.DisplayName(rest)
		}
		return testjson.DisplayName(t.Name)
	}
}

func printResults(w io.Writer, results []*testjson.Test, name func(*testjson.Test) string) {
	for _, t := range results {
		// Tests of the course itself (the starter fails, test-data variants) skip under
		// -exercise: a student checking an exercise has no use for a line about them.
		if msg := testjson.Messages(t.Output); t.Status == testjson.Skip && len(msg) > 0 && strings.HasPrefix(msg[0], lessons.CourseOnly) {
			continue
		}
		mark := "✗"
		switch t.Status {
		case testjson.Pass:
			mark = "✓"
		case testjson.Skip:
			mark = "–"
		}
		line := fmt.Sprintf("  %s %s", mark, name(t))
		if t.Elapsed >= time.Second {
			line += fmt.Sprintf(" (%s)", seconds(t.Elapsed))
		}
		if t.Status == testjson.Skip {
			if msg := testjson.Messages(t.Output); len(msg) > 0 {
				line += " — пропущено: " + msg[0]
			} else {
				line += " — пропущено"
			}
		}
		fmt.Fprintln(w, line)
	}
}

// printMessage prints a failure message indented, at most maxMessageLines lines, then the
// hint: the message's own «Подсказка:» line when it has one, otherwise fallback, then what
// to do next.
func (a *App) printMessage(w io.Writer, msg []string, l lessons.Lesson, exercise bool, fallback string) {
	hasHint := false
	for _, line := range msg {
		if strings.HasPrefix(strings.TrimSpace(line), "Подсказка:") {
			hasHint = true
		}
	}
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
	// The catalogue's hints go from a nudge to nearly the answer: they are shown only when
	// asked for (workshop hint N), one at a time, never printed for the student here.
	if !hasHint && fallback != "" {
		fmt.Fprintf(w, "    Подсказка: %s\n", fallback)
	}
	fmt.Fprintln(w)
	if exercise {
		fmt.Fprintf(w, "Исправьте %s и проверьте снова: %s\n", strings.Join(exerciseFiles(l), ", "), a.suggest("check", l.Number))
		if len(l.Exercise.Hints) > 0 {
			fmt.Fprintf(w, "Подсказки к заданию: %s\n", a.suggest("hint", l.Number))
		}
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
func seconds(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return ru.Seconds(d, 1)
	case d < time.Minute:
		return fmt.Sprintf("%d с", int(d.Seconds()))
	}
	return fmt.Sprintf("%d мин %d с", int(d.Minutes()), int(d.Seconds())%60)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
