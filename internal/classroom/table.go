package classroom

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/go-docker-workshop/workshop/lessons"
)

// WriteTable writes the grade for a terminal: a row per student with a mark per lesson and
// the number passed, the legend, then each failure's first problem.
func WriteTable(w io.Writer, all []lessons.Lesson, students []Student) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"Студент"}
	for _, l := range all {
		head = append(head, strconv.Itoa(l.Number))
	}
	head = append(head, "Итого")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, s := range students {
		row := []string{s.Name}
		for i := range all {
			mark := Unchecked.Mark()
			if i < len(s.Results) {
				mark = s.Results[i].Status.Mark()
			}
			row = append(row, mark)
		}
		row = append(row, fmt.Sprintf("%d из %d", s.Passed(), len(all)))
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var legend []string
	for _, st := range []Status{Passed, Failed, TimedOut, NotStarted, Unchecked} {
		legend = append(legend, st.Mark()+" "+st.Word())
	}
	fmt.Fprintf(w, "\n%s\n", strings.Join(legend, ", "))

	var problems []string
	for _, s := range students {
		if s.Problem != "" {
			problems = append(problems, fmt.Sprintf("  %s: %s", s.Name, s.Problem))
		}
		for _, r := range s.Results {
			if r.Problem != "" {
				problems = append(problems, fmt.Sprintf("  %s, урок %d: %s — %s", s.Name, r.Number, r.Status.Word(), oneLine(r.Problem, problemWidth)))
			}
		}
	}
	if len(problems) > 0 {
		fmt.Fprintf(w, "\nПервые ошибки:\n%s\n", strings.Join(problems, "\n"))
	}
	return nil
}

// csvHeader names the columns of the grade's CSV.
var csvHeader = []string{"студент", "каталог", "урок", "название", "результат", "первая ошибка", "секунд"}

// WriteCSV writes the grade as CSV, a row per student and lesson.
func WriteCSV(w io.Writer, all []lessons.Lesson, students []Student) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, s := range students {
		for i, l := range all {
			r := Result{Number: l.Number, Title: l.Title, Status: Unchecked, Problem: s.Problem}
			if i < len(s.Results) {
				r = s.Results[i]
			}
			secs := ""
			if r.Elapsed > 0 && r.Status != NotStarted {
				secs = strconv.FormatFloat(r.Elapsed.Seconds(), 'f', 1, 64)
			}
			if err := cw.Write([]string{s.Name, s.Dir, strconv.Itoa(l.Number), l.Title, r.Status.Word(), oneLine(r.Problem, 0), secs}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
