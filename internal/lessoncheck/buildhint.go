package lessoncheck

import (
	"context"
	"strings"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// The advice for a failed build lives here, with everything else a student reads:
// imagetest reports the facts of the failure (step, instruction, line, cause, output), and
// this file says what to do about them.

// MustBuild builds spec or stops the test with the build's facts and the hint for them, as a
// check's Build step shows them. Use it where a test needs an image as a given (imagetest's
// own MustBuild reports the facts only: imagetest gives no advice).
func MustBuild(tb testing.TB, spec imagetest.BuildSpec) *imagetest.Image {
	tb.Helper()
	img, err := BuildImage(context.Background(), spec)
	if err != nil {
		tb.Fatalf("%v", err)
	}
	return img
}

// BuildFailure is the student's message for a failed build: what the build reports, and a
// hint for the failures students really hit.
func BuildFailure(be *imagetest.BuildError) *Problem {
	return &Problem{What: be.Message(), Hint: BuildHint(be), Err: be}
}

// BuildHint says how to fix a failed build, from its failing instruction and the builder's
// words (its message and the end of the step's output).
func BuildHint(be *imagetest.BuildError) string {
	return hintFor(be.Instruction, be.Cause+"\n"+be.Tail)
}

// hintFor maps the errors students really hit to the fix; instruction is the failing
// step's Dockerfile instruction ("RUN go build …"), "" when unknown.
func hintFor(instruction, text string) string {
	instr, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(instruction)), " ")
	low := strings.ToLower(text)
	switch {
	case strings.Contains(low, "unknown instruction") || strings.Contains(low, "dockerfile parse error"):
		return "в Dockerfile есть строка, которая не является инструкцией: проверьте опечатки и перенос длинных строк через \\"
	case instr == "FROM" || strings.Contains(low, "pull access denied") || strings.Contains(low, "manifest unknown") ||
		strings.Contains(low, "registry-1.docker.io") || strings.Contains(low, "no such host"):
		return "базового образа нет на этой машине, а реестр недоступен: проверьте имя и тег в FROM " +
			"(например golang:1.26-bookworm) и выполните `make images`"
	case instr == "COPY" || instr == "ADD":
		if strings.Contains(low, "--from") || strings.Contains(low, "stage") || strings.Contains(low, "invalid from flag") {
			return "в COPY --from указан этап, которого нет: имя после --from должно совпадать с AS в строке FROM"
		}
		return "копируемого файла нет в контексте сборки: путь в COPY считается от каталога контекста " +
			"(последний аргумент docker build), а .dockerignore может его исключать"
	case instr == "RUN" && strings.Contains(strings.ToLower(instruction), "go build"):
		return "компиляция не удалась: прочтите ошибку Go выше (файл:строка) и проверьте, что go build собирает скопированный файл"
	case instr == "RUN":
		return "команда инструкции RUN завершилась с ошибкой: её вывод выше; запустите её в контейнере базового образа " +
			"(docker run --rm -it <образ> sh), чтобы разобраться"
	default:
		return "прочтите вывод шага выше; соберите образ сами командой `docker build --progress=plain .`, чтобы увидеть весь журнал"
	}
}
