package bench

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/go-docker-workshop/workshop/internal/bars"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

// WriteBars prints each image's size as a bar on a logarithmic scale, with a bar for each
// size of the stripped static binary underneath.
func WriteBars(w io.Writer, r *Results, width int) error {
	if len(r.Images) == 0 {
		_, err := fmt.Fprintln(w, "Замеров нет: запустите go run ./cmd/bench")
		return err
	}
	var rows []bars.Row
	for _, img := range r.Images {
		row := bars.Row{Label: img.Name, Value: "не измерен"}
		if img.Error == "" && !img.SizeBytes.Empty() {
			row.Size, row.Value = img.SizeBytes.Median, ru.Size(img.SizeBytes.Median)
			if img.Ratio > 0 {
				row.Value += "  " + ru.Times(img.Ratio)
			}
		}
		rows = append(rows, row)
	}
	for _, g := range binaryGroups(r.Images) {
		rows = append(rows, bars.Row{Label: g.label, Size: float64(g.size), Value: ru.Size(float64(g.size))})
	}
	return bars.Write(w, rows, width)
}

// binaryGroup is one size of the stripped binary and the servers that build to it.
type binaryGroup struct {
	label   string
	size    int64
	lessons []int // the lessons whose server builds to this size
	root    bool  // the root server/ does
}

// binaryGroups gives one group per distinct binary size, in the order of the images.
func binaryGroups(imgs []ImageResult) []binaryGroup {
	var groups []binaryGroup
	for _, img := range imgs {
		s := img.Binary.StrippedBytes
		if s == 0 {
			continue
		}
		i := slices.IndexFunc(groups, func(g binaryGroup) bool { return sameSize(g.size, s) })
		if i < 0 {
			i = len(groups)
			groups = append(groups, binaryGroup{size: s})
		}
		if img.Lesson > 0 {
			groups[i].lessons = append(groups[i].lessons, img.Lesson)
		} else {
			groups[i].root = true
		}
	}
	for i, g := range groups {
		switch {
		case len(groups) == 1:
			groups[i].label = "бинарник"
		case len(g.lessons) > 0 && !g.root:
			groups[i].label = "бинарник " + numberRanges(g.lessons)
		case len(g.lessons) == 0:
			groups[i].label = "бинарник server/"
		default:
			groups[i].label = fmt.Sprintf("бинарник %d", i+1)
		}
	}
	return groups
}

// sameSize treats binaries within 0,5 % of each other as one size.
func sameSize(a, b int64) bool {
	return a == b || (a != 0 && b != 0 && math.Abs(float64(a-b)) <= 0.005*float64(b))
}

// who says whose binary it is: «уроки 2–6», «урок 7», «корневой server/» or both.
func (g binaryGroup) who() string {
	var parts []string
	if len(g.lessons) > 0 {
		parts = append(parts, map[bool]string{true: "урок ", false: "уроки "}[len(g.lessons) == 1]+numberRanges(g.lessons))
	}
	if g.root {
		parts = append(parts, "корневой server/")
	}
	return strings.Join(parts, " и ")
}

// numberRanges writes sorted numbers with runs folded: 2, 3, 4, 6 → «2–4, 6».
func numberRanges(ns []int) string {
	ns = slices.Sorted(slices.Values(ns))
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

// The chart's geometry, in SVG user units (pixels at 100 %), and its colours.
const (
	svgFont      = "DejaVu Sans, Verdana, Arial, sans-serif"
	svgMono      = "DejaVu Sans Mono, Menlo, Consolas, monospace"
	svgPlotW     = 480.0
	svgRowH      = 46.0
	svgBarH      = 22.0
	svgTop       = 118.0 // first row
	svgPad       = 16.0
	svgValueW    = 150.0 // room right of the plot for "680 МБ (121×)"
	colorBar     = "#3b6ea8"
	colorBarMet  = "#2e7d32"
	colorBinary  = "#c62828"
	colorGrid    = "#c8c8c8"
	colorMinor   = "#ececec"
	colorText    = "#1f1f1f"
	colorSubtext = "#5f5f5f"
	chartTitle   = "Размер образов: уроки и корневые Dockerfile"
)

// WriteSVG draws the size of every image on a logarithmic scale, with the stripped static
// binary as a dashed reference line. The SVG is written by hand, with Russian labels, a white
// background (readable in a dark theme too) and a <title> for screen readers.
func WriteSVG(w io.Writer, r *Results) error {
	imgs := r.Images
	var sizes []float64
	labelW := 0.0
	for _, img := range imgs {
		sizes = append(sizes, img.SizeBytes.Median, float64(img.Binary.StrippedBytes))
		labelW = max(labelW, textWidth(img.Title, 13), textWidth(path.Join(img.Context, img.Dockerfile), 11))
	}
	lo, hi := bars.Decades(sizes...)
	x0 := math.Ceil(labelW + 2*svgPad)
	x1 := x0 + svgPlotW
	width := math.Ceil(x1 + svgValueW)
	xOf := func(v float64) float64 { return x0 + bars.Position(v, lo, hi)*svgPlotW }
	yAxis := svgTop + float64(len(imgs))*svgRowH + 4
	footer := wrap(machineLine(r)+" Источник: docs/bench/results.json.", width-2*svgPad, 11)
	height := math.Ceil(yAxis + 52 + float64(len(footer))*16)

	var b bytes.Buffer
	el := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line := func(x1, y1, x2, y2 float64, stroke, extra string) {
		el(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"%s`, num(x1), num(y1), num(x2), num(y2), stroke, extra)
	}
	el(`<?xml version="1.0" encoding="UTF-8"?>`)
	el(`<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %[1]s %[2]s" role="img" aria-labelledby="chart-title chart-desc" font-family="%s">`,
		num(width), num(height), svgFont)
	el(`<title id="chart-title">%s</title>`, esc(chartTitle))
	el(`<desc id="chart-desc">%s</desc>`, esc(chartDescription(r)))
	el(`<rect width="%s" height="%s" fill="#ffffff"/>`, num(width), num(height))

	// Title and legend.
	text(&b, svgPad, 30, 18, colorText, "start", ` font-weight="bold"`, chartTitle)
	text(&b, svgPad, 52, 12, colorSubtext, "start", "", "Логарифмическая шкала: каждая линия сетки — в 10 раз больше предыдущей; в скобках — во сколько раз образ больше бинарника.")
	legendY := 76.0
	line(svgPad, legendY-4, svgPad+28, legendY-4, colorBinary, ` stroke-width="2" stroke-dasharray="6 4"/>`)
	text(&b, svgPad+36, legendY, 12, colorText, "start", "", "статический бинарник без символов: "+binaryLegend(imgs))
	el(`<rect x="%s" y="%s" width="12" height="12" fill="%s"/>`, num(svgPad+8), num(legendY+8), colorBarMet)
	text(&b, svgPad+36, legendY+18, 12, colorText, "start", "", fmt.Sprintf("образ не больше %s размера бинарника (цель итогового образа)", ru.Number(LimitRatio)+"×"))

	// Grid: a line per decade, light lines at 2…9.
	el(`<g stroke-width="1">`)
	for d := lo; d <= hi*1.0001; d *= 10 {
		for k := 2.0; k <= 9 && d*k < hi; k++ {
			line(xOf(d*k), svgTop-6, xOf(d*k), yAxis, colorMinor, "/>")
		}
		line(xOf(d), svgTop-6, xOf(d), yAxis+5, colorGrid, "/>")
	}
	el("</g>")
	for d := lo; d <= hi*1.0001; d *= 10 {
		text(&b, xOf(d), yAxis+20, 12, colorText, "middle", "", bars.Tick(d))
	}
	text(&b, (x0+x1)/2, yAxis+40, 12, colorSubtext, "middle", "", "размер образа (1 МБ = 1 000 000 байт), логарифмическая шкала")

	// Rows: labels, bars, values.
	for i, img := range imgs {
		y := svgTop + float64(i)*svgRowH
		text(&b, x0-svgPad, y+svgRowH/2-4, 13, colorText, "end", "", img.Title)
		text(&b, x0-svgPad, y+svgRowH/2+11, 11, colorSubtext, "end", ` font-family="`+svgMono+`"`, path.Join(img.Context, img.Dockerfile))
		if img.Error != "" || img.SizeBytes.Empty() {
			text(&b, x0+6, y+svgRowH/2+4, 12, colorSubtext, "start", "", "не измерен")
			continue
		}
		v, color := img.SizeBytes.Median, colorBar
		if img.Ratio > 0 && img.Ratio <= LimitRatio {
			color = colorBarMet
		}
		barY := y + (svgRowH-svgBarH)/2
		el(`<rect x="%s" y="%s" width="%s" height="%s" rx="2" fill="%s"><title>%s</title></rect>`,
			num(x0), num(barY), num(math.Max(1, xOf(v)-x0)), num(svgBarH), color, esc(img.Name+": "+ru.Size(v)))
		value := ru.Size(v)
		if img.Ratio > 0 {
			value += " (" + ru.Times(img.Ratio) + ")"
		}
		text(&b, xOf(v)+8, barY+svgBarH/2+4.5, 12.5, colorText, "start", "", value)
	}

	// The binary: one dashed segment per run of rows with the same binary size.
	for start := 0; start < len(imgs); {
		end := start + 1
		for end < len(imgs) && sameSize(imgs[end].Binary.StrippedBytes, imgs[start].Binary.StrippedBytes) {
			end++
		}
		if s := float64(imgs[start].Binary.StrippedBytes); s > 0 {
			line(xOf(s), svgTop+float64(start)*svgRowH+2, xOf(s), svgTop+float64(end)*svgRowH-2, colorBinary,
				` stroke-width="2" stroke-dasharray="6 4"><title>`+esc("статический бинарник: "+ru.Size(s))+`</title></line>`)
		}
		start = end
	}

	for i, l := range footer {
		text(&b, svgPad, yAxis+66+float64(i)*16, 11, colorSubtext, "start", "", l)
	}
	el("</svg>")
	_, err := w.Write(b.Bytes())
	return err
}

// binaryLegend lists the distinct binary sizes: «5,77 МБ», or
// «5,77 МБ (уроки 2–6), 6,00 МБ (корневой server/)».
func binaryLegend(imgs []ImageResult) string {
	groups := binaryGroups(imgs)
	switch len(groups) {
	case 0:
		return "не измерен"
	case 1:
		return ru.Size(float64(groups[0].size))
	}
	var parts []string
	for _, g := range groups {
		parts = append(parts, fmt.Sprintf("%s (%s)", ru.Size(float64(g.size)), g.who()))
	}
	return strings.Join(parts, ", ")
}

func chartDescription(r *Results) string {
	var parts []string
	for _, img := range r.Images {
		if img.Error != "" || img.SizeBytes.Empty() {
			parts = append(parts, img.Name+": не измерен")
		} else {
			parts = append(parts, img.Name+": "+ru.Size(img.SizeBytes.Median))
		}
	}
	return "Размер образов на логарифмической шкале. " + strings.Join(parts, "; ") +
		". Статический бинарник без символов: " + binaryLegend(r.Images) + "."
}

// text writes a <text> element; attrs are extra attributes, each with a leading space.
func text(b *bytes.Buffer, x, y, size float64, fill, anchor, attrs, s string) {
	fmt.Fprintf(b, `<text x="%s" y="%s" font-size="%s" fill="%s" text-anchor="%s"%s>%s</text>`+"\n",
		num(x), num(y), num(size), fill, anchor, attrs, esc(s))
}

// num prints a coordinate with at most one decimal, the same on every machine.
func num(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") }

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// textWidth estimates how wide s is at the given font size: DejaVu Sans averages about
// 0.62 em per letter for mixed Cyrillic and Latin text.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * 0.62 * size
}

// wrap breaks s at spaces into lines no wider than width.
func wrap(s string, width, size float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && textWidth(line+" "+word, size) > width {
			lines, line = append(lines, line), ""
		}
		line = strings.TrimPrefix(line+" "+word, " ")
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
