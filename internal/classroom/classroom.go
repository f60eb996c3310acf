// Package classroom grades the course's exercises in bulk: every lesson of one repository in
// one run (workshop check --all, CI and GitHub Classroom) and every lesson of a group of
// students' clones (workshop grade). It knows results, not how a lesson is checked: the CLI
// runs the checks and hands each lesson's outcome over as a Result. From Results the package
// writes the terminal lines, JUnit XML, a Markdown job summary and a grade table (terminal and
// CSV); it tells a lesson not yet started from its starter files, and runs a grade student
// by student in a copy of the teacher's course, with a time-out per lesson.
package classroom

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/ru"
	"github.com/go-docker-workshop/workshop/internal/verdict"
)

// Status is how a lesson's exercise came out.
type Status string

const (
	Passed     Status = "passed"      // every check passed
	Failed     Status = "failed"      // a check failed; Problem says which and why
	NotStarted Status = "not-started" // the exercise files are the starter: nothing was checked
	TimedOut   Status = "timeout"     // the checks did not end within the time-out
	Unchecked  Status = "error"       // nothing was judged: the course or the machine failed
)

// Word is the status in the words a teacher and a student read.
func (s Status) Word() string {
	switch s {
	case Passed:
		return "пройдено"
	case Failed:
		return "не пройдено"
	case NotStarted:
		return "не начато"
	case TimedOut:
		return "тайм-аут"
	}
	return "не проверено"
}

// Mark is the status as one character in a table.
func (s Status) Mark() string {
	switch s {
	case Passed:
		return "✓"
	case Failed:
		return "✗"
	case NotStarted:
		return "·"
	case TimedOut:
		return "∞"
	}
	return "!"
}

// Step is one check step of a lesson, as the checks reported it.
type Step struct {
	Name    string
	Status  string // verdict.Passed, verdict.Failed or verdict.NotRun
	Elapsed time.Duration
	Problem *verdict.Problem
}

// Result is one lesson's outcome.
type Result struct {
	Number int
	Slug   string
	Title  string
	Status Status
	// Problem is the first problem in one line ("" when passed): the failing step and what
	// is wrong, or why nothing was checked.
	Problem string
	// Detail is the whole failure text: what is wrong, the hint, compiler errors.
	Detail  []string
	Steps   []Step
	Elapsed time.Duration
}

// Name is the lesson as a heading reads it: «Урок 3 «Многоэтапная сборка»».
func (r Result) Name() string { return fmt.Sprintf("Урок %d «%s»", r.Number, r.Title) }

// Report is the outcome of every lesson of one repository.
type Report struct {
	Results []Result
	Elapsed time.Duration
}

// Passed reports whether every lesson passed.
func (r Report) Passed() bool {
	for _, res := range r.Results {
		if res.Status != Passed {
			return false
		}
	}
	return len(r.Results) > 0
}

// Count is how many lessons have status s.
func (r Report) Count(s Status) int {
	n := 0
	for _, res := range r.Results {
		if res.Status == s {
			n++
		}
	}
	return n
}

// Total is the line that sums a report up: «Пройдено 3 из 10; не пройдено 2, не начато 5.»
func (r Report) Total() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Пройдено %d из %d", r.Count(Passed), len(r.Results))
	var rest []string
	for _, s := range []Status{Failed, TimedOut, NotStarted, Unchecked} {
		if n := r.Count(s); n > 0 {
			rest = append(rest, fmt.Sprintf("%s — %d", s.Word(), n))
		}
	}
	if len(rest) > 0 {
		b.WriteString("; " + strings.Join(rest, ", "))
	}
	if r.Elapsed > 0 {
		fmt.Fprintf(&b, " (%s)", Duration(r.Elapsed))
	}
	b.WriteString(".")
	return b.String()
}

// Duration formats a time the Russian way: «0,4 с», «12 с», «1 мин 5 с».
func Duration(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return ru.Seconds(d, 1)
	case d < time.Minute:
		return fmt.Sprintf("%d с", int(d.Seconds()))
	}
	return fmt.Sprintf("%d мин %d с", int(d.Minutes()), int(d.Seconds())%60)
}

// oneLine joins text into one line, cut to at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if n > 0 && len(r) > n {
		return strings.TrimRight(string(r[:n-1]), " ") + "…"
	}
	return s
}
