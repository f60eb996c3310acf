package classroom

import (
	"fmt"
	"io"
)

// problemWidth bounds the first problem on a terminal line; the whole text is a
// workshop check N away.
const problemWidth = 160

// WriteLine writes one lesson's outcome as a line of check --all:
//
//	✗ Урок 3 «Многоэтапная сборка» — не пройдено (4,1 с): образ собирается: …
func WriteLine(w io.Writer, r Result) {
	line := fmt.Sprintf("%s %s — %s", r.Status.Mark(), r.Name(), r.Status.Word())
	if r.Elapsed > 0 && r.Status != NotStarted {
		line += fmt.Sprintf(" (%s)", Duration(r.Elapsed))
	}
	if r.Problem != "" {
		line += ": " + oneLine(r.Problem, problemWidth)
	}
	fmt.Fprintln(w, line)
}

// WriteLines writes a line for each lesson and the total.
func WriteLines(w io.Writer, r Report) {
	for _, res := range r.Results {
		WriteLine(w, res)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, r.Total())
}
