package bench

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/bars"
)

func renderSVG(t *testing.T, r *Results) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSVG(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSVGGolden(t *testing.T) {
	golden(t, "sizes.golden.svg", renderSVG(t, fixture()))
}

// svgElements decodes the SVG with encoding/xml, failing the test on malformed XML, and
// returns every element with its attributes and text.
type svgElement struct {
	name  string
	attrs map[string]string
	text  string
}

func svgElements(t *testing.T, data []byte) []svgElement {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var els []svgElement
	var stack []int
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not valid XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := svgElement{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			els = append(els, e)
			stack = append(stack, len(els)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				els[stack[len(stack)-1]].text += string(tok)
			}
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements in the SVG")
	}
	return els
}

func TestSVGIsValidXMLWithRussianLabels(t *testing.T) {
	els := svgElements(t, renderSVG(t, fixture()))
	if els[0].name != "svg" || els[0].attrs["viewBox"] == "" {
		t.Fatalf("root element = %q with viewBox %q, want <svg> with a viewBox", els[0].name, els[0].attrs["viewBox"])
	}
	var texts []string
	for _, e := range els {
		if e.name == "text" || e.name == "title" {
			texts = append(texts, e.text)
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{chartTitle, "Логарифмическая шкала", "Урок 5. scratch: самый маленький образ",
		"статический бинарник без символов", "1 МБ", "10 МБ", "100 МБ", "1 ГБ", "680 МБ (118×)", "Docker 20.10.24+dfsg1"} {
		if !strings.Contains(all, want) {
			t.Errorf("the chart has no text %q", want)
		}
	}
}

// TestSVGLogScale checks that bar lengths follow log10 of the size: a 10× larger image is
// one decade (a third of the plot for 1 МБ…1 ГБ) longer, and the binary line sits where
// a bar of its size would end.
func TestSVGLogScale(t *testing.T) {
	r := fixture()
	r.Images = r.Images[:4] // 680 МБ, 87,1 МБ, 8,36 МБ, 5,77 МБ; binary 5,77 МБ
	r.Images[1].SizeBytes = Summarize([]float64{68.03e6})
	els := svgElements(t, renderSVG(t, r))
	var bars []float64
	var x0 float64
	for _, e := range els {
		if e.name == "rect" && e.attrs["height"] == strconv.Itoa(int(svgBarH)) {
			x0 = attr(t, e, "x")
			bars = append(bars, attr(t, e, "width"))
		}
	}
	if len(bars) != 4 {
		t.Fatalf("found %d bars, want 4", len(bars))
	}
	decade := svgPlotW / 3
	if d := bars[0] - bars[1]; math.Abs(d-decade) > 0.2 {
		t.Errorf("680 МБ bar is %.1f longer than the 68 МБ bar, want one decade = %.1f", d, decade)
	}
	want := (math.Log10(5.77e6) - 6) * decade
	if math.Abs(bars[3]-want) > 0.2 {
		t.Errorf("5,77 МБ bar is %.1f long, want %.1f", bars[3], want)
	}
	var lineX []float64
	for _, e := range els {
		if e.name == "line" && e.attrs["stroke"] == colorBinary && e.attrs["y1"] != e.attrs["y2"] {
			lineX = append(lineX, attr(t, e, "x1"))
		}
	}
	if len(lineX) != 1 {
		t.Fatalf("found %d binary reference segments, want 1 for four lessons with the same binary", len(lineX))
	}
	if wantX := x0 + (math.Log10(5_767_352)-6)*decade; math.Abs(lineX[0]-wantX) > 0.2 {
		t.Errorf("binary line at x=%.1f, want %.1f", lineX[0], wantX)
	}
}

func TestSVGFailedImage(t *testing.T) {
	r := fixture()
	r.Images[2].Error = "прогон 1: образ не собрался"
	r.Images[2].SizeBytes = Summary{}
	els := svgElements(t, renderSVG(t, r))
	found := false
	for _, e := range els {
		found = found || (e.name == "text" && e.text == "не измерен")
	}
	if !found {
		t.Error("a failed image should be shown as «не измерен»")
	}
}

func attr(t *testing.T, e svgElement, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(e.attrs[name], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", e.name, name, e.attrs[name], err)
	}
	return v
}

func renderBars(t *testing.T, r *Results, width int) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteBars(&b, r, width); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestBarsGolden(t *testing.T) {
	golden(t, "bars.golden.txt", []byte(renderBars(t, fixture(), bars.Width)))
}

func TestBarsTwoBinaries(t *testing.T) {
	out := renderBars(t, fixture(), bars.Width)
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
	out := renderBars(t, &Results{}, bars.Width)
	if !strings.Contains(out, "go run ./cmd/bench") {
		t.Errorf("empty results should say how to measure, got %q", out)
	}
}
