package render

import (
	"path"
	"regexp"
	"strings"
)

var (
	// [text](dest) and ![alt](dest), with an optional "title"; dest may be <wrapped>.
	inlineLink = regexp.MustCompile(`(!?\[[^\]\n]*\])\(\s*(<[^>\n]*>|[^\s()]+)(\s+"[^"\n]*")?\s*\)`)
	// [id]: dest "title" — a link reference definition on its own line.
	refDefinition = regexp.MustCompile(`^(\s{0,3}\[[^\]\n]+\]:\s*)(<[^>\n]*>|\S+)(.*)$`)
	// A fenced code block opens and closes with ``` or ~~~.
	fence = regexp.MustCompile("^\\s{0,3}(```|~~~)")
	// An inline code span; its text is not markdown.
	codeSpan = regexp.MustCompile("`+[^`]*`+")
	// A URI scheme such as https: or mailto:.
	scheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.\-]*:`)
)

// RewriteLinks makes the relative links of the markdown document at docPath (a
// slash-separated path relative to the repository root, e.g. "lessons/03-multi-stage/README.md")
// readable in a terminal. A terminal cannot follow a link, and glamour would print a relative
// one as an absolute, percent-encoded URL ("/ru/dockerfile.md#%D1%8D…"), so an inline link
// [text](../../ru/dockerfile.md) becomes the text "text (`ru/dockerfile.md`)": the path from
// the repository root, which the student can pass to `workshop read` or open in an editor.
// Reference definitions ([id]: path) get the root-relative path. Absolute URLs, anchors and
// links inside code are left alone.
func RewriteLinks(src []byte, docPath string) []byte {
	dir := path.Dir(path.Clean(docPath))
	lines := strings.SplitAfter(string(src), "\n")
	inFence := ""
	var b strings.Builder
	for _, line := range lines {
		if m := fence.FindStringSubmatch(line); m != nil {
			switch {
			case inFence == "":
				inFence = m[1]
			case inFence == m[1]:
				inFence = ""
			}
			b.WriteString(line)
			continue
		}
		if inFence != "" {
			b.WriteString(line)
			continue
		}
		if m := refDefinition.FindStringSubmatch(strings.TrimRight(line, "\r\n")); m != nil {
			end := line[len(strings.TrimRight(line, "\r\n")):]
			b.WriteString(m[1] + rewriteDest(m[2], dir) + m[3] + end)
			continue
		}
		b.WriteString(rewriteInline(line, dir))
	}
	return []byte(b.String())
}

// rewriteInline rewrites the inline links of one line that do not start inside a code span.
func rewriteInline(line, dir string) string {
	spans := codeSpan.FindAllStringIndex(line, -1)
	inCode := func(i int) bool {
		for _, sp := range spans {
			if i >= sp[0] && i < sp[1] {
				return true
			}
		}
		return false
	}
	var b strings.Builder
	last := 0
	for _, m := range inlineLink.FindAllStringSubmatchIndex(line, -1) {
		if inCode(m[0]) {
			continue
		}
		text, dest := line[m[2]:m[3]], line[m[4]:m[5]]
		resolved, ok := resolve(dest, dir)
		if !ok {
			continue
		}
		b.WriteString(line[last:m[0]])
		b.WriteString(linkText(text, dest, resolved))
		last = m[1]
	}
	b.WriteString(line[last:])
	return b.String()
}

// linkText is what a relative link becomes: its text and the root-relative path in code,
// or only the path when the text says nothing more.
func linkText(text, dest, resolved string) string {
	text = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(text, "!"), "["), "]"))
	plain := strings.Trim(text, "`")
	if plain == "" || plain == resolved || plain == strings.Trim(dest, "<>") {
		return "`" + resolved + "`"
	}
	return text + " (`" + resolved + "`)"
}

// rewriteDest resolves a relative destination against dir; anything else comes back as is.
func rewriteDest(dest, dir string) string {
	resolved, ok := resolve(dest, dir)
	if !ok {
		return dest
	}
	if strings.ContainsAny(resolved, " ()") {
		return "<" + resolved + ">"
	}
	return resolved
}

// resolve turns a relative destination into a slash-separated path from the repository root;
// ok is false for absolute URLs, anchors, absolute paths and paths that leave the repository.
func resolve(dest, dir string) (resolved string, ok bool) {
	d := strings.TrimSuffix(strings.TrimPrefix(dest, "<"), ">")
	if d == "" || strings.HasPrefix(d, "#") || strings.HasPrefix(d, "/") || scheme.MatchString(d) {
		return "", false
	}
	target, frag, _ := strings.Cut(d, "#")
	resolved = path.Join(dir, target)
	if strings.HasSuffix(target, "/") {
		resolved += "/"
	}
	if resolved == ".." || strings.HasPrefix(resolved, "../") {
		return "", false
	}
	if frag != "" {
		resolved += "#" + frag
	}
	return resolved, true
}
