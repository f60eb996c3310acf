package bench

import (
	"bytes"
	"strings"
	"testing"
)

func renderMarkdown(t *testing.T, r *Results) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r, MarkdownOptions{Chart: "bench/sizes.svg", Results: "bench/results.json"}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestMarkdownGolden(t *testing.T) {
	golden(t, "bench.golden.md", []byte(renderMarkdown(t, fixture())))
}

func TestMarkdownTable(t *testing.T) {
	md := renderMarkdown(t, fixture())
	var header []string
	var rows [][]string
	results, _, _ := strings.Cut(md, "## Цели")
	for _, line := range strings.Split(results, "\n") {
		if !strings.HasPrefix(line, "| `") && !strings.HasPrefix(line, "| Образ |") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if header == nil {
			header = cells
			continue
		}
		rows = append(rows, cells)
	}
	if len(header) != 12 {
		t.Fatalf("the table has %d columns, want 12: %q", len(header), header)
	}
	if len(rows) != 6 {
		t.Fatalf("the table has %d rows, want one per image (6)", len(rows))
	}
	for _, row := range rows {
		if len(row) != len(header) {
			t.Errorf("row has %d cells, header %d: %q", len(row), len(header), row)
		}
	}
	scratch := rows[3]
	for i, want := range map[int]string{0: "`05-scratch`", 1: "5,77 МБ", 5: "1,00×", 7: "19,9 с (19,5–20,3) ✗", 9: "251 мс (246–256) ✓", 10: "97 мс (95–99), код 2"} {
		if !strings.Contains(scratch[i], want) {
			t.Errorf("05-scratch column %q = %q, want it to contain %q", header[i], scratch[i], want)
		}
	}
}

func TestMarkdownSections(t *testing.T) {
	md := renderMarkdown(t, fixture())
	for _, want := range []string{
		"![Размер образа по урокам, логарифмическая шкала](bench/sizes.svg)",
		"Замерено 2026-11-26 на машине с 2 CPU",
		"## Цели", "### Что мешает", "## Окружение", "## Как повторить",
		"локальная подмена (метка `workshop.standin=true`)",
		"сервер 20.10.24+dfsg1, API 1.41",
		"go build -trimpath std`", // the way out for the warm rebuild without BuildKit
		"выходят с кодом 0", "с кодом 2",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("bench.md has no %q", want)
		}
	}
}

func TestMarkdownFailedImage(t *testing.T) {
	r := fixture()
	r.Images[1].Error = "прогон 2: образ из Dockerfile не собрался\nподробности"
	md := renderMarkdown(t, r)
	if !strings.Contains(md, "не измерен: прогон 2: образ из Dockerfile не собрался |") {
		t.Errorf("a failed image should keep its row with the first line of the error:\n%s", md)
	}
}

func TestMarkdownNotes(t *testing.T) {
	r := fixture()
	if md := renderMarkdown(t, r); strings.Contains(md, "машина была занята") || strings.Contains(md, "таблицу символов") {
		t.Errorf("no load or symbol notes expected for an idle machine and stripped binaries")
	}
	r.Environment.LoadAvgEnd = "2.84 2.70 2.05"
	r.Images[2].Binary.ImageBytes, r.Images[2].Binary.ImageStripped = 8_360_000, false
	md := renderMarkdown(t, r)
	for _, want := range []string{"доходила до 2,84 при 2 CPU", "`04-static-binary` (8,36 МБ вместо 5,77 МБ)"} {
		if !strings.Contains(md, want) {
			t.Errorf("bench.md has no %q", want)
		}
	}
}
