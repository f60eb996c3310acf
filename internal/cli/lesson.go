package cli

import (
	"context"
	"fmt"
	"path"
	"strings"
	"text/tabwriter"
	"time"
)

// cmdLesson is the instructor's run-through of a lesson: the README, the reference checks
// and the sizes of the images those checks built.
func (a *App) cmdLesson(ctx context.Context, f *flags, args []string) error {
	l, err := a.lessonArg("lesson", args, 0)
	if err != nil {
		return err
	}
	if err := a.needRoot("прогон урока"); err != nil {
		return err
	}
	src, err := a.readLessonREADME(l)
	if err != nil {
		return err
	}
	if err := a.show(src, path.Join(l.Dir(), "README.md"), f, false); err != nil {
		return err
	}
	if err := a.dockerAnswers(ctx, l); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "Эталонные проверки урока %d «%s»: go test %s -count=1\n", l.Number, l.Title, l.Package())
	rep, elapsed, err := a.runChecks(ctx, l, false)
	if err != nil {
		return err
	}
	result := a.summary(a.Stdout, l, rep, elapsed, false)
	if l.Docker {
		a.printImages(ctx, l.Slug)
	}
	if result != outcomePassed {
		return errSilent
	}
	return nil
}

// printImages lists the images labelled workshop.lesson=<slug> with their sizes.
func (a *App) printImages(ctx context.Context, slug string) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := a.Exec(ctx, a.Root, "docker", "images",
		"--filter", "label=workshop.lesson="+slug,
		"--format", "{{.Repository}}:{{.Tag}}\t{{.Size}}")
	fmt.Fprintln(a.Stdout)
	if err != nil {
		fmt.Fprintf(a.Stdout, "Размеры образов не получены: %s\n", firstLine(err.Error()))
		return
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) == 0 || lines[0] == "" {
		fmt.Fprintf(a.Stdout, "Образов с меткой workshop.lesson=%s нет: тесты урока их не собрали.\n", slug)
		return
	}
	fmt.Fprintf(a.Stdout, "Образы урока (метка workshop.lesson=%s):\n", slug)
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 3, ' ', 0)
	for _, line := range lines {
		ref, size, _ := strings.Cut(line, "\t")
		fmt.Fprintf(tw, "  %s\t%s\n", ref, size)
	}
	tw.Flush()
}
