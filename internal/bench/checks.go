package bench

import (
	"fmt"
	"slices"
	"strings"
)

// The targets the workshop sets itself.
const (
	LimitRatio        = 1.1  // final image size / stripped static binary
	LimitWarmMS       = 5000 // rebuild after a one-line change of the source
	LimitReadyMS      = 300  // container start request → first 200 on /healthz
	LimitStopMS       = 1000 // docker stop of the image whose server shuts down gracefully
	LimitMakeTestWarm = 60   // seconds
	LimitMakeTestCold = 15 * 60
)

// TargetCheck says whether one target is met and by how much.
type TargetCheck struct {
	ID       string       `json:"id"`
	Title    string       `json:"title"` // Russian
	Limit    string       `json:"limit"` // Russian, e.g. "≤ 5 с"
	Applies  string       `json:"applies"`
	Met      *bool        `json:"met"` // nil: not measured
	Measured string       `json:"measured"`
	Images   []ImageCheck `json:"images,omitempty"`
	Holdback string       `json:"holdback,omitempty"` // what keeps it from being met
}

// ImageCheck is one image's number for a target.
type ImageCheck struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Met   bool    `json:"met"`
}

// Evaluate checks the results against the targets.
func Evaluate(r *Results) []TargetCheck {
	ok := measured(r.Images)
	return []TargetCheck{
		checkRatio(ok),
		checkWarm(ok, r.Environment.Builder),
		checkReady(ok),
		checkStop(ok),
		checkMakeTest("make-test-warm", "`make test` повторно (кэш сборки есть)", LimitMakeTestWarm, r.MakeTest.WarmSeconds, r.MakeTest.Source),
		checkMakeTest("make-test-cold", "`make test` на новой машине", LimitMakeTestCold, r.MakeTest.ColdSeconds, r.MakeTest.Source),
	}
}

func measured(imgs []ImageResult) []ImageResult {
	var out []ImageResult
	for _, img := range imgs {
		if img.Error == "" && !img.SizeBytes.Empty() {
			out = append(out, img)
		}
	}
	return out
}

func boolPtr(b bool) *bool { return &b }

// finalImage is the image of the course's last lesson measured, else the smallest.
func finalImage(imgs []ImageResult) (ImageResult, bool) {
	var best ImageResult
	found := false
	for _, img := range imgs {
		if img.Lesson > 0 && (!found || img.Lesson > best.Lesson) {
			best, found = img, true
		}
	}
	if found {
		return best, true
	}
	for _, img := range imgs {
		if !found || img.SizeBytes.Median < best.SizeBytes.Median {
			best, found = img, true
		}
	}
	return best, found
}

func checkRatio(imgs []ImageResult) TargetCheck {
	c := TargetCheck{ID: "final-image-ratio", Title: "Итоговый образ не больше 1,1 размера статического бинарника",
		Limit: "≤ " + trimZero(fmtRatio(LimitRatio)), Applies: "образ последнего урока"}
	img, ok := finalImage(imgs)
	if !ok || img.Binary.StrippedBytes == 0 {
		c.Measured = "не измерено"
		return c
	}
	met := img.Ratio <= LimitRatio
	c.Met, c.Applies = boolPtr(met), "образ последнего урока ("+img.Name+")"
	c.Images = []ImageCheck{{Name: img.Name, Value: img.Ratio, Met: met}}
	c.Measured = fmt.Sprintf("%s: %s при бинарнике %s — %s", img.Name, fmtBytes(img.SizeBytes.Median),
		fmtBytes(float64(img.Binary.StrippedBytes)), fmtRatio(img.Ratio))
	if !met {
		extra := img.SizeBytes.Median - float64(img.Binary.StrippedBytes)
		c.Holdback = fmt.Sprintf("В образе %s кроме бинарника ещё %s: всё, что приносит базовый образ финального этапа, "+
			"и бинарник с таблицей символов, если он собран без -ldflags=\"-s -w\".", img.Name, fmtBytes(extra))
		if img.Binary.ImageBytes > 0 && !img.Binary.ImageStripped {
			c.Holdback += fmt.Sprintf(" Бинарник в образе не очищен от символов: %s против %s.",
				fmtBytes(float64(img.Binary.ImageBytes)), fmtBytes(float64(img.Binary.StrippedBytes)))
		}
	}
	return c
}

// perImage checks value(img) <= limit for every image.
func perImage(imgs []ImageResult, limit float64, value func(ImageResult) Summary) (checks []ImageCheck, met int) {
	for _, img := range imgs {
		v := value(img).Median
		checks = append(checks, ImageCheck{Name: img.Name, Value: v, Met: v <= limit})
		if v <= limit {
			met++
		}
	}
	return checks, met
}

func rangeText(checks []ImageCheck, f func(float64) string) string {
	if len(checks) == 0 {
		return ""
	}
	lo, hi := checks[0], checks[0]
	for _, c := range checks {
		if c.Value < lo.Value {
			lo = c
		}
		if c.Value > hi.Value {
			hi = c
		}
	}
	if lo.Name == hi.Name {
		return fmt.Sprintf("%s (%s)", f(lo.Value), lo.Name)
	}
	return fmt.Sprintf("от %s (%s) до %s (%s)", f(lo.Value), lo.Name, f(hi.Value), hi.Name)
}

func countText(met, n int) string {
	return fmt.Sprintf("выполнена для %d из %d", met, n)
}

func names(checks []ImageCheck, met bool) []string {
	var out []string
	for _, c := range checks {
		if c.Met == met {
			out = append(out, c.Name)
		}
	}
	return out
}

func checkWarm(imgs []ImageResult, builder string) TargetCheck {
	c := TargetCheck{ID: "warm-rebuild", Title: "Пересборка с кэшем после правки одной строки server.go",
		Limit: "≤ " + trimZero(fmtMS(LimitWarmMS)), Applies: "все образы"}
	if len(imgs) == 0 {
		c.Measured = "не измерено"
		return c
	}
	checks, met := perImage(imgs, LimitWarmMS, func(i ImageResult) Summary { return i.WarmRebuildMS })
	c.Images, c.Met = checks, boolPtr(met == len(imgs))
	c.Measured = countText(met, len(imgs)) + "; медианы " + rangeText(checks, fmtMS)
	if met == len(imgs) {
		return c
	}
	var warm, cold, nochange []float64
	for _, img := range imgs {
		if slices.Contains(names(checks, false), img.Name) {
			warm = append(warm, img.WarmRebuildMS.Median)
			cold = append(cold, img.ColdBuildMS.Median)
			nochange = append(nochange, img.NoChangeRebuildMS.Median)
		}
	}
	w, co, nc := Summarize(warm), Summarize(cold), Summarize(nochange)
	if met > 0 {
		c.Holdback = fmt.Sprintf("Цель выполняют %s: в их Dockerfile до `COPY server.go` стоит слой, который заранее "+
			"компилирует стандартную библиотеку с теми же флагами, что и сервер. Остальные образы повторяют "+
			"Dockerfile своих уроков, где этого слоя ещё нет (или, как корневые, — Dockerfile из исходного описания). ",
			strings.Join(names(checks, true), ", "))
	}
	c.Holdback += fmt.Sprintf("После правки server.go меняется слой `COPY`, и все инструкции после него выполняются заново: "+
		"`go build` компилирует сервер и всю стандартную библиотеку, которую он использует (`net/http` и др.), с нуля, "+
		"потому что кэш сборки Go (`/root/.cache/go-build`) не переходит из прошлой сборки в новую. "+
		"Поэтому пересборка после правки (медиана %s) почти так же долга, как холодная сборка (%s), "+
		"а пересборка без изменений, где кэш сборки Docker срабатывает на всех слоях, занимает %s.",
		fmtMS(w.Median), fmtMS(co.Median), fmtMS(nc.Median))
	c.Holdback += " Урок 6 показывает оба средства: отдельный слой до `COPY server.go`, который заранее компилирует " +
		"стандартную библиотеку (`RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath std`), " +
		"и кэш-том BuildKit `RUN --mount=type=cache,target=/root/.cache/go-build`: с любым из них после правки " +
		"компилируется только сам сервер."
	if builder == "classic" || builder == "legacy" {
		c.Holdback += " Образы этого замера собирал классический сборщик: кэш-томов он не знает."
	}
	return c
}

func checkReady(imgs []ImageResult) TargetCheck {
	c := TargetCheck{ID: "ready", Title: "От запуска контейнера до первого ответа 200 на /healthz",
		Limit: "≤ " + fmtMS(LimitReadyMS), Applies: "все образы"}
	if len(imgs) == 0 {
		c.Measured = "не измерено"
		return c
	}
	checks, met := perImage(imgs, LimitReadyMS, func(i ImageResult) Summary { return i.ReadyMS })
	c.Images, c.Met = checks, boolPtr(met == len(imgs))
	c.Measured = countText(met, len(imgs)) + "; медианы " + rangeText(checks, fmtMS)
	if met == len(imgs) {
		return c
	}
	small, large := imgs[0], imgs[0]
	for _, img := range imgs {
		if img.SizeBytes.Median < small.SizeBytes.Median {
			small = img
		}
		if img.SizeBytes.Median > large.SizeBytes.Median {
			large = img
		}
	}
	c.Holdback = fmt.Sprintf("Не уложились: %s. Время считается от запроса на запуск контейнера: Docker создаёт и запускает контейнер, "+
		"публикует порт, обвязка узнаёт его и опрашивает /healthz каждые 50 мс. "+
		"У самого маленького образа (%s, %s) медиана %s, у самого большого (%s, %s) — %s",
		strings.Join(names(checks, false), ", "), small.Name, fmtBytes(small.SizeBytes.Median), fmtMS(small.ReadyMS.Median),
		large.Name, fmtBytes(large.SizeBytes.Median), fmtMS(large.ReadyMS.Median))
	a, b := small.ReadyMS.Median, large.ReadyMS.Median
	if d := a - b; d < 0.25*(a+b)/2 && -d < 0.25*(a+b)/2 {
		c.Holdback += ": размер образа на запуск почти не влияет, время уходит на создание и запуск контейнера и опрос, а не на старт сервера."
	} else {
		c.Holdback += "."
	}
	return c
}

func checkStop(imgs []ImageResult) TargetCheck {
	c := TargetCheck{ID: "graceful-stop", Title: "`docker stop` образа с корректным завершением (SIGTERM → выход с кодом 0)",
		Limit: "≤ " + trimZero(fmtMS(LimitStopMS)) + ", код 0", Applies: "образы, чей сервер обрабатывает SIGTERM"}
	var graceful []ImageResult
	for _, img := range imgs {
		if img.Graceful {
			graceful = append(graceful, img)
		}
	}
	if len(graceful) == 0 {
		c.Measured = "не измерено: нет образа с корректным завершением"
		return c
	}
	met := 0
	var bad []string
	for _, img := range graceful {
		ok := img.StopMS.Median <= LimitStopMS && allZero(img.StopExitCodes)
		c.Images = append(c.Images, ImageCheck{Name: img.Name, Value: img.StopMS.Median, Met: ok})
		if ok {
			met++
		} else {
			bad = append(bad, fmt.Sprintf("%s: %s, коды %v", img.Name, fmtSummary(img.StopMS, fmtMS), img.StopExitCodes))
		}
	}
	c.Met = boolPtr(met == len(graceful))
	var parts []string
	for _, img := range graceful {
		parts = append(parts, fmt.Sprintf("%s: %s, код %s", img.Name, fmtMS(img.StopMS.Median), codes(img.StopExitCodes)))
	}
	c.Measured = strings.Join(parts, "; ")
	c.Applies = "образы, чей сервер обрабатывает SIGTERM (" + strings.Join(imageNames(graceful), ", ") + ")"
	if len(bad) > 0 {
		c.Holdback = "Сервер не завершился сам за 1 с или завершился с ошибкой (" + strings.Join(bad, "; ") + "). " +
			"Код 137 значит, что Docker через 10 с убил процесс сигналом SIGKILL: сервер не получил SIGTERM " +
			"(shell-форма CMD) или не остановился по нему."
	}
	return c
}

func imageNames(imgs []ImageResult) []string {
	var out []string
	for _, img := range imgs {
		out = append(out, img.Name)
	}
	return out
}

func allZero(codes []int) bool {
	for _, c := range codes {
		if c != 0 {
			return false
		}
	}
	return len(codes) > 0
}

// codes formats exit codes: "0" when all runs agree, "0/2/0" otherwise.
func codes(cs []int) string {
	if len(cs) == 0 {
		return "—"
	}
	var parts []string
	same := true
	for _, c := range cs {
		parts = append(parts, fmt.Sprint(c))
		same = same && c == cs[0]
	}
	if same {
		return parts[0]
	}
	return strings.Join(parts, "/")
}

func checkMakeTest(id, title string, limit float64, seconds *float64, source string) TargetCheck {
	c := TargetCheck{ID: id, Title: title, Limit: "≤ " + fmtSeconds(limit), Applies: "весь набор проверок"}
	if seconds == nil {
		c.Measured = "не измеряется этой командой: заполните из CI (`.ci/run` печатает «ci took N s») " +
			"флагом -make-test-warm или -make-test-cold"
		return c
	}
	c.Met = boolPtr(*seconds <= limit)
	c.Measured = fmtSeconds(*seconds)
	if source != "" {
		c.Measured += " (" + source + ")"
	}
	if !*c.Met {
		c.Holdback = "Тесты уроков собирают и запускают настоящие образы. Повторный прогон берёт слои из кэша, " +
			"но часть проверок нарочно ждёт поведения Docker: тайм-аута `docker stop` у неверного варианта, " +
			"состояния healthy (первая проверка работоспособности идёт через интервал после старта), " +
			"медленной пересборки неверного варианта, которая и доказывает ошибку. Какие пакеты идут дольше всего, " +
			"покажет `go test -json ./...` (поле Elapsed)."
	}
	return c
}
