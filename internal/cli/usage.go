package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// details say more about a command than its usage line, in Russian and English.
var details = map[string][2]string{
	"list": {
		"Статус урока берётся из последней проверки задания: «готово» — проверка пройдена,\n" +
			"«в работе» — проверка не пройдена или файлы задания уже изменены, «не начато» — ни того, ни другого.",
		"A lesson is \"готово\" (done) when its last check passed, \"в работе\" (in progress) when it failed\n" +
			"or the exercise files were changed, \"не начато\" (not started) otherwise.",
	},
	"read": {
		"N — номер урока (3, 03) или его каталог (03-multi-stage). ФАЙЛ — путь от корня репозитория:\n" +
			"ru/dockerfile.md, docs/….md, README.md или файл задания, например lessons/02-single-stage/exercise/Dockerfile.\n" +
			"Без аргумента показывает README.md. Длинные страницы открываются в $PAGER (по умолчанию less -R).\n" +
			"  --no-pager   не открывать постраничный просмотр\n" +
			"  --width N    ширина текста (по умолчанию — ширина терминала, не больше 120, или 80)",
		"N is a lesson number (3, 03) or directory (03-multi-stage). FILE is a path from the repository root:\n" +
			"ru/dockerfile.md, docs/….md, README.md or an exercise file. Without an argument, README.md.\n" +
			"Long pages open in $PAGER (less -R by default).\n" +
			"  --no-pager   do not page\n" +
			"  --width N    wrap width (default: the terminal's, at most 120, or 80)",
	},
	"check": {
		"Запускает проверки задания (go test ./lessons/<урок>/ -exercise) и показывает, что прошло и что нет.\n" +
			"Код выхода 1, если проверка не пройдена. Результат сохраняется в .workshop/progress.json.\n" +
			"С --all проверяет задания всех уроков подряд, не останавливаясь на ошибке: строка на урок\n" +
			"(пройдено, не пройдено с первой ошибкой, не начато — файлы задания как в курсе) и итог.\n" +
			"Код выхода 0, только если пройдены все уроки.\n" +
			"  --all            все уроки (make check-all)\n" +
			"  --junit ФАЙЛ     с --all: отчёт JUnit XML для CI (тест на урок и на каждый шаг проверки)\n" +
			"  --summary ФАЙЛ   с --all: дописать таблицу Markdown, например в \"$GITHUB_STEP_SUMMARY\"\n" +
			"  --reuse          с --all: урок, в котором ничего не изменилось после его последней проверки\n" +
			"                   (check N), не проверять заново, а взять её результат",
		"Runs the exercise checks (go test ./lessons/<lesson>/ -exercise) and shows what passed and what failed.\n" +
			"Exits 1 when a check fails. The result is saved in .workshop/progress.json.\n" +
			"With --all, checks every lesson's exercise in turn, going on after a failure: a line per lesson\n" +
			"(passed, failed with its first problem, not started: the exercise files are the course's) and a total.\n" +
			"Exits 0 only when every lesson passed.\n" +
			"  --all            every lesson (make check-all)\n" +
			"  --junit FILE     with --all: a JUnit XML report for CI (a test per lesson and per check step)\n" +
			"  --summary FILE   with --all: append a Markdown table, e.g. to \"$GITHUB_STEP_SUMMARY\"\n" +
			"  --reuse          with --all: take a lesson's last check (check N) instead of checking again\n" +
			"                   when nothing in the lesson has changed since",
	},
	"watch": {
		"Запускает check N сразу и затем после каждого сохранения файлов задания. Ctrl+C — выход.",
		"Runs check N now and again after every save of the exercise files. Ctrl+C quits.",
	},
	"hint": {
		"Без K показывает следующую подсказку, которую вы ещё не видели; K — номер подсказки (1, 2, …).",
		"Without K, shows the next hint you have not seen yet; K picks a hint by number (1, 2, …).",
	},
	"reset": {
		"Восстанавливает файлы задания из git (git checkout -- <файлы>). Ваши изменения в них пропадут,\n" +
			"поэтому команда спрашивает подтверждение.\n" +
			"  -y, --yes    не спрашивать",
		"Restores the exercise files from git (git checkout -- <files>); your changes to them are lost,\n" +
			"so the command asks first.\n" +
			"  -y, --yes    do not ask",
	},
	"doctor": {
		"Проверяет версию Go (нужна 1.26 или новее), Docker, базовые образы golang:1.26-bookworm и\n" +
			"debian:bullseye-slim и свободное место. Для каждой проблемы называет команду, которая её исправит.\n" +
			"Код выхода 1, если есть проблемы.",
		"Checks the Go version (1.26 or newer), Docker, the base images golang:1.26-bookworm and\n" +
			"debian:bullseye-slim, and free disk space, naming the command that fixes each problem.\n" +
			"Exits 1 when there is a problem.",
	},
	"lesson": {
		"Показывает README урока, запускает эталонные проверки (go test ./lessons/<урок>/, без -exercise)\n" +
			"и печатает размеры образов, собранных тестами (метка workshop.lesson=<урок>).",
		"Shows the lesson's README, runs the reference checks (go test ./lessons/<lesson>/, no -exercise)\n" +
			"and prints the sizes of the images the tests built (label workshop.lesson=<lesson>).",
	},
	"grade": {
		"Оценивает группу: КАТАЛОГ — клон репозитория одного студента. Студенты проверяются по одному,\n" +
			"каждый — в копии этого курса, куда скопированы только его файлы задания: проверки — ваши,\n" +
			"клоны не меняются. Урок, который не уложился в тайм-аут (например, бесконечная сборка),\n" +
			"прерывается, и оценка идёт дальше. Печатает таблицу студент × урок и первые ошибки.\n" +
			"  --csv ФАЙЛ       записать таблицу в CSV: строка на студента и урок\n" +
			"  --timeout 10m    тайм-аут проверки одного урока (по умолчанию 10m)",
		"Grades a group: each DIR is one student's clone of the course. Students are checked one at a time,\n" +
			"each in a copy of this course with only their exercise files copied in: the checks are yours and\n" +
			"the clones are left unchanged. A lesson that runs past the time-out (an endless build) is stopped\n" +
			"and grading goes on. Prints a student × lesson table and the first problems.\n" +
			"  --csv FILE       write the table as CSV: a row per student and lesson\n" +
			"  --timeout 10m    time-out of one lesson's checks (10m by default)",
	},
	"help": {"Без аргумента — список команд; с именем команды — её описание.", "Lists the commands, or describes one."},
}

func (a *App) en() bool { return a.lang == "en" }

func (a *App) usage(w io.Writer) {
	p := a.Prog
	if a.en() {
		fmt.Fprintf(w, "%s — the terminal companion of the workshop\n\"Go + Docker: from a single-stage image to a minimal one\".\n\n", p)
		fmt.Fprintf(w, "Usage:\n  %s <command> [arguments] [flags]\n\nCommands:\n", p)
	} else {
		fmt.Fprintf(w, "%s — помощник практикума «Go + Docker: от одноэтапного образа к минимальному».\n\n", p)
		fmt.Fprintf(w, "Использование:\n  %s <команда> [аргументы] [флаги]\n\nКоманды:\n", p)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	for _, c := range commands {
		text := c.short
		args := c.args
		if a.en() {
			text = c.en
			args = strings.NewReplacer("ФАЙЛ", "FILE", "КОМАНДА", "COMMAND", "КАТАЛОГ", "DIR").Replace(args)
		}
		fmt.Fprintf(tw, "  %s\t%s\n", strings.TrimSpace(c.name+" "+args), text)
	}
	tw.Flush()
	if a.en() {
		fmt.Fprint(w, `
A lesson N is its number (3 or 03) or its directory (03-multi-stage).

Flags:
  --lang en        English help (lessons, hints and messages are in Russian)
  --no-pager       read: print without a pager
  --width N        read, lesson: wrap width
  -y, --yes        reset: do not ask for confirmation
  --all            check: every lesson; with --junit FILE, --summary FILE reports for CI,
                   --reuse: last results of unchanged lessons
  --csv FILE       grade: also write the table as CSV; --timeout 10m: one lesson's time-out
  -h, --help       help; after a command, that command's help

Exit codes: 0 success, 1 a check failed or the request cannot be done, 2 wrong command line.
Progress is kept in .workshop/progress.json at the repository root.

Start with:
`)
	} else {
		fmt.Fprint(w, `
Урок N — это номер (3 или 03) или каталог урока (03-multi-stage).

Флаги:
  --lang en        справка на английском (уроки, подсказки и сообщения — по-русски)
  --no-pager       read: печатать без постраничного просмотра
  --width N        read, lesson: ширина текста
  -y, --yes        reset: не спрашивать подтверждения
  --all            check: все уроки; с --junit ФАЙЛ, --summary ФАЙЛ — отчёты для CI,
                   --reuse — прошлые результаты уроков, где ничего не менялось
  --csv ФАЙЛ       grade: таблица ещё и в CSV; --timeout 10m — тайм-аут одного урока
  -h, --help       справка; после команды — справка по ней

Коды выхода: 0 — успех, 1 — проверка не пройдена или просьбу нельзя выполнить, 2 — неверный вызов.
Прогресс хранится в .workshop/progress.json в корне репозитория.

С чего начать:
`)
	}
	fmt.Fprintf(w, "  %s doctor\n  %s list\n  %s read 1\n  %s check 1\n", p, p, p, p)
	if strings.HasPrefix(p, "go run") {
		if a.en() {
			fmt.Fprintf(w, "\nTip: go install ./cmd/workshop puts the tool on your PATH as workshop.\n")
		} else {
			fmt.Fprintf(w, "\nСовет: после go install ./cmd/workshop команду можно вызывать просто workshop.\n")
		}
	}
}

func (a *App) commandHelp(w io.Writer, c command) error {
	d := details[c.name]
	text, more := c.short, d[0]
	if a.en() {
		text, more = c.en, d[1]
	}
	fmt.Fprintf(w, "%s %s — %s\n", a.Prog, strings.TrimSpace(c.name+" "+c.args), text)
	if more != "" {
		fmt.Fprintf(w, "\n%s\n", more)
	}
	return nil
}

func (a *App) cmdHelp(_ context.Context, _ *flags, args []string) error {
	switch len(args) {
	case 0:
		a.usage(a.Stdout)
		return nil
	case 1:
		c, ok := lookup(args[0])
		if !ok {
			return usageError("посмотрите список команд: "+a.Prog+" help.", "неизвестная команда «%s»", args[0])
		}
		return a.commandHelp(a.Stdout, c)
	}
	return usageError("вызовите "+a.Prog+" help или "+a.Prog+" help check.", "слишком много аргументов: %s", strings.Join(args, " "))
}
