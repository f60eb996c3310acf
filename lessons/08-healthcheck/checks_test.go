// The checks of lesson 08 and their words; lesson_test.go declares the steps.
package main

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

// maxInterval is the longest HEALTHCHECK interval accepted: Docker's default.
const maxInterval = 30 * time.Second

// serverPath is the program the final image runs (the first word of its exec-form
// ENTRYPOINT, else of CMD), so that hints name the student's own path; "/server" otherwise.
func serverPath(f *dockerfile.File) string {
	for _, name := range []string{"ENTRYPOINT", "CMD"} {
		if in, ok := f.Effective(name); ok && in.ExecForm && len(in.Args) > 0 {
			return in.Args[0]
		}
	}
	return "/server"
}

// healthFix says how a health check works in scratch, with the student's own binary path,
// and where the lesson shows it; not the line itself.
func healthFix(f *dockerfile.File) string {
	return fmt.Sprintf("пусть сервер проверяет себя сам: запишите в HEALTHCHECK в exec-форме %s с флагом -healthcheck "+
		"(README урока, раздел «Сервер проверяет себя сам»)", serverPath(f))
}

// checkHealthcheck: the final image has a HEALTHCHECK that can run in scratch: not NONE, and
// in exec form, since shell form runs /bin/sh -c.
func checkHealthcheck(f *dockerfile.File) error {
	h, in, ok := f.Health()
	fix := healthFix(f)
	if !ok {
		return lessoncheck.Failf("добавьте в финальный этап HEALTHCHECK перед ENTRYPOINT: "+fix,
			"%s: в финальном образе нет HEALTHCHECK — Docker не знает, как проверить сервер: docker ps не покажет "+
				"(healthy), а compose не дождётся condition: service_healthy", lessoncheck.Display(f.Path))
	}
	switch h.Test[0] {
	case "NONE":
		return lessoncheck.Failf("замените строку на проверку, которая работает в scratch: "+fix,
			"%s (строка %d): HEALTHCHECK NONE отключает проверку работоспособности, в том числе унаследованную "+
				"от базового образа", in.Source, in.Line)
	case "CMD-SHELL":
		what := fmt.Sprintf("%s (строка %d) в shell-форме: Docker выполнит её как /bin/sh -c %q, а в scratch "+
			"оболочки нет — каждая проверка завершится ошибкой stat /bin/sh: no such file or directory, и контейнер "+
			"станет unhealthy, хотя сервер работает", in.Source, in.Line, h.Test[1])
		for _, tool := range []string{"curl", "wget", "nc"} {
			if containsWord(h.Test[1], tool) {
				what += fmt.Sprintf(". К тому же %s в образе тоже нет: в scratch только то, что вы скопировали", tool)
				break
			}
		}
		return lessoncheck.Failf(fix+"; exec-форма — массив JSON, кавычки только двойные", "%s", what)
	}
	return nil
}

// containsWord reports whether the shell command mentions the program as a separate word.
func containsWord(command, word string) bool {
	for _, w := range strings.FieldsFunc(command, func(r rune) bool {
		return r == ' ' || r == '\t' || r == ';' || r == '|' || r == '&' || r == '(' || r == ')'
	}) {
		if path.Base(w) == word {
			return true
		}
	}
	return false
}

// checkInterval: the interval is at most 30 s. Without a start period (and on Docker before
// 25) the first probe runs one interval after the start, so the container is "starting" (and
// compose's dependants wait) for at least that long, and a hung server turns unhealthy only
// after retries × interval on any version.
func checkInterval(s *lessoncheck.State) error {
	f := s.Dockerfile
	h, in, _ := f.Health()
	d := h.WithDefaults()
	s.Logf("HEALTHCHECK: интервал %s, тайм-аут %s, стартовый период %s, попыток %d: %s",
		ru.Duration(d.Interval), ru.Duration(d.Timeout), ru.Duration(d.StartPeriod), d.Retries, strings.Join(h.Test, " "))
	if d.Interval > maxInterval {
		return lessoncheck.Failf("задайте --interval не больше 30 с, например 5–10 с (README урока, раздел «Что делает "+
			"HEALTHCHECK»)",
			"%s (строка %d): интервал %s. Без стартового периода (а на Docker до 25 — всегда) первую проверку Docker "+
				"выполняет только через интервал после старта — до неё контейнер в состоянии starting, и compose с "+
				"condition: service_healthy столько же не запускает зависящие сервисы; а зависший сервер станет "+
				"unhealthy только через %d × %s = %s",
			in.Source, in.Line, ru.Duration(d.Interval), d.Retries, ru.Duration(d.Interval),
			ru.Duration(time.Duration(d.Retries)*d.Interval))
	}
	return nil
}

// imageHealth is the health check of the built image, from its config.
func imageHealth(s *lessoncheck.State) ([]string, error) {
	info, err := s.Image.Inspect(s.Ctx)
	if err != nil {
		return nil, err
	}
	test := info.Config.Healthcheck
	if len(test) < 2 || test[0] != "CMD" {
		return nil, lessoncheck.Failf(healthFix(s.Dockerfile),
			"в конфигурации образа %s проверка работоспособности %q, а нужна команда в exec-форме (CMD …)",
			s.Image.Ref, test)
	}
	return test[1:], nil
}

// checkProgram: the program HEALTHCHECK runs exists in the image. Docker runs it inside the
// container, where scratch has only what was copied: no curl, no wget.
func checkProgram(s *lessoncheck.State) error {
	argv, err := imageHealth(s)
	if err != nil {
		return err
	}
	info, err := s.Image.Inspect(s.Ctx)
	if err != nil {
		return err
	}
	name := argv[0]
	prog, err := lessoncheck.FindProgram(s.Ctx, s.Image, info.Config, name)
	if err != nil {
		return err
	}
	for _, f := range prog.Found {
		if f.Executable() {
			return nil
		}
	}
	candidates := prog.Candidates
	where := "файла " + candidates[0]
	if len(candidates) > 1 {
		where = "ни в одном каталоге PATH (" + strings.Join(candidates, ", ") + ")"
	}
	return lessoncheck.Failf("проверяйте сервер его же бинарником — он в образе есть; "+healthFix(s.Dockerfile),
		"HEALTHCHECK запускает %s, но его в образе нет: нет %s. Docker выполняет проверку внутри контейнера, "+
			"а в scratch только то, что вы скопировали", name, where)
}

// checkExec runs the image's health check command by hand, as Docker would, and wants exit 0.
func checkExec(s *lessoncheck.State) error {
	argv, err := imageHealth(s)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(s.Ctx, 30*time.Second)
	defer cancel()
	code, out, err := s.Container.Exec(ctx, argv...)
	out = strings.TrimSpace(out)
	cmd := strings.Join(argv, " ")
	if err != nil {
		return lessoncheck.Failf("запустите проверку сами: docker exec <контейнер> "+cmd,
			"docker exec %s не удался: %v", cmd, err)
	}
	s.Logf("docker exec %s: код выхода %d, вывод %q", cmd, code, out)
	if code != 0 {
		hint := "запустите проверку сами: docker run -d --name hc " + s.Image.Ref + " и docker exec hc " + cmd +
			"; программа проверки должна завершаться с кодом 0, когда сервер отвечает"
		if strings.Contains(out, "address already in use") {
			hint = "без флага -healthcheck бинарник запускает второй сервер, а порт уже занят первым; " +
				"добавьте флаг в команду проверки: " + healthFix(s.Dockerfile)
		}
		return lessoncheck.Failf(hint, "проверка %s, запущенная в работающем контейнере, завершилась с кодом %d: %s",
			cmd, code, out)
	}
	return nil
}

// checkHealthy waits until Docker itself reports the container healthy or unhealthy, for the
// start period, a few intervals and a timeout: the probes' own rhythm.
func checkHealthy(s *lessoncheck.State) error {
	w, err := lessoncheck.WaitHealthy(s.Ctx, s.Container, healthFix(s.Dockerfile), waitLimit)
	if err != nil {
		return err
	}
	h := w.Health
	switch h.Status {
	case container.Healthy:
		s.Logf("docker ps: (healthy); проверок выполнено: %d, последняя: %s", len(h.Log), lastProbe(h))
		return nil
	case container.Unhealthy:
		return lessoncheck.Failf("посмотрите, что пишут проверки: docker inspect --format '{{json .State.Health}}' "+
			"<контейнер>; команда проверки должна завершаться с кодом 0, пока сервер отвечает",
			"контейнер стал unhealthy: %s подряд; последняя: %s",
			ru.Count(h.FailingStreak, "неудачная проверка", "неудачные проверки", "неудачных проверок"), lastProbe(h))
	}
	return lessoncheck.Failf("посмотрите, что пишут проверки: docker inspect --format '{{json .State.Health}}' <контейнер>",
		"за %s (стартовый период + %s + тайм-аут) контейнер так и не стал healthy: состояние %s, "+
			"последняя проверка: %s", ru.Duration(w.Limit.Round(time.Second)),
		ru.Count(w.Config.Retries+2, "интервал", "интервала", "интервалов"), h.Status, lastProbe(h))
}

// waitLimit is how long checkHealthy waits: the start period, then retries + 2 intervals
// (without a start period the first probe comes one interval after the start) and one
// probe's timeout.
func waitLimit(h dockerfile.Health) time.Duration {
	return h.StartPeriod + time.Duration(h.Retries+2)*h.Interval + h.Timeout
}

func lastProbe(h *container.Health) string {
	if p := lessoncheck.LastProbe(h); p != "" {
		return p
	}
	return "ещё не было"
}
