package bench

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/go-docker-workshop/workshop/internal/imagesize"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/moby/moby/client"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagebin"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/ru"
	"github.com/go-docker-workshop/workshop/internal/verdict"
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
	Requests int       // request pairs sent before reading the memory use; 50 when zero
	Log      io.Writer // progress, in Russian

	builder string // the builder of the first build, for the report
}

// measuring is one target while it is measured. The runs append their values to res's
// summaries; Measure summarizes them at the end.
type measuring struct {
	t        Target
	dir      string // the copy of the build context the runs edit
	original []byte // the server's source as in the repository
	img      *imagetest.Image
	res      ImageResult
}

// Measure builds, starts and stops every target Runs times, round by round, and returns the
// environment and one result per target. A target that fails keeps its error in
// ImageResult.Error and the others go on. The images the bench built are removed at the end.
func (r *Runner) Measure(ctx context.Context, targets []Target) (Environment, []ImageResult, error) {
	r.Runs, r.Requests, r.Log = max(r.Runs, 1), cmp.Or(r.Requests, 50), cmp.Or(r.Log, io.Discard)
	env, err := environment(ctx, r.Root, targets)
	if err != nil {
		return env, nil, err
	}
	env.Date, env.Runs, env.LoadAvgStart = time.Now().UTC().Truncate(time.Second), r.Runs, loadAvg()

	var all []*measuring
	defer func() {
		for _, m := range all {
			if m.img != nil {
				m.img.Remove(context.WithoutCancel(ctx))
			}
			os.RemoveAll(m.dir)
		}
		fmt.Fprintf(r.Log, "Образы %s:* удалены.\n", Repo)
	}()
	for _, t := range targets {
		m, err := r.prepare(ctx, t, env.Arch)
		if err != nil {
			m.res.Error = err.Error()
			fmt.Fprintf(r.Log, "%s: %v\n", t.Name, err)
		}
		all = append(all, m)
	}
	for run := 1; run <= r.Runs; run++ {
		for _, m := range all {
			if m.res.Error != "" {
				continue
			}
			if err := r.runOnce(ctx, m); err != nil {
				m.res.Error = fmt.Sprintf("прогон %d: %v", run, err)
				fmt.Fprintf(r.Log, "Прогон %d/%d · %s: ошибка: %v\n", run, r.Runs, m.t.Name, err)
				if ctx.Err() != nil {
					return env, nil, ctx.Err()
				}
				continue
			}
			m.res.Runs++
			fmt.Fprintf(r.Log, "Прогон %d/%d · %s: %s\n", run, r.Runs, m.t.Name, m.res.lastRun())
		}
	}
	env.LoadAvgEnd, env.Builder = loadAvg(), r.builder
	var results []ImageResult
	for _, m := range all {
		res := &m.res
		for _, s := range []*Summary{&res.SizeBytes, &res.Layers, &res.ColdBuildMS, &res.NoChangeRebuildMS,
			&res.WarmRebuildMS, &res.ReadyMS, &res.StopMS, &res.MemoryBytes} {
			*s = Summarize(s.Values)
		}
		if res.Binary.StrippedBytes > 0 && !res.SizeBytes.Empty() {
			res.Ratio = res.SizeBytes.Median / float64(res.Binary.StrippedBytes)
		}
		results = append(results, *res)
	}
	return env, results, nil
}

// prepare copies the build context to a temporary directory and builds the reference binary.
func (r *Runner) prepare(ctx context.Context, t Target, arch string) (*measuring, error) {
	m := &measuring{t: t, res: ImageResult{Target: t, MeasuredAt: time.Now().UTC().Truncate(time.Second)}}
	m.res.Context, m.res.Source = filepath.ToSlash(t.Context), filepath.ToSlash(t.Source)
	src := filepath.Join(r.Root, t.Context)
	var err error
	if m.original, err = os.ReadFile(filepath.Join(src, t.Source)); err != nil {
		return m, err
	}
	m.res.Graceful = bytes.Contains(m.original, []byte(`"os/signal"`))
	if m.dir, err = os.MkdirTemp("", "workshop-bench-"+t.Name+"-"); err != nil {
		return m, err
	}
	if err := copyContext(src, m.dir, t.Dockerfile); err != nil {
		return m, fmt.Errorf("копирование контекста сборки: %w", err)
	}
	if !exists(filepath.Join(m.dir, t.Source)) {
		return m, fmt.Errorf("%s не попадает в контекст сборки: проверьте .dockerignore", t.Source)
	}
	bin := m.dir + ".server"
	defer os.Remove(bin)
	if err := buildStripped(ctx, filepath.Join(src, t.Source), arch, bin); err != nil {
		return m, err
	}
	st, err := os.Stat(bin)
	if err == nil {
		m.res.Binary.StrippedBytes = st.Size()
	}
	return m, err
}

// buildStripped runs `CGO_ENABLED=0 go build -trimpath -ldflags="-s -w"` on a copy of the
// source outside any module, as the Dockerfiles build it, and writes the binary to out.
func buildStripped(ctx context.Context, source, arch, out string) error {
	data, err := os.ReadFile(source)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "workshop-bench-src-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "server.go"), data, 0o644); err != nil {
		return err
	}
	if out, err = filepath.Abs(out); err != nil {
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
func (r *Runner) runOnce(ctx context.Context, m *measuring) (err error) {
	res, source := &m.res, filepath.Join(m.dir, m.t.Source)
	if err := os.WriteFile(source, m.original, 0o644); err != nil {
		return err
	}
	label := m.t.Name
	if m.t.Lesson == 0 {
		label = "root"
	}
	// The first build has no cache, the second nothing to do, the third an edited source.
	for i, took := range []*Summary{&res.ColdBuildMS, &res.NoChangeRebuildMS, &res.WarmRebuildMS} {
		if i == 2 {
			if err := appendLine(source, fmt.Sprintf("// bench: %d", time.Now().UnixNano())); err != nil {
				return err
			}
		}
		spec := imagetest.BuildSpec{Context: m.dir, Dockerfile: m.t.Dockerfile, Repo: Repo, Tag: m.t.Name, Lesson: label, NoCache: i == 0}
		if m.img, err = imagetest.Rebuild(ctx, spec); err != nil {
			return err
		}
		r.builder = cmp.Or(r.builder, m.img.Builder)
		add(took, ms(m.img.BuildTime))
	}
	info, err := m.img.Inspect(ctx)
	if err != nil {
		return err
	}
	add(&res.SizeBytes, float64(info.Size))
	add(&res.Layers, float64(info.Layers))
	if res.Binary.ImagePath == "" {
		if bin, err := imagebin.FindBinary(ctx, m.img); err != nil {
			fmt.Fprintf(r.Log, "%s: бинарник в образе не найден: %v\n", m.img.Ref, err)
		} else {
			b := &res.Binary
			b.ImagePath, b.ImageBytes, b.ImageStripped, b.ImageStatic = bin.Path, bin.Size, bin.Info.Stripped, bin.Info.Static
		}
	}

	c, err := m.img.Run(ctx, imagetest.RunOptions{})
	defer func() {
		if c == nil {
			return
		}
		if terr := c.Terminate(context.WithoutCancel(ctx)); terr != nil && err == nil {
			err = fmt.Errorf("удаление контейнера: %w", terr)
		}
	}()
	if err != nil {
		return err
	}
	add(&res.ReadyMS, ms(c.Ready))
	for range r.Requests {
		for _, path := range []string{"/", "/healthz"} {
			resp, err := c.Get(ctx, path)
			if err != nil {
				return err
			}
			if resp.Status != 200 {
				return fmt.Errorf("GET %s: код %d, ожидался 200", path, resp.Status)
			}
		}
	}
	mem, err := c.Memory(ctx)
	if err != nil {
		return err
	}
	add(&res.MemoryBytes, float64(mem))
	st, err := c.Stop(ctx, StopTimeout)
	if err != nil {
		return err
	}
	add(&res.StopMS, ms(st.Took))
	res.StopExitCodes = append(res.StopExitCodes, st.ExitCode)
	return nil
}

func add(s *Summary, v float64) { s.Values = append(s.Values, v) }

// lastRun is the progress line of the run just measured.
func (res *ImageResult) lastRun() string {
	last := func(s Summary) float64 { return s.Values[len(s.Values)-1] }
	return fmt.Sprintf("холодная сборка %s · без изменений %s · после правки %s · до первого 200 %s · docker stop %s (код %d) · память %s",
		fmtMS(last(res.ColdBuildMS)), fmtMS(last(res.NoChangeRebuildMS)), fmtMS(last(res.WarmRebuildMS)), fmtMS(last(res.ReadyMS)),
		fmtMS(last(res.StopMS)), res.StopExitCodes[len(res.StopExitCodes)-1], ru.Size(last(res.MemoryBytes)))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func appendLine(file, line string) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "\n%s\n", line)
	return errors.Join(err, f.Close())
}

// environment describes the machine: Go, Docker, CPUs, memory and the base images of the
// targets' Dockerfiles.
func environment(ctx context.Context, root string, targets []Target) (Environment, error) {
	env := Environment{GoVersion: runtime.Version(), Arch: runtime.GOARCH, CPUs: runtime.NumCPU()}
	if out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output(); err == nil {
		env.GoVersion = strings.TrimSpace(string(out)) // the toolchain that builds the reference binaries
	}
	cli, err := imagetest.Client(ctx)
	if err != nil {
		return env, err
	}
	v, err := cli.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return env, fmt.Errorf("docker version: %w", err)
	}
	env.DockerServerVersion, env.DockerAPIVersion, env.Arch, env.DockerClientAPI = v.Version, v.APIVersion, v.Arch, cli.ClientVersion()
	if info, err := cli.Info(ctx, client.InfoOptions{}); err == nil {
		env.OS, env.Kernel, env.CPUs, env.MemoryBytes = info.Info.OperatingSystem, info.Info.KernelVersion, info.Info.NCPU, info.Info.MemTotal
	}
	for _, ref := range baseImages(root, targets) {
		res, err := cli.ImageInspect(ctx, ref)
		if err != nil {
			return env, verdict.Wrapf(err, "выполните `make images`", "базового образа %s нет: %v", ref, err)
		}
		measured, err := imagesize.Measure(ctx, cli, ref)
		if err != nil {
			return env, err
		}
		env.ImageStore = string(measured.Reported.Store)
		b := BaseImage{Ref: ref, ID: res.ID, SizeBytes: measured.Bytes}
		if c := res.Config; c != nil {
			b.StandIn = c.Labels["workshop.standin"] == "true" // the local stand-ins of `make images`
			for _, kv := range c.Env {
				if v, ok := strings.CutPrefix(kv, "GOLANG_VERSION="); ok {
					env.GoImageVersion = "go" + strings.TrimPrefix(v, "go")
				}
			}
		}
		env.BaseImages = append(env.BaseImages, b)
	}
	return env, nil
}

// baseImages lists the images the targets' Dockerfiles start from, scratch left out.
func baseImages(root string, targets []Target) []string {
	var refs []string
	for _, t := range targets {
		f, err := dockerfile.Parse(filepath.Join(root, t.Context, t.Dockerfile))
		if err != nil {
			continue // the build reports it with a hint
		}
		for _, s := range f.Stages {
			if ref := f.BaseImage(s); ref != "" && ref != "scratch" && !slices.Contains(refs, ref) {
				refs = append(refs, ref)
			}
		}
	}
	slices.Sort(refs)
	return refs
}

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return ""
}

// copyContext copies the part of a build context that `docker build` sends (what
// .dockerignore lets through, and the Dockerfile and .dockerignore themselves) to dst, so
// that the bench edits the server's source without touching the repository.
func copyContext(src, dst, dockerfile string) error {
	ignore, err := os.ReadFile(filepath.Join(src, ".dockerignore"))
	if errors.Is(err, fs.ErrNotExist) {
		err = nil // no .dockerignore: nothing is left out
	}
	var patterns []string
	if err == nil {
		patterns, err = ignorefile.ReadAll(bytes.NewReader(ignore))
	}
	var pm *patternmatcher.PatternMatcher
	if err == nil {
		pm, err = patternmatcher.New(patterns)
	}
	if err != nil {
		return fmt.Errorf("%s/.dockerignore: %w", src, err)
	}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(src, path)
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case !d.Type().IsRegular():
			return nil
		}
		if rel != filepath.Clean(dockerfile) && rel != ".dockerignore" {
			if excluded, err := pm.MatchesOrParentMatches(filepath.ToSlash(rel)); err != nil || excluded {
				return err
			}
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		return os.WriteFile(to, data, info.Mode().Perm())
	})
}
