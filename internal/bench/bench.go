// Package bench measures the workshop's images: size and layers, cold build, rebuild after
// a one-line change, start to the first 200, docker stop and memory, next to the physical
// limit (the server as a stripped static binary). It keeps the numbers in
// docs/bench/results.json and renders from them docs/bench.md, docs/bench/sizes.svg and
// terminal bars. cmd/bench is its thin main; everything here writes to an io.Writer.
package bench

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-docker-workshop/workshop/internal/bars"
	"github.com/go-docker-workshop/workshop/internal/buildevent"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/ru"
	"github.com/go-docker-workshop/workshop/internal/verdict"
	"github.com/go-docker-workshop/workshop/lessons"
)

// Files written under -out; the report is written next to it, as <out>.md.
const (
	ResultsFile = "results.json"
	ChartFile   = "sizes.svg"
)

// Main runs the bench command and returns the process exit code: 0, 1 on failure,
// 2 on a usage error.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := Run(ctx, args, stdout)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	}
	// What is wrong and, on its own line, what to do: from the Problem's fields, not its text.
	p := verdict.As(err)
	if errors.Is(err, errUsage) {
		fmt.Fprintln(stderr, p.What)
	} else {
		fmt.Fprintf(stderr, "bench: %s\n", p.What)
	}
	if p.Hint != "" {
		fmt.Fprintf(stderr, "%s%s\n", verdict.HintWord, p.Hint)
	}
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// usage is a wrong command line: errUsage, in words, with the hint to read the flags.
func usage(format string, args ...any) error {
	return verdict.Wrapf(errUsage, "go run ./cmd/bench -h", "%v: "+format, append([]any{errUsage}, args...)...)
}

// measureFirst is err of a results file that is not there or cannot be read yet.
func measureFirst(err error) error {
	return verdict.Wrapf(err, "сначала измерьте образы: go run ./cmd/bench", "%v", err)
}

var errUsage = errors.New("неверные аргументы")

// Run parses args and measures, renders or prints bars, writing progress to stdout.
func Run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stdout)
	runs := fs.Int("runs", 3, "сколько раз измерить каждый образ (медиана и разброс)")
	only := fs.String("only", "", "измерить один образ: имя (05-scratch, root, root-single) или номер урока")
	out := fs.String("out", filepath.Join("docs", "bench"), "каталог для results.json и sizes.svg; отчёт пишется в <out>.md")
	showBars := fs.Bool("bars", false, "не измерять, а напечатать размеры столбиками из <out>/results.json")
	render := fs.Bool("render", false, "не измерять, а заново создать отчёт и график из <out>/results.json")
	width := fs.Int("width", bars.Width, "ширина столбиков -bars в символах")
	suite := fs.Bool("suite", false, "не образы, а время проверок: make test по пакетам и make check-N по урокам, -runs раз")
	cold := fs.Bool("cold", false, "с -suite: ещё и холодные прогоны и первые проверки уроков; перед каждым удаляет образы тестов и весь кэш сборки")
	first := fs.Bool("first", false, "с -suite: только первые проверки уроков (удаляет кэш сборки перед каждой); прочие числа остаются")
	fs.Usage = func() {
		fmt.Fprintln(stdout, "Использование: go run ./cmd/bench [-runs 3] [-only ИМЯ] [-out docs/bench] [-bars] [-render]")
		fmt.Fprintln(stdout, "Замеры образов уроков и корневых Dockerfile: размер, слои, сборка, запуск, docker stop, память.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usage("%v", err)
	}
	if fs.NArg() > 0 {
		return usage("лишние аргументы %q", fs.Args())
	}
	if *runs < 1 {
		return usage("-runs должно быть не меньше 1")
	}
	root := lessons.FindRoot(".")
	if root == "" {
		return verdict.Failf("запускайте из каталога практикума: go run ./cmd/bench", "не найден корень практикума (go.mod модуля %s)", lessons.Module)
	}
	dir := *out
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	targets, missing, err := Discover(root)
	if err != nil {
		return err
	}
	if *showBars || *render {
		r, err := Load(filepath.Join(dir, ResultsFile))
		if errors.Is(err, os.ErrNotExist) {
			return measureFirst(err)
		}
		if err != nil {
			return err
		}
		if *showBars {
			return WriteBars(stdout, r, *width)
		}
		return writeReports(stdout, r, dir, missing)
	}

	if *suite {
		if *first {
			return runFirstChecks(ctx, stdout, root, dir, missing)
		}
		return runSuite(ctx, stdout, root, dir, *runs, *cold, missing)
	}
	if *cold || *first {
		return usage("-cold и -first — только вместе с -suite")
	}
	if targets, err = Select(targets, *only); err != nil {
		p := verdict.As(err) // Select's Problem: keep its hint, the names to choose from
		return verdict.Wrapf(errUsage, p.Hint, "%v: %s", errUsage, p.What)
	}
	if len(missing) > 0 && *only == "" {
		fmt.Fprintf(stdout, "Нет эталонного Dockerfile, пропускаю: %s.\n", strings.Join(missing, ", "))
	}
	fmt.Fprintf(stdout, "Замеры: %s × %s. Холодная сборка на 2 ядрах — около 20 с, так что весь замер займёт порядка %d мин.\n",
		ru.Count(len(targets), "образ", "образа", "образов"), ru.Count(*runs, "прогон", "прогона", "прогонов"), max(1, len(targets)*(*runs)*50/60))
	ctx = imagetest.WithProgress(ctx, stepPrinter(stdout))
	runner := &Runner{Root: root, Runs: *runs, Log: stdout}
	env, results, err := runner.Measure(ctx, targets)
	if err != nil {
		return err
	}
	env.Command = fmt.Sprintf("go run ./cmd/bench -runs %d", *runs)
	r := &Results{}
	if *only != "" {
		env.Command += " -only " + *only
		if prev, err := Load(filepath.Join(dir, ResultsFile)); err == nil {
			r = prev // the other images keep their numbers, and their base images
			env.BaseImages = MergeBaseImages(prev.Environment.BaseImages, env.BaseImages)
		}
	}
	r.Environment = env
	r.Merge(results)
	if err := writeReports(stdout, r, dir, missing); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	if err := WriteBars(stdout, r, *width); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	for _, c := range Evaluate(r) {
		fmt.Fprintf(stdout, "%s %s %s: %s\n", metMark(c.Met, "✓", "✗", "·"), c.Title, c.Limit, c.Measured)
	}
	var failed []string
	for _, img := range results {
		if img.Error != "" {
			failed = append(failed, img.Name)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("не измерены: %s (причина — в %s и выше)", strings.Join(failed, ", "), filepath.Join(dir, ResultsFile))
	}
	return nil
}

// writeReports saves results.json in dir and renders sizes.svg next to it and dir.md from it.
func writeReports(stdout io.Writer, r *Results, dir string, missing []string) error {
	results, chart, md := filepath.Join(dir, ResultsFile), filepath.Join(dir, ChartFile), filepath.Clean(dir)+".md"
	if err := r.Save(results); err != nil {
		return err
	}
	rel := func(p string) string {
		if s, err := filepath.Rel(filepath.Dir(md), p); err == nil {
			return filepath.ToSlash(s)
		}
		return p
	}
	var svg, doc bytes.Buffer
	err := errors.Join(WriteSVG(&svg, r), WriteReport(&doc, r, ReportOptions{Chart: rel(chart), Results: rel(results), Missing: missing}))
	if err == nil { // neither file is touched when one fails to render
		err = errors.Join(os.WriteFile(chart, svg.Bytes(), 0o644), os.WriteFile(md, doc.Bytes(), 0o644))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Записано: %s, %s, %s\n", results, chart, md)
	return nil
}

// runSuite measures the checks' times and writes them into the report beside the images.
func runSuite(ctx context.Context, stdout io.Writer, root, dir string, runs int, cold bool, missing []string) error {
	r, err := Load(filepath.Join(dir, ResultsFile))
	if err != nil {
		return measureFirst(err)
	}
	s := &Suite{Root: root, Runs: runs, Cold: cold, Log: stdout}
	res, err := s.Measure(ctx)
	if err != nil {
		return err
	}
	res.Command = fmt.Sprintf("go run ./cmd/bench -suite -runs %d", runs)
	if cold {
		res.Command += " -cold"
	} else if r.Suite != nil {
		// A warm run keeps the last cold numbers.
		res.Cold, res.FirstChecks, res.NewMachine = r.Suite.Cold, r.Suite.FirstChecks, r.Suite.NewMachine
	}
	r.Suite = res
	return writeReports(stdout, r, dir, missing)
}

// runFirstChecks measures only each lesson's first check and keeps the suite's other numbers.
func runFirstChecks(ctx context.Context, stdout io.Writer, root, dir string, missing []string) error {
	r, err := Load(filepath.Join(dir, ResultsFile))
	if err != nil {
		return measureFirst(err)
	}
	if r.Suite == nil {
		r.Suite = &SuiteResults{Date: time.Now().UTC(), Command: "go run ./cmd/bench -suite -first"}
	}
	s := &Suite{Root: root, Log: stdout}
	if r.Suite.FirstChecks, r.Suite.NewMachine, err = s.MeasureFirst(ctx); err != nil {
		return err
	}
	return writeReports(stdout, r, dir, missing)
}

// stepPrinter shows each finished build step, as docker build --progress=plain does, so a
// long cold build shows where its time goes. BuildKit's own quick steps are left out.
func stepPrinter(w io.Writer) func(buildevent.Event) {
	var mu sync.Mutex
	return func(e buildevent.Event) {
		if e.State == buildevent.Running || strings.HasPrefix(e.Step, "[internal]") {
			return
		}
		mark, took := "✓", ru.Elapsed(e.Took)
		switch e.State {
		case buildevent.Cached:
			mark, took = "·", "CACHED"
		case buildevent.Failed:
			mark = "✗"
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "    %s %s %s\n", mark, e.Step, took)
	}
}
