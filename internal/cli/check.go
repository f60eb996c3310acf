package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-docker-workshop/workshop/internal/progress"
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

// dockerAnswers fails early, with the fix, when a lesson needs Docker and the daemon is silent.
func (a *App) dockerAnswers(ctx context.Context, l lessons.Lesson) error {
	if !l.Docker {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := a.Exec(ctx, a.Root, "docker", "version", "--format", "{{.Server.Version}}"); err != nil {
		return failure(
			fmt.Sprintf("запустите Docker командой make docker, затем проверьте окружение: %s doctor.", a.Prog),
			fmt.Errorf("урок %d собирает образы, а Docker не отвечает: %s", l.Number, firstLine(err.Error())))
	}
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
		err := a.GoTest(ctx, a.Root, goTestArgs(l, exercise), pw)
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
			fmt.Sprintf("установите Go 1.26 или новее и проверьте окружение: %s doctor.", a.Prog),
			fmt.Errorf("go test не запустился: %w", runErr))
	}
	return st.rep, elapsed, nil
}

// statusLine shows the progress of a go test run: on a terminal one line redrawn in place
// (spinner, seconds, the running test), elsewhere a plain line for each test that starts and
// a reminder every 15 s that the run goes on.
type statusLine struct {
	app   *App
	start time.Time
	tty   bool

	mu        sync.Mutex
	rep       *testjson.Report
	announced map[string]bool
	lastPrint time.Time
	drawn     bool
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
	s.rep.AddLine(line)
	if s.tty {
		return
	}
	if name, _ := s.rep.Current(); name != "" && !s.announced[name] {
		s.announced[name] = true
		s.printf("  ▶ %s (%s)\n", testjson.DisplayName(name), seconds(s.app.Now().Sub(s.start)))
	}
}

func (s *statusLine) printf(format string, args ...any) {
	fmt.Fprintf(s.app.Stdout, format, args...)
	s.lastPrint = s.app.Now()
}

func (s *statusLine) draw(frame int) {
	elapsed := s.app.Now().Sub(s.start)
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
	if width, _, ok := s.app.Size(); ok && utf8.RuneCountInString(line) >= width {
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

// courseOnly starts the skip message of the tests that check the course itself (the
// starter fails, test-data variants): lessons skip them under -exercise, and a student
// checking an exercise has no use for a line about them.
const courseOnly = "проверка самого курса"

func printResults(w io.Writer, results []*testjson.Test, name func(*testjson.Test) string) {
	for _, t := range results {
		if msg := testjson.Messages(t.Output); t.Status == testjson.Skip && len(msg) > 0 && strings.HasPrefix(msg[0], courseOnly) {
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
// hint: the message's own «Подсказка:» line when it has one, otherwise fallback or the
// catalogue's first hint, then what to do next.
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
	if !hasHint {
		switch {
		case fallback != "":
			fmt.Fprintf(w, "    Подсказка: %s\n", fallback)
		case exercise && len(l.Exercise.Hints) > 0:
			fmt.Fprintf(w, "    Подсказка: %s\n", l.Exercise.Hints[0])
		}
	}
	fmt.Fprintln(w)
	if exercise {
		fmt.Fprintf(w, "Исправьте %s и проверьте снова: %s check %d\n", strings.Join(exerciseFiles(l), ", "), a.Prog, l.Number)
		if len(l.Exercise.Hints) > 0 {
			fmt.Fprintf(w, "Подсказки к заданию: %s hint %d\n", a.Prog, l.Number)
		}
	}
}

// printNext names the lesson after l.
func (a *App) printNext(w io.Writer, l lessons.Lesson) {
	next, err := lessons.ByNumber(l.Number + 1)
	fmt.Fprintln(w)
	if err != nil {
		fmt.Fprintf(w, "Это было последнее задание курса. Поздравляем! Весь список: %s list\n", a.Prog)
		return
	}
	fmt.Fprintf(w, "Следующий урок: %d «%s» — %s read %d\n", next.Number, next.Title, a.Prog, next.Number)
}

// seconds formats a duration the Russian way: "0,4 с", "12 с", "1 мин 5 с".
func seconds(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return strings.Replace(fmt.Sprintf("%.1f с", d.Seconds()), ".", ",", 1)
	case d < time.Minute:
		return fmt.Sprintf("%d с", int(d.Seconds()))
	}
	return fmt.Sprintf("%d мин %d с", int(d.Minutes()), int(d.Seconds())%60)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
