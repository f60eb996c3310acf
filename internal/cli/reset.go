package cli

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/progress"
)

func (a *App) cmdReset(ctx context.Context, f *flags, args []string) error {
	l, err := a.lessonArg("reset", args, 0)
	if err != nil {
		return err
	}
	if err := a.needRoot("сброс задания"); err != nil {
		return err
	}
	files := exerciseFiles(l)
	if !f.yes {
		fmt.Fprintf(a.Stdout, "Файлы задания урока %d «%s» вернутся к исходному виду: %s.\n", l.Number, l.Title, strings.Join(files, ", "))
		if !a.confirm("Ваши изменения в них пропадут. Продолжить?") {
			// Declining is an answer, not a failure: make must not report «Error 1».
			fmt.Fprintln(a.Stdout, "Ничего не изменено.")
			return nil
		}
	}
	dir := filepath.Join(a.Root, filepath.FromSlash(l.Dir()))
	_, err = a.Exec(ctx, dir, "git", append([]string{"checkout", "--"}, l.Exercise.Files...)...)
	if err != nil {
		var notFound *exec.Error
		if errors.As(err, &notFound) {
			return failure("установите git (например, apt-get install git) или скачайте исходные файлы задания из репозитория курса.",
				fmt.Errorf("git не найден, файлы задания не восстановлены: %w", err))
		}
		return failure(
			"проверьте, что каталог курса получен через git clone (в нём есть .git) и файлы задания есть в git: "+
				"git status -- "+strings.Join(files, " ")+". Исходную версию можно взять и из репозитория курса вручную.",
			fmt.Errorf("git не смог восстановить файлы задания: %w", err))
	}
	p := a.loadProgress()
	if _, ok := p.Lessons[l.Slug]; ok {
		p.Update(l.Slug, func(s *progress.Lesson) { s.Status, s.CheckedAt = "", time.Time{} })
		a.saveProgress(p)
	}
	fmt.Fprintf(a.Stdout, "Готово: %s снова в исходном виде. Начните задание заново: %s\n", strings.Join(files, ", "), a.suggest("read", l.Number))
	return nil
}
