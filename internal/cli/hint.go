package cli

import (
	"context"
	"fmt"
	"strconv"

	"github.com/go-docker-workshop/workshop/internal/progress"
)

func (a *App) cmdHint(_ context.Context, _ *flags, args []string) error {
	l, err := a.lessonArg("hint", args, 1)
	if err != nil {
		return err
	}
	hints := l.Exercise.Hints
	if len(hints) == 0 {
		fmt.Fprintf(a.Stdout, "У задания урока %d «%s» нет подсказок. Перечитайте урок: %s\n", l.Number, l.Title, a.suggest("read", l.Number))
		return nil
	}
	p := a.loadProgress()
	seen := p.Lesson(l.Slug).HintsSeen

	k := seen + 1
	if len(args) == 2 {
		k, err = strconv.Atoi(args[1])
		if err != nil || k < 1 || k > len(hints) {
			return failure(
				fmt.Sprintf("укажите номер от 1 до %d, например: %s hint %d 1.", len(hints), a.Prog, l.Number),
				fmt.Errorf("подсказки «%s» у урока %d нет: их %d", args[1], l.Number, len(hints)))
		}
	} else if seen >= len(hints) {
		fmt.Fprintf(a.Stdout, "Вы видели все подсказки к уроку %d «%s»:\n\n", l.Number, l.Title)
		for i, h := range hints {
			fmt.Fprintf(a.Stdout, "  %d. %s\n", i+1, h)
		}
		fmt.Fprintf(a.Stdout, "\nЕсли не помогло — перечитайте урок: %s\n", a.suggest("read", l.Number))
		return nil
	}

	fmt.Fprintf(a.Stdout, "Подсказка %d из %d к уроку %d «%s»:\n\n  %s\n\n", k, len(hints), l.Number, l.Title, hints[k-1])
	if k < len(hints) {
		fmt.Fprintf(a.Stdout, "Следующая подсказка: %s\n", a.suggest("hint", l.Number))
	} else {
		fmt.Fprintf(a.Stdout, "Это последняя подсказка. Если не помогло — перечитайте урок: %s\n", a.suggest("read", l.Number))
	}
	if k > seen {
		p.Update(l.Slug, func(s *progress.Lesson) { s.HintsSeen = k })
		a.saveProgress(p)
	}
	return nil
}
