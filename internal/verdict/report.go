package verdict

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"sync"
	"time"

	"github.com/go-docker-workshop/workshop/internal/buildevent"
)

// EnvVar names the file a check run writes its report to; unset, nothing is written.
const EnvVar = "WORKSHOP_REPORT"

// Kinds of report lines.
const (
	KindRun   = "run"   // a run of steps begins: Target, Steps
	KindStep  = "step"  // a step begins
	KindLog   = "log"   // a line of the step's log
	KindBuild = "build" // a build step started or ended: Build
	KindEnd   = "end"   // a step ended: Status, Elapsed, Problem
	KindDone  = "done"  // the run ended: Status (NotRun steps follow from it)
)

// Step statuses.
const (
	Passed = "passed"
	Failed = "failed"
	NotRun = "not-run"
)

// Line is one line of a report file.
type Line struct {
	Kind    string            `json:"kind"`
	Run     int               `json:"run"` // the runs of one process, from 1
	Target  string            `json:"target,omitempty"`
	Lesson  string            `json:"lesson,omitempty"`
	Subject string            `json:"subject,omitempty"` // the Dockerfile or the directory looked at
	Steps   []string          `json:"steps,omitempty"`
	Step    string            `json:"step,omitempty"`
	Text    string            `json:"text,omitempty"`
	Build   *buildevent.Event `json:"build,omitempty"`
	Status  string            `json:"status,omitempty"`
	Elapsed time.Duration     `json:"elapsed,omitempty"`
	Problem *Problem          `json:"problem,omitempty"`
}

// Writer appends report lines to a file; it is safe for concurrent use. A nil *Writer
// writes nothing, so code that reports can always call it.
type Writer struct {
	mu   sync.Mutex
	f    *os.File
	runs int
}

var (
	openOnce sync.Once
	fromEnv  *Writer
)

// FromEnv returns the writer of the file EnvVar names, opened once per process, or nil.
func FromEnv() *Writer {
	openOnce.Do(func() {
		path := os.Getenv(EnvVar)
		if path == "" {
			return
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			// The CLI sees no report and says so with go test's own output.
			return
		}
		fromEnv = &Writer{f: f}
	})
	return fromEnv
}

// NewWriter writes report lines to f.
func NewWriter(f *os.File) *Writer { return &Writer{f: f} }

// NextRun numbers a new run of steps.
func (w *Writer) NextRun() int {
	if w == nil {
		return 0
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.runs++
	return w.runs
}

// Write appends one line. Each line is written whole with one write call, so a reader that
// tails the file never sees half of one once the newline is there.
func (w *Writer) Write(l Line) {
	if w == nil {
		return
	}
	data, err := json.Marshal(l)
	if err != nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	_, _ = w.f.Write(append(data, '\n'))
}

// StepResult is a step of a run as the report tells it.
type StepResult struct {
	Name    string
	Status  string // Passed, Failed, NotRun; "" while it runs
	Elapsed time.Duration
	Problem *Problem
	Log     []string
}

// Run is one run of steps: one target looked at by one lesson's checks.
type Run struct {
	Target, Lesson, Subject string
	Steps                   []*StepResult
	Done                    bool
	Log                     []string // lines logged outside any step
}

// Status is Passed when every step passed, Failed when one failed, "" while the run goes on
// or when it ended without a verdict (the process died).
func (r *Run) Status() string {
	for _, s := range r.Steps {
		if s.Status == Failed {
			return Failed
		}
	}
	if !r.Done {
		return ""
	}
	return Passed
}

// FirstFailure is the step that failed, or nil.
func (r *Run) FirstFailure() *StepResult {
	for _, s := range r.Steps {
		if s.Status == Failed {
			return s
		}
	}
	return nil
}

// Current is the step that runs now, or nil.
func (r *Run) Current() *StepResult {
	if r.Done {
		return nil
	}
	for _, s := range r.Steps {
		if s.Status == "" {
			return s
		}
	}
	return nil
}

// Report is what a reader has taken from a report file so far.
type Report struct {
	Runs []*Run
	// Builds are the build events in the order they came.
	Builds []buildevent.Event
}

// Add takes one line into the report.
func (r *Report) Add(l Line) {
	if l.Kind == KindBuild {
		if l.Build != nil {
			r.Builds = append(r.Builds, *l.Build)
		}
		return
	}
	for len(r.Runs) < l.Run {
		r.Runs = append(r.Runs, &Run{})
	}
	if l.Run < 1 {
		return
	}
	run := r.Runs[l.Run-1]
	step := func() *StepResult {
		for _, s := range run.Steps {
			if s.Name == l.Step {
				return s
			}
		}
		s := &StepResult{Name: l.Step}
		run.Steps = append(run.Steps, s)
		return s
	}
	switch l.Kind {
	case KindRun:
		run.Target, run.Lesson, run.Subject = l.Target, l.Lesson, l.Subject
		for _, name := range l.Steps {
			run.Steps = append(run.Steps, &StepResult{Name: name})
		}
	case KindStep:
		step()
	case KindLog:
		if l.Step == "" {
			run.Log = append(run.Log, l.Text)
		} else {
			s := step()
			s.Log = append(s.Log, l.Text)
		}
	case KindEnd:
		s := step()
		s.Status, s.Elapsed, s.Problem = l.Status, l.Elapsed, l.Problem
	case KindDone:
		run.Done = true
		for _, s := range run.Steps {
			if s.Status == "" {
				s.Status = NotRun
			}
		}
	}
}

// Tail reads report lines from r as they are written, until stop is closed and r has no
// more: each whole line goes to add. The file may be empty or missing lines at first; Tail
// polls for more every interval.
func Tail(r io.Reader, stop <-chan struct{}, interval time.Duration, add func(Line)) error {
	br := bufio.NewReader(r)
	var partial []byte
	for {
		chunk, err := br.ReadBytes('\n')
		partial = append(partial, chunk...)
		if err == nil {
			var l Line
			if json.Unmarshal(partial, &l) == nil {
				add(l)
			}
			partial = partial[:0]
			continue
		}
		if err != io.EOF {
			return err
		}
		select {
		case <-stop:
			// One more read after the writer ended: what it wrote last.
			rest, _ := io.ReadAll(br)
			partial = append(partial, rest...)
			for _, line := range splitLines(partial) {
				var l Line
				if json.Unmarshal(line, &l) == nil {
					add(l)
				}
			}
			return nil
		case <-time.After(interval):
		}
	}
}

func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] != '\n' {
			i++
		}
		if i > 0 {
			out = append(out, b[:i])
		}
		if i == len(b) {
			break
		}
		b = b[i+1:]
	}
	return out
}
