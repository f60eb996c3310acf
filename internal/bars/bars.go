// Package bars draws image sizes as terminal bars on a logarithmic scale of whole decades,
// to 1/8 of a character, with the decades marked on an axis underneath. `make bench` (go run
// ./cmd/bench -bars) and lesson 10's TestPath draw the course's path in numbers with it.
package bars

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/go-docker-workshop/workshop/internal/ru"
)

// Width is the usual width of the bars in characters.
const Width = 60

// Row is one line of the chart. A row without a Size has no bar, only its label and value.
type Row struct {
	Label string
	Size  float64 // bytes
	Value string  // printed after the bar, e.g. "87,1 МБ  15,1×"
}

// eighths are the partial block characters: a bar is drawn to 1/8 of a character.
var eighths = []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}

// Write prints a heading, one bar per row at most width characters long and the axis:
//
//	02-single-stage  ████████████████████████████████████████████████████████▋    680 МБ  118×
func Write(w io.Writer, rows []Row, width int) error {
	if width < 10 {
		width = Width
	}
	var sizes []float64
	labelW := 0
	for _, r := range rows {
		sizes = append(sizes, r.Size)
		labelW = max(labelW, utf8.RuneCountInString(r.Label))
	}
	lo, hi := Decades(sizes...)
	var b strings.Builder
	fmt.Fprintf(&b, "Размер образов, логарифмическая шкала от %s до %s (×N — во сколько раз образ больше статического бинарника)\n",
		Tick(lo), Tick(hi))
	for _, r := range rows {
		bar := ""
		if r.Size > 0 {
			n := max(1, int(math.Round(Position(r.Size, lo, hi)*float64(width)*8))) // at least a sliver
			bar = strings.Repeat("█", n/8) + eighths[n%8]
		}
		fmt.Fprintf(&b, "%s %s %s\n", pad(r.Label, labelW), pad(bar, width), r.Value)
	}
	axis := []rune(strings.Repeat(" ", width+12))
	for d := lo; d <= hi*1.0001; d *= 10 {
		label := []rune(Tick(d))
		at := min(int(math.Round(Position(d, lo, hi)*float64(width))), len(axis)-len(label))
		copy(axis[at:], label)
	}
	b.WriteString(strings.TrimRight(strings.Repeat(" ", labelW+1)+string(axis), " ") + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Decades is the range of the scale: whole decades around the positive values; 1 МБ to
// 1 ГБ when there are none.
func Decades(values ...float64) (lo, hi float64) {
	lo, hi = math.Inf(1), 0
	for _, v := range values {
		if v > 0 {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if hi == 0 {
		return 1e6, 1e9
	}
	lo = math.Pow(10, math.Floor(math.Log10(lo)))
	hi = math.Max(math.Pow(10, math.Ceil(math.Log10(hi))), lo*10)
	return lo, hi
}

// Position is where v lies between lo and hi on the logarithmic scale, from 0 to 1.
func Position(v, lo, hi float64) float64 {
	p := (math.Log10(v) - math.Log10(lo)) / (math.Log10(hi) - math.Log10(lo))
	return math.Max(0, math.Min(1, p))
}

// Tick labels a decade: «1 МБ», «10 МБ», «100 МБ», «1 ГБ».
func Tick(v float64) string {
	for _, u := range []struct {
		unit float64
		name string
	}{{1e9, "ГБ"}, {1e6, "МБ"}, {1e3, "КБ"}} {
		if v >= u.unit {
			return ru.Decimal(v/u.unit, 0) + " " + u.name
		}
	}
	return ru.Decimal(v, 0) + " Б"
}

func pad(s string, n int) string {
	return s + strings.Repeat(" ", max(0, n-utf8.RuneCountInString(s)))
}
