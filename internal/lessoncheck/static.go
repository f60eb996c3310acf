package lessoncheck

import (
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

// StaticBinary is the step that wants the binary the image runs linked statically; hint says
// how to build it so and where the lesson explains it.
func StaticBinary(name, hint string) Step {
	return Step{Name: name, Check: func(s *State) error {
		_, err := CheckStatic(s, hint)
		return err
	}}
}

// CheckStatic finds the binary the image runs, logs it and wants it linked statically: a
// dynamically linked one can't start where its loader and libraries are missing, and the
// message names what is missing. It returns the binary for the caller's further checks.
func CheckStatic(s *State, hint string) (Binary, error) {
	bin, err := FindBinary(s.Ctx, s.Image)
	if err != nil {
		return bin, err
	}
	s.Logf("%s в образе %s: %s, %s", bin.Path, s.Image.Ref, bin.Info, ru.Megabytes(bin.Size))
	if bin.Info.Static {
		return bin, nil
	}
	files, err := s.Image.Files(s.Ctx)
	if err != nil {
		return bin, err
	}
	present := map[string]bool{}
	for _, f := range files {
		present[f.Path] = true
	}
	if loader := bin.Info.Interpreter; loader != "" && !present[loader] {
		return bin, Failf(hint,
			"бинарник динамически скомпонован: ему нужен %s, которого нет в образе. "+
				"Контейнер упадёт с «exec %s: no such file or directory»: сам %s на месте, "+
				"не найден его динамический загрузчик. Заголовок ELF: %s", loader, bin.Path, bin.Path, bin.Info)
	}
	return bin, Failf(hint,
		"бинарник динамически скомпонован (%s): он зависит от glibc образа, а собранный на bookworm "+
			"(glibc 2.36) не запустится на bullseye (glibc 2.31): «version `GLIBC_2.34' not found»", bin.Info)
}

// BinaryAndImage is the binary the image runs and the image's metadata, for checks that
// compare them (its architecture, its size).
func BinaryAndImage(s *State) (Binary, imagetest.Info, error) {
	bin, err := FindBinary(s.Ctx, s.Image)
	if err != nil {
		return bin, imagetest.Info{}, err
	}
	info, err := s.Image.Inspect(s.Ctx)
	return bin, info, err
}
