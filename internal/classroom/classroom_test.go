package classroom

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/go-docker-workshop/workshop/internal/verdict"
)

// sample is a report with one lesson of each kind.
func sample() Report {
	return Report{Elapsed: 75 * time.Second, Results: []Result{
		{Number: 1, Slug: "01-server", Title: "Сервер на Go", Status: Passed, Elapsed: 2100 * time.Millisecond,
			Steps: []Step{{Name: "сервер отвечает", Status: verdict.Passed, Elapsed: time.Second}}},
		{Number: 2, Slug: "02-single-stage", Title: "Одноэтапный образ", Status: Failed, Elapsed: 4 * time.Second,
			Problem: "базовый образ с тегом: FROM golang | без тега",
			Detail:  []string{"✗ FROM golang без тега", "Подсказка: закрепите тег"},
			Steps: []Step{
				{Name: "Dockerfile разбирается", Status: verdict.Passed},
				{Name: "базовый образ с тегом", Status: verdict.Failed, Problem: &verdict.Problem{What: "FROM golang без тега", Hint: "закрепите тег"}},
				{Name: "образ собирается", Status: verdict.NotRun},
			}},
		{Number: 3, Slug: "03-multi-stage", Title: "Многоэтапная сборка", Status: NotStarted},
		{Number: 4, Slug: "04-static-binary", Title: "Статический бинарник", Status: TimedOut, Elapsed: time.Minute,
			Problem: "шаг «образ собирается» не закончился за 1 мин и прерван"},
	}}
}

func TestReportTotal(t *testing.T) {
	r := sample()
	got, want := r.Total(), "Пройдено 1 из 4; не пройдено — 1, тайм-аут — 1, не начато — 1 (1 мин 15 с)."
	if got != want {
		t.Errorf("Total() = %q, want %q", got, want)
	}
	if r.Passed() {
		t.Error("Passed() = true for a report with failures")
	}
	if (Report{}).Passed() {
		t.Error("Passed() = true for an empty report: nothing was checked")
	}
}

func TestWriteLines(t *testing.T) {
	var b bytes.Buffer
	WriteLines(&b, sample())
	got := b.String()
	for _, want := range []string{
		"✓ Урок 1 «Сервер на Go» — пройдено (2,1 с)\n",
		"✗ Урок 2 «Одноэтапный образ» — не пройдено (4,0 с): базовый образ с тегом: FROM golang | без тега\n",
		"· Урок 3 «Многоэтапная сборка» — не начато\n",
		"∞ Урок 4 «Статический бинарник» — тайм-аут (1 мин 0 с): шаг «образ собирается» не закончился",
		"\nПройдено 1 из 4;",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lines lack %q:\n%s", want, got)
		}
	}
}

func TestWriteJUnit(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, "workshop", sample()); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("the XML does not parse: %v\n%s", err, b.String())
	}
	if len(got.Suites) != 4 {
		t.Fatalf("want a suite per lesson (4), got %d", len(got.Suites))
	}
	// 4 lesson cases + 1 + 3 step cases.
	if got.Tests != 8 || got.Failures != 4 || got.Skipped != 1 {
		t.Errorf("tests/failures/skipped = %d/%d/%d, want 8/4/1", got.Tests, got.Failures, got.Skipped)
	}
	lesson2 := got.Suites[1]
	if lesson2.Name != "Урок 2 «Одноэтапный образ»" {
		t.Errorf("suite name %q", lesson2.Name)
	}
	f := lesson2.Cases[0].Failure
	if f == nil || f.Type != "failed" || !strings.Contains(f.Text, "Подсказка: закрепите тег") {
		t.Errorf("the lesson's case must fail with the Russian message and its hint, got %+v", f)
	}
	step := lesson2.Cases[2]
	if step.Name != "базовый образ с тегом" || step.Failure == nil || step.Failure.Message != "FROM golang без тега" ||
		step.Failure.Text != "FROM golang без тега\nПодсказка: закрепите тег" {
		t.Errorf("the failed step's case: %+v %+v", step, step.Failure)
	}
	if lesson2.Cases[3].Skipped == nil {
		t.Error("a step that did not run must be skipped")
	}
	if nf := got.Suites[2].Cases[0].Failure; nf == nil || nf.Type != "not-started" {
		t.Errorf("a lesson not started is a failure of type not-started, got %+v", nf)
	}
}

func TestWriteSummary(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSummary(&b, sample()); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"## ❌ Задания практикума «Go + Docker»\n\nПройдено 1 из 4;",
		"| № | Урок | Результат | Время | Первая ошибка |\n",
		"| 1 | Сервер на Go | ✓ пройдено | 2,1 с |  |\n",
		`| 2 | Одноэтапный образ | ✗ не пройдено | 4,0 с | базовый образ с тегом: FROM golang \| без тега |` + "\n",
		"| 3 | Многоэтапная сборка | · не начато |  |  |\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
}

func TestTableAndCSV(t *testing.T) {
	r := sample()
	all := sampleLessons(r)
	students := []Student{
		{Name: "alice", Dir: "/c/alice", Results: r.Results},
		{Name: "bob", Dir: "/c/bob", Problem: "в /c/bob нет каталога lessons/: это не клон курса"},
	}
	var b bytes.Buffer
	if err := WriteTable(&b, all, students); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"Студент  1  2  3  4  Итого\n",
		"alice    ✓  ✗  ·  ∞  1 из 4\n",
		"bob      !  !  !  !  0 из 4\n",
		"alice, урок 2: не пройдено — базовый образ с тегом",
		"alice, урок 4: тайм-аут — шаг «образ собирается»",
		"bob: в /c/bob нет каталога lessons/",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}

	b.Reset()
	if err := WriteCSV(&b, all, students); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+2*4 {
		t.Fatalf("want a header and a row per student and lesson, got %d rows", len(rows))
	}
	if got, want := strings.Join(rows[2], ","), "alice,/c/alice,2,Одноэтапный образ,не пройдено,базовый образ с тегом: FROM golang | без тега,4.0"; got != want {
		t.Errorf("row\n got %s\nwant %s", got, want)
	}
	if got := rows[5][4] + " / " + rows[5][5]; got != "не проверено / в /c/bob нет каталога lessons/: это не клон курса" {
		t.Errorf("bob's row: %s", got)
	}
}
