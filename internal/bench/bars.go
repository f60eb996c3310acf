package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// BarWidth is the width of the terminal bars in characters.
const BarWidth = 60

// eighths are the partial block characters: a bar is drawn to 1/8 of a character.
var eighths = []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}

// WriteBars prints one bar per image on a logarithmic scale, width characters at most, with
// the stripped static binary as a reference row and an axis of decades underneath:
//
//	02-single-stage ████████████████████████████████████████▊        680 МБ  121×
func WriteBars(w io.Writer, r *Results, width int) error {
	if width < 10 {
		width = BarWidth
	}
	type row struct {
		label, value string
		size         float64
	}
	var rows []row
	for _, img := range r.Images {
		if img.Error != "" || img.SizeBytes.Empty() {
			rows = append(rows, row{label: img.Name, value: "не измерен"})
			continue
		}
		v := fmtBytes(img.SizeBytes.Median)
		if img.Ratio > 0 {
			v += "  " + fmtRatio(img.Ratio)
		}
		rows = append(rows, row{label: img.Name, value: v, size: img.SizeBytes.Median})
	}
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "Замеров нет: запустите go run ./cmd/bench")
		return err
	}
	for _, g := range binaryGroups(r.Images) {
		rows = append(rows, row{label: g.label, value: fmtBytes(float64(g.size)), size: float64(g.size)})
	}
	lo, hi := logDomain(r.Images)
	labelW := 0
	for _, rw := range rows {
		labelW = max(labelW, utf8.RuneCountInString(rw.label))
	}

	var b strings.Builder
	fmt.Fprintf(&b, "Размер образов, логарифмическая шкала от %s до %s (×N — во сколько раз образ больше статического бинарника)\n",
		tickLabel(lo), tickLabel(hi))
	for _, rw := range rows {
		b.WriteString(pad(rw.label, labelW) + " ")
		bar := ""
		if rw.size > 0 {
			bar = barOf(logPos(rw.size, lo, hi) * float64(width))
		}
		b.WriteString(bar + strings.Repeat(" ", width-utf8.RuneCountInString(bar)))
		b.WriteString(" " + rw.value + "\n")
	}
	b.WriteString(strings.Repeat(" ", labelW+1) + axis(lo, hi, width) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

type binaryGroup struct {
	label   string
	size    int64
	lessons []int // lesson numbers whose server builds to this size
	root    bool  // the root server/ does
}

// binaryGroups gives one reference row per distinct binary size.
func binaryGroups(imgs []ImageResult) []binaryGroup {
	var groups []binaryGroup
	for _, img := range imgs {
		s := img.Binary.StrippedBytes
		if s == 0 {
			continue
		}
		i := 0
		for i < len(groups) && !sameSize(groups[i].size, s) {
			i++
		}
		if i == len(groups) {
			groups = append(groups, binaryGroup{size: s})
		}
		if img.Lesson > 0 {
			groups[i].lessons = append(groups[i].lessons, img.Lesson)
		} else {
			groups[i].root = true
		}
	}
	for i := range groups {
		switch {
		case len(groups) == 1:
			groups[i].label = "бинарник"
		case len(groups[i].lessons) > 0 && !groups[i].root:
			groups[i].label = "бинарник " + numberRanges(groups[i].lessons)
		case len(groups[i].lessons) == 0 && groups[i].root:
			groups[i].label = "бинарник server/"
		default:
			groups[i].label = fmt.Sprintf("бинарник %d", i+1)
		}
	}
	return groups
}

// who says whose binary it is: «уроки 2–6», «урок 7», «корневой server/» or both.
func (g binaryGroup) who() string {
	var parts []string
	switch len(g.lessons) {
	case 0:
	case 1:
		parts = append(parts, "урок "+numberRanges(g.lessons))
	default:
		parts = append(parts, "уроки "+numberRanges(g.lessons))
	}
	if g.root {
		parts = append(parts, "корневой server/")
	}
	return strings.Join(parts, " и ")
}

// numberRanges writes sorted numbers with runs folded: 2, 3, 4, 6 → «2–4, 6».
func numberRanges(ns []int) string {
	ns = slices.Clone(ns)
	slices.Sort(ns)
	var parts []string
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d–%d", ns[i], ns[j]))
		} else {
			parts = append(parts, fmt.Sprint(ns[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// logPos is where v lies between lo and hi on a log scale, 0…1.
func logPos(v, lo, hi float64) float64 {
	p := (math.Log10(v) - math.Log10(lo)) / (math.Log10(hi) - math.Log10(lo))
	return math.Max(0, math.Min(1, p))
}

// barOf draws cells character cells of bar, to 1/8 of a cell; at least a sliver.
func barOf(cells float64) string {
	n := int(math.Round(cells * 8))
	if n < 1 {
		n = 1
	}
	return strings.Repeat("█", n/8) + eighths[n%8]
}

// axis prints the decade labels under the bars at their positions.
func axis(lo, hi float64, width int) string {
	line := []rune(strings.Repeat(" ", width+12))
	for d := lo; d <= hi*1.0001; d *= 10 {
		label := []rune(tickLabel(d))
		at := int(math.Round(logPos(d, lo, hi) * float64(width)))
		if at+len(label) > len(line) {
			at = len(line) - len(label)
		}
		copy(line[at:], label)
	}
	return strings.TrimRight(string(line), " ")
}

func pad(s string, n int) string {
	return s + strings.Repeat(" ", max(0, n-utf8.RuneCountInString(s)))
}
