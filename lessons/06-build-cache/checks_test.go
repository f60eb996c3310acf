// The checks of lesson 06 and their words; lesson_test.go declares the steps. Copying and
// editing the build context, BuildKit's steps by line and the count of the Go build cache are
// internal/buildcache's.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/go-docker-workshop/workshop/internal/buildcache"
	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

// cacheHelp is where the lesson explains how to keep the Go build cache between builds.
const cacheHelp = "README урока, разделы «Способ 1: слой со стандартной библиотекой» и «Способ 2: кэш-том»"

// The lesson's patterns of .dockerignore, judged by what they do, not how they are written.
func TestIgnoreRules(t *testing.T) {
	for _, tc := range []struct {
		name, rules, want string // want: "" for a pass, else a part of the message
	}{
		{"allow list", "*\n!server.go\n!gomod/go.mod\n", ""},
		{"allow list of directories", "*\n!server.go\n!gomod\n**/*.md\n**/*_test.go\n**/testdata\n", ""},
		{"deny list", ".git\nexercise/\n**/testdata/\n**/*_test.go\n**/*.md\n", ""},
		{"empty", "", "пропускает в контекст сборки: .git/HEAD, README.md"},
		{"no tests", "**/*.md\n.git\nexercise\n**/testdata\n", "lesson_test.go"},
		{"top level only", ".git\nexercise/\ntestdata/\n*_test.go\n*.md\n", "gomod/README.md, gomod/mod_test.go, gomod/testdata/go.sum"},
		{"everything", "*\n", "исключает то, что нужно сборке: server.go, gomod/go.mod"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte(tc.rules), 0o644); err != nil {
				t.Fatal(err)
			}
			err := checkIgnore(&lessoncheck.State{Target: lessoncheck.Target{Context: dir}})
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("correct rules fail: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want a failure with %q", err, tc.want)
			}
		})
	}
}

// step is an instruction in the sequence the sources' stage is built from: its own
// instructions after those of the stages it starts FROM.
type step struct {
	dockerfile.Instruction
	Stage dockerfile.Stage
}

// plan says where the build stage copies go.mod and the sources and which RUN builds.
type plan struct {
	seq     []step
	gomod   int // index in seq of the first COPY that brings gomod/go.mod, -1 when none
	sources int // index in seq of the first COPY that brings server.go, -1 when none
	build   int // index in seq of the RUN with go build after the sources, -1 when none
}

// planOf finds the first COPY from the build context that brings server.go and lays out the
// chain of stages that leads to it.
func planOf(f *dockerfile.File) plan {
	p := plan{gomod: -1, sources: -1, build: -1}
	var target dockerfile.Stage
	found := false
	for _, st := range f.Stages {
		for _, in := range st.Instructions {
			if buildcache.Brings(in, sourcePath) {
				target, found = st, true
				break
			}
		}
		if found {
			break
		}
	}
	if !found {
		return p
	}
	var chain []dockerfile.Stage
	for s := target; ; {
		chain = append([]dockerfile.Stage{s}, chain...)
		if !f.IsStage(s) {
			break
		}
		s, _ = f.Stage(s.Base)
	}
	for _, st := range chain {
		for _, in := range st.Instructions {
			p.seq = append(p.seq, step{in, st})
		}
	}
	for i, in := range p.seq {
		if p.gomod < 0 && buildcache.Brings(in.Instruction, goModPath) {
			p.gomod = i
		}
		if p.sources < 0 && buildcache.Brings(in.Instruction, sourcePath) {
			p.sources = i
		}
	}
	lastRun := -1
	for i := p.sources + 1; i < len(p.seq); i++ {
		if p.seq[i].Name != "RUN" {
			continue
		}
		lastRun = i
		if p.build < 0 && lessoncheck.BuildsGo(p.seq[i].Instruction) && !prepares(p.seq[i].Instruction) {
			p.build = i
		}
	}
	if p.build < 0 {
		p.build = lastRun
	}
	return p
}

var (
	goDownload = regexp.MustCompile(`\bgo\s+mod\s+download\b`)
	stdArg     = regexp.MustCompile(`\sstd(\s|$|;|&)`)
)

// prepares reports whether a RUN looks like preparation that belongs before the sources:
// downloading modules or compiling the standard library.
func prepares(in dockerfile.Instruction) bool {
	return in.Name == "RUN" && (goDownload.MatchString(in.Source) || lessoncheck.BuildsGo(in) && stdArg.MatchString(in.Source))
}

func at(in step) string { return fmt.Sprintf("%s (строка %d)", in.Source, in.Line) }

// checkOrder: go.mod first, then the preparation (RUN), then the sources, then go build.
func checkOrder(f *dockerfile.File) error {
	p := planOf(f)
	const splitHint = "расположите инструкции от редко меняющихся к часто меняющимся: сначала go.mod и RUN go mod " +
		"download, затем подготовка кэша компилятора Go, и только потом исходник и go build (README урока, разделы " +
		"«Порядок инструкций» и «Модули Go: сначала go.mod»)"
	if p.sources < 0 {
		return lessoncheck.Failf("скопируйте исходник в этап сборки отдельной инструкцией COPY — после подготовки, перед go build",
			"%s: ни одна инструкция COPY не берёт server.go из контекста сборки", lessoncheck.Display(f.Path))
	}
	src := p.seq[p.sources]
	var late []string // preparation placed after the sources
	for i := p.sources + 1; i < len(p.seq); i++ {
		if i != p.build && prepares(p.seq[i].Instruction) {
			late = append(late, at(p.seq[i]))
		}
	}
	lateText := ""
	if len(late) > 0 {
		lateText = ", и после неё " + strings.Join(late, ", ")
	}
	switch {
	case p.gomod < 0:
		return lessoncheck.Failf("первой инструкцией COPY этапа сборки скопируйте только go.mod — где он лежит в этом уроке, "+
			"сказано в README, раздел «Модули Go: сначала go.mod», — затем RUN go mod download и подготовка, и только потом исходники",
			"%s: go.mod (%s) не копируется в этап %s — слою с зависимостями модуля не из чего строиться",
			lessoncheck.Display(f.Path), goModPath, stageName(src.Stage))
	case p.gomod == p.sources:
		return lessoncheck.Failf("разделите COPY: "+splitHint,
			"%s копирует go.mod и исходники одной инструкцией%s. Любая правка server.go меняет контрольную сумму "+
				"этого COPY, и Docker выполняет заново и его, и все инструкции после",
			at(src), lateText)
	case p.gomod > p.sources:
		return lessoncheck.Failf(splitHint,
			"go.mod копируется (%s) после исходников (%s): подготовка, которая зависит от go.mod, не переживёт правку server.go",
			at(p.seq[p.gomod]), at(src))
	case len(late) > 0:
		return lessoncheck.Failf("перенесите "+ru.Plural(len(late), "эту инструкцию", "эти инструкции", "эти инструкции")+" выше, между COPY go.mod и COPY "+
			"исходников: "+splitHint,
			"%s копирует исходники раньше подготовки: %s. Правка server.go меняет контрольную сумму COPY, и "+
				"Docker выполнит подготовку заново", at(src), strings.Join(late, ", "))
	}
	for i := p.gomod + 1; i < p.sources; i++ {
		if p.seq[i].Name == "RUN" {
			return nil
		}
	}
	return lessoncheck.Failf("между ними добавьте подготовку: RUN go mod download и слой со стандартной библиотекой ("+cacheHelp+")",
		"между COPY go.mod (%s) и COPY исходников (%s) нет ни одной RUN: кэшировать нечего, вся работа идёт после "+
			"COPY исходников и повторяется после каждой правки", at(p.seq[p.gomod]), at(src))
}

// packages agrees «пакет» with n: 1 пакет, 2 пакета, 5 пакетов, 184 пакета.
func packages(n int) string { return ru.Count(n, "пакет", "пакета", "пакетов") }

func stageName(s dockerfile.Stage) string {
	if s.Name != "" {
		return s.Name
	}
	return fmt.Sprintf("№%d", s.Index+1)
}

// What must stay out of the build context and what the build needs, with the rule that
// excludes each: the check judges the rules by what they match, not how they are written.
var (
	ignored = []struct{ path, rule string }{
		{".git/HEAD", ".git"},
		{"README.md", "**/*.md"},
		{"lesson_test.go", "**/*_test.go"},
		{"testdata/ok.Dockerfile", "**/testdata/"},
		{"exercise/Dockerfile", "exercise/"},
		// Patterns without **/ match only at the top of the context: these prove the rules
		// reach into subdirectories too.
		{"gomod/README.md", "**/*.md"},
		{"gomod/mod_test.go", "**/*_test.go"},
		{"gomod/testdata/go.sum", "**/testdata/"},
	}
	needed = []string{sourcePath, goModPath}
)

// checkIgnore matches the lesson's .dockerignore with Docker's own pattern matcher.
func checkIgnore(s *lessoncheck.State) error {
	name := filepath.Join(s.Target.Context, ".dockerignore")
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return lessoncheck.Failf("создайте .dockerignore в каталоге урока: строка * исключает всё, строки !server.go и "+
			"!gomod/go.mod возвращают то, что нужно сборке (README урока, раздел «.dockerignore и контекст сборки»)",
			"в контексте сборки нет .dockerignore: COPY . . или RUN --mount=type=bind всего контекста возьмёт и .git, "+
				"и README, и тесты, и каждая их правка будет сбрасывать кэш, а классический сборщик к тому же "+
				"отправляет демону весь каталог урока при каждой сборке")
	}
	if err != nil {
		return err
	}
	rules, err := ignorefile.ReadAll(bytes.NewReader(data))
	if err != nil {
		return lessoncheck.Failf("проверьте строки .dockerignore", ".dockerignore не читается: %v", err)
	}
	pm, err := patternmatcher.New(rules)
	if err != nil {
		return lessoncheck.Failf("проверьте шаблоны в .dockerignore", ".dockerignore: %v", err)
	}
	var leaked, fixes, lost []string
	for _, ig := range ignored {
		if ok, err := pm.MatchesOrParentMatches(ig.path); err == nil && !ok {
			leaked = append(leaked, ig.path)
			fixes = append(fixes, ig.rule)
		}
	}
	for _, p := range needed {
		if ok, err := pm.MatchesOrParentMatches(p); err == nil && ok {
			lost = append(lost, p)
		}
	}
	if len(lost) > 0 {
		return lessoncheck.Failf("верните файлы строками с восклицательным знаком после исключающих: !"+strings.Join(lost, ", !"),
			".dockerignore исключает то, что нужно сборке: %s — COPY их не найдёт", strings.Join(lost, ", "))
	}
	if len(leaked) > 0 {
		return lessoncheck.Failf("допишите в .dockerignore строки: "+strings.Join(fixes, ", ")+" — или исключите всё строкой * "+
			"и верните нужное: !server.go и !gomod/go.mod",
			".dockerignore пропускает в контекст сборки: %s. Эти файлы меняются без всякой связи с сервером, "+
				"и при COPY . . каждая такая правка сбросит кэш", strings.Join(leaked, ", "))
	}
	return nil
}

// cacheCheck rebuilds the image after an edit of server.go and looks at what was reused.
type cacheCheck struct {
	plan    plan
	dir     string // the edited copy of the build context
	sources *imagetest.BuildStep
	build   *imagetest.BuildStep
	edited  *imagetest.Image
	byLine  map[int]*imagetest.BuildStep // the edited build's steps by Dockerfile line
}

// edit copies the build context to a temporary directory and appends a unique line to the
// file rel: the edited COPY must miss the cache in every run, not only the first.
func edit(s *lessoncheck.State, rel string) (string, error) {
	dir, err := buildcache.Edit(s.Target.Context, rel)
	if err != nil {
		return "", err
	}
	s.Defer(func() { _ = os.RemoveAll(dir) })
	return dir, nil
}

func (c *cacheCheck) tag(s *lessoncheck.State, suffix string) string {
	tag := s.Target.Tag
	if tag == "" {
		tag = s.Target.Dockerfile
	}
	return tag + "-" + suffix
}

// buildIn builds dockerfile (relative to dir) with the lesson's repository and a tag suffix.
func (c *cacheCheck) buildIn(s *lessoncheck.State, dir, dockerfile, suffix string) (*imagetest.Image, error) {
	ctx, cancel := context.WithTimeout(s.Ctx, 20*time.Minute)
	defer cancel()
	img, err := imagetest.Build(ctx, imagetest.BuildSpec{
		Context: dir, Dockerfile: dockerfile, Lesson: s.Target.Lesson,
		Repo: "workshop/" + s.Target.Lesson, Tag: c.tag(s, suffix),
	})
	if err != nil {
		var be *imagetest.BuildError
		if errors.As(err, &be) {
			p := lessoncheck.BuildFailure(be)
			return nil, lessoncheck.Failf(p.Hint, "после правки server.go %s", p.What)
		}
		return nil, err
	}
	return img, nil
}

// rebuild adds a line to server.go in a copy of the build context and rebuilds with BuildKit;
// every step before the COPY of the sources must come from the cache.
//
// BuildKit's cache is shared by every build on the machine, and a step can be missing from it
// for reasons the Dockerfile has nothing to do with (seen under heavy parallel builds). So a
// miss is confirmed by a second edit: a Dockerfile whose earlier steps depend on server.go
// misses again, whatever the cache held; a correct one now finds what the first rebuild stored.
func (c *cacheCheck) rebuild(s *lessoncheck.State) error {
	c.plan = planOf(s.Dockerfile)
	if c.plan.sources < 0 {
		return fmt.Errorf("no COPY of %s: the static checks should have stopped earlier", sourcePath)
	}
	missed, err := c.editAndBuild(s, "edited")
	if err != nil {
		return err
	}
	if len(missed) > 0 {
		s.Logf("после правки server.go BuildKit выполнил заново %s; правлю server.go ещё раз: "+
			"если эти шаги не зависят от него, теперь они возьмутся из кэша", strings.Join(missed, "; "))
		if missed, err = c.editAndBuild(s, "edited-again"); err != nil {
			return err
		}
	}
	src := c.plan.seq[c.plan.sources]
	if len(missed) > 0 {
		return lessoncheck.Failf("до COPY исходников не должно быть ничего, что зависит от server.go: ни COPY . ., ни "+
			"COPY *.go, ни RUN --mount=type=bind всего контекста; копируйте или монтируйте раньше только go.mod",
			"после правки server.go BuildKit выполнил заново то, что стоит раньше COPY исходников (%s): %s",
			at(src), strings.Join(missed, "; "))
	}
	if c.sources.Cached {
		return lessoncheck.Failf("проверьте, что .dockerignore не исключает server.go и что COPY берёт его из контекста сборки",
			"после правки server.go шаг %s — CACHED: BuildKit не увидел изменения", c.sources.Name)
	}
	if c.plan.build < 0 {
		return lessoncheck.Failf("соберите бинарник в RUN с go build после COPY исходников, как в уроке 5",
			"после %s нет ни одной RUN: кто собирает сервер?", at(src))
	}
	if c.build = c.byLine[c.plan.seq[c.plan.build].Line]; c.build == nil {
		return fmt.Errorf("BuildKit reported no step for line %d:\n%s", c.plan.seq[c.plan.build].Line, c.edited.Log)
	}
	return nil
}

// editAndBuild rebuilds a freshly edited copy of the build context under the tag suffix and
// returns the steps before the COPY of the sources that BuildKit did not take from its cache.
func (c *cacheCheck) editAndBuild(s *lessoncheck.State, suffix string) (missed []string, err error) {
	dir, err := edit(s, sourcePath)
	if err != nil {
		return nil, err
	}
	img, err := c.buildIn(s, dir, s.Target.Dockerfile, suffix)
	if err != nil {
		return nil, err
	}
	s.Defer(func() { img.Remove(context.Background()) })
	c.dir, c.edited = dir, img
	c.byLine = buildcache.StepsByLine(s.Dockerfile, img)
	src := c.plan.seq[c.plan.sources]
	if c.sources = c.byLine[src.Line]; c.sources == nil {
		return nil, fmt.Errorf("BuildKit reported no step for line %d (%s):\n%s", src.Line, src.Source, img.Log)
	}
	// Every step that does work before the COPY of the sources must be reused.
	var reused []string
	for _, in := range c.plan.seq[:c.plan.sources] {
		if in.Name != "RUN" && in.Name != "COPY" && in.Name != "ADD" {
			continue
		}
		st := c.byLine[in.Line]
		switch {
		case st == nil:
		case st.Cached:
			reused = append(reused, fmt.Sprintf("строка %d", in.Line))
		default:
			missed = append(missed, fmt.Sprintf("%s (строка %d)", st.Name, in.Line))
		}
	}
	s.Logf("после правки server.go (%s) CACHED: %s; %s выполнен заново",
		seconds(img.BuildTime), strings.Join(reused, ", "), c.sources.Name)
	return missed, nil
}

// goCache counts the Go build cache's compiled packages in the build stage just before the
// COPY of the sources and just after go build: the difference is what go build compiled
// after the edit. Both images are the edited build's stage cut at those lines; BuildKit takes
// every step of them from its cache.
func (c *cacheCheck) goCache(s *lessoncheck.State) error {
	if c.edited == nil {
		return errors.New("the rebuild step did not run")
	}
	data, err := os.ReadFile(s.Target.DockerfilePath())
	if err != nil {
		return err
	}
	src, build := c.plan.seq[c.plan.sources], c.plan.seq[c.plan.build]
	if err := os.WriteFile(filepath.Join(c.dir, ".lesson06-before.Dockerfile"), buildcache.CutBefore(data, src.Line), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(c.dir, ".lesson06-after.Dockerfile"), buildcache.Cut(s.Dockerfile, data, build.Line), 0o644); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(s.Ctx, 3*time.Minute)
	defer cancel()
	count := func(name, suffix string) (int, error) {
		img, err := c.buildIn(s, c.dir, name, suffix)
		if err != nil {
			return 0, err
		}
		defer img.Remove(context.Background())
		return buildcache.CompiledPackages(ctx, img)
	}
	before, err := count(".lesson06-before.Dockerfile", "before-sources")
	if err != nil {
		return err
	}
	after, err := count(".lesson06-after.Dockerfile", "after-build")
	if err != nil {
		return err
	}
	compiled := after - before
	s.Logf("кэш компилятора Go в слоях этапа сборки: перед строкой %d — %s, после строки %d — %d; заново скомпилировано: %d",
		src.Line, packages(before), build.Line, after, compiled)
	if compiled > maxCompiled {
		why := "в кэше компилятора Go нет стандартной библиотеки, собранной с теми же настройками"
		if before == 0 {
			why = "перед COPY исходников кэш компилятора Go пуст — ни одна RUN до него не компилирует"
		}
		return lessoncheck.Failf("сохраните кэш компилятора Go между сборками: слоем перед COPY исходников, где стандартная "+
			"библиотека собрана с теми же переменными и флагами компиляции, что у go build, или кэш-томом BuildKit у go build ("+
			cacheHelp+"). Кэш компилятора Go различает CGO_ENABLED, GOOS, GOARCH, -trimpath, -tags, -gcflags; -ldflags "+
			"касается только компоновки и может отличаться",
			"после правки server.go go build (строка %d) скомпилировал заново %s, а не только пакет сервера: %s, "+
				"и пересборка идёт почти как с нуля", build.Line, packages(compiled), why)
	}
	return nil
}

func seconds(d time.Duration) string { return ru.Seconds(d, 1) }

// answers starts the rebuilt image: the edit must not have broken it.
func (c *cacheCheck) answers(s *lessoncheck.State) error {
	if c.edited == nil {
		return errors.New("the rebuild step did not run")
	}
	s.Image = c.edited
	if err := lessoncheck.Start(imagetest.RunOptions{}).Check(s); err != nil {
		return err
	}
	return lessoncheck.Greets().Check(s)
}
