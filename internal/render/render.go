// Package render turns the course's markdown into terminal text with glamour, the way glow
// does: a style chosen for the terminal (or "notty" when the output is piped), word wrap at
// the terminal's width, relative links made relative to the repository root, and a pager for
// pages longer than the screen.
package render

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"strings"

	"github.com/charmbracelet/glamour"
	"github.com/muesli/termenv"
	"golang.org/x/term"
)

// Styles the renderer knows besides glamour's own style names.
const (
	// NoTTY is plain text for pipes and files: no colours, no escape sequences.
	NoTTY = "notty"
	// Auto picks "dark" or "light" from the terminal's background.
	Auto = "auto"
)

// Defaults for terminal geometry.
const (
	DefaultWidth = 80
	// MaxWidth keeps lines readable on very wide terminals.
	MaxWidth = 120
)

// Options say how to render.
type Options struct {
	Style   string          // a glamour standard style ("notty", "dark", "light", "ascii", …) or Auto
	Width   int             // word-wrap width; DefaultWidth when 0
	Profile termenv.Profile // colour profile for coloured styles; termenv.TrueColor when 0
}

// Markdown renders a markdown document. docPath is its slash-separated path relative to
// the repository root; relative links are rewritten against it (see RewriteLinks).
func Markdown(src []byte, docPath string, opt Options) (string, error) {
	if opt.Width <= 0 {
		opt.Width = DefaultWidth
	}
	style := opt.Style
	switch style {
	case "":
		style = NoTTY
	case Auto:
		style = "dark"
		if !termenv.HasDarkBackground() {
			style = "light"
		}
	}
	r, err := glamour.NewTermRenderer(
		glamour.WithStandardStyle(style),
		glamour.WithWordWrap(opt.Width),
		glamour.WithColorProfile(opt.Profile),
	)
	if err != nil {
		return "", fmt.Errorf("render %s: %w", docPath, err)
	}
	out, err := r.Render(string(RewriteLinks(src, docPath)))
	if err != nil {
		return "", fmt.Errorf("render %s: %w", docPath, err)
	}
	if style == NoTTY {
		// glamour pads every line to the wrap width; in a pipe or a file that is only
		// trailing blanks.
		out = trimLines(out)
	}
	return out, nil
}

func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// CodeDocument wraps a source file (a Dockerfile, a .go file) into a markdown document
// with a heading and a fenced code block, so it can be rendered like the lessons.
func CodeDocument(src []byte, name string) []byte {
	longest := 0
	run := 0
	for _, c := range string(src) {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	f := strings.Repeat("`", max(3, longest+1))
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s%s\n%s", name, f, Language(name), src)
	if len(src) > 0 && src[len(src)-1] != '\n' {
		b.WriteByte('\n')
	}
	b.WriteString(f + "\n")
	return []byte(b.String())
}

// Language names the code-block language for a file name.
func Language(name string) string {
	base := path.Base(name)
	switch {
	case base == "Dockerfile" || strings.HasPrefix(base, "Dockerfile.") || strings.HasSuffix(base, ".Dockerfile"):
		return "dockerfile"
	case base == "Makefile":
		return "makefile"
	}
	switch path.Ext(base) {
	case ".go":
		return "go"
	case ".sh":
		return "bash"
	case ".json":
		return "json"
	case ".yml", ".yaml":
		return "yaml"
	case ".mod":
		return "go.mod"
	}
	return ""
}

// Terminal returns the file behind w when w is a terminal.
func Terminal(w io.Writer) (*os.File, bool) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, false
	}
	return f, true
}

// Size returns the terminal's width and height, or ok=false when w is not a terminal.
func Size(w io.Writer) (width, height int, ok bool) {
	f, isTerm := Terminal(w)
	if !isTerm {
		return 0, 0, false
	}
	width, height, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 {
		return 0, 0, false
	}
	return width, height, true
}

// Page shows text through the pager command (e.g. "less -R") on the terminal out. When the
// pager cannot start, the text is written to out directly.
func Page(text string, out *os.File, pager string) error {
	args := strings.Fields(pager)
	if len(args) == 0 {
		args = []string{"less", "-R"}
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin = strings.NewReader(text)
	cmd.Stdout = out
	cmd.Stderr = os.Stderr
	cmd.Env = os.Environ()
	// less shows raw escape sequences without -R, and Cyrillic as <D0><9F> in a C locale.
	if os.Getenv("LESS") == "" {
		cmd.Env = append(cmd.Env, "LESS=-R")
	}
	if os.Getenv("LESSCHARSET") == "" {
		cmd.Env = append(cmd.Env, "LESSCHARSET=utf-8")
	}
	if err := cmd.Start(); err != nil {
		_, werr := io.WriteString(out, text)
		return werr
	}
	return cmd.Wait()
}
