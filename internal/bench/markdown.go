package bench

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/ru"
)

// MarkdownOptions say where the report's links point.
type MarkdownOptions struct {
	Chart   string // path of sizes.svg relative to the Markdown file, e.g. "bench/sizes.svg"
	Results string // path of results.json relative to the Markdown file
	Missing []string
}

// WriteMarkdown renders docs/bench.md: the chart, the table, the targets, what holds the
// unmet ones back, the environment and how to repeat the measurement.
func WriteMarkdown(w io.Writer, r *Results, opt MarkdownOptions) error {
	checks := Evaluate(r)
	env := r.Environment
	var b strings.Builder
	b.WriteString("# Замеры образов\n\n")
	b.WriteString("<!-- Файл создаёт `go run ./cmd/bench` (цель `make bench`); правки вручную пропадут при следующем запуске. -->\n\n")
	fmt.Fprintf(&b, "%s\n\n", MachineLine(r))
	if opt.Chart != "" {
		fmt.Fprintf(&b, "![Размер образа по урокам, логарифмическая шкала](%s)\n\n", opt.Chart)
	}

	b.WriteString("## Результаты\n\n")
	fmt.Fprintf(&b, "Медиана %s, в скобках — разброс (минимум–максимум). Размеры десятичные, как в `docker images`: "+
		"1 МБ = 1 000 000 байт. Предел — тот же сервер (`server.go` урока, для корневых Dockerfile — `server/server.go`), "+
		"собранный на этой машине как статический бинарник без символов: `CGO_ENABLED=0 go build -trimpath -ldflags=\"-s -w\"`. "+
		"«Бинарник в образе» — файл, который запускают ENTRYPOINT или CMD.\n\n", runsText(r))
	b.WriteString("| Образ | Размер | Слоёв | Бинарник в образе | Предел | Образ / предел | Холодная сборка | Пересборка после правки | Пересборка без изменений | До первого 200 | `docker stop`, код | Память |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, img := range r.Images {
		name := fmt.Sprintf("`%s`<br>%s", img.Name, img.Title)
		if img.Error != "" {
			fmt.Fprintf(&b, "| %s | не измерен: %s |||||||||||\n", name, oneLine(img.Error))
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s, код %s | %s |\n",
			name, fmtSummary(img.SizeBytes, fmtBytes), fmtSummary(img.Layers, func(v float64) string { return decimal(v, 0) }),
			imageBinaryText(img.Binary), fmtBytesInt(img.Binary.StrippedBytes), ratioText(img.Ratio),
			fmtSummary(img.ColdBuildMS, fmtMS), mark(fmtSummary(img.WarmRebuildMS, fmtMS), img.WarmRebuildMS.Median <= LimitWarmMS),
			fmtSummary(img.NoChangeRebuildMS, fmtMS), mark(fmtSummary(img.ReadyMS, fmtMS), img.ReadyMS.Median <= LimitReadyMS),
			fmtSummary(img.StopMS, fmtMS), codes(img.StopExitCodes), fmtSummary(img.MemoryBytes, fmtBytes))
	}
	b.WriteString("\n✓/✗ — выполнена ли цель для образа (см. ниже).")
	b.WriteString(stopNote(r.Images))
	b.WriteString(unstrippedNote(r.Images))
	b.WriteString("\n\n")
	if note := loadNote(env); note != "" {
		b.WriteString(note + "\n\n")
	}
	if len(opt.Missing) > 0 {
		fmt.Fprintf(&b, "Не измерены (нет эталонного Dockerfile): %s.\n\n", strings.Join(opt.Missing, ", "))
	}

	b.WriteString("## Цели\n\n")
	b.WriteString("| Цель | Порог | К чему относится | Измерено | Выполнена |\n|---|---|---|---|---|\n")
	for _, c := range checks {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", c.Title, c.Limit, c.Applies, c.Measured, metText(c.Met))
	}
	b.WriteString("\n")
	var held []TargetCheck
	for _, c := range checks {
		if c.Holdback != "" {
			held = append(held, c)
		}
	}
	if len(held) > 0 {
		b.WriteString("### Что мешает\n\n")
		for _, c := range held {
			fmt.Fprintf(&b, "- **%s (%s).** %s\n", c.Title, c.Limit, c.Holdback)
		}
		b.WriteString("\n")
	}

	b.WriteString("## Окружение\n\n")
	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Дата замеров | %s |\n", dateText(r))
	fmt.Fprintf(&b, "| Go на машине (предел, бинарник) | %s |\n", orDash(env.GoVersion))
	fmt.Fprintf(&b, "| Go в образе golang | %s |\n", orDash(env.GoImageVersion))
	fmt.Fprintf(&b, "| Docker | сервер %s, API %s (клиент замеров — API %s) |\n", orDash(env.DockerServerVersion), orDash(env.DockerAPIVersion), orDash(env.DockerClientAPI))
	fmt.Fprintf(&b, "| Сборщик | %s |\n", builderText(env.Builder))
	fmt.Fprintf(&b, "| ОС, ядро, архитектура | %s, %s, %s |\n", orDash(env.OS), orDash(env.Kernel), orDash(env.Arch))
	fmt.Fprintf(&b, "| Процессоры, память | %d, %s |\n", env.CPUs, fmtBytes(float64(env.MemoryBytes)))
	if env.LoadAvgStart != "" {
		fmt.Fprintf(&b, "| Средняя нагрузка (loadavg за 1 / 5 / 15 мин) | до замеров %s, после %s |\n", loadText(env.LoadAvgStart), loadText(env.LoadAvgEnd))
	}
	for _, bi := range env.BaseImages {
		kind := "официальный из реестра"
		if bi.StandIn {
			kind = "локальная подмена (метка `workshop.standin=true`)"
		}
		fmt.Fprintf(&b, "| Базовый образ `%s` | %s, %s |\n", bi.Ref, kind, fmtBytes(float64(bi.SizeBytes)))
	}
	b.WriteString("\n")
	if standIns(env) > 0 {
		b.WriteString("Базовые образы здесь — локальные подмены (`make images` без реестра): размеры образов на их основе " +
			"отличаются от тех, что получатся с официальными `golang` и `debian`. Образы на `scratch` от базовых образов не зависят.\n\n")
	}

	b.WriteString("## Как измерено\n\n")
	for _, line := range []string{
		"Каждый образ собирается из копии контекста сборки во временном каталоге, с тегом `workshop/bench:<имя>`; в конце замеров образы удаляются.",
		"**Холодная сборка** — без кэша сборки (`NoCache`); базовые образы уже на машине. " +
			"**Пересборка без изменений** — сразу после неё, с кэшем. **Пересборка после правки** — с кэшем, " +
			"после того как в конец `server.go` дописана строка-комментарий `// bench: <n>`.",
		"**До первого 200** — от запроса на запуск контейнера до первого ответа 200 на `GET /healthz` (обвязка `internal/imagetest`, опрос каждые 50 мс).",
		"**Память** — после 50 пар запросов `GET /` и `GET /healthz`, как её показывает `docker stats` (без страничного кэша).",
		"**`docker stop`** — с тайм-аутом 10 с; в скобках — код завершения контейнера.",
		"Прогоны идут по кругу (прогон 1 всех образов, затем прогон 2…), чтобы фоновая нагрузка машины распределялась между образами.",
	} {
		fmt.Fprintf(&b, "- %s\n", line)
	}
	b.WriteString("\n## Как повторить\n\n```sh\n")
	b.WriteString("make bench                               # все образы, 3 прогона: go run ./cmd/bench -runs 3\n")
	b.WriteString("go run ./cmd/bench -only 05-scratch -runs 1   # один образ; остальные строки results.json сохраняются\n")
	b.WriteString("go run ./cmd/bench -bars                 # размеры столбиками в терминале\n")
	b.WriteString("go run ./cmd/bench -render -make-test-warm 52s -make-test-cold 11m   # вписать время make test из CI\n")
	b.WriteString("```\n\n")
	if opt.Results != "" {
		fmt.Fprintf(&b, "Все числа, включая значения каждого прогона, — в [%s](%s).\n", opt.Results, opt.Results)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// MachineLine is the one-line summary of when and where the numbers were taken, for the
// report and the README.
func MachineLine(r *Results) string {
	env := r.Environment
	bases := "официальные базовые образы"
	switch n := standIns(env); {
	case len(env.BaseImages) == 0:
		bases = "базовые образы не записаны"
	case n == len(env.BaseImages):
		bases = "базовые образы — локальные подмены"
	case n > 0:
		bases = "часть базовых образов — локальные подмены"
	}
	return fmt.Sprintf("Замерено %s на машине с %d CPU и %s памяти: Docker %s (API %s), %s, %s; медиана %s.",
		dateText(r), env.CPUs, fmtBytes(float64(env.MemoryBytes)), orDash(env.DockerServerVersion),
		orDash(env.DockerAPIVersion), orDash(env.GoVersion), bases, runsText(r))
}

func standIns(env Environment) int {
	n := 0
	for _, b := range env.BaseImages {
		if b.StandIn {
			n++
		}
	}
	return n
}

func runsText(r *Results) string {
	n := r.Environment.Runs
	for _, img := range r.Images {
		if img.Runs > 0 && img.Runs != n {
			return "прогонов (их число — в results.json)"
		}
	}
	// «по результатам 1 прогона / 3 прогонов»: the genitive has two forms.
	return ru.Count(n, "прогона", "прогонов", "прогонов")
}

// dateText is the date of the environment, or a range when images were measured on
// different days (-only merges a new image into older results).
func dateText(r *Results) string {
	first, last := r.Environment.Date, r.Environment.Date
	for _, img := range r.Images {
		if img.MeasuredAt.IsZero() {
			continue
		}
		if first.IsZero() || img.MeasuredAt.Before(first) {
			first = img.MeasuredAt
		}
		if img.MeasuredAt.After(last) {
			last = img.MeasuredAt
		}
	}
	if first.IsZero() {
		return "—"
	}
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02") }
	if day(first) == day(last) {
		return day(first)
	}
	return day(first) + " … " + day(last)
}

func builderText(b string) string {
	switch b {
	case "classic", "legacy":
		return "классический (legacy builder, устарел): WORKSHOP_BUILDER=legacy или движок без BuildKit"
	case "buildkit":
		return "BuildKit движка, как у `docker build` и проверок уроков"
	default:
		return "—"
	}
}

func imageBinaryText(b Binary) string {
	if b.ImageBytes == 0 {
		return "—"
	}
	s := fmt.Sprintf("`%s` %s", b.ImagePath, fmtBytes(float64(b.ImageBytes)))
	if !b.ImageStripped {
		s += ", с символами"
	}
	return s
}

func fmtBytesInt(b int64) string {
	if b == 0 {
		return "—"
	}
	return fmtBytes(float64(b))
}

func ratioText(r float64) string {
	if r == 0 {
		return "—"
	}
	return fmtRatio(r)
}

func mark(s string, ok bool) string {
	if ok {
		return s + " ✓"
	}
	return s + " ✗"
}

func metText(met *bool) string {
	switch {
	case met == nil:
		return "не измерено"
	case *met:
		return "✓ да"
	default:
		return "✗ нет"
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.ReplaceAll(s, "|", "\\|")
}

// stopNote explains the exit codes of docker stop as measured: the lesson servers do not
// handle SIGTERM, the root server does.
func stopNote(imgs []ImageResult) string {
	var plain, graceful []int
	for _, img := range imgs {
		if img.Graceful {
			graceful = append(graceful, img.StopExitCodes...)
		} else {
			plain = append(plain, img.StopExitCodes...)
		}
	}
	var b strings.Builder
	if len(plain) > 0 && allEqual(plain, 2) {
		b.WriteString(" Серверы без обработки SIGTERM (`log.Fatal(http.ListenAndServe(…))`) по `docker stop` " +
			"завершает сама среда выполнения Go: сигнал не перехвачен, процесс выходит с кодом 2, текущие запросы обрываются.")
	}
	if len(graceful) > 0 && allEqual(graceful, 0) {
		b.WriteString(" Серверы с корректным завершением (`os/signal`, `http.Server.Shutdown`) дожидаются текущих запросов и выходят с кодом 0.")
	}
	return b.String()
}

func allEqual(xs []int, v int) bool {
	for _, x := range xs {
		if x != v {
			return false
		}
	}
	return len(xs) > 0
}

// loadText turns "1.20 1.05 0.90" into "1,20 / 1,05 / 0,90".
func loadText(s string) string {
	if s == "" {
		return "—"
	}
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " / "), ".", ",")
}

// unstrippedNote names the images whose binary keeps its symbol table: the difference to
// the limit is the -s -w the Dockerfile does not pass.
func unstrippedNote(imgs []ImageResult) string {
	var parts []string
	for _, img := range imgs {
		b := img.Binary
		if img.Error == "" && b.ImageBytes > 0 && !b.ImageStripped && b.StrippedBytes > 0 {
			parts = append(parts, fmt.Sprintf("`%s` (%s вместо %s)", img.Name, fmtBytes(float64(b.ImageBytes)), fmtBytes(float64(b.StrippedBytes))))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " Бинарник собран без `-ldflags=\"-s -w\"` и сохранил таблицу символов и отладочную информацию DWARF в образах " +
		strings.Join(parts, ", ") + "."
}

// loadNote warns when the machine was busy: a load average above the CPU count means other
// processes competed with the builds and the containers, so times are higher and wider.
func loadNote(env Environment) string {
	peak := 0.0
	for _, s := range []string{env.LoadAvgStart, env.LoadAvgEnd} {
		if f := strings.Fields(s); len(f) > 0 {
			var v float64
			if _, err := fmt.Sscan(f[0], &v); err == nil && v > peak {
				peak = v
			}
		}
	}
	if env.CPUs == 0 || peak <= float64(env.CPUs) {
		return ""
	}
	return fmt.Sprintf("Во время замеров машина была занята и другими процессами: средняя нагрузка за минуту доходила до %s при %d CPU. "+
		"Времена сборки и запуска поэтому выше и разбросаны шире, чем на свободной машине; размеры и слои от нагрузки не зависят.",
		decimal(peak, 2), env.CPUs)
}
