// Package testjson reads the event stream of `go test -json` (see `go doc test2json`) into a
// report: which tests ran, which passed, failed or were skipped, and what each one printed.
// A Report can be fed line by line while the tests run, so a caller can show progress.
package testjson

import (
	"bufio"
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Event is one line of `go test -json` output.
type Event struct {
	Time        time.Time `json:",omitzero"`
	Action      string
	Package     string  `json:",omitempty"`
	Test        string  `json:",omitempty"`
	Elapsed     float64 `json:",omitempty"`
	Output      string  `json:",omitempty"`
	ImportPath  string  `json:",omitempty"` // build-output and build-fail events
	FailedBuild string  `json:",omitempty"`
}

// Test states.
const (
	Running = "run"
	Pass    = "pass"
	Fail    = "fail"
	Skip    = "skip"
)

// Test is one test or subtest.
type Test struct {
	Name    string   // full name, e.g. "TestImage/CMD_in_exec_form"
	Status  string   // Running, Pass, Fail or Skip
	Output  []string // output lines without their trailing newline
	Elapsed time.Duration
	Parent  bool // has subtests

	paused bool
	outSeq []int // the event number of each Output line
	endSeq int   // the event number of the test's end
}

// Report is what a `go test -json` run has said so far.
type Report struct {
	Tests       []*Test  // in the order they started
	Output      []string // package output that belongs to no test
	BuildOutput []string // compiler and setup errors
	Status      string   // the package's final Pass, Fail or Skip; empty while running
	Elapsed     time.Duration

	byName  map[string]*Test
	started []string // running tests, most recent last
	seq     int      // events so far
}

// Parse reads a whole `go test -json` stream.
func Parse(r io.Reader) (*Report, error) {
	rep := &Report{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		rep.AddLine(sc.Bytes())
	}
	return rep, sc.Err()
}

// AddLine adds one line of the stream. Lines that are not JSON events (a panic that escaped
// test2json, a message of the go command) are kept as package output.
func (r *Report) AddLine(line []byte) {
	var e Event
	if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil || e.Action == "" {
		if s := strings.TrimRight(string(line), "\r\n"); s != "" {
			r.Output = append(r.Output, s)
		}
		return
	}
	r.Add(e)
}

// Add adds one event.
func (r *Report) Add(e Event) {
	if r.byName == nil {
		r.byName = map[string]*Test{}
	}
	r.seq++
	switch e.Action {
	case "build-output":
		r.BuildOutput = append(r.BuildOutput, lines(e.Output)...)
		return
	case "build-fail":
		return
	}
	if e.Test == "" {
		switch e.Action {
		case "output":
			r.Output = append(r.Output, lines(e.Output)...)
		case Pass, Fail, Skip:
			r.Status = e.Action
			r.Elapsed = seconds(e.Elapsed)
			r.started = nil
		}
		return
	}
	t := r.test(e.Test)
	switch e.Action {
	case Running:
		t.Status = Running
		r.markStarted(t.Name)
	case "pause":
		t.paused = true
		r.markStopped(t.Name)
	case "cont":
		t.paused = false
		r.markStarted(t.Name)
	case "output":
		for _, line := range lines(e.Output) {
			t.Output = append(t.Output, line)
			t.outSeq = append(t.outSeq, r.seq)
		}
	case Pass, Fail, Skip:
		t.Status = e.Action
		t.Elapsed = seconds(e.Elapsed)
		t.endSeq = r.seq
		r.markStopped(t.Name)
	}
}

func (r *Report) test(name string) *Test {
	if t, ok := r.byName[name]; ok {
		return t
	}
	t := &Test{Name: name, Status: Running}
	// The parent is the longest known prefix: subtest names may contain "/" themselves.
	for i := strings.LastIndex(name, "/"); i > 0; i = strings.LastIndex(name[:i], "/") {
		if p, ok := r.byName[name[:i]]; ok {
			p.Parent = true
			break
		}
	}
	r.byName[name] = t
	r.Tests = append(r.Tests, t)
	return t
}

func (r *Report) markStarted(name string) {
	r.markStopped(name)
	r.started = append(r.started, name)
}

func (r *Report) markStopped(name string) {
	r.started = slices.DeleteFunc(r.started, func(s string) bool { return s == name })
}

// Current returns the test that started last among those still running (the deepest
// subtest, as parents start before their children) and how many others run besides it and
// its parents (parallel tests).
func (r *Report) Current() (name string, others int) {
	if len(r.started) == 0 {
		return "", 0
	}
	name = r.started[len(r.started)-1]
	for _, s := range r.started[:len(r.started)-1] {
		if !strings.HasPrefix(name, s+"/") {
			others++
		}
	}
	return name, others
}

// Done reports whether the package has finished.
func (r *Report) Done() bool { return r.Status != "" }

// BuildFailed reports whether the test binary could not be built.
func (r *Report) BuildFailed() bool { return len(r.BuildOutput) > 0 && r.Status != Pass }

// Results returns the tests worth a line in a summary, in the order they started: every test
// without subtests, and each parent that failed although none of its subtests did.
func (r *Report) Results() []*Test {
	var out []*Test
	for _, t := range r.Tests {
		if !t.Parent || (t.Status == Fail && !r.anyChildFailed(t.Name)) {
			out = append(out, t)
		}
	}
	return out
}

// Aftermath returns what the tests enclosing t printed after t ended, such as a runner's
// note that the steps after a failed one did not run. Framing lines are included; pass the
// result through Messages.
func (r *Report) Aftermath(t *Test) []string {
	var out []string
	for i := strings.LastIndex(t.Name, "/"); i > 0; i = strings.LastIndex(t.Name[:i], "/") {
		p, ok := r.byName[t.Name[:i]]
		if !ok {
			continue
		}
		for j, line := range p.Output {
			if p.outSeq[j] > t.endSeq {
				out = append(out, line)
			}
		}
	}
	return out
}

// Failed returns the tests that failed on their own: failed leaves, and failed parents
// none of whose subtests failed (a parent that reported the failure itself).
func (r *Report) Failed() []*Test {
	var out []*Test
	for _, t := range r.Tests {
		if t.Status != Fail {
			continue
		}
		if t.Parent && r.anyChildFailed(t.Name) {
			continue
		}
		out = append(out, t)
	}
	return out
}

func (r *Report) anyChildFailed(name string) bool {
	for _, t := range r.Tests {
		if t.Status == Fail && strings.HasPrefix(t.Name, name+"/") {
			return true
		}
	}
	return false
}

// Passed reports whether the package passed and at least one test passed with it.
func (r *Report) Passed() bool {
	if r.Status != Pass || len(r.Failed()) > 0 {
		return false
	}
	for _, t := range r.Tests {
		if t.Status == Pass {
			return true
		}
	}
	return false
}

var (
	// "    lesson_test.go:42: " — where testing.T.Log put the message.
	locationPrefix = regexp.MustCompile(`^(\s*)[\w.\-]+\.go:\d+: `)
	// "=== RUN   TestX", "--- FAIL: TestX (0.00s)" and the like: framing, not messages.
	framing = regexp.MustCompile(`^\s*(=== (RUN|PAUSE|CONT|NAME|NAME:)|--- (PASS|FAIL|SKIP):)`)
)

// Messages returns what a test said, without go test's framing: no "=== RUN" or
// "--- FAIL" lines and no "file.go:42: " locations. Continuation lines of a multi-line
// message lose the indentation that go test adds but keep their own, so an indented
// code snippet inside a message stays indented.
func Messages(output []string) []string {
	var out []string
	base := -1 // indentation go test gives continuation lines of the current message
	for _, line := range output {
		if framing.MatchString(line) {
			base = -1
			continue
		}
		if m := locationPrefix.FindStringSubmatch(line); m != nil {
			base = len(m[1]) + 4
			out = append(out, line[len(m[0]):])
			continue
		}
		if base >= 0 && strings.HasPrefix(line, strings.Repeat(" ", base)) {
			out = append(out, line[base:])
			continue
		}
		out = append(out, strings.TrimLeft(line, " "))
	}
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
		out = out[:len(out)-1]
	}
	for len(out) > 0 && strings.TrimSpace(out[0]) == "" {
		out = out[1:]
	}
	return out
}

// DisplayName turns a test name into words: "TestImage/CMD_in_exec_form" becomes
// "TestImage › CMD in exec form".
func DisplayName(name string) string {
	var parts []string
	for p := range strings.SplitSeq(name, "/") {
		if p = strings.TrimSpace(strings.ReplaceAll(p, "_", " ")); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " › ")
}

func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }
