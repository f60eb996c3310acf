// Package bench measures the workshop's images: size and layers, cold build, rebuild after
// a one-line change, start to the first 200, docker stop and memory, next to the physical
// limit (the server as a stripped static binary). It writes docs/bench/results.json and
// renders from it docs/bench.md, docs/bench/sizes.svg and terminal bars. cmd/bench is its
// thin main; everything here writes to an io.Writer so it can be tested.
package bench

import (
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

	"github.com/go-docker-workshop/workshop/internal/buildevent"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

// Files written under -out (and next to it, the Markdown report).
const (
	ResultsFile = "results.json"
	ChartFile   = "sizes.svg"
)

type options struct {
	runs         int
	only         string
	out          string
	bars         bool
	render       bool
	width        int
	makeTestWarm time.Duration
	makeTestCold time.Duration
}

// Main runs the bench command and returns the process exit code: 0, 1 on failure,
// 2 on a usage error.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := Run(ctx, args, stdout)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, err)
		return 2
	default:
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
}

var errUsage = errors.New("неверные аргументы")

// Run parses args and measures, renders or prints bars, writing progress to stdout.
func Run(ctx context.Context, args []string, stdout io.Writer) error {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.IntVar(&o.runs, "runs", 3, "сколько раз измерить каждый образ (медиана и разброс)")
	fs.StringVar(&o.only, "only", "", "измерить один образ: имя (05-scratch, root, root-single) или номер урока")
	fs.StringVar(&o.out, "out", filepath.Join("docs", "bench"), "каталог для results.json и sizes.svg; отчёт пишется в <out>.md")
	fs.BoolVar(&o.bars, "bars", false, "не измерять, а напечатать размеры столбиками из <out>/results.json")
	fs.BoolVar(&o.render, "render", false, "не измерять, а заново создать отчёт и график из <out>/results.json")
	fs.IntVar(&o.width, "width", BarWidth, "ширина столбиков -bars в символах")
	fs.DurationVar(&o.makeTestWarm, "make-test-warm", 0, "время повторного make test из CI (например 52s), для отчёта")
	fs.DurationVar(&o.makeTestCold, "make-test-cold", 0, "время make test на новой машине из CI (например 11m), для отчёта")
	fs.Usage = func() {
		fmt.Fprintln(stdout, "Использование: go run ./cmd/bench [-runs 3] [-only ИМЯ] [-out docs/bench] [-bars] [-render]")
		fmt.Fprintln(stdout, "Замеры образов уроков и корневых Dockerfile: размер, слои, сборка, запуск, docker stop, память.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v\nПодсказка: go run ./cmd/bench -h", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: лишние аргументы %q\nПодсказка: go run ./cmd/bench -h", errUsage, fs.Args())
	}
	if o.runs < 1 {
		return fmt.Errorf("%w: -runs должно быть не меньше 1", errUsage)
	}
	root, err := FindRoot(".")
	if err != nil {
		return err
	}
	out := o.out
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	resultsPath := filepath.Join(out, ResultsFile)

	switch {
	case o.bars:
		r, err := Load(resultsPath)
		if err != nil {
			return noResults(err)
		}
		return WriteBars(stdout, r, o.width)
	case o.render:
		r, err := Load(resultsPath)
		if err != nil {
			return noResults(err)
		}
		o.applyMakeTest(r)
		_, missing, _ := Discover(root)
		return writeAll(stdout, r, root, out, missing)
	}
	return measure(ctx, stdout, root, out, o)
}

func noResults(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w\nПодсказка: сначала измерьте образы: go run ./cmd/bench", err)
	}
	return err
}

func (o options) applyMakeTest(r *Results) {
	if o.makeTestWarm > 0 {
		v := o.makeTestWarm.Seconds()
		r.MakeTest.WarmSeconds = &v
	}
	if o.makeTestCold > 0 {
		v := o.makeTestCold.Seconds()
		r.MakeTest.ColdSeconds = &v
	}
	if o.makeTestWarm > 0 || o.makeTestCold > 0 {
		r.MakeTest.Source = "время make test, вписано флагом"
	}
}

func measure(ctx context.Context, stdout io.Writer, root, out string, o options) error {
	all, missing, err := Discover(root)
	if err != nil {
		return err
	}
	targets, err := Select(all, o.only)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if len(missing) > 0 && o.only == "" {
		fmt.Fprintf(stdout, "Нет эталонного Dockerfile, пропускаю: %s.\n", strings.Join(missing, ", "))
	}
	fmt.Fprintf(stdout, "Замеры: %d образ(а) × %d прогон(а). Холодная сборка на 2 ядрах — около 20 с, "+
		"так что весь замер займёт порядка %d мин.\n", len(targets), o.runs, max(1, len(targets)*o.runs*50/60))

	imagetest.SetProgress(stepPrinter(stdout))
	defer imagetest.SetProgress(nil)
	runner := &Runner{Root: root, Runs: o.runs, Log: stdout}
	env, results, err := runner.Measure(ctx, targets)
	if err != nil {
		return err
	}
	env.Command = "go run ./cmd/bench " + strings.Join(commandArgs(o), " ")
	r := &Results{Environment: env}
	if o.only != "" {
		if prev, err := Load(filepath.Join(out, ResultsFile)); err == nil {
			r = prev
			r.Environment = env
		}
	}
	r.Merge(results)
	o.applyMakeTest(r)
	if err := writeAll(stdout, r, root, out, missing); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	if err := WriteBars(stdout, r, o.width); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	for _, c := range Evaluate(r) {
		fmt.Fprintf(stdout, "%s %s %s: %s\n", metSymbol(c.Met), c.Title, c.Limit, c.Measured)
	}
	var failed []string
	for _, img := range results {
		if img.Error != "" {
			failed = append(failed, img.Name)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("не измерены: %s (причина — в %s и выше)", strings.Join(failed, ", "), filepath.Join(out, ResultsFile))
	}
	return nil
}

func commandArgs(o options) []string {
	args := []string{fmt.Sprintf("-runs %d", o.runs)}
	if o.only != "" {
		args = append(args, "-only "+o.only)
	}
	return args
}

func metSymbol(met *bool) string {
	switch {
	case met == nil:
		return "·"
	case *met:
		return "✓"
	default:
		return "✗"
	}
}

// writeAll saves results.json, renders sizes.svg and <out>.md from it and, when out is the
// repository's own, updates the README's line on when and where the numbers were taken.
func writeAll(stdout io.Writer, r *Results, root, out string, missing []string) error {
	resultsPath := filepath.Join(out, ResultsFile)
	if err := r.Save(resultsPath); err != nil {
		return err
	}
	chartPath := filepath.Join(out, ChartFile)
	if err := writeFile(chartPath, func(w io.Writer) error { return WriteSVG(w, r) }); err != nil {
		return err
	}
	mdPath := filepath.Clean(out) + ".md"
	rel := func(p string) string {
		s, err := filepath.Rel(filepath.Dir(mdPath), p)
		if err != nil {
			return p
		}
		return filepath.ToSlash(s)
	}
	opt := MarkdownOptions{Chart: rel(chartPath), Results: rel(resultsPath), Missing: missing}
	if err := writeFile(mdPath, func(w io.Writer) error { return WriteMarkdown(w, r, opt) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Записано: %s, %s, %s\n", resultsPath, chartPath, mdPath)
	readme, err := updateReadme(root, out, r)
	if err != nil {
		return err
	}
	if readme != "" {
		fmt.Fprintf(stdout, "Обновлена строка о замерах в %s\n", readme)
	}
	return nil
}

func writeFile(path string, render func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var b strings.Builder
	if err := render(&b); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// stepPrinter shows each finished build step, as docker build --progress=plain does, so a
// long cold build shows where its time goes. BuildKit's own quick steps are left out.
func stepPrinter(w io.Writer) func(buildevent.Event) {
	var mu sync.Mutex
	return func(e buildevent.Event) {
		if e.State == buildevent.Running || strings.HasPrefix(e.Step, "[internal]") {
			return
		}
		took := ru.Seconds(e.Took, 1)
		mark := "✓"
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
