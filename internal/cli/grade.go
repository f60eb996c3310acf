package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/go-docker-workshop/workshop/internal/classroom"
	"github.com/go-docker-workshop/workshop/internal/ru"
	"github.com/go-docker-workshop/workshop/lessons"
)

// defaultGradeTimeout bounds one lesson's checks in a grade: a warm check takes seconds, a
// cold one with base images at hand a few minutes; a build that never ends must not hold up
// the group.
const defaultGradeTimeout = 10 * time.Minute

// cmdGrade grades students' clones of the course (one directory each), one student at a
// time, in a copy of this course with each student's exercise files copied in: the clones
// are only read, and the checks are this course's. It prints a table and writes CSV.
func (a *App) cmdGrade(ctx context.Context, f *flags, args []string) error {
	if len(args) == 0 {
		return usageError(fmt.Sprintf("укажите каталоги клонов студентов, например: %s grade students/*.", a.Prog), "не указаны каталоги студентов")
	}
	if err := a.needRoot("оценка группы"); err != nil {
		return err
	}
	timeout := defaultGradeTimeout
	if f.timeout != "" {
		d, err := time.ParseDuration(f.timeout)
		if err != nil || d <= 0 {
			return usageError("укажите время с единицей: --timeout 10m, --timeout 90s.", "неверный тайм-аут «%s»", f.timeout)
		}
		timeout = d
	}
	for _, dir := range args {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return failure("укажите каталоги, в которые склонированы репозитории студентов.", fmt.Errorf("каталога %s нет", dir))
		}
	}
	all, err := lessons.All()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "Оцениваю %d %s по %d урокам: проверки этого курса (%s), тайм-аут урока %s.\n\n",
		len(args), ru.Plural(len(args), "клон", "клона", "клонов"), len(all), a.Root, ru.Duration(timeout))
	g := &classroom.Grader{
		Course:   a.Root,
		Lessons:  all,
		Starters: classroom.CourseStarters(),
		Timeout:  timeout,
		Log:      a.Stdout,
		Prepare: func(ctx context.Context, root string, l lessons.Lesson) error {
			if a.Compile == nil {
				return nil
			}
			return a.Compile(ctx, root, l.Package())
		},
		Check: func(ctx context.Context, root string, l lessons.Lesson) (classroom.Result, error) {
			runner := *a
			runner.Root, runner.ProgressPath = root, ""
			return a.lessonResult(ctx, &runner, l)
		},
	}
	students, err := g.Grade(ctx, args)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.Stdout)
	if err := classroom.WriteTable(a.Stdout, all, students); err != nil {
		return err
	}
	if f.csv != "" {
		file, err := os.Create(f.csv)
		if err != nil {
			return failure("укажите файл, куда можно писать, например --csv grades.csv.", fmt.Errorf("таблица CSV не записана: %w", err))
		}
		err = classroom.WriteCSV(file, all, students)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("таблица CSV не записана: %w", err)
		}
		fmt.Fprintf(a.Stdout, "\nТаблица CSV: %s\n", f.csv)
	}
	return nil
}
