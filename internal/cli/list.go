package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/go-docker-workshop/workshop/lessons"
)

var statusMark = map[status]string{done: "✓", inProgress: "…", notStarted: "·"}

func (a *App) cmdList(ctx context.Context, _ *flags, args []string) error {
	if len(args) > 0 {
		return usageError("вызовите команду без аргументов: "+a.Prog+" list.", "лишние аргументы: %s", strings.Join(args, " "))
	}
	all, err := lessons.All()
	if err != nil {
		return err
	}
	p := a.loadProgress()
	next := -1
	statuses := make([]status, len(all))
	for i, l := range all {
		statuses[i] = a.lessonStatus(ctx, p, l)
		if next < 0 && statuses[i] != done {
			next = i
		}
	}

	fmt.Fprintln(a.Stdout, "Уроки практикума «Go + Docker: от одноэтапного образа к минимальному»")
	fmt.Fprintln(a.Stdout)
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "   №\tУрок\tСтатус")
	for i, l := range all {
		marker := " "
		if i == next {
			marker = "→"
		}
		docker := ""
		if !l.Docker {
			docker = " (без Docker)"
		}
		fmt.Fprintf(tw, " %s %d\t%s%s\t%s %s\n", marker, l.Number, l.Title, docker, statusMark[statuses[i]], statuses[i])
	}
	tw.Flush()
	fmt.Fprintln(a.Stdout)

	doneCount := 0
	for _, s := range statuses {
		if s == done {
			doneCount++
		}
	}
	if next < 0 {
		fmt.Fprintf(a.Stdout, "Готово %d из %d: все задания выполнены. Поздравляем!\n", doneCount, len(all))
		return nil
	}
	l := all[next]
	fmt.Fprintf(a.Stdout, "Готово %d из %d. Следующий — урок %d «%s»:\n", doneCount, len(all), l.Number, l.Title)
	read, check := a.suggest("read", l.Number), a.suggest("check", l.Number)
	pad := max(len(read), len(check)) + 4
	fmt.Fprintf(a.Stdout, "  %-*s прочитать урок\n", pad, read)
	fmt.Fprintf(a.Stdout, "  %-*s проверить задание (%s)\n", pad, check, strings.Join(exerciseFiles(l), ", "))
	return nil
}
