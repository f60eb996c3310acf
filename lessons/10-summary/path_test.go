// TestPath: the course's path in numbers, the reference images of lessons 02, 03, 05 and 10.
package main

import (
	"path"
	"strings"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/bars"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

// --- the path in numbers ---

// The reference images of the earlier lessons under the names their own tests give them
// (lessoncheck: workshop/<slug>:dockerfile), so every lesson shares one image and its cache.
var pathImages = []struct {
	lesson int
	spec   imagetest.BuildSpec
}{
	{2, lessonSpec("02-single-stage")},
	{3, lessonSpec("03-multi-stage")},
	{5, lessonSpec("05-scratch")},
}

func lessonSpec(slug string) imagetest.BuildSpec { return lessoncheck.ReferenceImage(slug) }

// TestPath builds the reference images of lessons 02, 03 and 05 and this lesson's, checks
// that each step of the course made the image much smaller, and prints a bar per image.
func TestPath(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	sizes := map[int]int64{}
	var lessonBinary int64
	for _, p := range pathImages {
		img := lessoncheck.MustBuild(t, p.spec)
		sizes[p.lesson] = img.MustInspect(t).Size
		if p.lesson == 5 {
			lessonBinary = fileSize(t, img, "/server")
		}
	}
	// This lesson's image, as TestLesson builds it (same spec, so built once per process).
	self := lessoncheck.MustBuild(t, imagetest.BuildSpec{
		Context: ".", Dockerfile: "Dockerfile", Repo: "workshop/10-summary", Lesson: "10-summary",
		BuildArgs: map[string]string{"VERSION": buildVersion},
	})
	sizes[10] = self.MustInspect(t).Size
	selfBinary := fileSize(t, self, "/server")
	var rows []bars.Row
	for _, p := range pathImages {
		rows = append(rows, sizeRow(p.spec.Lesson, sizes[p.lesson], lessonBinary))
	}
	rows = append(rows, sizeRow("10-summary", sizes[10], selfBinary),
		bars.Row{Label: "бинарник", Size: float64(lessonBinary), Value: ru.Size(float64(lessonBinary))})
	var chart strings.Builder
	if err := bars.Write(&chart, rows, bars.Width); err != nil {
		t.Fatal(err)
	}
	t.Logf("путь образа в цифрах:\n%s", chart.String())

	for _, c := range []struct {
		big, small int
		times      int64
		why        string
	}{
		{2, 3, 3, "многоэтапная сборка оставляет инструменты сборки Go и исходники в этапе сборки"},
		{3, 5, 10, "scratch вместо debian:bullseye-slim и бинарник без символов"},
	} {
		if sizes[c.big] < c.times*sizes[c.small] {
			t.Errorf("образ урока %d (%s) меньше образа урока %d (%s) всего в %s раза, а ожидается хотя бы в %d: %s",
				c.big, megabytes(sizes[c.big]), c.small, megabytes(sizes[c.small]),
				ru.Decimal(float64(sizes[c.big])/float64(sizes[c.small]), 1), c.times, c.why)
		}
	}
	for _, l := range []int{5, 10} {
		if sizes[l] > 10*lessoncheck.MB {
			t.Errorf("образ урока %d весит %s, больше %d МБ", l, megabytes(sizes[l]), 10)
		}
	}
}

// sizeRow is an image's bar: its size and how many times it is larger than its server binary.
func sizeRow(name string, size, binary int64) bars.Row {
	return bars.Row{Label: name, Size: float64(size),
		Value: ru.Size(float64(size)) + "  " + ru.Times(float64(size)/float64(binary))}
}

// fileSize is the size of a file in the image, read through the archive API.
func fileSize(t *testing.T, img *imagetest.Image, name string) int64 {
	t.Helper()
	for _, f := range img.MustFiles(t) {
		if f.Path == path.Clean(name) {
			return f.Size
		}
	}
	t.Fatalf("в образе %s нет файла %s", img.Ref, name)
	return 0
}

// megabytes formats bytes the Russian way, in Docker's decimal megabytes: «87,4 МБ».
func megabytes(n int64) string { return ru.Megabytes(n) }
