package bench

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func renderBars(t *testing.T, r *Results, width int) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteBars(&b, r, width); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestBarsGolden(t *testing.T) {
	golden(t, "bars.golden.txt", []byte(renderBars(t, fixture(), BarWidth)))
}

// barCells measures a bar in characters, counting partial blocks as eighths.
func barCells(line string) float64 {
	cells := 0.0
	for _, r := range line {
		switch {
		case r == '█':
			cells++
		case r >= '▉' && r <= '▏':
			cells += float64('▏'-r+1) / 8
		}
	}
	return cells
}

func TestBarsLogScaleAndWidth(t *testing.T) {
	r := fixture()
	r.Images = r.Images[:2]
	r.Images[0].SizeBytes = Summarize([]float64{500e6})
	r.Images[1].SizeBytes = Summarize([]float64{50e6})
	out := renderBars(t, r, BarWidth)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	// Heading, two images, the binary, the axis.
	if len(lines) != 5 {
		t.Fatalf("got %d lines, want 5:\n%s", len(lines), out)
	}
	big, small := barCells(lines[1]), barCells(lines[2])
	// 1 МБ … 1 ГБ is three decades over 60 characters: 10× is 20 characters.
	if d := big - small; d < 19.8 || d > 20.2 {
		t.Errorf("500 МБ bar is %.2f characters longer than 50 МБ, want 20:\n%s", d, out)
	}
	for _, l := range lines[1:4] {
		if c := barCells(l); c > BarWidth {
			t.Errorf("bar of %.1f characters is wider than %d: %q", c, BarWidth, l)
		}
	}
	// Values line up: every bar field is exactly BarWidth characters wide.
	col := -1
	for _, l := range lines[1:4] {
		i := strings.Index(l, " МБ")
		at := utf8.RuneCountInString(l[:strings.LastIndex(l[:i], " ")])
		if col >= 0 && at != col {
			t.Errorf("values do not line up:\n%s", out)
		}
		col = at
	}
	if !strings.Contains(lines[3], "бинарник") || !strings.Contains(lines[4], "1 МБ") || !strings.Contains(lines[4], "1 ГБ") {
		t.Errorf("want a binary row and an axis from 1 МБ to 1 ГБ:\n%s", out)
	}
}

func TestBarsTwoBinaries(t *testing.T) {
	out := renderBars(t, fixture(), BarWidth)
	for _, want := range []string{"бинарник 2–5 ", "бинарник server/"} {
		if !strings.Contains(out, want) {
			t.Errorf("no row %q:\n%s", want, out)
		}
	}
}

func TestNumberRanges(t *testing.T) {
	for _, tc := range []struct {
		in   []int
		want string
	}{{[]int{7}, "7"}, {[]int{6, 2, 3, 4, 5}, "2–6"}, {[]int{2, 3, 5, 9, 10}, "2–3, 5, 9–10"}} {
		if got := numberRanges(tc.in); got != tc.want {
			t.Errorf("numberRanges(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBarsEmpty(t *testing.T) {
	out := renderBars(t, &Results{}, BarWidth)
	if !strings.Contains(out, "go run ./cmd/bench") {
		t.Errorf("empty results should say how to measure, got %q", out)
	}
}
