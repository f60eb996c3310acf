package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/ru"
)

// Requirements that doctor checks.
var (
	minGo      = [2]int{1, 26}
	baseImages = []string{"golang:1.26-bookworm", "debian:bullseye-slim"}
	// minFree is the free space below which image builds start failing halfway.
	minFree uint64 = 5 << 30
)

// finding is one line of the doctor's report.
type finding struct {
	mark string // ✓, ✗ (a problem), ! (a warning) or – (not checked)
	text string
	fix  string // the command that fixes it
}

func (a *App) cmdDoctor(ctx context.Context, _ *flags, args []string) error {
	if len(args) > 0 {
		return usageError("вызовите команду без аргументов: "+a.Prog+" doctor.", "лишние аргументы: %s", strings.Join(args, " "))
	}
	fmt.Fprintln(a.Stdout, "Проверяю окружение практикума:")
	fmt.Fprintln(a.Stdout)
	dir := a.Root
	if dir == "" {
		dir = a.Dir
	}
	var all []finding
	report := func(fs ...finding) {
		for _, f := range fs {
			fmt.Fprintf(a.Stdout, "  %s %s\n", f.mark, f.text)
			if f.fix != "" {
				fmt.Fprintf(a.Stdout, "      Что делать: %s\n", f.fix)
			}
		}
		all = append(all, fs...)
	}
	report(a.doctorGo(ctx, dir), a.doctorGit(ctx, dir))
	buildx, buildxErr := a.dockerBuildx(ctx, dir)
	open := a.Engine
	if open == nil {
		open = openEngine
	}
	eng, err := open(ctx)
	if err == nil {
		defer eng.Close()
	}
	dockerOK, f := a.doctorDocker(ctx, eng, err, buildxErr)
	report(f)
	if dockerOK {
		report(doctorBuilder(buildx, buildxErr))
		for _, img := range baseImages {
			report(doctorImage(ctx, eng, img))
		}
	} else {
		report(finding{mark: "–", text: "базовые образы не проверены: Docker не отвечает"})
		eng = nil
	}
	report(a.doctorDisk(ctx, eng))

	problems, warnings := 0, 0
	for _, f := range all {
		switch f.mark {
		case "✗":
			problems++
		case "!":
			warnings++
		}
	}
	fmt.Fprintln(a.Stdout)
	switch {
	case problems > 0:
		fmt.Fprintf(a.Stdout, "Проблем: %d. Исправьте их и запустите снова: %s\n", problems, a.suggest("doctor", 0))
		return errSilent
	case warnings > 0:
		fmt.Fprintf(a.Stdout, "Работать можно, но обратите внимание на предупреждения (%d).\n", warnings)
	default:
		fmt.Fprintf(a.Stdout, "Всё готово к работе. Начните с %s\n", a.suggest("list", 0))
	}
	return nil
}

func (a *App) doctorGo(ctx context.Context, dir string) finding {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := a.Exec(ctx, dir, "go", "env", "GOVERSION")
	need := fmt.Sprintf("%d.%d", minGo[0], minGo[1])
	fix := "установите Go " + need + " или новее (https://go.dev/dl/) и проверьте: go version"
	if err != nil {
		var notFound *exec.Error
		if errors.As(err, &notFound) {
			return finding{mark: "✗", text: "Go не найден в PATH", fix: fix}
		}
		return finding{mark: "✗", text: "go env GOVERSION не сработал: " + firstLine(err.Error()), fix: fix}
	}
	version := strings.TrimSpace(out)
	major, minor, ok := parseGoVersion(version)
	switch {
	case !ok:
		return finding{mark: "!", text: fmt.Sprintf("версия Go «%s» не распознана; курсу нужен Go %s или новее", version, need)}
	case major < minGo[0] || (major == minGo[0] && minor < minGo[1]):
		return finding{mark: "✗", text: fmt.Sprintf("Go %s слишком старый: курсу нужен Go %s или новее",
			strings.TrimPrefix(version, "go"), need), fix: fix}
	}
	return finding{mark: "✓", text: "Go " + strings.TrimPrefix(version, "go")}
}

// parseGoVersion reads "go1.26.8" or "go1.26rc1" into 1 and 26.
func parseGoVersion(v string) (major, minor int, ok bool) {
	v, found := strings.CutPrefix(v, "go")
	if !found {
		return 0, 0, false
	}
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	digits := strings.IndexFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' })
	if digits >= 0 {
		parts[1] = parts[1][:digits]
	}
	minor, err2 := strconv.Atoi(parts[1])
	return major, minor, err1 == nil && err2 == nil
}

func (a *App) doctorGit(ctx context.Context, dir string) finding {
	out, err := a.Exec(ctx, dir, "git", "--version")
	if err != nil {
		return finding{mark: "!", text: "git не найден: без него не работает reset",
			fix: "установите git (например, apt-get install git)"}
	}
	return finding{mark: "✓", text: strings.TrimSpace(strings.Replace(out, "git version", "git", 1))}
}

// doctorDocker asks the engine through its API, as the checks do. buildxErr is the docker
// command's own answer (dockerBuildx): when the engine does not answer and there is no docker
// command either, Docker is not installed.
func (a *App) doctorDocker(ctx context.Context, eng Engine, openErr, buildxErr error) (bool, finding) {
	if h := a.Getenv("DOCKER_HOST"); strings.HasPrefix(h, "unix://") {
		if info, err := os.Stat(strings.TrimPrefix(h, "unix://")); err != nil || info.Mode()&os.ModeSocket == 0 {
			return false, finding{mark: "✗", text: "по адресу DOCKER_HOST=" + h + " никто не слушает: сокета там нет", fix: dockerHostHint(h)}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	err := openErr
	var v EngineVersion
	if err == nil {
		v, err = eng.Version(ctx)
	}
	if err != nil {
		var notFound *exec.Error
		if errors.As(buildxErr, &notFound) {
			return false, finding{mark: "✗", text: "Docker не установлен (команды docker нет в PATH, движок не отвечает)", fix: "make docker"}
		}
		if ctx.Err() != nil {
			return false, finding{mark: "✗", text: "Docker не ответил за 15 с", fix: "make docker"}
		}
		return false, finding{mark: "✗", text: "Docker-демон не отвечает: " + lastLine(err.Error()), fix: "make docker"}
	}
	return true, finding{mark: "✓", text: fmt.Sprintf("Docker отвечает: сервер %s, API %s", v.Server, v.API)}
}

// dockerBuildx asks the docker command, not the engine, for its buildx plugin: the one
// question the CLI puts to the docker command. buildx is a plugin of the client that
// the engine knows nothing about, and only the docker command knows where it finds its
// plugins (~/.docker/cli-plugins, the system directories, Docker Desktop's own). The
// checks need no plugin: they build with the engine's BuildKit through its API. The
// student's own `docker build` needs it: without buildx, Docker 23+'s `docker build` falls
// back to the classic builder, and `docker buildx` commands do not exist.
func (a *App) dockerBuildx(ctx context.Context, dir string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	out, err := a.Exec(ctx, dir, "docker", "buildx", "version")
	version, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	return version, err
}

// doctorBuilder tells which builder the student's own `docker build` uses: BuildKit through
// the buildx plugin (as on Docker Desktop and Docker Engine 23+), or the deprecated legacy
// builder. The course's checks build with the engine's BuildKit either way.
func doctorBuilder(version string, err error) finding {
	var notFound *exec.Error
	switch {
	case errors.As(err, &notFound):
		return finding{mark: "✗", text: "команды docker нет в PATH: проверки курса говорят с движком сами, " +
			"но команды уроков (docker build, docker run) набирать негде", fix: "make docker или Docker Desktop"}
	case err != nil:
		return finding{mark: "!", text: "docker build соберёт устаревшим классическим сборщиком (legacy builder): " +
			"у команды docker нет плагина buildx, и примеры уроков с RUN --mount, heredoc и --platform не сработают; " +
			"проверки курса от этого не зависят: они собирают BuildKit движка", fix: "make docker (соберёт плагин buildx) или Docker Desktop"}
	}
	return finding{mark: "✓", text: "docker build собирает BuildKit: " + version}
}

func doctorImage(ctx context.Context, eng Engine, image string) finding {
	labels, err := eng.Labels(ctx, image)
	if err != nil {
		return finding{mark: "✗", text: "базового образа " + image + " нет", fix: "make images"}
	}
	if labels["workshop.standin"] == "true" {
		return finding{mark: "✓", text: "базовый образ " + image + " есть: подмена (метка workshop.standin=true)"}
	}
	return finding{mark: "✓", text: "базовый образ " + image + " есть"}
}

// doctorDisk measures the free space where the engine keeps its data (eng nil: no engine
// answers, and / is measured).
func (a *App) doctorDisk(ctx context.Context, eng Engine) finding {
	where := "/"
	if eng != nil {
		if dir, err := eng.RootDir(ctx); err == nil && dir != "" {
			where = dir
		}
	}
	free, err := a.FreeSpace(where)
	if err != nil && where != "/" {
		// The daemon's directory may live elsewhere (a VM, a remote host): measure / instead.
		where = "/"
		free, err = a.FreeSpace(where)
	}
	if err != nil {
		return finding{mark: "–", text: "свободное место не измерено: " + err.Error()}
	}
	text := fmt.Sprintf("свободно %s в %s", gigabytes(free), where)
	if free < minFree {
		return finding{mark: "!", text: text + fmt.Sprintf(" — мало: сборкам образов нужно хотя бы %s", gigabytes(minFree)),
			fix: "docker system prune (удалит остановленные контейнеры, образы без тега и неиспользуемый кэш сборки; " +
				"с -a — ещё и все образы, которые не нужны ни одному контейнеру) или освободите место на диске"}
	}
	return finding{mark: "✓", text: text}
}

func gigabytes(n uint64) string { return ru.Decimal(float64(n)/(1<<30), 1) + " ГБ" }

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "\n"); i >= 0 {
		return s[i+1:]
	}
	return s
}
