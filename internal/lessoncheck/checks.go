package lessoncheck

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

// CommandText is what the exec-form check says in one lesson: what goes wrong without the
// final image's command, or with it in shell form, for that lesson's base image. The hints
// say what to write and where to read about it, not the line itself.
type CommandText struct {
	// NoCommand says what happens when neither CMD nor ENTRYPOINT is set, e.g. that the
	// container runs the base image's bash and exits at once.
	NoCommand string
	// ShellForm says what shell form does in this image, e.g. that the shell, not the
	// server, becomes PID 1 and swallows SIGTERM.
	ShellForm string
	// MissingHint replaces the default hint for a missing command («добавьте в конец …»).
	MissingHint string
}

// execFormHelp is where a lesson explains exec form and why it matters.
const execFormHelp = "урок 2, раздел «exec-форма, PID 1 и docker stop»"

// ScratchCommand is the exec-form text of a lesson whose final stage is scratch and runs
// /server. why adds what shell form would also break there ("" for nothing more).
func ScratchCommand(why string) CommandText {
	shell := "Docker запустит /bin/sh -c, а в scratch оболочки нет — контейнер не стартует с ошибкой " +
		"exec: \"/bin/sh\": stat /bin/sh: no such file or directory"
	if why != "" {
		shell += "; " + why
	}
	return CommandText{
		NoCommand: "у scratch нет своей команды, и docker run ответит «No command specified»",
		ShellForm: shell,
		MissingHint: "добавьте в конец Dockerfile ENTRYPOINT в exec-форме — массив JSON с путём, куда COPY положил " +
			"бинарник (урок 5, раздел «Exec-форма обязательна»)",
	}
}

// ShellImageCommand is the exec-form text of a lesson whose final image is a Debian system
// (golang, debian): its own command is bash, and a shell-form command makes the shell PID 1.
func ShellImageCommand(base string) CommandText {
	return CommandText{
		NoCommand: "контейнер запустит команду базового образа (у " + base + " это bash) и сразу завершится",
		ShellForm: "Docker запустит /bin/sh -c, и PID 1 станет оболочка, а не сервер. Оболочка не передаёт серверу " +
			"SIGTERM, поэтому docker stop ждёт 10 с и убивает контейнер (код 137)",
	}
}

// StepExecForm is the name of the ExecFormStep step.
const StepExecForm = "CMD или ENTRYPOINT в exec-форме"

// ExecFormStep is the static step of ExecForm, with the lesson's text.
func ExecFormStep(text CommandText) Step { return Static(StepExecForm, ExecForm(text)) }

// ExecForm returns a static check of the command the final image runs: CMD or ENTRYPOINT,
// wherever in the chain of stages it is set, must exist and be a JSON array.
func ExecForm(text CommandText) func(f *dockerfile.File) error {
	return func(f *dockerfile.File) error {
		entry, hasEntry := f.Effective("ENTRYPOINT")
		cmd, hasCmd := f.Effective("CMD")
		if !hasEntry && !hasCmd {
			hint := text.MissingHint
			if hint == "" {
				hint = "добавьте в конец Dockerfile CMD в exec-форме — массив JSON, первый элемент — путь к бинарнику " +
					"сервера (" + execFormHelp + ")"
			}
			return Failf(hint, "%s: нет ни CMD, ни ENTRYPOINT — %s", Display(f.Path), text.NoCommand)
		}
		for _, in := range []struct {
			dockerfile.Instruction
			ok bool
		}{{entry, hasEntry}, {cmd, hasCmd}} {
			if in.ok && !in.ExecForm {
				return Failf(fmt.Sprintf("перепишите %s в exec-форме — массивом JSON, кавычки только двойные "+
					"(с одинарными Docker считает строку shell-формой); см. %s", in.Name, execFormHelp),
					"%s (строка %d) в shell-форме: %s", in.Source, in.Line, text.ShellForm)
			}
		}
		return nil
	}
}

// StopTimeout is how long the stop check lets docker stop wait before SIGKILL (Docker's
// default is 10 s; a server that handles SIGTERM needs far less).
const StopTimeout = 5 * time.Second

// StopsOnSIGTERM is a step that stops the container as docker stop does and checks that the
// server ended on SIGTERM instead of being killed after the timeout. A server without a
// handler still passes: Go's runtime exits with code 2 on SIGTERM. A shell as PID 1 ignores
// SIGTERM and is killed: code 137 after the whole timeout.
func StopsOnSIGTERM() Step {
	return Step{Name: "docker stop завершает сервер сигналом SIGTERM", Check: func(s *State) error {
		ctx, cancel := context.WithTimeout(s.Ctx, StopTimeout+30*time.Second)
		defer cancel()
		res, err := s.Container.Stop(ctx, StopTimeout)
		if err != nil {
			return err
		}
		s.Logf("docker stop: %s, код выхода %d", Seconds(res.Took), res.ExitCode)
		if res.ExitCode == 137 || res.Took >= StopTimeout {
			return Failf("пусть PID 1 будет сам сервер: CMD или ENTRYPOINT в exec-форме, первым элементом — бинарник, "+
				"без обёртки sh -c ("+execFormHelp+")",
				"docker stop ждал %s и убил контейнер (код выхода %d): процесс с PID 1 не завершился по SIGTERM",
				Seconds(res.Took), res.ExitCode)
		}
		return nil
	}}
}

// Display shows a path relative to the directory go test runs in (the lesson's), as the
// student sees it; outside it, as <dir>/<file>.
func Display(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return filepath.Base(filepath.Dir(p)) + "/" + filepath.Base(p)
}

// Seconds formats a duration the Russian way: «0,13 с».
func Seconds(d time.Duration) string { return ru.Seconds(d, 2) }

// notRun agrees «N проверок не запускались» with n: «1 проверка не запускалась».
func notRun(n int) string {
	return ru.Plural(n, "проверка не запускалась", "проверки не запускались", "проверок не запускались")
}
