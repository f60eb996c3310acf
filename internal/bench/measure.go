package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/elfinfo"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// Repo is the repository of every image the bench builds: workshop/bench:<target>. A fixed
// tag per target means each build replaces the previous image instead of piling up.
const Repo = "workshop/bench"

// StopTimeout is the grace period of `docker stop` (its default).
const StopTimeout = 10 * time.Second

// Runner measures targets with the imagetest harness.
type Runner struct {
	Root     string    // repository root
	Runs     int       // runs per target
	Requests int       // requests sent before reading the memory use; 50 when zero
	Log      io.Writer // progress, in Russian
	Now      func() time.Time

	d       *daemon
	builder string
}

type prepared struct {
	t        Target
	dir      string // the copy of the build context
	original []byte // the server's source as in the repository
	res      *ImageResult
	samples  []sample
}

type sample struct {
	cold, nochange, warm time.Duration
	size                 int64
	layers               int
	ready, stop          time.Duration
	exitCode             int
	memory               uint64
}

// Measure builds, starts and stops every target Runs times and returns the environment and
// one result per target. A target that fails keeps its error in ImageResult.Error and the
// others go on. Everything the bench built is removed before Measure returns.
func (r *Runner) Measure(ctx context.Context, targets []Target) (Environment, []ImageResult, error) {
	if r.Runs < 1 {
		r.Runs = 1
	}
	if r.Requests == 0 {
		r.Requests = 50
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Log == nil {
		r.Log = io.Discard
	}
	d, err := newDaemon(ctx)
	if err != nil {
		return Environment{}, nil, err
	}
	defer d.Close()
	r.d = d
	env, err := d.environment(ctx, r.Root, targets)
	if err != nil {
		return env, nil, err
	}
	env.Date, env.Runs, env.LoadAvgStart = r.Now().UTC().Truncate(time.Second), r.Runs, loadAvg()

	var ps []*prepared
	defer func() {
		for _, p := range ps {
			os.RemoveAll(p.dir)
		}
	}()
	defer r.cleanup(ctx, targets)
	for _, t := range targets {
		p, err := r.prepare(ctx, t, env.Arch)
		if err != nil {
			p.res.Error = err.Error()
			fmt.Fprintf(r.Log, "%s: %v\n", t.Name, err)
		}
		ps = append(ps, p)
	}
	for run := 1; run <= r.Runs; run++ {
		for _, p := range ps {
			if p.res.Error != "" {
				continue
			}
			s, err := r.runOnce(ctx, p, run)
			if err != nil {
				p.res.Error = fmt.Sprintf("прогон %d: %v", run, err)
				fmt.Fprintf(r.Log, "Прогон %d/%d · %s: ошибка: %v\n", run, r.Runs, p.t.Name, err)
				if ctx.Err() != nil {
					return env, nil, ctx.Err()
				}
				continue
			}
			p.samples = append(p.samples, s)
			fmt.Fprintf(r.Log, "Прогон %d/%d · %s: %s\n", run, r.Runs, p.t.Name, s)
		}
	}
	env.LoadAvgEnd, env.Builder = loadAvg(), r.builder
	var results []ImageResult
	for _, p := range ps {
		p.res.Runs = len(p.samples)
		p.res.fill(p.samples)
		results = append(results, *p.res)
	}
	return env, results, nil
}

func (s sample) String() string {
	return fmt.Sprintf("холодная сборка %s · без изменений %s · после правки %s · до первого 200 %s · docker stop %s (код %d) · память %s",
		fmtDuration(s.cold), fmtDuration(s.nochange), fmtDuration(s.warm), fmtDuration(s.ready),
		fmtDuration(s.stop), s.exitCode, fmtBytes(float64(s.memory)))
}

// prepare copies the build context to a temporary directory and builds the reference binary.
func (r *Runner) prepare(ctx context.Context, t Target, arch string) (*prepared, error) {
	p := &prepared{t: t, res: &ImageResult{
		Name: t.Name, Title: t.Title, Lesson: t.Lesson, Context: filepath.ToSlash(t.Context),
		Dockerfile: t.Dockerfile, Source: filepath.ToSlash(t.Source), MeasuredAt: r.Now().UTC().Truncate(time.Second),
	}}
	src := filepath.Join(r.Root, t.Context)
	var err error
	p.original, err = os.ReadFile(filepath.Join(src, t.Source))
	if err != nil {
		return p, err
	}
	p.res.Graceful = bytes.Contains(p.original, []byte(`"os/signal"`))
	p.dir, err = os.MkdirTemp("", "workshop-bench-"+t.Name+"-")
	if err != nil {
		return p, err
	}
	if err := copyContext(src, p.dir, t.Dockerfile); err != nil {
		return p, fmt.Errorf("копирование контекста сборки: %w", err)
	}
	if !exists(filepath.Join(p.dir, t.Source)) {
		return p, fmt.Errorf("%s не попадает в контекст сборки: проверьте .dockerignore", t.Source)
	}
	p.res.Binary.StrippedBytes, err = strippedBinarySize(ctx, filepath.Join(src, t.Source), arch)
	return p, err
}

// strippedBinarySize builds the source as a stripped static binary for linux/arch on the
// host and returns its size.
func strippedBinarySize(ctx context.Context, source, arch string) (int64, error) {
	dir, err := os.MkdirTemp("", "workshop-bench-bin-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "server")
	if err := buildStripped(ctx, source, arch, bin); err != nil {
		return 0, err
	}
	st, err := os.Stat(bin)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// buildStripped runs `CGO_ENABLED=0 go build -trimpath -ldflags="-s -w"` on a copy of the
// source outside any module, as the Dockerfiles build it, and writes the binary to out.
func buildStripped(ctx context.Context, source, arch, out string) error {
	dir, err := os.MkdirTemp("", "workshop-bench-src-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := copyFile(source, filepath.Join(dir, "server.go")); err != nil {
		return err
	}
	out, err = filepath.Abs(out)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "server.go")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch, "GOFLAGS=", "GOWORK=off")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build -trimpath -ldflags=\"-s -w\" %s: %v\n%s", source, err, msg)
	}
	return nil
}

// runOnce is one run: a cold build, a rebuild without changes, a rebuild after appending a
// line to the source, then a container: readiness, requests, memory and docker stop.
func (r *Runner) runOnce(ctx context.Context, p *prepared, run int) (s sample, err error) {
	source := filepath.Join(p.dir, p.t.Source)
	if err := os.WriteFile(source, p.original, 0o644); err != nil {
		return s, err
	}
	spec := imagetest.BuildSpec{
		Context: p.dir, Dockerfile: p.t.Dockerfile, Repo: Repo, Tag: p.t.Name, Lesson: p.t.LessonLabel(), NoCache: true,
	}
	img, err := r.build(ctx, spec)
	if err != nil {
		return s, err
	}
	s.cold = img.BuildTime

	spec.NoCache = false
	if img, err = r.build(ctx, spec); err != nil {
		return s, err
	}
	s.nochange = img.BuildTime

	if err := appendLine(source, fmt.Sprintf("// bench: %d", r.Now().UnixNano())); err != nil {
		return s, err
	}
	if img, err = r.build(ctx, spec); err != nil {
		return s, err
	}
	s.warm = img.BuildTime

	info, err := img.Inspect(ctx)
	if err != nil {
		return s, err
	}
	s.size, s.layers = info.Size, info.Layers
	if run == 1 || p.res.Binary.ImagePath == "" {
		r.imageBinary(ctx, img, info, &p.res.Binary)
	}

	c, err := img.Run(ctx, imagetest.RunOptions{})
	defer func() {
		if terr := c.Terminate(context.WithoutCancel(ctx)); terr != nil && err == nil {
			err = fmt.Errorf("удаление контейнера: %w", terr)
		}
	}()
	if err != nil {
		return s, err
	}
	s.ready = c.Ready
	for i := 0; i < r.Requests; i++ {
		for _, path := range []string{"/", "/healthz"} {
			resp, err := c.Get(ctx, path)
			if err != nil {
				return s, err
			}
			if resp.Status != 200 {
				return s, fmt.Errorf("GET %s: код %d, ожидался 200", path, resp.Status)
			}
		}
	}
	mem, err := c.Memory(ctx)
	if err != nil {
		return s, err
	}
	s.memory = mem
	st, err := c.Stop(ctx, StopTimeout)
	if err != nil {
		return s, err
	}
	s.stop, s.exitCode = st.Took, st.ExitCode
	return s, nil
}

func (r *Runner) build(ctx context.Context, spec imagetest.BuildSpec) (*imagetest.Image, error) {
	img, err := imagetest.Rebuild(ctx, spec)
	if err != nil {
		return nil, err
	}
	if r.builder == "" {
		r.builder = img.Builder
	}
	return img, nil
}

func appendLine(file, line string) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f, "\n%s\n", line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// imageBinary finds the server binary the image starts (ENTRYPOINT, else CMD, relative to
// WORKDIR) and records its size and how it is linked. An image that starts a shell is left
// without one.
func (r *Runner) imageBinary(ctx context.Context, img *imagetest.Image, info imagetest.Info, b *Binary) {
	argv := info.Config.Entrypoint
	if len(argv) == 0 {
		argv = info.Config.Cmd
	}
	if len(argv) == 0 || strings.HasSuffix(argv[0], "sh") {
		return
	}
	p := argv[0]
	if !path.IsAbs(p) {
		wd := info.Config.WorkingDir
		if wd == "" {
			wd = "/"
		}
		p = path.Join(wd, p)
	}
	data, err := img.ReadFile(ctx, p)
	if err != nil {
		fmt.Fprintf(r.Log, "%s: бинарник %s не прочитан: %v\n", img.Ref, p, err)
		return
	}
	b.ImagePath, b.ImageBytes = p, int64(len(data))
	if ei, err := elfinfo.Inspect(bytes.NewReader(data)); err == nil {
		b.ImageStripped, b.ImageStatic = ei.Stripped, ei.Static
	}
}

// cleanup removes the bench's images. BuildKit leaves no images of build stages behind;
// images another build or a container uses stay.
func (r *Runner) cleanup(ctx context.Context, targets []Target) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	var refs []string
	for _, t := range targets {
		refs = append(refs, Repo+":"+t.Name)
	}
	left := r.d.remove(ctx, refs)
	fmt.Fprintf(r.Log, "Образы %s:* удалены", Repo)
	if left > 0 {
		fmt.Fprintf(r.Log, " (остались %d: их использует другая сборка или контейнер)", left)
	}
	fmt.Fprintln(r.Log, ".")
}

// fill turns the samples into summaries.
func (res *ImageResult) fill(samples []sample) {
	var cold, nochange, warm, size, layers, ready, stop, mem []float64
	res.StopExitCodes = nil
	for _, s := range samples {
		cold = append(cold, ms(s.cold))
		nochange = append(nochange, ms(s.nochange))
		warm = append(warm, ms(s.warm))
		size = append(size, float64(s.size))
		layers = append(layers, float64(s.layers))
		ready = append(ready, ms(s.ready))
		stop = append(stop, ms(s.stop))
		mem = append(mem, float64(s.memory))
		res.StopExitCodes = append(res.StopExitCodes, s.exitCode)
	}
	res.ColdBuildMS, res.NoChangeRebuildMS, res.WarmRebuildMS = Summarize(cold), Summarize(nochange), Summarize(warm)
	res.SizeBytes, res.Layers = Summarize(size), Summarize(layers)
	res.ReadyMS, res.StopMS, res.MemoryBytes = Summarize(ready), Summarize(stop), Summarize(mem)
	if res.Binary.StrippedBytes > 0 && !res.SizeBytes.Empty() {
		res.Ratio = res.SizeBytes.Median / float64(res.Binary.StrippedBytes)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
