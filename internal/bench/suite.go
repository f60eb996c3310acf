package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/ru"
	"github.com/go-docker-workshop/workshop/lessons"
	"github.com/moby/moby/client"
)

// SuiteResults is how long the course's own checks take: the whole `make test` suite, cold
// (no build cache, no test images) and warm, by package, and a student's warm `workshop
// check N` per lesson with the reference solution in exercise/.
type SuiteResults struct {
	Date    time.Time    `json:"date"`
	Command string       `json:"command"`
	Docker  string       `json:"docker"` // server version and image store
	Cold    *SuiteTimes  `json:"cold,omitempty"`
	Warm    *SuiteTimes  `json:"warm,omitempty"`
	Checks  []CheckTimes `json:"checks,omitempty"`
	// FirstChecks is each lesson's first `workshop check N` on a machine with only the base
	// images: no test images, no build cache, the lesson's test binary not compiled (Go's build
	// cache kept, as after the lessons before it). Measured with -cold.
	FirstChecks []CheckTimes `json:"first_checks,omitempty"`
	// NewMachine is lesson 1's first check with Go's build cache empty as well: the first
	// check a student runs after cloning the course.
	NewMachine *CheckTimes `json:"new_machine,omitempty"`
}

// SuiteTimes are the seconds of several runs of the suite: in all and by package.
type SuiteTimes struct {
	Runs     int            `json:"runs"`
	Total    Summary        `json:"total_s"`
	Packages []PackageTimes `json:"packages"`
	Failed   int            `json:"failed_runs"` // runs in which a package failed: their times count all the same
}

// PackageTimes is one package's `go test` time in seconds, as go test -json reports it.
type PackageTimes struct {
	Package string  `json:"package"`
	Seconds Summary `json:"seconds"`
}

// CheckTimes is a warm `workshop check N` of one lesson: until its first line and in all.
type CheckTimes struct {
	Lesson    int     `json:"lesson"`
	FirstLine Summary `json:"first_line_s"`
	Total     Summary `json:"total_s"`
	Passed    bool    `json:"passed"`
}

// cacheLesson runs on its own after the rest, as make test runs it; then the classroom's
// packages, one at a time (the Makefile's CLASS_PKGS).
const cacheLesson = "./lessons/06-build-cache"

var classPackages = []string{"./internal/classroom", "./internal/cli"}

// Suite measures the suite runs times (cold: after removing the test images and the build
// cache) and the warm check of every lesson runs times, writing progress to log.
type Suite struct {
	Root string
	Runs int
	Cold bool
	Log  io.Writer
}

// Measure runs the suite and the checks.
func (s *Suite) Measure(ctx context.Context) (*SuiteResults, error) {
	r := &SuiteResults{Date: time.Now().UTC()}
	cli, err := imagetest.Client(ctx)
	if err != nil {
		return nil, err
	}
	if v, err := cli.ServerVersion(ctx, client.ServerVersionOptions{}); err == nil {
		r.Docker = "Docker " + v.Version
	}
	if info, err := cli.Info(ctx, client.InfoOptions{}); err == nil {
		store := "классическое хранилище образов"
		for _, kv := range info.Info.DriverStatus {
			if kv[0] == "driver-type" && strings.Contains(kv[1], "snapshotter") {
				store = "хранилище образов containerd"
			}
		}
		r.Docker += ", " + store
	}
	if s.Cold {
		times := &SuiteTimes{}
		for i := range s.Runs {
			fmt.Fprintf(s.Log, "Холодный прогон %d из %d: удаляю образы тестов и кэш сборки…\n", i+1, s.Runs)
			if err := s.forget(ctx, cli); err != nil {
				return nil, err
			}
			if err := s.suite(ctx, times); err != nil {
				return nil, err
			}
		}
		r.Cold = times
	}
	warm := &SuiteTimes{}
	fmt.Fprintln(s.Log, "Тёплые прогоны: сначала один, чтобы кэш был полным, он не считается…")
	if err := s.suite(ctx, &SuiteTimes{}); err != nil {
		return nil, err
	}
	for i := range s.Runs {
		fmt.Fprintf(s.Log, "Тёплый прогон %d из %d…\n", i+1, s.Runs)
		if err := s.suite(ctx, warm); err != nil {
			return nil, err
		}
	}
	r.Warm = warm
	if r.Checks, err = s.checks(ctx); err != nil {
		return r, err
	}
	if s.Cold {
		r.FirstChecks, r.NewMachine, err = s.firstChecks(ctx, cli)
	}
	return r, err
}

// MeasureFirst times each lesson's first check (see firstChecks).
func (s *Suite) MeasureFirst(ctx context.Context) ([]CheckTimes, *CheckTimes, error) {
	cli, err := imagetest.Client(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.firstChecks(ctx, cli)
}

// firstChecks times each lesson's first check, in a copy of the course with the references in
// exercise/: before each one the test images, the whole build cache and the compiled test
// binaries are removed. Then lesson 1's once more with an empty Go build cache.
func (s *Suite) firstChecks(ctx context.Context, cli client.APIClient) ([]CheckTimes, *CheckTimes, error) {
	tmp, bin, all, err := s.solvedCopy(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	first := func(l lessons.Lesson, env ...string) (CheckTimes, error) {
		if err := s.forget(ctx, cli); err != nil {
			return CheckTimes{}, err
		}
		if err := os.RemoveAll(filepath.Join(tmp, ".workshop")); err != nil {
			return CheckTimes{}, err
		}
		// The servers lessons 1 and 7 compiled on the host are kept under the user's cache
		// directory (lessoncheck.BuildServer): a first check has none of them.
		if dir, err := os.UserCacheDir(); err == nil {
			if err := os.RemoveAll(filepath.Join(dir, "go-docker-workshop", "servers")); err != nil {
				return CheckTimes{}, err
			}
		}
		f, total, ok, err := timeCheck(ctx, tmp, bin, l.Number, env...)
		if err != nil {
			return CheckTimes{}, err
		}
		c := CheckTimes{Lesson: l.Number, Passed: ok}
		c.FirstLine, c.Total = appendValue(c.FirstLine, f.Seconds()), appendValue(c.Total, total.Seconds())
		return c, nil
	}
	var res []CheckTimes
	for _, l := range all {
		fmt.Fprintf(s.Log, "Урок %d: первая проверка (без кэша сборки, образов тестов и тестового бинарника)…\n", l.Number)
		c, err := first(l)
		if err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(s.Log, "  %s\n", ru.Elapsed(time.Duration(c.Total.Median*float64(time.Second))))
		res = append(res, c)
	}
	if len(all) == 0 {
		return res, nil, nil
	}
	gocache, err := os.MkdirTemp("", "workshop-bench-gocache-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(gocache)
	fmt.Fprintf(s.Log, "Урок %d на новой машине: ещё и кэш сборки Go пуст…\n", all[0].Number)
	c, err := first(all[0], "GOCACHE="+gocache, "XDG_CACHE_HOME="+gocache) // and every other cache of the user
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(s.Log, "  %s\n", ru.Elapsed(time.Duration(c.Total.Median*float64(time.Second))))
	return res, &c, nil
}

// forget removes what the suite built (images labelled workshop.built=true) and the whole
// build cache; the base images stay.
func (s *Suite) forget(ctx context.Context, cli client.APIClient) error {
	list, err := cli.ImageList(ctx, client.ImageListOptions{All: true, Filters: client.Filters{}.Add("label", imagetest.LabelBuilt+"=true")})
	if err != nil {
		return err
	}
	for _, img := range list.Items {
		_, _ = cli.ImageRemove(ctx, img.ID, client.ImageRemoveOptions{Force: true, PruneChildren: true})
	}
	_, err = cli.BuildCachePrune(ctx, client.BuildCachePruneOptions{All: true})
	return err
}

// suite runs make test's two go test commands and adds their times to t.
func (s *Suite) suite(ctx context.Context, t *SuiteTimes) error {
	pkgs, err := s.goList(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	times := map[string]float64{}
	failed := false
	for _, args := range [][]string{
		append([]string{"test", "-count=1", "-json", "-timeout", "80m", "-p", "4"}, pkgs...),
		{"test", "-count=1", "-json", "-timeout", "30m", cacheLesson},
		append([]string{"test", "-count=1", "-json", "-timeout", "60m", "-p", "1"}, classPackages...),
	} {
		f, err := s.goTest(ctx, args, times)
		if err != nil {
			return err
		}
		failed = failed || f
	}
	t.Runs++
	if failed {
		t.Failed++
	}
	t.Total = appendValue(t.Total, time.Since(start).Seconds())
	for pkg, sec := range times {
		i := slices.IndexFunc(t.Packages, func(p PackageTimes) bool { return p.Package == pkg })
		if i < 0 {
			t.Packages = append(t.Packages, PackageTimes{Package: pkg})
			i = len(t.Packages) - 1
		}
		t.Packages[i].Seconds = appendValue(t.Packages[i].Seconds, sec)
	}
	slices.SortFunc(t.Packages, func(a, b PackageTimes) int { return strings.Compare(a.Package, b.Package) })
	fmt.Fprintf(s.Log, "  прогон занял %s\n", ru.Elapsed(time.Since(start)))
	return nil
}

func appendValue(sum Summary, v float64) Summary { return Summarize(append(sum.Values, v)) }

// goList lists the packages make test runs in its first command: all but the cache lesson.
func (s *Suite) goList(ctx context.Context) ([]string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "./...")
	cmd.Dir = s.Root
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list ./...: %w", err)
	}
	var pkgs []string
	for _, p := range strings.Fields(string(out)) {
		if !strings.HasSuffix(p, "/lessons/06-build-cache") && !slices.ContainsFunc(classPackages, func(c string) bool {
			return strings.HasSuffix(p, strings.TrimPrefix(c, "."))
		}) {
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, nil
}

// goTest runs go test -json and records each package's elapsed seconds; failed reports a
// package that failed. Only a go test that could not run is an error.
func (s *Suite) goTest(ctx context.Context, args []string, times map[string]float64) (failed bool, err error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = s.Root
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		return false, err
	}
	if err := cmd.Start(); err != nil {
		return false, err
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	output := map[string][]string{} // each test's output, for the log of a failure
	for sc.Scan() {
		var e struct {
			Action, Package, Test, Output string
			Elapsed                       float64
		}
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		if e.Test != "" {
			key := e.Package + " " + e.Test
			switch e.Action {
			case "output":
				output[key] = append(output[key], e.Output)
			case "fail":
				// A failed run's times count all the same; the log says what failed.
				fmt.Fprintf(s.Log, "  ✗ %s %s:\n%s", strings.TrimPrefix(e.Package, lessons.Module+"/"), e.Test,
					strings.Join(output[key][max(0, len(output[key])-20):], ""))
			case "pass", "skip":
				delete(output, key)
			}
			continue
		}
		switch e.Action {
		case "pass", "fail":
			times[strings.TrimPrefix(e.Package, lessons.Module+"/")] = e.Elapsed
			if e.Action == "fail" {
				failed = true
				fmt.Fprintf(s.Log, "  ✗ %s\n", e.Package)
			}
		}
	}
	werr := cmd.Wait()
	var exit *exec.ExitError
	if werr != nil && !errors.As(werr, &exit) {
		return failed, fmt.Errorf("go %s: %w", strings.Join(args[:2], " "), werr)
	}
	return failed || werr != nil, nil
}

// checks times a warm `workshop check N` for every lesson whose reference can stand in for the
// exercise, in a copy of the course with the reference's files copied into exercise/.
func (s *Suite) checks(ctx context.Context) ([]CheckTimes, error) {
	tmp, bin, all, err := s.solvedCopy(ctx)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var res []CheckTimes
	for _, l := range all {
		c := CheckTimes{Lesson: l.Number, Passed: true}
		for i := range s.Runs + 1 { // the first run warms up and is not counted
			first, total, ok, err := timeCheck(ctx, tmp, bin, l.Number)
			if err != nil {
				return nil, err
			}
			if i == 0 {
				continue
			}
			c.FirstLine, c.Total = appendValue(c.FirstLine, first.Seconds()), appendValue(c.Total, total.Seconds())
			c.Passed = c.Passed && ok
		}
		fmt.Fprintf(s.Log, "Урок %d: проверка %s (медиана), первая строка через %s\n", l.Number,
			ru.Seconds(time.Duration(c.Total.Median*float64(time.Second)), 1), ru.Seconds(time.Duration(c.FirstLine.Median*float64(time.Second)), 2))
		res = append(res, c)
	}
	return res, nil
}

// solvedCopy copies the course to a temporary directory, builds the CLI there and copies
// each lesson's reference into its exercise/; all is the lessons that have one.
func (s *Suite) solvedCopy(ctx context.Context) (tmp, bin string, all []lessons.Lesson, err error) {
	lessonsAll, err := lessons.All()
	if err != nil {
		return "", "", nil, err
	}
	tmp, err = os.MkdirTemp("", "workshop-bench-checks-")
	if err != nil {
		return "", "", nil, err
	}
	if err := lessons.CopyCourse(s.Root, tmp); err != nil {
		os.RemoveAll(tmp)
		return "", "", nil, err
	}
	bin = filepath.Join(tmp, "bin", "workshop")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/workshop")
	build.Dir = tmp
	if out, err := build.CombinedOutput(); err != nil {
		os.RemoveAll(tmp)
		return "", "", nil, fmt.Errorf("go build ./cmd/workshop: %v\n%s", err, out)
	}
	for _, l := range lessonsAll {
		if !solve(tmp, l) {
			fmt.Fprintf(s.Log, "Урок %d: у задания нет эталона в каталоге урока, проверку не замеряю.\n", l.Number)
			continue
		}
		all = append(all, l)
	}
	return tmp, bin, all, nil
}

// solve copies the reference's counterpart of every exercise file into exercise/; false when
// one has none.
func solve(root string, l lessons.Lesson) bool {
	for _, f := range l.Exercise.Files {
		ref := filepath.Join(root, l.Dir(), strings.TrimPrefix(f, "exercise/"))
		data, err := os.ReadFile(ref)
		if err != nil {
			return false
		}
		if os.WriteFile(filepath.Join(root, l.Dir(), f), data, 0o644) != nil {
			return false
		}
	}
	return len(l.Exercise.Files) > 0
}

// timeCheck runs one check and times its first line of output and its end.
func timeCheck(ctx context.Context, root, bin string, n int, env ...string) (first, total time.Duration, passed bool, err error) {
	cmd := exec.CommandContext(ctx, bin, "check", fmt.Sprint(n))
	cmd.Dir = root
	cmd.Env = append(append(os.Environ(), "WORKSHOP_ROOT="+root), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, false, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, false, err
	}
	r := bufio.NewReader(out)
	if _, err := r.ReadString('\n'); err == nil {
		first = time.Since(start)
	}
	_, _ = io.Copy(io.Discard, r)
	werr := cmd.Wait()
	total = time.Since(start)
	var exit *exec.ExitError
	if werr != nil && !errors.As(werr, &exit) {
		return 0, 0, false, werr
	}
	return first, total, werr == nil, nil
}
