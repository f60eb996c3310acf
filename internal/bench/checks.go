package bench

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

// The targets the workshop sets itself.
const (
	LimitRatio   = 1.1  // final image size / stripped static binary
	LimitWarmMS  = 5000 // rebuild after a one-line change of the source
	LimitReadyMS = 300  // container start request → first 200 on /healthz
	LimitStopMS  = 1000 // docker stop of an image whose server shuts down gracefully
)

// TargetCheck says whether one target is met, by what numbers, and what holds it back.
type TargetCheck struct {
	Title, Limit, Applies, Measured string // Russian
	Met                             *bool  // nil: not measured
	Holdback                        string // why it is not met; "" when it is
}

// Evaluate checks the results against the targets, in the order of the report.
func Evaluate(r *Results) []TargetCheck {
	var imgs []ImageResult
	for _, img := range r.Images {
		if img.Error == "" && !img.SizeBytes.Empty() {
			imgs = append(imgs, img)
		}
	}
	return []TargetCheck{checkRatio(imgs), checkWarm(imgs, r.Environment.Builder), checkReady(imgs), checkStop(imgs)}
}

func checkRatio(imgs []ImageResult) TargetCheck {
	c := TargetCheck{Title: "Итоговый образ не больше 1,1 размера статического бинарника",
		Limit: "≤ " + ru.Number(LimitRatio) + "×", Applies: "образ последнего урока", Measured: "не измерено"}
	if len(imgs) == 0 {
		return c
	}
	// The image of the course's last lesson measured; without lessons, the smallest.
	img := slices.MaxFunc(imgs, func(a, b ImageResult) int { return cmp.Compare(a.Lesson, b.Lesson) })
	if img.Lesson == 0 {
		img = slices.MinFunc(imgs, bySize)
	}
	bin := float64(img.Binary.StrippedBytes)
	if bin == 0 {
		return c
	}
	c.Met, c.Applies = ptr(img.Ratio <= LimitRatio), "образ последнего урока ("+img.Name+")"
	c.Measured = fmt.Sprintf("%s: %s при бинарнике %s — %s", img.Name, ru.Size(img.SizeBytes.Median), ru.Size(bin), ru.Times(img.Ratio))
	if !*c.Met {
		c.Holdback = fmt.Sprintf("В образе %s кроме бинарника ещё %s: всё, что приносит базовый образ финального этапа, "+
			"и бинарник с таблицей символов, если он собран без -ldflags=\"-s -w\".", img.Name, ru.Size(img.SizeBytes.Median-bin))
		if img.Binary.ImageBytes > 0 && !img.Binary.ImageStripped {
			c.Holdback += fmt.Sprintf(" Бинарник в образе не очищен от символов: %s против %s.", ru.Size(float64(img.Binary.ImageBytes)), ru.Size(bin))
		}
	}
	return c
}

// perImage judges every image's median against limit and records in c whether all meet
// it and the range of the medians. It returns the names of the images that do and do not;
// unmet is empty, and c left as it was, when nothing was measured.
func perImage(c *TargetCheck, imgs []ImageResult, limit float64, value func(ImageResult) Summary) (met, unmet []string) {
	if len(imgs) == 0 {
		return nil, nil
	}
	for _, img := range imgs {
		if value(img).Median <= limit {
			met = append(met, img.Name)
		} else {
			unmet = append(unmet, img.Name)
		}
	}
	byValue := func(a, b ImageResult) int { return cmp.Compare(value(a).Median, value(b).Median) }
	lo, hi := slices.MinFunc(imgs, byValue), slices.MaxFunc(imgs, byValue) // the first of equals, as listed
	c.Met, c.Measured = ptr(len(unmet) == 0), fmt.Sprintf("выполнена для %d из %d; медианы ", len(met), len(imgs))
	if lo.Name == hi.Name {
		c.Measured += fmt.Sprintf("%s (%s)", fmtMS(value(lo).Median), lo.Name)
	} else {
		c.Measured += fmt.Sprintf("от %s (%s) до %s (%s)", fmtMS(value(lo).Median), lo.Name, fmtMS(value(hi).Median), hi.Name)
	}
	return met, unmet
}

func checkWarm(imgs []ImageResult, builder string) TargetCheck {
	c := TargetCheck{Title: "Пересборка с кэшем после правки одной строки server.go",
		Limit: "≤ " + ru.Number(LimitWarmMS/1000) + " с", Applies: "все образы", Measured: "не измерено"}
	met, unmet := perImage(&c, imgs, LimitWarmMS, func(i ImageResult) Summary { return i.WarmRebuildMS })
	if len(unmet) == 0 {
		return c
	}
	var warm, cold, nochange []float64
	for _, img := range imgs {
		if slices.Contains(unmet, img.Name) {
			warm = append(warm, img.WarmRebuildMS.Median)
			cold = append(cold, img.ColdBuildMS.Median)
			nochange = append(nochange, img.NoChangeRebuildMS.Median)
		}
	}
	if len(met) > 0 {
		c.Holdback = fmt.Sprintf("Цель выполняют %s: в их Dockerfile до `COPY server.go` стоит слой, который заранее "+
			"компилирует стандартную библиотеку с теми же флагами, что и сервер. Остальные образы повторяют "+
			"Dockerfile своих уроков, где этого слоя ещё нет (или, как корневые, — Dockerfile из исходного описания). ",
			strings.Join(met, ", "))
	}
	c.Holdback += fmt.Sprintf("После правки server.go меняется слой `COPY`, и все инструкции после него выполняются заново: "+
		"`go build` компилирует сервер и всю стандартную библиотеку, которую он использует (`net/http` и др.), с нуля, "+
		"потому что кэш сборки Go (`/root/.cache/go-build`) не переходит из прошлой сборки в новую. "+
		"Поэтому пересборка после правки (медиана %s) почти так же долга, как холодная сборка (%s), "+
		"а пересборка без изменений, где кэш сборки Docker срабатывает на всех слоях, занимает %s."+
		" Урок 6 показывает оба средства: отдельный слой до `COPY server.go`, который заранее компилирует "+
		"стандартную библиотеку (`RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath std`), "+
		"и кэш-том BuildKit `RUN --mount=type=cache,target=/root/.cache/go-build`: с любым из них после правки "+
		"компилируется только сам сервер.",
		fmtMS(Summarize(warm).Median), fmtMS(Summarize(cold).Median), fmtMS(Summarize(nochange).Median))
	if builder == imagetest.BuilderLegacy {
		c.Holdback += " Образы этого замера собирал классический сборщик: кэш-томов он не знает."
	}
	return c
}

func checkReady(imgs []ImageResult) TargetCheck {
	c := TargetCheck{Title: "От запуска контейнера до первого ответа 200 на /healthz",
		Limit: "≤ " + fmtMS(LimitReadyMS), Applies: "все образы", Measured: "не измерено"}
	_, unmet := perImage(&c, imgs, LimitReadyMS, func(i ImageResult) Summary { return i.ReadyMS })
	if len(unmet) == 0 {
		return c
	}
	small, large := slices.MinFunc(imgs, bySize), slices.MaxFunc(imgs, bySize)
	c.Holdback = fmt.Sprintf("Не уложились: %s. Время считается от запроса на запуск контейнера: Docker создаёт и запускает контейнер, "+
		"публикует порт, обвязка узнаёт его и опрашивает /healthz каждые 50 мс. "+
		"У самого маленького образа (%s, %s) медиана %s, у самого большого (%s, %s) — %s",
		strings.Join(unmet, ", "), small.Name, ru.Size(small.SizeBytes.Median), fmtMS(small.ReadyMS.Median),
		large.Name, ru.Size(large.SizeBytes.Median), fmtMS(large.ReadyMS.Median))
	// Within a quarter of each other: the size of the image does not decide the time.
	if a, b := small.ReadyMS.Median, large.ReadyMS.Median; max(a-b, b-a) < 0.25*(a+b)/2 {
		c.Holdback += ": размер образа на запуск почти не влияет, время уходит на создание и запуск контейнера и опрос, а не на старт сервера."
	} else {
		c.Holdback += "."
	}
	return c
}

func checkStop(imgs []ImageResult) TargetCheck {
	c := TargetCheck{Title: "`docker stop` образа с корректным завершением (SIGTERM → выход с кодом 0)",
		Limit: "≤ " + ru.Number(LimitStopMS/1000) + " с, код 0", Applies: "образы, чей сервер обрабатывает SIGTERM",
		Measured: "не измерено: нет образа с корректным завершением"}
	var names, parts, bad []string
	for _, img := range imgs {
		if !img.Graceful {
			continue
		}
		names = append(names, img.Name)
		parts = append(parts, fmt.Sprintf("%s: %s, код %s", img.Name, fmtMS(img.StopMS.Median), codes(img.StopExitCodes)))
		if img.StopMS.Median > LimitStopMS || !all(img.StopExitCodes, 0) {
			bad = append(bad, fmt.Sprintf("%s: %s, коды %v", img.Name, spread(img.StopMS, fmtMS), img.StopExitCodes))
		}
	}
	if len(names) == 0 {
		return c
	}
	c.Met, c.Measured = ptr(len(bad) == 0), strings.Join(parts, "; ")
	c.Applies += " (" + strings.Join(names, ", ") + ")"
	if len(bad) > 0 {
		c.Holdback = "Сервер не завершился сам за 1 с или завершился с ошибкой (" + strings.Join(bad, "; ") + "). " +
			"Код 137 значит, что Docker через 10 с убил процесс сигналом SIGKILL: сервер не получил SIGTERM " +
			"(shell-форма CMD) или не остановился по нему."
	}
	return c
}

func ptr(b bool) *bool { return &b }

func bySize(a, b ImageResult) int { return cmp.Compare(a.SizeBytes.Median, b.SizeBytes.Median) }
