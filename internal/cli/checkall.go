package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/classroom"
	"github.com/go-docker-workshop/workshop/internal/progress"
	"github.com/go-docker-workshop/workshop/internal/ru"
	"github.com/go-docker-workshop/workshop/internal/verdict"
	"github.com/go-docker-workshop/workshop/lessons"
)

// cmdCheckCommand is `check`: one lesson, or with --all every lesson in one run.
func (a *App) cmdCheckCommand(ctx context.Context, f *flags, args []string) error {
	if f.all {
		return a.cmdCheckAll(ctx, f, args)
	}
	if f.junit != "" || f.summary != "" || f.reuse {
		return usageError(fmt.Sprintf("отчёты пишет проверка всех уроков: %s check --all --junit report.xml.", a.Prog),
			"флаги --junit, --summary и --reuse работают только вместе с --all")
	}
	return a.cmdCheck(ctx, f, args)
}

// cmdCheckAll checks every lesson's exercise, going on after a failure: a line per lesson,
// the total, and the reports asked for. A lesson whose exercise is still the starter is not
// checked: it is «не начато». The exit code is 0 only when every lesson passed.
func (a *App) cmdCheckAll(ctx context.Context, f *flags, args []string) error {
	if len(args) > 0 {
		return usageError(fmt.Sprintf("уберите номер урока: %s check --all проверяет все уроки.", a.Prog),
			"лишние аргументы: %s", strings.Join(args, " "))
	}
	if err := a.needRoot("проверка заданий"); err != nil {
		return err
	}
	all, err := lessons.All()
	if err != nil {
		return err
	}
	starters := classroom.CourseStarters()
	fmt.Fprintf(a.Stdout, "Проверяю задания всех уроков (%d): строка на урок, итог в конце.\n", len(all))
	if f.reuse {
		fmt.Fprintln(a.Stdout, "Урок, в котором ничего не изменилось после его последней проверки, не проверяю заново: беру её результат (--reuse).")
	}
	fmt.Fprintln(a.Stdout)
	start := a.Now()
	var rep classroom.Report
	reused := 0
	for _, l := range all {
		r, took, err := a.checkAllLesson(ctx, l, starters, f.reuse)
		if err != nil {
			return err
		}
		if took {
			reused++
		}
		rep.Results = append(rep.Results, r)
		classroom.WriteLine(a.Stdout, r)
	}
	rep.Elapsed = a.Now().Sub(start)
	fmt.Fprintln(a.Stdout)
	fmt.Fprintln(a.Stdout, rep.Total())
	if reused > 0 {
		fmt.Fprintf(a.Stdout, "Результат последней проверки: %d %s.\n", reused, ru.Plural(reused, "урок", "урока", "уроков"))
	}
	if n := firstWith(rep, classroom.Failed, classroom.TimedOut, classroom.Unchecked); n > 0 {
		fmt.Fprintf(a.Stdout, "Весь текст ошибки и подсказка: %s\n", a.suggest("check", n))
	} else if n := firstWith(rep, classroom.NotStarted); n > 0 {
		fmt.Fprintf(a.Stdout, "Следующее задание — урок %d: %s\n", n, a.suggest("read", n))
	}
	if err := a.writeReports(f, rep); err != nil {
		return err
	}
	if !rep.Passed() {
		return errSilent
	}
	return nil
}

// firstWith is the number of the first lesson with one of the statuses, 0 when none has.
func firstWith(rep classroom.Report, statuses ...classroom.Status) int {
	for _, r := range rep.Results {
		if slices.Contains(statuses, r.Status) {
			return r.Number
		}
	}
	return 0
}

// checkAllLesson checks one lesson for check --all and records its result in the progress
// file, as check N does; with reuse it takes the lesson's last check instead when nothing
// has changed since (reused). Only Ctrl+C is an error; everything else is the lesson's result.
func (a *App) checkAllLesson(ctx context.Context, l lessons.Lesson, starters classroom.Starters, reuse bool) (r classroom.Result, reused bool, err error) {
	base := classroom.Result{Number: l.Number, Slug: l.Slug, Title: l.Title}
	if fresh, err := starters.NotStarted(a.Root, l); err == nil && fresh {
		base.Status, base.Detail = classroom.NotStarted, classroom.NotStartedText(l)
		return base, false, nil
	}
	if reuse {
		if saved, ok := a.savedCheckOf(l); ok {
			return saved, true, nil
		}
	}
	r, err = a.checkLessonForAll(ctx, l)
	return r, false, err
}

// checkLessonForAll runs lesson l's checks for check --all.
func (a *App) checkLessonForAll(ctx context.Context, l lessons.Lesson) (classroom.Result, error) {
	base := classroom.Result{Number: l.Number, Slug: l.Slug, Title: l.Title}
	tty := a.Terminal()
	if tty {
		fmt.Fprintf(a.Stdout, "… %s: проверяю", base.Name())
	}
	r, err := a.lessonResult(ctx, a, l)
	if tty {
		fmt.Fprint(a.Stdout, "\r\x1b[2K")
	}
	if ctx.Err() != nil {
		return r, ctx.Err()
	}
	if err != nil {
		r.Status, r.Problem, r.Detail = classroom.Unchecked, errorLine(err), errorText(err)
		return r, nil
	}
	a.saveCheck(l, r)
	if r.Status == classroom.Passed || r.Status == classroom.Failed {
		p := a.loadProgress()
		p.Update(l.Slug, func(s *progress.Lesson) {
			s.Status = progress.Failed
			if r.Status == classroom.Passed {
				s.Status = progress.Passed
			}
			s.CheckedAt = a.Now().UTC().Truncate(time.Second)
		})
		a.saveProgress(p)
	}
	return r, nil
}

// lessonResult readies Docker for lesson l (with a's bootstrap, once per run) and runs its
// exercise checks in runner's repository, without live progress.
func (a *App) lessonResult(ctx context.Context, runner *App, l lessons.Lesson) (classroom.Result, error) {
	base := classroom.Result{Number: l.Number, Slug: l.Slug, Title: l.Title}
	if err := a.dockerAnswers(ctx, l); err != nil {
		return base, err
	}
	res, err := runner.checkLesson(ctx, l, true, false)
	if err != nil {
		return base, err
	}
	return classroomResult(res), nil
}

// classroomResult turns a check run into the classroom's result of a lesson.
func classroomResult(res *Result) classroom.Result {
	l := res.Lesson
	r := classroom.Result{Number: l.Number, Slug: l.Slug, Title: l.Title, Elapsed: res.Elapsed}
	switch res.Status {
	case verdict.Passed:
		r.Status = classroom.Passed
	case verdict.Failed:
		r.Status = classroom.Failed
	default:
		r.Status = classroom.Unchecked
	}
	if r.Status != classroom.Passed {
		r.Problem = res.FirstProblem()
	}
	if res.Run != nil {
		for _, s := range res.Run.Steps {
			r.Steps = append(r.Steps, classroom.Step{Name: s.Name, Status: s.Status, Elapsed: s.Elapsed, Problem: s.Problem})
		}
		if s := res.Run.FirstFailure(); s != nil && s.Problem != nil {
			r.Detail = strings.Split(strings.TrimPrefix(s.Problem.Error(), "✗ "), "\n")
		}
	}
	if r.Detail == nil && r.Status != classroom.Passed {
		r.Detail = res.Message
		if len(r.Detail) > maxMessageLines {
			r.Detail = append(r.Detail[:maxMessageLines:maxMessageLines], fmt.Sprintf("… и ещё %d строк", len(res.Message)-maxMessageLines))
		}
	}
	return r
}

// errorLine is an error as one line; errorText adds the hint of a user error.
func errorLine(err error) string { return firstLine(err.Error()) }

func errorText(err error) []string {
	text := []string{err.Error()}
	var ue *userError
	if errors.As(err, &ue) && ue.hint != "" {
		text = append(text, verdict.HintWord+ue.hint)
	}
	return text
}

// writeReports writes the JUnit XML (--junit, replaced) and the Markdown summary (--summary,
// appended: $GITHUB_STEP_SUMMARY collects every step's).
func (a *App) writeReports(f *flags, rep classroom.Report) error {
	if f.junit != "" {
		file, err := os.Create(f.junit)
		if err != nil {
			return failure("укажите файл в каталоге, куда можно писать, например --junit report.xml.", fmt.Errorf("отчёт JUnit не записан: %w", err))
		}
		err = classroom.WriteJUnit(file, "workshop", rep)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("отчёт JUnit не записан: %w", err)
		}
		fmt.Fprintf(a.Stdout, "Отчёт JUnit: %s\n", f.junit)
	}
	if f.summary != "" {
		file, err := os.OpenFile(f.summary, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return failure("укажите файл, куда можно писать, например --summary \"$GITHUB_STEP_SUMMARY\".", fmt.Errorf("сводка не записана: %w", err))
		}
		err = classroom.WriteSummary(file, rep)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("сводка не записана: %w", err)
		}
	}
	return nil
}
