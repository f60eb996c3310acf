package lessons

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// answer is a piece of a lesson's solution: what a student types to solve the exercise.
// Where it is quoted from is named, and the test checks that it is there, so the list
// cannot drift away from the solution it stands for.
type answer struct {
	file string // relative to the lesson's directory: the reference, a correct variant, the README
	code string
}

// answers are, lesson by lesson, the lines (or the telling part of a line) of the solution.
// The exercise's comments and the failure messages of the checks must not contain them:
// a TODO says what to achieve and where to read about it, a failing check names the symptom
// and where to look. The code itself is in the lesson's text and in the last hint of the
// catalogue, which the student asks for on purpose.
var answers = map[int][]answer{
	1: {
		{"server.go", `mux.HandleFunc("GET /healthz"`},
		{"server.go", `w.Header().Set("Content-Type", "text/plain; charset=utf-8")`},
		{"server.go", `fmt.Fprintln(w, "ok")`},
	},
	2: {
		{"Dockerfile", "FROM golang:1.26-bookworm"},
		{"Dockerfile", "COPY server.go ."},
		{"Dockerfile", "go build -o server server.go"},
		{"Dockerfile", `CMD ["./server"]`},
	},
	3: {
		{"Dockerfile", "AS builder"},
		{"Dockerfile", "FROM debian:bullseye-slim"},
		{"Dockerfile", "COPY --from=builder /go/server"},
	},
	4: {
		{"Dockerfile", "--platform=$BUILDPLATFORM"},
		{"Dockerfile", "ARG TARGETOS TARGETARCH"},
		{"Dockerfile", "GOOS=$TARGETOS GOARCH=$TARGETARCH"},
		{"Dockerfile", "CGO_ENABLED=0"},
	},
	5: {
		{"Dockerfile", "FROM scratch"},
		{"Dockerfile", `-trimpath -ldflags="-s -w"`},
	},
	6: {
		{"Dockerfile", "COPY gomod/go.mod ./"},
		{"Dockerfile", "COPY server.go ./"},
		{"Dockerfile", "go build -trimpath std"},
		{"Dockerfile.buildkit", "--mount=type=cache,target=/root/.cache/go-build"},
	},
	7: {
		{"server.go", "signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)"},
		{"server.go", "make(chan error, 1)"},
		{"server.go", "errc <- srv.ListenAndServe()"},
		{"server.go", "context.WithTimeout(context.Background(),"},
		{"server.go", "srv.Shutdown(shutdownCtx)"},
	},
	8: {
		{"Dockerfile", "--interval=5s --timeout=2s --start-period=2s --retries=3"},
		{"Dockerfile", `, "-healthcheck"]`},
	},
	9: {
		{"Dockerfile", "org.opencontainers.image.version=$VERSION"},
	},
	10: {
		{"Dockerfile", "FROM scratch"},
		{"Dockerfile", "USER 65532:65532"},
		{"Dockerfile", "HEALTHCHECK --interval=10s --timeout=3s"},
		{"Dockerfile", `, "-healthcheck"]`},
		{"Dockerfile", `org.opencontainers.image.version="${VERSION}"`},
		{"Dockerfile", `-ldflags="-s -w -X main.version=${VERSION}"`},
		{"Dockerfile", "COPY --from=builder /etc/ssl/certs/ca-certificates.crt"},
		{"Dockerfile", "-tags timetzdata"},
		{"README.md", "COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo"},
	},
}

// The answers are quoted from the files they name.
func TestAnswersAreTheSolution(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		if len(answers[l.Number]) == 0 {
			t.Errorf("lesson %d: no answers listed: which lines solve its exercise?", l.Number)
		}
		for _, a := range answers[l.Number] {
			data, err := os.ReadFile(filepath.Join(l.Slug, a.file))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(normalize(string(data)), normalize(a.code)) {
				t.Errorf("lesson %d: %s does not contain %q", l.Number, a.file, a.code)
			}
		}
	}
}

// An exercise's comments say what to achieve and where to read about it, never the code.
func TestExerciseCommentsKeepTheAnswer(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		for _, f := range l.Exercise.Files {
			name := filepath.Join(l.Slug, f)
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range comments(name, string(data)) {
				for _, a := range answers[l.Number] {
					if strings.Contains(normalize(c.text), normalize(a.code)) {
						t.Errorf("%s:%d: the comment gives away %q: say what to achieve and where to read about it (lesson, section)",
							name, c.line, a.code)
					}
				}
			}
		}
	}
}

// A failing check names the symptom and where to look; its hint does not print the answer.
// The messages are read from the source: the arguments of Failf, the fields of a Problem
// and of the texts a check is given (CommandText, HostServer, Version), the hints passed
// to shared checks, and what the constants, variables and local functions they name hold.
// The shared checks of internal/lessoncheck serve every lesson, so they keep every lesson's
// answers.
func TestFailureMessagesKeepTheAnswer(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	var shared []string
	// lessoncheck and the packages that hold the words of a kind of check (internal/shutdown).
	for _, dir := range []string{"lessoncheck", "shutdown"} {
		files, err := filepath.Glob(filepath.Join("..", "internal", dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		shared = append(shared, files...)
	}
	var every []answer
	for _, l := range all {
		every = append(every, answers[l.Number]...)
	}
	for _, name := range shared {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		checkMessages(t, name, every)
	}
	// A lesson's words are in its lesson_test.go and, when it has more than a few checks of
	// its own, in checks_test.go beside it: every test file of the lesson is read.
	for _, l := range all {
		files, err := filepath.Glob(filepath.Join(l.Slug, "*_test.go"))
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, name := range files {
			found += checkMessages(t, name, answers[l.Number])
		}
		if found == 0 {
			t.Errorf("%s: no failure messages found in its test files: does the reader still see them?", l.Slug)
		}
	}
}

// The catalogue's hints come one by one, from a nudge to the answer: only the last one
// holds the code.
func TestOnlyTheLastHintHoldsTheCode(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		hints := l.Exercise.Hints
		last := normalize(hints[len(hints)-1])
		if !slices.ContainsFunc(answers[l.Number], func(a answer) bool { return strings.Contains(last, normalize(a.code)) }) {
			t.Errorf("lesson %d: the last hint holds none of the answers: it is where the code goes", l.Number)
		}
		for i, h := range hints[:len(hints)-1] {
			for _, a := range answers[l.Number] {
				if strings.Contains(normalize(h), normalize(a.code)) {
					t.Errorf("lesson %d, hint %d of %d gives away %q: only the last hint holds the code",
						l.Number, i+1, len(hints), a.code)
				}
			}
		}
	}
}

// checkMessages reports the failure messages of the Go file name that give away an answer,
// and returns how many messages it read.
func checkMessages(t *testing.T, name string, answers []answer) int {
	t.Helper()
	msgs, err := messages(name)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		for _, a := range answers {
			key := fmt.Sprint(m.line, a.code)
			if !seen[key] && strings.Contains(normalize(m.text), normalize(a.code)) {
				seen[key] = true
				t.Errorf("%s:%d: a failure message gives away %q: name the symptom and where to look\n\t%s",
					name, m.line, a.code, m.text)
			}
		}
	}
	return len(msgs)
}

// normalize collapses runs of white space, so that line breaks and the continuation
// backslashes of a Dockerfile do not hide a match.
func normalize(s string) string {
	s = strings.ReplaceAll(s, "\\\n", " ")
	return strings.Join(strings.Fields(s), " ")
}

type text struct {
	line int
	text string
}

// comments returns the comments of a Go file or a Dockerfile, a block of adjacent comment
// lines as one text.
func comments(name, src string) []text {
	prefix := "#"
	if strings.HasSuffix(name, ".go") {
		prefix = "//"
	}
	var out []text
	open := false
	for i, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		var c string
		if strings.HasPrefix(trimmed, prefix) {
			c = strings.TrimPrefix(trimmed, prefix)
		} else if j := strings.Index(line, " "+prefix+" "); prefix == "//" && j >= 0 {
			c = line[j+len(prefix)+1:] // a trailing comment
		} else {
			open = false
			continue
		}
		if open {
			out[len(out)-1].text += "\n" + c
		} else {
			out = append(out, text{line: i + 1, text: c})
		}
		open = strings.HasPrefix(trimmed, prefix)
	}
	return out
}

// hintCalls are the functions whose string arguments reach the student as a failure
// message or its hint.
var hintCalls = map[string]bool{
	"Failf": true, "NoBuildLeftovers": true, "CheckTrimpath": true, "WaitHealthy": true,
	"BuildServer": true, "ListensOnAllInterfaces": true, "ScratchCommand": true,
}

// hintFields are the fields of the structures that carry such texts.
var hintFields = map[string]bool{
	"What": true, "Hint": true, "NoCommand": true, "ShellForm": true, "MissingHint": true,
	"ListenHint": true, "BinaryHint": true, "LabelHint": true,
}

// messages reads the texts that a Go file hands to the student as failure messages.
// collect records a file's package-level values and functions and each function's locals.
func (e *evaluator) collect(f *ast.File) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			collectValues(d, e.pkg)
		case *ast.FuncDecl:
			if d.Recv == nil {
				e.funcs[d.Name.Name] = d
			}
			e.locals[d] = map[string][]ast.Expr{}
			collectValues(d, e.locals[d])
		}
	}
}

func messages(name string) ([]text, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	e := &evaluator{pkg: map[string][]ast.Expr{}, funcs: map[string]*ast.FuncDecl{},
		locals: map[*ast.FuncDecl]map[string][]ast.Expr{}}
	// The package's other files give their constants, variables and functions too: a lesson's
	// words are spread over lesson_test.go and checks_test.go.
	others, _ := filepath.Glob(filepath.Join(filepath.Dir(name), "*.go"))
	for _, other := range others {
		if other == name {
			continue
		}
		of, err := parser.ParseFile(fset, other, nil, parser.SkipObjectResolution)
		if err != nil || of.Name.Name != f.Name.Name {
			continue
		}
		e.collect(of)
	}
	e.collect(f)
	var out []text
	for _, d := range f.Decls {
		fn, _ := d.(*ast.FuncDecl)
		ast.Inspect(d, func(n ast.Node) bool {
			var hints []ast.Expr
			switch n := n.(type) {
			case *ast.CallExpr:
				if hintCalls[funcName(n.Fun)] {
					hints = n.Args
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && hintFields[id.Name] {
					hints = []ast.Expr{n.Value}
				}
			}
			for _, x := range hints {
				for _, s := range e.texts(fn, x, 0) {
					out = append(out, text{line: fset.Position(x.Pos()).Line, text: s})
				}
			}
			return true
		})
	}
	return out, nil
}

// collectValues records what each name is given in the node: declarations and assignments.
func collectValues(root ast.Node, values map[string][]ast.Expr) {
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if i < len(n.Values) {
					values[id.Name] = append(values[id.Name], n.Values[i])
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, lhs := range n.Lhs {
					if id, ok := lhs.(*ast.Ident); ok {
						values[id.Name] = append(values[id.Name], n.Rhs[i])
					}
				}
			}
		}
		return true
	})
}

func funcName(fun ast.Expr) string {
	switch fun := fun.(type) {
	case *ast.Ident:
		return fun.Name
	case *ast.SelectorExpr:
		return fun.Sel.Name
	}
	return ""
}

// evaluator turns an expression into the texts it can hold: string literals, their sums,
// fmt.Sprintf's format and arguments, the constants and variables of the function and the
// file, and what the file's own functions return. What it cannot know (a field, a
// parameter) is «…».
type evaluator struct {
	pkg    map[string][]ast.Expr
	funcs  map[string]*ast.FuncDecl
	locals map[*ast.FuncDecl]map[string][]ast.Expr
}

const unknown = "…"

func (e *evaluator) texts(fn *ast.FuncDecl, x ast.Expr, depth int) []string {
	if depth > 8 {
		return []string{unknown}
	}
	switch x := x.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			if s, err := strconv.Unquote(x.Value); err == nil {
				return []string{s}
			}
		}
	case *ast.ParenExpr:
		return e.texts(fn, x.X, depth+1)
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			var out []string
			for _, l := range e.texts(fn, x.X, depth+1) {
				for _, r := range e.texts(fn, x.Y, depth+1) {
					out = append(out, l+r)
				}
			}
			return out
		}
	case *ast.Ident:
		values := e.locals[fn][x.Name]
		if len(values) == 0 {
			values = e.pkg[x.Name]
		}
		var out []string
		for _, v := range values {
			out = append(out, e.texts(fn, v, depth+1)...)
		}
		if len(out) > 0 {
			return out
		}
	case *ast.CallExpr:
		if called, ok := e.funcs[funcName(x.Fun)]; ok && called.Body != nil {
			var out []string
			ast.Inspect(called.Body, func(n ast.Node) bool {
				if r, ok := n.(*ast.ReturnStmt); ok {
					for _, res := range r.Results {
						out = append(out, e.texts(called, res, depth+1)...)
					}
				}
				return true
			})
			if len(out) > 0 {
				return out
			}
		}
		// fmt.Sprintf and friends: the format, then each argument on its own.
		var out []string
		for _, arg := range x.Args {
			out = append(out, e.texts(fn, arg, depth+1)...)
		}
		if len(out) > 0 {
			return out
		}
	}
	return []string{unknown}
}
