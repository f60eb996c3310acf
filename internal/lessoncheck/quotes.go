package lessoncheck

import (
	"regexp"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
)

// quotedVarRef is a variable reference: $NAME or ${NAME…}.
var quotedVarRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// CheckQuotes: in single quotes neither the shell (RUN in shell form) nor Docker (ENV, LABEL)
// substitutes variables: -ldflags='-X main.version=${VERSION}' hands the linker the text
// ${VERSION} itself. Only names the Dockerfile sets (ARG, ENV) count, and a RUN that starts a
// shell of its own (sh -c '…$VAR…') is left alone: that inner shell does substitute.
func CheckQuotes(f *dockerfile.File) error {
	known := map[string]bool{}
	for name := range f.Args {
		known[name] = true
	}
	for _, s := range f.Stages {
		for _, in := range s.Instructions {
			if in.Name == "ARG" {
				for _, name := range in.Args {
					known[name] = true
				}
			}
			for name := range in.Env {
				known[name] = true
			}
		}
	}
	for _, s := range f.Stages {
		for _, in := range s.Instructions {
			var text, who string
			switch {
			case in.Name == "RUN" && !in.ExecForm:
				text, who = strings.Join(in.Args, " "), "оболочка не подставляет"
				if nestedShell.MatchString(text) {
					continue
				}
			case in.Name == "ENV" || in.Name == "LABEL":
				text, who = strings.TrimSpace(strings.TrimPrefix(in.Source, in.Name)), "Docker не подставляет"
			default:
				continue
			}
			for _, ref := range singleQuotedVars(text) {
				if !known[ref.name] {
					continue
				}
				return Failf("замените одинарные кавычки двойными: "+doubleQuoted(ref.quoted)+
					" — в двойных кавычках переменная подставляется, а пробелы внутри остаются одним аргументом",
					"%s, строка %d: %s — в одинарных кавычках %s переменные: вместо значения $%s дальше пойдёт "+
						"сам текст %s", s.Label(), in.Line, ref.quoted, who, ref.name, ref.text)
			}
		}
	}
	return nil
}

// nestedShell finds a RUN that hands a script to a shell of its own: sh -c '…'.
var nestedShell = regexp.MustCompile(`\b(sh|bash|dash|ash)\s+(-[a-z]*c|-c)\b`)

// quotedVar is a variable reference inside single quotes.
type quotedVar struct {
	name   string // VERSION
	text   string // ${VERSION} as written
	quoted string // the whole single-quoted word, quotes included
}

// singleQuotedVars finds $NAME and ${NAME…} inside single quotes of a shell word list,
// following the shell's rules: a single quote inside double quotes is an ordinary character,
// a backslash outside single quotes escapes the next one.
func singleQuotedVars(cmd string) []quotedVar {
	var out []quotedVar
	inSingle, inDouble := false, false
	start := 0
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		switch {
		case inSingle:
			if c == '\'' {
				inSingle = false
				quoted := wordAround(cmd, start, i+1)
				for _, m := range quotedVarRef.FindAllStringSubmatch(cmd[start+1:i], -1) {
					out = append(out, quotedVar{name: m[1], text: varText(cmd[start+1:i], m[0]), quoted: quoted})
				}
			}
		case c == '\\':
			i++ // escaped
		case c == '"':
			inDouble = !inDouble
		case c == '\'' && !inDouble:
			inSingle, start = true, i
		}
	}
	return out
}

// varText completes a ${NAME…} match to its closing brace.
func varText(s, match string) string {
	if !strings.HasPrefix(match, "${") {
		return match
	}
	at := strings.Index(s, match)
	if end := strings.IndexByte(s[at:], '}'); end >= 0 {
		return s[at : at+end+1]
	}
	return match
}

// wordAround widens cmd[from:to] to the whole shell word: -ldflags='…' rather than '…'.
func wordAround(cmd string, from, to int) string {
	for from > 0 && !isSpace(cmd[from-1]) {
		from--
	}
	for to < len(cmd) && !isSpace(cmd[to]) {
		to++
	}
	return cmd[from:to]
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// doubleQuoted rewrites a word's single quotes as double ones: -ldflags="-X main.version=${VERSION}".
func doubleQuoted(word string) string { return strings.ReplaceAll(word, "'", `"`) }
