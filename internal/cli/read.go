package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/muesli/termenv"

	"github.com/go-docker-workshop/workshop/internal/render"
	"github.com/go-docker-workshop/workshop/lessons"
)

func (a *App) cmdRead(_ context.Context, f *flags, args []string) error {
	if len(args) > 1 {
		return usageError(fmt.Sprintf("показывайте по одному документу, например: %s read 1.", a.Prog),
			"лишние аргументы: %s", strings.Join(args[1:], " "))
	}
	target := "README.md"
	if len(args) == 1 {
		target = args[0]
	}
	// A link shown as ru/dockerfile.md#этап-1 names a section; the whole file is shown.
	if file, _, found := strings.Cut(target, "#"); found && file != "" {
		target = file
	}
	src, docPath, err := a.document(target)
	if err != nil {
		return err
	}
	return a.show(src, docPath, f, true)
}

// show renders a markdown document to Stdout, through the pager when allowed and useful.
func (a *App) show(src []byte, docPath string, f *flags, page bool) error {
	opt, err := a.renderOptions(f)
	if err != nil {
		return err
	}
	text, err := render.Markdown(src, docPath, opt)
	if err != nil {
		if style := a.Getenv("GLAMOUR_STYLE"); style != "" && style == opt.Style {
			return failure("укажите в GLAMOUR_STYLE один из стилей glamour (dark, light, notty, ascii, dracula, pink, tokyo-night) или уберите переменную.",
				fmt.Errorf("стиль GLAMOUR_STYLE=%s не подходит: %w", style, err))
		}
		return err
	}
	if page && !f.noPager {
		if out, ok := render.Terminal(a.Stdout); ok {
			if _, height, ok := a.Size(); ok && strings.Count(text, "\n") >= height {
				return render.Page(text, out, a.Getenv("PAGER"))
			}
		}
	}
	_, err = fmt.Fprint(a.Stdout, text)
	return err
}

// renderOptions picks glow's defaults: the terminal's width (at most render.MaxWidth) or 80,
// a dark or light style on a terminal and "notty" in a pipe. GLAMOUR_STYLE and NO_COLOR are
// honoured.
func (a *App) renderOptions(f *flags) (render.Options, error) {
	opt := render.Options{Style: render.NoTTY, Width: render.DefaultWidth}
	if width, _, ok := a.Size(); ok {
		opt.Width = min(width, render.MaxWidth)
	}
	if f.width != "" {
		w, err := strconv.Atoi(f.width)
		if err != nil || w < 20 || w > 1000 {
			return opt, usageError("укажите число, например: --width 100.", "ширина «%s» не подходит: нужно число от 20 до 1000", f.width)
		}
		opt.Width = w
	}
	if !a.Terminal() {
		return opt, nil
	}
	out, _ := render.Terminal(a.Stdout)
	profile := termenv.NewOutput(out).EnvColorProfile()
	if profile == termenv.Ascii || a.Getenv("NO_COLOR") != "" {
		return opt, nil
	}
	opt.Profile = profile
	opt.Style = render.Auto
	if s := a.Getenv("GLAMOUR_STYLE"); s != "" {
		opt.Style = s
	}
	return opt, nil
}

// document finds what `read` shows: a lesson's README, a markdown file of the repository, or
// another file (a Dockerfile, a .go file) shown as code. docPath is relative to the root.
func (a *App) document(target string) (src []byte, docPath string, err error) {
	if !strings.Contains(target, ".") {
		if l, lerr := a.findLesson(target); lerr == nil {
			src, err := a.readLessonREADME(l)
			return src, path.Join(l.Dir(), "README.md"), err
		} else if isNumber(target) {
			return nil, "", lerr
		}
	}

	abs, docPath, found := a.locate(target)
	if !found {
		// A lesson README also lives inside the binary, for a student outside the repository.
		if slug, ok := strings.CutPrefix(docPath, "lessons/"); ok && strings.HasSuffix(slug, "/README.md") {
			if src, err := fs.ReadFile(lessons.Docs, slug); err == nil {
				return src, docPath, nil
			}
		}
		return nil, "", failure(a.documentsHint(), fmt.Errorf("документ «%s» не найден", target))
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, "", fmt.Errorf("read %s: %w", target, err)
	}
	if info.IsDir() {
		return nil, "", failure(a.documentsHint(), fmt.Errorf("%s — это каталог, а не документ", target))
	}
	src, err = os.ReadFile(abs)
	if err != nil {
		return nil, "", fmt.Errorf("read %s: %w", target, err)
	}
	if !isMarkdown(abs) {
		src = render.CodeDocument(src, docPath)
	}
	return src, docPath, nil
}

// locate resolves target against the working directory, then against the repository root.
// docPath is the target's slash-separated path from the root (or as given, outside it).
func (a *App) locate(target string) (abs, docPath string, found bool) {
	var candidates []string
	if filepath.IsAbs(target) {
		candidates = []string{filepath.Clean(target)}
	} else {
		if a.Dir != "" {
			candidates = append(candidates, filepath.Join(a.Dir, target))
		}
		if a.Root != "" {
			candidates = append(candidates, filepath.Join(a.Root, target))
		}
	}
	docPath = path.Clean(filepath.ToSlash(target))
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c, a.rootRelative(c), true
		}
	}
	if a.Root != "" && !filepath.IsAbs(target) {
		docPath = a.rootRelative(filepath.Join(a.Root, target))
	}
	return "", docPath, false
}

func (a *App) rootRelative(abs string) string {
	if a.Root != "" {
		if rel, err := filepath.Rel(a.Root, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(filepath.Base(abs))
}

// documentsHint lists what there is to read.
func (a *App) documentsHint() string {
	docs := a.markdownDocuments()
	all, _ := lessons.All()
	msg := fmt.Sprintf("выберите урок (%s read 1 … %s read %d)", a.Prog, a.Prog, len(all))
	if len(docs) > 0 {
		msg += " или документ: " + strings.Join(docs, ", ")
	}
	return msg + "."
}

// markdownDocuments lists README.md and the markdown files of ru/ and docs/.
func (a *App) markdownDocuments() []string {
	if a.Root == "" {
		return nil
	}
	var out, docs []string
	if _, err := os.Stat(filepath.Join(a.Root, "README.md")); err == nil {
		out = append(out, "README.md")
	}
	for _, dir := range []string{"ru", "docs"} {
		err := filepath.WalkDir(filepath.Join(a.Root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && isMarkdown(p) {
				docs = append(docs, a.rootRelative(p))
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			continue
		}
	}
	sort.Strings(docs)
	return append(out, docs...)
}

func isMarkdown(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".md" || ext == ".markdown"
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}
