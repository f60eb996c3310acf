// The static checks of lesson 03 and their words; lesson_test.go declares the steps.
package main

import (
	"fmt"
	"path"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

func checkStages(f *dockerfile.File) error {
	if len(f.Stages) < 2 {
		return lessoncheck.Failf("разделите Dockerfile на два этапа: первый собирает бинарник, второй начинается с "+
			"маленького базового образа и берёт из первого только бинарник через COPY --from — как, показывает README урока, "+
			"раздел «Dockerfile урока, строка за строкой»",
			"%s: в Dockerfile один этап (одна инструкция FROM), а многоэтапной сборке нужны два: "+
				"этап сборки и финальный этап", lessoncheck.Display(f.Path))
	}
	return nil
}

func checkFinalBase(f *dockerfile.File) error {
	final := f.Final()
	base := f.BaseImage(final)
	name, tag, _ := dockerfile.SplitRef(base)
	at := fmt.Sprintf("%s, FROM %s", final.Label(), final.Base)
	switch {
	case dockerfile.ShortName(name) == "golang":
		return lessoncheck.Failf("начните финальный этап с маленького образа Debian, а не с golang: инструменты Go нужны только "+
			"этапу сборки (README урока, раздел «Этап 2, prod: запустить»)",
			"%s: финальный этап всё ещё golang — в образ попадут все инструменты сборки Go: компилятор, стандартная библиотека, "+
				"кэш компилятора Go", at)
	case dockerfile.ShortName(name) != "debian" || tag != "bullseye-slim":
		return lessoncheck.Failf("в этом уроке финальный этап — на debian:bullseye-slim (почему этот образ, сказано в разделе "+
			"«Этап 2, prod: запустить»); образы ещё меньше (scratch) — тема урока 5",
			"%s: финальный этап начинается с %s, а ожидается debian:bullseye-slim", at, base)
	}
	return nil
}

// checkCopyFrom checks that the final stage takes something from an earlier stage that exists.
func checkCopyFrom(f *dockerfile.File) error {
	final := f.Final()
	var names []string
	for _, s := range f.Stages[:final.Index] {
		if s.Name != "" {
			names = append(names, s.Name)
		}
	}
	known := "у этапов сборки нет имён: имя этапу даёт слово AS в конце его строки FROM"
	if len(names) > 0 {
		known = "имена этапов сборки в вашем Dockerfile: " + strings.Join(names, ", ")
	}
	found := false
	for _, in := range final.Find("COPY") {
		if in.From == "" {
			continue
		}
		st, ok := f.Stage(in.From)
		switch {
		case !ok && !strings.ContainsAny(in.From, ":/"):
			return lessoncheck.Failf("имя после --from должно совпадать с именем после AS в строке FROM этапа сборки; "+known,
				"%s (строка %d): этапа %s в Dockerfile нет — Docker примет его за имя образа и попробует скачать",
				in.Source, in.Line, in.From)
		case ok && st.Index >= final.Index:
			return lessoncheck.Failf("в --from укажите этап сборки, который идёт раньше финального",
				"%s (строка %d): --from=%s — это не более ранний этап", in.Source, in.Line, in.From)
		case ok:
			found = true
		}
		for _, src := range in.Args[:len(in.Args)-1] {
			if path.Clean("/"+src) == "/" {
				return lessoncheck.Failf("из этапа сборки копируйте только бинарник — файл, который записал go build, а не всю "+
					"файловую систему этапа",
					"%s (строка %d) копирует всю файловую систему этапа %s: инструменты сборки Go из /usr/local/go, "+
						"исходники и весь Debian этапа сборки поверх финального образа (BuildKit остановит такую сборку "+
						"на первом же конфликте файлов, а если нет — образ станет больше одноэтапного)",
					in.Source, in.Line, in.From)
			}
		}
	}
	if !found {
		return lessoncheck.Failf("возьмите бинарник из этапа сборки флагом --from у COPY (README урока, раздел «Этап 2, prod: "+
			"запустить»): обычный COPY берёт файлы из контекста сборки, а не из другого этапа",
			"%s: финальный этап ничего не берёт из этапа сборки — в нём нет COPY --from=<этап>", final.Label())
	}
	return nil
}
