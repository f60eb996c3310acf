package imagetest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// BuildSpec says what to build.
type BuildSpec struct {
	// Context is the build context directory.
	Context string
	// Dockerfile is the Dockerfile's path relative to Context; "Dockerfile" when empty.
	Dockerfile string
	// Repo and Tag name the image; derived from Context and Dockerfile when empty.
	Repo, Tag string
	// Lesson is stored in the image's workshop.lesson label (e.g. "03-multi-stage").
	Lesson string
	// BuildArgs are passed as --build-arg.
	BuildArgs map[string]string
	// NoCache builds without the layer cache (for measuring cold builds).
	NoCache bool
}

// Image is a built image.
type Image struct {
	Ref       string        // repo:tag
	ID        string        // sha256:…
	BuildTime time.Duration // how long this process spent building it (0 when reused)
	Log       string        // the build log
}

// BuildError is a failed build, with the step that failed and the end of its log.
type BuildError struct {
	Dockerfile string
	Step       string // e.g. "Step 4/6 : RUN go build -o server server.go"
	Cause      string // the daemon's error message
	Tail       string // the last lines of the build log
	Hint       string // what to do, in Russian
}

func (e *BuildError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "образ из %s не собрался", e.Dockerfile)
	if e.Step != "" {
		fmt.Fprintf(&b, " на шаге %q", e.Step)
	}
	fmt.Fprintf(&b, ":\n%s", indent(e.Cause))
	if e.Tail != "" {
		fmt.Fprintf(&b, "\nПоследние строки журнала сборки:\n%s", indent(e.Tail))
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, "\nПодсказка: %s", e.Hint)
	}
	return b.String()
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

type buildResult struct {
	once sync.Once
	img  *Image
	err  error
}

var (
	buildsMu sync.Mutex
	builds   = map[string]*buildResult{}
)

// Build builds the image once per process for each spec; later calls return the same image.
// A failed build returns a *BuildError; a missing daemon an error wrapping ErrNoDocker.
func Build(ctx context.Context, spec BuildSpec) (*Image, error) {
	spec, err := normalize(spec)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprint(spec.Context, "|", spec.Dockerfile, "|", spec.Repo, ":", spec.Tag, "|", spec.BuildArgs, "|", spec.NoCache)
	buildsMu.Lock()
	r, ok := builds[key]
	if !ok {
		r = &buildResult{}
		builds[key] = r
	}
	buildsMu.Unlock()
	r.once.Do(func() { r.img, r.err = build(ctx, spec) })
	return r.img, r.err
}

// Rebuild always runs the build, even if this process built the spec before: for benchmarks
// that time repeated builds. Tests use Build.
func Rebuild(ctx context.Context, spec BuildSpec) (*Image, error) {
	spec, err := normalize(spec)
	if err != nil {
		return nil, err
	}
	return build(ctx, spec)
}

func normalize(spec BuildSpec) (BuildSpec, error) {
	abs, err := filepath.Abs(spec.Context)
	if err != nil {
		return spec, fmt.Errorf("контекст сборки %q: %w", spec.Context, err)
	}
	spec.Context = abs
	if spec.Dockerfile == "" {
		spec.Dockerfile = "Dockerfile"
	}
	if _, err := os.Stat(filepath.Join(abs, spec.Dockerfile)); err != nil {
		return spec, fmt.Errorf("нет файла %s в контексте сборки %s\nПодсказка: проверьте имя и путь Dockerfile", spec.Dockerfile, abs)
	}
	if spec.Repo == "" {
		spec.Repo = "workshop/" + slug(filepath.Base(abs))
	}
	if spec.Tag == "" {
		spec.Tag = spec.Dockerfile
	}
	spec.Tag = slug(spec.Tag)
	return spec, nil
}

var nonTag = regexp.MustCompile(`[^a-z0-9_.-]+`)

// slug turns a path into something valid in an image name or tag.
func slug(s string) string {
	s = nonTag.ReplaceAllString(strings.ToLower(s), "-")
	s = strings.Trim(s, "-.")
	if s == "" {
		return "image"
	}
	return s
}

func build(ctx context.Context, spec BuildSpec) (*Image, error) {
	cli, err := dockerClient(ctx)
	if err != nil {
		return nil, err
	}
	ref := spec.Repo + ":" + spec.Tag
	previous := imageID(ctx, cli, ref)

	args := make(map[string]*string, len(spec.BuildArgs))
	for k, v := range spec.BuildArgs {
		args[k] = &v
	}
	var log bytes.Buffer
	req := testcontainers.ContainerRequest{FromDockerfile: testcontainers.FromDockerfile{
		Context:        spec.Context,
		Dockerfile:     spec.Dockerfile,
		Repo:           spec.Repo,
		Tag:            spec.Tag,
		BuildArgs:      args,
		BuildLogWriter: &log,
		KeepImage:      true,
		BuildOptionsModifier: func(o *client.ImageBuildOptions) {
			o.Remove, o.ForceRemove = true, true // no intermediate containers left behind
			o.NoCache = spec.NoCache
			o.Labels = map[string]string{LabelBuilt: "true", LabelLesson: spec.Lesson}
		},
	}}
	start := time.Now()
	if _, err := provider.BuildImage(ctx, &req); err != nil {
		return nil, buildError(spec.Dockerfile, log.String(), err)
	}
	img := &Image{Ref: ref, ID: imageID(ctx, cli, ref), BuildTime: time.Since(start), Log: log.String()}
	if previous != "" && previous != img.ID {
		// The tag moved to the new image: drop the old one so it does not linger as <none>.
		// It may still be used by a container; then Docker refuses and that is fine.
		_, _ = cli.ImageRemove(ctx, previous, client.ImageRemoveOptions{PruneChildren: true})
	}
	return img, nil
}

func imageID(ctx context.Context, cli client.APIClient, ref string) string {
	res, err := cli.ImageInspect(ctx, ref)
	if err != nil {
		return ""
	}
	return res.ID
}

var stepLine = regexp.MustCompile(`(?m)^Step \d+/\d+ : .*$`)

// buildError turns a failed build into a message a student can act on: the failing step,
// the daemon's error, the last lines of the log and a hint for the usual causes.
func buildError(dockerfile, log string, err error) error {
	if strings.Contains(err.Error(), ErrNoDocker.Error()) {
		return err
	}
	e := &BuildError{Dockerfile: dockerfile, Cause: cleanCause(err.Error())}
	if steps := stepLine.FindAllString(log, -1); len(steps) > 0 {
		e.Step = steps[len(steps)-1]
	}
	e.Tail = tail(log, 12)
	e.Hint = hintFor(e.Step, e.Cause+"\n"+e.Tail)
	return e
}

func cleanCause(s string) string {
	s = strings.TrimPrefix(s, "build image: ")
	return strings.TrimSpace(s)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// hintFor maps the errors students really hit to the fix.
func hintFor(step, text string) string {
	instr := ""
	if _, after, ok := strings.Cut(step, " : "); ok {
		instr, _, _ = strings.Cut(strings.ToUpper(strings.TrimSpace(after)), " ")
	}
	low := strings.ToLower(text)
	switch {
	case strings.Contains(low, "unknown instruction") || strings.Contains(low, "dockerfile parse error"):
		return "в Dockerfile есть строка, которая не является инструкцией: проверьте опечатки и перенос длинных строк через \\"
	case instr == "FROM" || strings.Contains(low, "pull access denied") || strings.Contains(low, "manifest unknown") ||
		strings.Contains(low, "registry-1.docker.io") || strings.Contains(low, "no such host"):
		return "базового образа нет на этой машине, а реестр недоступен: проверьте имя и тег в FROM " +
			"(например golang:1.26-bookworm) и выполните `make images`"
	case instr == "COPY" || instr == "ADD":
		if strings.Contains(low, "--from") || strings.Contains(low, "stage") || strings.Contains(low, "invalid from flag") {
			return "в COPY --from указан этап, которого нет: имя после --from должно совпадать с AS в строке FROM"
		}
		return "копируемого файла нет в контексте сборки: путь в COPY считается от каталога контекста " +
			"(последний аргумент docker build), а .dockerignore может его исключать"
	case instr == "RUN" && strings.Contains(low, "go build"):
		return "компиляция не удалась: прочтите ошибку Go выше (файл:строка) и проверьте, что go build собирает скопированный файл"
	case instr == "RUN":
		return "команда RUN завершилась с ошибкой: её вывод в журнале выше; запустите её в контейнере базового образа, чтобы разобраться"
	default:
		return "прочтите последние строки журнала сборки выше; соберите вручную с `DOCKER_BUILDKIT=1 /usr/bin/docker build`, чтобы увидеть весь вывод"
	}
}
