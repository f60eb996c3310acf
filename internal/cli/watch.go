package cli

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/watch"
)

// cmdWatch re-runs check after every change to the exercise, rustlings-style, until Ctrl-C.
func (a *App) cmdWatch(ctx context.Context, _ *flags, args []string) error {
	l, err := a.lessonArg("watch", args, 0)
	if err != nil {
		return err
	}
	if err := a.needRoot("наблюдение за заданием"); err != nil {
		return err
	}
	var dirs, shown []string
	for _, f := range exerciseFiles(l) {
		rel := path.Dir(f)
		dir := filepath.Join(a.Root, filepath.FromSlash(rel))
		if slices.Contains(dirs, dir) {
			continue
		}
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return failure("проверьте, что репозиторий курса полный: git status; файлы задания можно вернуть командой "+
				a.Prog+fmt.Sprintf(" reset %d.", l.Number),
				fmt.Errorf("каталога задания %s нет", rel))
		}
		dirs = append(dirs, dir)
		shown = append(shown, rel+"/")
	}

	changes, notify := watch.Watch(ctx, dirs, watch.Options{})
	round := func() {
		if a.Terminal() {
			fmt.Fprint(a.Stdout, "\x1b[H\x1b[2J") // a fresh screen for each round, as rustlings does
		}
		if _, err := a.check(ctx, l); err != nil && ctx.Err() == nil {
			a.printError(err)
		}
		if ctx.Err() != nil {
			return
		}
		how := ""
		if !notify {
			how = " (проверяю раз в секунду)"
		}
		fmt.Fprintf(a.Stdout, "\nЖду изменений в %s%s. Ctrl+C — выход.\n", strings.Join(shown, ", "), how)
	}
	round()
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(a.Stdout, "\nНаблюдение остановлено.")
			return nil
		case _, ok := <-changes:
			if !ok {
				fmt.Fprintln(a.Stdout, "\nНаблюдение остановлено.")
				return nil
			}
			round()
		}
	}
}
