package bench

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func renderReport(t *testing.T, r *Results) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteReport(&b, r, ReportOptions{Chart: "bench/sizes.svg", Results: "bench/results.json"}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestReportGolden(t *testing.T) {
	golden(t, "bench.golden.md", []byte(renderReport(t, fixture())))
}

func TestReportTable(t *testing.T) {
	md := renderReport(t, fixture())
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
	if len(header) != 12 || len(rows) != 6 {
		t.Fatalf("the table has %d columns and %d rows, want 12 and one per image (6)", len(header), len(rows))
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

func TestReportSections(t *testing.T) {
	md := renderReport(t, fixture())
	for _, want := range []string{
		"![Размер образа по урокам, логарифмическая шкала](bench/sizes.svg)",
		"Замерено 2026-11-26 на машине с 2 CPU",
		"## Цели", "### Что мешает", "## Окружение", "## Как измерено", "## Как повторить",
		"локальная подмена (метка `workshop.standin=true`)",
		"сервер 20.10.24+dfsg1, API 1.41",
		"| до замеров 1,20 / 1,05 / 0,90, после 1,90 / 1,60 / 1,20 |",
		"go build -trimpath std`", // the way out for the warm rebuild without BuildKit
		"классический сборщик: кэш-томов он не знает",
		"выходят с кодом 0", "с кодом 2",
		"— в [bench/results.json](bench/results.json).",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("bench.md has no %q", want)
		}
	}
	if strings.Contains(md, "make test") {
		t.Error("bench.md speaks of make test: the bench does not measure it")
	}
}

func TestReportFailedImage(t *testing.T) {
	r := fixture()
	r.Images[1].Error = "прогон 2: образ из Dockerfile не собрался\nподробности"
	md := renderReport(t, r)
	if !strings.Contains(md, "не измерен: прогон 2: образ из Dockerfile не собрался |") {
		t.Errorf("a failed image should keep its row with the first line of the error:\n%s", md)
	}
}

func TestReportNotes(t *testing.T) {
	r := fixture()
	if md := renderReport(t, r); strings.Contains(md, "машина была занята") || strings.Contains(md, "таблицу символов") {
		t.Errorf("no load or symbol notes expected for an idle machine and stripped binaries")
	}
	r.Environment.LoadAvgEnd = "2.84 2.70 2.05"
	r.Images[2].Binary.ImageBytes, r.Images[2].Binary.ImageStripped = 8_360_000, false
	r.Images[3].MeasuredAt = r.Images[3].MeasuredAt.AddDate(0, 0, 2) // merged in by -only
	md := renderReport(t, r)
	for _, want := range []string{"доходила до 2,84 при 2 CPU", "`04-static-binary` (8,36 МБ вместо 5,77 МБ)", "Замерено 2026-11-26 … 2026-11-28"} {
		if !strings.Contains(md, want) {
			t.Errorf("bench.md has no %q", want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{fmtMS(261.4), "261 мс"},
		{fmtMS(20_940), "20,9 с"},
		{fmtMS(125_000), "125 с"},
		{spread(Summarize([]float64{19100, 19800, 20500}), fmtMS), "19,8 с (19,1–20,5)"},
		{spread(Summarize([]float64{950, 1200, 990}), fmtMS), "990 мс (950 мс–1,2 с)"},
		{spread(Summarize([]float64{3, 3}), fmtMS), "3 мс"},
		{spread(Summary{}, fmtMS), "—"},
		{codes([]int{0, 0}), "0"},
		{codes([]int{0, 2, 0}), "0/2/0"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// The checks come in the order of the report: ratio, warm rebuild, ready, graceful stop.
const (
	ratioCheck = iota
	warmCheck
	readyCheck
	stopCheck
)

func met(c TargetCheck) string {
	if c.Met == nil {
		return "nil"
	}
	return map[bool]string{true: "true", false: "false"}[*c.Met]
}

func TestEvaluate(t *testing.T) {
	checks := Evaluate(fixture())
	for i, tt := range []struct{ met, measured string }{
		ratioCheck: {"true", "05-scratch: 5,77 МБ при бинарнике 5,77 МБ — 1,00×"},
		warmCheck:  {"false", "выполнена для 0 из 6"},
		readyCheck: {"true", "выполнена для 6 из 6"},
		stopCheck:  {"true", "root-single: 180 мс, код 0; root: 176 мс, код 0"},
	} {
		c := checks[i]
		if got := met(c); got != tt.met {
			t.Errorf("%s: met = %s, want %s (measured: %s)", c.Title, got, tt.met, c.Measured)
		}
		if !strings.Contains(c.Measured, tt.measured) {
			t.Errorf("%s: measured = %q, want it to contain %q", c.Title, c.Measured, tt.measured)
		}
		if (c.Met != nil && !*c.Met) != (c.Holdback != "") {
			t.Errorf("%s: a target that is not met needs a holdback and only then: met %s, holdback %q", c.Title, met(c), c.Holdback)
		}
	}
	if got := checks[ratioCheck].Limit + " " + checks[warmCheck].Limit + " " + checks[stopCheck].Limit; got != "≤ 1,1× ≤ 5 с ≤ 1 с, код 0" {
		t.Errorf("limits = %q", got)
	}
}

func TestEvaluateFinalImageTooLarge(t *testing.T) {
	r := fixture()
	r.Images = r.Images[:3] // the last lesson is now 04 on scratch with an unstripped binary
	r.Images[2].Binary.ImageStripped = false
	r.Images[2].Binary.ImageBytes = 8_300_000
	c := Evaluate(r)[ratioCheck]
	if met(c) != "false" || !strings.Contains(c.Applies, "04-static-binary") {
		t.Fatalf("want 04-static-binary judged and not met, got %s for %q", met(c), c.Applies)
	}
	for _, want := range []string{"2,59 МБ", "не очищен от символов"} {
		if !strings.Contains(c.Holdback, want) {
			t.Errorf("holdback %q should contain %q", c.Holdback, want)
		}
	}
}

func TestEvaluateStop(t *testing.T) {
	r := fixture()
	root := &r.Images[5]
	root.StopMS = Summarize([]float64{10_100, 10_200, 10_150})
	root.StopExitCodes = []int{137, 137, 137}
	if c := Evaluate(r)[stopCheck]; met(c) != "false" || !strings.Contains(c.Holdback, "137") {
		t.Errorf("a graceful image killed after 10 s must fail with an explanation, got %s: %q", met(c), c.Holdback)
	}

	r = fixture()
	r.Images = r.Images[:4] // lessons only: none handles SIGTERM
	if c := Evaluate(r)[stopCheck]; c.Met != nil {
		t.Errorf("without a graceful image the target is not measured, got %s", met(c))
	}
}

func TestEvaluateReadyNotMet(t *testing.T) {
	r := fixture()
	for i := range r.Images {
		r.Images[i].ReadyMS = Summarize([]float64{420})
	}
	c := Evaluate(r)[readyCheck]
	if met(c) != "false" {
		t.Fatalf("met = %s, want false", met(c))
	}
	if !strings.Contains(c.Holdback, "размер образа на запуск почти не влияет") {
		t.Errorf("equal times for 5 МБ and 680 МБ images should say size does not matter: %q", c.Holdback)
	}
}

func TestEvaluateNothingMeasured(t *testing.T) {
	for _, c := range Evaluate(&Results{}) {
		if c.Met != nil {
			t.Errorf("%s: met %s without measurements", c.Title, met(c))
		}
	}
}

func TestReportSuite(t *testing.T) {
	r := fixture()
	assert.NotContains(t, renderReport(t, r), "## Время проверок", "no suite measured, no section")

	r.Suite = &SuiteResults{
		Date: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC), Command: "go run ./cmd/bench -suite -runs 3 -cold",
		Docker: "Docker 29.8.1-dev, хранилище образов containerd",
		Cold: &SuiteTimes{Runs: 1, Total: Summarize([]float64{640}), Packages: []PackageTimes{
			{Package: "lessons/04-static-binary", Seconds: Summarize([]float64{300})},
			{Package: "lessons/10-summary", Seconds: Summarize([]float64{400})},
		}},
		Warm: &SuiteTimes{Runs: 3, Failed: 1, Total: Summarize([]float64{58, 61, 55}), Packages: []PackageTimes{
			{Package: "lessons/04-static-binary", Seconds: Summarize([]float64{9, 10, 11})},
			{Package: "server", Seconds: Summarize([]float64{0.2, 0.2, 0.3})},
		}},
		Checks: []CheckTimes{{Lesson: 3, FirstLine: Summarize([]float64{0.3, 0.4, 0.5}), Total: Summarize([]float64{2.5, 2.9, 3.1}), Passed: true}},
	}
	got := renderReport(t, r)
	for _, want := range []string{
		"## Время проверок",
		"Замерено 2026-12-04: Docker 29.8.1-dev, хранилище образов containerd; `go run ./cmd/bench -suite -runs 3 -cold`.",
		"**Холодный `make test`**, 1 прогон: всего 640 с.",
		"**Тёплый `make test`**, 3 прогона, из них с упавшими проверками: 1: всего 58,0 с (55,0–61,0).",
		"| `lessons/10-summary` | 400 с | — |\n| `lessons/04-static-binary` | 300 с | 10,0 с (9,0–11,0) |\n| `server` | — | 0,2 с (0,2–0,3) |",
		"| 3 | 0,4 с (0,3–0,5) | 2,9 с (2,5–3,1) | пройдена |",
	} {
		assert.Contains(t, got, want)
	}
}
