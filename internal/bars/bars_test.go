package bars

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// cells measures a bar in characters, counting partial blocks as eighths.
func cells(line string) float64 {
	n := 0.0
	for _, r := range line {
		switch {
		case r == '█':
			n++
		case r >= '▉' && r <= '▏':
			n += float64('▏'-r+1) / 8
		}
	}
	return n
}

func TestWrite(t *testing.T) {
	var b strings.Builder
	err := Write(&b, []Row{
		{Label: "big", Size: 500e6, Value: "500 МБ"},
		{Label: "small", Size: 50e6, Value: "50,0 МБ"},
		{Label: "бинарник", Size: 5e6, Value: "5,00 МБ"},
		{Label: "failed", Value: "не измерен"},
	}, Width)
	if err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 6 { // heading, four rows, axis
		t.Fatalf("got %d lines, want 6:\n%s", len(lines), out)
	}
	if !strings.Contains(lines[0], "от 1 МБ до 1 ГБ") {
		t.Errorf("heading %q, want the scale from 1 МБ to 1 ГБ", lines[0])
	}
	// 1 МБ … 1 ГБ is three decades over 60 characters: 10× is 20 characters.
	for i := 1; i < 3; i++ {
		if d := cells(lines[i]) - cells(lines[i+1]); d < 19.8 || d > 20.2 {
			t.Errorf("bar %d is %.2f characters longer than the next, want 20:\n%s", i, d, out)
		}
	}
	if cells(lines[4]) != 0 {
		t.Errorf("a row without a size has a bar: %q", lines[4])
	}
	col := -1 // values line up: label, bar field of Width characters, value
	for _, l := range lines[1:5] {
		at := utf8.RuneCountInString(l) - utf8.RuneCountInString(strings.TrimLeft(l[strings.Index(l, " "):], " █▏▎▍▌▋▊▉"))
		if col >= 0 && at != col {
			t.Errorf("values do not line up:\n%s", out)
		}
		col = at
	}
	for _, tick := range []string{"1 МБ", "10 МБ", "100 МБ", "1 ГБ"} {
		if !strings.Contains(lines[5], tick) {
			t.Errorf("axis %q has no %q", lines[5], tick)
		}
	}
}

func TestDecades(t *testing.T) {
	for _, tc := range []struct {
		in     []float64
		lo, hi float64
	}{
		{[]float64{5.77e6, 680e6}, 1e6, 1e9},
		{[]float64{5.77e6, 0}, 1e6, 1e7},
		{[]float64{1e6}, 1e6, 1e7},
		{nil, 1e6, 1e9},
	} {
		if lo, hi := Decades(tc.in...); lo != tc.lo || hi != tc.hi {
			t.Errorf("Decades(%v) = %g, %g; want %g, %g", tc.in, lo, hi, tc.lo, tc.hi)
		}
	}
}
