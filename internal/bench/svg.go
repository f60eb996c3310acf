package bench

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// The chart's geometry, in SVG user units (pixels at 100 %).
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
)

const chartTitle = "Размер образов: уроки и корневые Dockerfile"

// WriteSVG draws the size of every image on a logarithmic scale, with the stripped static
// binary as a dashed reference line. It needs no library: the SVG is written by hand, with
// Russian labels, a white background (readable in a dark theme too) and a <title> for
// screen readers.
func WriteSVG(w io.Writer, r *Results) error {
	imgs := r.Images
	lo, hi := logDomain(imgs)

	// The label column fits the longest label.
	labelW := 0.0
	for _, img := range imgs {
		labelW = max(labelW, textWidth(img.Title, 13), textWidth(dockerfilePath(img), 11))
	}
	labelW = math.Ceil(labelW + 2*svgPad)
	x0 := labelW
	x1 := x0 + svgPlotW
	width := math.Ceil(x1 + svgValueW)
	xOf := func(v float64) float64 {
		return x0 + (math.Log10(v)-math.Log10(lo))/(math.Log10(hi)-math.Log10(lo))*svgPlotW
	}
	yAxis := svgTop + float64(len(imgs))*svgRowH + 4
	footer := wrap(footerText(r), width-2*svgPad, 11)
	height := math.Ceil(yAxis + 52 + float64(len(footer))*16)

	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" role="img" aria-labelledby="chart-title chart-desc" font-family="%s">`+"\n",
		num(width), num(height), num(width), num(height), svgFont)
	fmt.Fprintf(&b, "<title id=\"chart-title\">%s</title>\n", esc(chartTitle))
	fmt.Fprintf(&b, "<desc id=\"chart-desc\">%s</desc>\n", esc(chartDescription(r)))
	fmt.Fprintf(&b, `<rect width="%s" height="%s" fill="#ffffff"/>`+"\n", num(width), num(height))

	// Title and legend.
	text(&b, svgPad, 30, 18, colorText, "start", "bold", chartTitle)
	text(&b, svgPad, 52, 12, colorSubtext, "start", "", "Логарифмическая шкала: каждая линия сетки — в 10 раз больше предыдущей; в скобках — во сколько раз образ больше бинарника.")
	legendY := 76.0
	fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="6 4"/>`+"\n",
		num(svgPad), num(legendY-4), num(svgPad+28), num(legendY-4), colorBinary)
	text(&b, svgPad+36, legendY, 12, colorText, "start", "", "статический бинарник без символов: "+binaryLegend(imgs))
	fmt.Fprintf(&b, `<rect x="%s" y="%s" width="12" height="12" fill="%s"/>`+"\n", num(svgPad+8), num(legendY+8), colorBarMet)
	text(&b, svgPad+36, legendY+18, 12, colorText, "start", "", fmt.Sprintf("образ не больше %s размера бинарника (цель итогового образа)", trimZero(fmtRatio(LimitRatio))))

	// Grid: a line per decade, light lines at 2…9.
	b.WriteString(`<g stroke-width="1">` + "\n")
	for d := lo; d <= hi*1.0001; d *= 10 {
		for k := 2.0; k <= 9 && d*k < hi; k++ {
			x := xOf(d * k)
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`+"\n", num(x), num(svgTop-6), num(x), num(yAxis), colorMinor)
		}
		x := xOf(d)
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`+"\n", num(x), num(svgTop-6), num(x), num(yAxis+5), colorGrid)
	}
	b.WriteString("</g>\n")
	for d := lo; d <= hi*1.0001; d *= 10 {
		text(&b, xOf(d), yAxis+20, 12, colorText, "middle", "", tickLabel(d))
	}
	text(&b, (x0+x1)/2, yAxis+40, 12, colorSubtext, "middle", "", "размер образа (1 МБ = 1 000 000 байт), логарифмическая шкала")

	// Rows: labels, bars, values.
	for i, img := range imgs {
		y := svgTop + float64(i)*svgRowH
		text(&b, x0-svgPad, y+svgRowH/2-4, 13, colorText, "end", "", img.Title)
		textFont(&b, x0-svgPad, y+svgRowH/2+11, 11, colorSubtext, "end", svgMono, dockerfilePath(img))
		if img.Error != "" || img.SizeBytes.Empty() {
			text(&b, x0+6, y+svgRowH/2+4, 12, colorSubtext, "start", "", "не измерен")
			continue
		}
		size := img.SizeBytes.Median
		color := colorBar
		if img.Ratio > 0 && img.Ratio <= LimitRatio {
			color = colorBarMet
		}
		barY := y + (svgRowH-svgBarH)/2
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" rx="2" fill="%s"><title>%s</title></rect>`+"\n",
			num(x0), num(barY), num(math.Max(1, xOf(size)-x0)), num(svgBarH), color,
			esc(fmt.Sprintf("%s: %s", img.Name, fmtBytes(size))))
		value := fmtBytes(size)
		if img.Ratio > 0 {
			value += " (" + fmtRatio(img.Ratio) + ")"
		}
		text(&b, xOf(size)+8, barY+svgBarH/2+4.5, 12.5, colorText, "start", "", value)
	}

	// The binary: one dashed segment per run of rows with the same binary size.
	for start := 0; start < len(imgs); {
		end := start + 1
		for end < len(imgs) && sameSize(imgs[end].Binary.StrippedBytes, imgs[start].Binary.StrippedBytes) {
			end++
		}
		if s := imgs[start].Binary.StrippedBytes; s > 0 {
			x := xOf(float64(s))
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="6 4"><title>%s</title></line>`+"\n",
				num(x), num(svgTop+float64(start)*svgRowH+2), num(x), num(svgTop+float64(end)*svgRowH-2), colorBinary,
				esc("статический бинарник: "+fmtBytes(float64(s))))
		}
		start = end
	}

	for i, line := range footer {
		text(&b, svgPad, yAxis+66+float64(i)*16, 11, colorSubtext, "start", "", line)
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// logDomain is the axis range: whole decades around every image and binary size.
func logDomain(imgs []ImageResult) (lo, hi float64) {
	lo, hi = math.Inf(1), 0
	for _, img := range imgs {
		for _, v := range []float64{img.SizeBytes.Median, float64(img.Binary.StrippedBytes)} {
			if v > 0 {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if hi == 0 {
		return 1e6, 1e9
	}
	lo = math.Pow(10, math.Floor(math.Log10(lo)))
	hi = math.Pow(10, math.Ceil(math.Log10(hi)))
	if hi <= lo {
		hi = lo * 10
	}
	return lo, hi
}

func sameSize(a, b int64) bool {
	if a == 0 || b == 0 {
		return a == b
	}
	return math.Abs(float64(a-b)) <= 0.005*float64(b)
}

// binaryLegend lists the distinct binary sizes: "5,60 МБ" or
// "5,60 МБ (уроки 2–6), 5,84 МБ (корневой server/)".
func binaryLegend(imgs []ImageResult) string {
	groups := binaryGroups(imgs)
	if len(groups) == 0 {
		return "не измерен"
	}
	if len(groups) == 1 {
		return fmtBytes(float64(groups[0].size))
	}
	var parts []string
	for _, g := range groups {
		parts = append(parts, fmt.Sprintf("%s (%s)", fmtBytes(float64(g.size)), g.who()))
	}
	return strings.Join(parts, ", ")
}

func dockerfilePath(img ImageResult) string {
	if img.Context == "" || img.Context == "." {
		return img.Dockerfile
	}
	return img.Context + "/" + img.Dockerfile
}

func tickLabel(v float64) string {
	switch {
	case v >= 1e9:
		return decimal(v/1e9, 0) + " ГБ"
	case v >= 1e6:
		return decimal(v/1e6, 0) + " МБ"
	case v >= 1e3:
		return decimal(v/1e3, 0) + " КБ"
	default:
		return decimal(v, 0) + " Б"
	}
}

func footerText(r *Results) string {
	return MachineLine(r) + " Источник: docs/bench/results.json."
}

func chartDescription(r *Results) string {
	var parts []string
	for _, img := range r.Images {
		if img.Error != "" || img.SizeBytes.Empty() {
			parts = append(parts, img.Name+": не измерен")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s", img.Name, fmtBytes(img.SizeBytes.Median)))
	}
	return "Размер образов на логарифмической шкале. " + strings.Join(parts, "; ") +
		". Статический бинарник без символов: " + binaryLegend(r.Images) + "."
}

func text(b *bytes.Buffer, x, y, size float64, fill, anchor, weight, s string) {
	attrs := ""
	if weight != "" {
		attrs = fmt.Sprintf(` font-weight="%s"`, weight)
	}
	fmt.Fprintf(b, `<text x="%s" y="%s" font-size="%s" fill="%s" text-anchor="%s"%s>%s</text>`+"\n",
		num(x), num(y), num(size), fill, anchor, attrs, esc(s))
}

func textFont(b *bytes.Buffer, x, y, size float64, fill, anchor, family, s string) {
	fmt.Fprintf(b, `<text x="%s" y="%s" font-size="%s" fill="%s" text-anchor="%s" font-family="%s">%s</text>`+"\n",
		num(x), num(y), num(size), fill, anchor, family, esc(s))
}

// num prints a coordinate with at most one decimal, the same on every machine.
func num(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}

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
		next := word
		if line != "" {
			next = line + " " + word
		}
		if line != "" && textWidth(next, size) > width {
			lines = append(lines, line)
			next = word
		}
		line = next
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
