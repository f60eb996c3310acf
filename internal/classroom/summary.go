package classroom

import (
	"fmt"
	"io"
	"strings"
)

// WriteSummary writes the report as Markdown for a CI job's summary ($GITHUB_STEP_SUMMARY):
// a heading with the total and a table with a row per lesson.
func WriteSummary(w io.Writer, r Report) error {
	var b strings.Builder
	mark := "✅"
	if !r.Passed() {
		mark = "❌"
	}
	fmt.Fprintf(&b, "## %s Задания практикума «Go + Docker»\n\n%s\n\n", mark, r.Total())
	b.WriteString("| № | Урок | Результат | Время | Первая ошибка |\n")
	b.WriteString("|--:|------|-----------|------:|---------------|\n")
	for _, res := range r.Results {
		took := ""
		if res.Elapsed > 0 && res.Status != NotStarted {
			took = Duration(res.Elapsed)
		}
		fmt.Fprintf(&b, "| %d | %s | %s %s | %s | %s |\n", res.Number, cell(res.Title), res.Status.Mark(), res.Status.Word(), took, cell(res.Problem))
	}
	b.WriteString("\nПроверить урок у себя: `make check-N`; весь текст ошибки и подсказка — в его выводе.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// cell makes text safe for one cell of a Markdown table.
func cell(s string) string {
	s = oneLine(s, 300)
	s = strings.ReplaceAll(s, `\`, `\\`)
	return strings.ReplaceAll(s, "|", `\|`)
}
