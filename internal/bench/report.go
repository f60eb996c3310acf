package bench

import (
	"cmp"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

//go:embed report.md.tmpl
var reportText string

var report = template.Must(template.New("report").Funcs(template.FuncMap{
	"met": func(met *bool) string { return metMark(met, "✓ да", "✗ нет", "не измерено") },
	"builder": func(b string) string {
		switch b {
		case imagetest.BuilderLegacy:
			return "классический (legacy builder, устарел): WORKSHOP_BUILDER=legacy или движок без BuildKit"
		case imagetest.BuilderBuildKit:
			return "BuildKit движка, как у `docker build` и проверок уроков"
		}
		return "—"
	},
	"size":     func(b int64) string { return ru.Size(float64(b)) },
	"load":     func(s string) string { return strings.Join(loadAvgs(s), " / ") },
	"join":     func(s []string) string { return strings.Join(s, ", ") },
	"date":     func(t time.Time) string { return t.Format("2006-01-02") },
	"runs":     func(n int) string { return ru.Count(n, "прогон", "прогона", "прогонов") },
	"sec":      secondsSpread,
	"packages": suitePackages,
}).Parse(reportText))

// ReportOptions say where the report's links point, relative to the report.
type ReportOptions struct {
	Chart   string   // sizes.svg, e.g. "bench/sizes.svg"
	Results string   // results.json
	Missing []string // Docker lessons without a reference Dockerfile
}

// WriteReport renders docs/bench.md: the chart, the table, the targets and what holds the
// unmet ones back, the environment and how to repeat the measurement.
func WriteReport(w io.Writer, r *Results, opt ReportOptions) error {
	checks := Evaluate(r)
	data := struct {
		*Results
		Machine, Runs, Date, Missing, Chart, Link string
		Rows, Unstripped                          []string // the table; the images whose binary keeps its symbols
		Checks, Held                              []TargetCheck
		StandIns, Exit2, Exit0                    bool   // stand-ins; the stop codes to explain
		Busy                                      string // the peak load average when above the CPU count
	}{Results: r, Machine: machineLine(r), Runs: runsText(r), Date: dateText(r), Missing: strings.Join(opt.Missing, ", "),
		Chart: opt.Chart, Link: opt.Results, Checks: checks, StandIns: standIns(r.Environment) > 0}
	stopCodes := map[bool][]int{} // docker stop's exit codes, by whether the server shuts down gracefully
	for _, img := range r.Images {
		data.Rows = append(data.Rows, tableRow(img))
		if b := img.Binary; img.Error == "" && b.ImageBytes > 0 && !b.ImageStripped && b.StrippedBytes > 0 {
			data.Unstripped = append(data.Unstripped,
				fmt.Sprintf("`%s` (%s вместо %s)", img.Name, ru.Size(float64(b.ImageBytes)), ru.Size(float64(b.StrippedBytes))))
		}
		stopCodes[img.Graceful] = append(stopCodes[img.Graceful], img.StopExitCodes...)
	}
	data.Exit2, data.Exit0 = all(stopCodes[false], 2), all(stopCodes[true], 0)
	data.Held = slices.DeleteFunc(slices.Clone(checks), func(c TargetCheck) bool { return c.Holdback == "" })
	env, peak := r.Environment, 0.0
	for _, s := range []string{env.LoadAvgStart, env.LoadAvgEnd} {
		if f := strings.Fields(s); len(f) > 0 {
			v, _ := strconv.ParseFloat(f[0], 64)
			peak = max(peak, v)
		}
	}
	if env.CPUs > 0 && peak > float64(env.CPUs) {
		data.Busy = ru.Decimal(peak, 2)
	}
	return report.Execute(w, data)
}

func tableRow(img ImageResult) string {
	name := fmt.Sprintf("`%s`<br>%s", img.Name, img.Title)
	if img.Error != "" {
		first, _, _ := strings.Cut(img.Error, "\n")
		return fmt.Sprintf("| %s | не измерен: %s |||||||||||", name, strings.ReplaceAll(first, "|", "\\|"))
	}
	b := img.Binary
	inImage, stripped, ratio := "—", "—", "—"
	if b.ImageBytes > 0 {
		inImage = fmt.Sprintf("`%s` %s", b.ImagePath, ru.Size(float64(b.ImageBytes)))
		if !b.ImageStripped {
			inImage += ", с символами"
		}
	}
	if b.StrippedBytes > 0 {
		stripped = ru.Size(float64(b.StrippedBytes))
	}
	if img.Ratio > 0 {
		ratio = ru.Times(img.Ratio)
	}
	mark := func(s Summary, limit float64) string {
		return spread(s, fmtMS) + map[bool]string{true: " ✓", false: " ✗"}[s.Median <= limit]
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s, код %s | %s |",
		name, spread(img.SizeBytes, ru.Size), spread(img.Layers, func(v float64) string { return ru.Decimal(v, 0) }),
		inImage, stripped, ratio, spread(img.ColdBuildMS, fmtMS), mark(img.WarmRebuildMS, LimitWarmMS),
		spread(img.NoChangeRebuildMS, fmtMS), mark(img.ReadyMS, LimitReadyMS), spread(img.StopMS, fmtMS),
		codes(img.StopExitCodes), spread(img.MemoryBytes, ru.Size))
}

// machineLine is the one-line summary of when and where the numbers were taken, for the
// report and the chart.
func machineLine(r *Results) string {
	env := r.Environment
	bases := "официальные базовые образы"
	switch n := standIns(env); {
	case len(env.BaseImages) == 0:
		bases = "базовые образы не записаны"
	case n == len(env.BaseImages):
		bases = "базовые образы — локальные подмены"
	case n > 0:
		bases = "часть базовых образов — локальные подмены"
	}
	return fmt.Sprintf("Замерено %s на машине с %d CPU и %s памяти: Docker %s (API %s), %s, %s; медиана %s.",
		dateText(r), env.CPUs, ru.Size(float64(env.MemoryBytes)), cmp.Or(env.DockerServerVersion, "—"),
		cmp.Or(env.DockerAPIVersion, "—"), cmp.Or(env.GoVersion, "—"), bases, runsText(r))
}

func standIns(env Environment) int {
	n := 0
	for _, b := range env.BaseImages {
		if b.StandIn {
			n++
		}
	}
	return n
}

func runsText(r *Results) string {
	n := r.Environment.Runs
	for _, img := range r.Images {
		if img.Runs > 0 && img.Runs != n {
			return "прогонов (их число — в results.json)"
		}
	}
	// «медиана 1 прогона, 3 прогонов»: the genitive has two forms.
	return ru.Count(n, "прогона", "прогонов", "прогонов")
}

// dateText is the day of the measurement, or a range of days when -only merged an image
// measured later into older results.
func dateText(r *Results) string {
	var days []string
	add := func(t time.Time) {
		if !t.IsZero() {
			days = append(days, t.UTC().Format(time.DateOnly))
		}
	}
	add(r.Environment.Date)
	for _, img := range r.Images {
		add(img.MeasuredAt)
	}
	if len(days) == 0 {
		return "—"
	}
	first, last := slices.Min(days), slices.Max(days)
	if first == last {
		return first
	}
	return first + " … " + last
}

// metMark words whether a target is met: yes, no, or none when it was not measured.
func metMark(met *bool, yes, no, none string) string {
	if met == nil {
		return none
	}
	return map[bool]string{true: yes, false: no}[*met]
}

// all reports whether there are codes and every one is want.
func all(codes []int, want int) bool {
	return len(codes) > 0 && !slices.ContainsFunc(codes, func(c int) bool { return c != want })
}

// loadAvgs formats a line of /proc/loadavg the Russian way: «1,20», «1,05», «0,90».
func loadAvgs(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		if v, err := strconv.ParseFloat(f, 64); err == nil {
			out = append(out, ru.Decimal(v, 2))
		}
	}
	if len(out) == 0 {
		return []string{"—"}
	}
	return out
}

// fmtMS formats milliseconds: «210 мс» below a second, «19,8 с» and «125 с» above
// (ru.Milliseconds, which compare.sh's table uses too, through workshop size --compare).
func fmtMS(v float64) string { return ru.Milliseconds(v) }

// spread formats a median with its spread: «19,8 с (19,1–20,5)», with the unit once when
// all three share it; one value alone.
func spread(s Summary, f func(float64) string) string {
	if s.Empty() {
		return "—"
	}
	med, lo, hi := f(s.Median), f(s.Min), f(s.Max)
	if s.Min == s.Max {
		return med
	}
	unit := func(s string) string { _, u, _ := strings.Cut(s, " "); return u }
	if unit(lo) == unit(med) && unit(hi) == unit(med) {
		lo, _, _ = strings.Cut(lo, " ")
		hi, _, _ = strings.Cut(hi, " ")
	}
	return fmt.Sprintf("%s (%s–%s)", med, lo, hi)
}

// codes formats exit codes: «0» when all runs agree, «0/2/0» otherwise.
func codes(cs []int) string {
	if len(cs) == 0 {
		return "—"
	}
	if all(cs, cs[0]) {
		cs = cs[:1]
	}
	return strings.Trim(strings.ReplaceAll(fmt.Sprint(cs), " ", "/"), "[]") // [0 2 0] → 0/2/0
}

// secondsSpread is «12,3 с (11,9–13,0)», or one number for a single run.
func secondsSpread(s Summary) string {
	f := func(v float64) string {
		if v >= 100 {
			return ru.Decimal(v, 0)
		}
		return ru.Decimal(v, 1)
	}
	if len(s.Values) < 2 {
		return f(s.Median) + " с"
	}
	return fmt.Sprintf("%s с (%s–%s)", f(s.Median), f(s.Min), f(s.Max))
}

// suiteRow is one package in the report's table of suite times.
type suiteRow struct {
	Package    string
	Cold, Warm *Summary
}

// suitePackages joins the cold and the warm times of each package, slowest cold first.
func suitePackages(r *SuiteResults) []suiteRow {
	var rows []suiteRow
	row := func(pkg string) *suiteRow {
		for i := range rows {
			if rows[i].Package == pkg {
				return &rows[i]
			}
		}
		rows = append(rows, suiteRow{Package: pkg})
		return &rows[len(rows)-1]
	}
	if r.Cold != nil {
		for _, p := range r.Cold.Packages {
			row(p.Package).Cold = &p.Seconds
		}
	}
	if r.Warm != nil {
		for _, p := range r.Warm.Packages {
			row(p.Package).Warm = &p.Seconds
		}
	}
	key := func(s *suiteRow) float64 {
		if s.Cold != nil {
			return s.Cold.Median
		}
		return s.Warm.Median
	}
	slices.SortStableFunc(rows, func(a, b suiteRow) int { return cmp.Compare(key(&b), key(&a)) })
	return rows
}
