package imagetest

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	bkclient "github.com/moby/buildkit/client"
	digest "github.com/opencontainers/go-digest"

	"github.com/go-docker-workshop/workshop/internal/buildevent"
)

// BuildStep is one step of a build as BuildKit names it, e.g.
// "[builder 3/4] RUN go build -o server server.go", with its outcome and output.
type BuildStep struct {
	Name      string
	Started   time.Time
	Completed time.Time
	Cached    bool
	Error     string
	Log       []byte // the step's output (stdout and stderr), its last 64 KiB
}

// Duration is how long the step ran; 0 while it runs or when it came from the cache.
func (s *BuildStep) Duration() time.Duration {
	if s.Started.IsZero() || s.Completed.IsZero() {
		return 0
	}
	return s.Completed.Sub(s.Started)
}

// Instruction is the step's Dockerfile instruction without BuildKit's "[stage k/n] " prefix.
func (s *BuildStep) Instruction() string {
	if m := stepPrefix.FindStringSubmatch(s.Name); m != nil {
		return s.Name[len(m[0]):]
	}
	return s.Name
}

// Position returns the stage name BuildKit printed ("builder", "stage-1") and the step's
// number k of n in that stage; ok is false for steps outside the Dockerfile ("[internal] …",
// "exporting to image").
func (s *BuildStep) Position() (stage string, k, n int, ok bool) {
	m := stepPrefix.FindStringSubmatch(s.Name)
	if m == nil {
		return "", 0, 0, false
	}
	k, _ = strconv.Atoi(m[2])
	n, _ = strconv.Atoi(m[3])
	return m[1], k, n, true
}

// stepPrefix is BuildKit's "[stage k/n] " or "[k/n] " (a single unnamed stage) prefix; a
// cross build may put the platform first: "[linux/amd64->arm64 builder 3/4] ".
var stepPrefix = regexp.MustCompile(`^\[(?:\S+/\S+ )?(?:(\S+) )?\s*(\d+)/(\d+)\] `)

// Internal reports whether the step is BuildKit's own work rather than a Dockerfile instruction.
func (s *BuildStep) Internal() bool { _, _, _, ok := s.Position(); return !ok }

const maxStepLog = 64 << 10

// StepEvent tells a progress display that a step started or ended.
type StepEvent struct {
	Step  string
	State string // StepRunning, StepDone, StepCached or StepFailed
	Took  time.Duration
}

// Step states of a StepEvent.
const (
	StepRunning = buildevent.Running
	StepDone    = buildevent.Done
	StepCached  = buildevent.Cached
	StepFailed  = buildevent.Failed
)

// Trace collects BuildKit's progress updates (SolveStatus) into the build's steps, in the
// order they started. It is the one place that reads a BuildKit build's output.
type Trace struct {
	mu     sync.Mutex
	steps  map[digest.Digest]*BuildStep
	order  []digest.Digest
	onStep func(StepEvent)
}

// NewTrace returns an empty trace; onStep, when not nil, hears each step start and end.
func NewTrace(onStep func(StepEvent)) *Trace {
	return &Trace{steps: map[digest.Digest]*BuildStep{}, onStep: onStep}
}

// Add merges one progress update into the trace.
func (t *Trace) Add(st *bkclient.SolveStatus) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, v := range st.Vertexes {
		s, ok := t.steps[v.Digest]
		if !ok {
			s = &BuildStep{Name: v.Name}
			t.steps[v.Digest] = s
			t.order = append(t.order, v.Digest)
		}
		wasStarted, wasDone := !s.Started.IsZero(), !s.Completed.IsZero()
		if v.Started != nil {
			s.Started = *v.Started
		}
		if v.Completed != nil {
			s.Completed = *v.Completed
		}
		s.Cached = s.Cached || v.Cached
		if v.Error != "" {
			s.Error = v.Error
		}
		if t.onStep == nil {
			continue
		}
		switch {
		case !wasDone && !s.Completed.IsZero():
			state := StepDone
			switch {
			case s.Error != "":
				state = StepFailed
			case s.Cached:
				state = StepCached
			}
			t.onStep(StepEvent{Step: s.Name, State: state, Took: s.Duration()})
		case !wasStarted && !s.Started.IsZero():
			t.onStep(StepEvent{Step: s.Name, State: StepRunning})
		}
	}
	for _, l := range st.Logs {
		s, ok := t.steps[l.Vertex]
		if !ok {
			continue
		}
		s.Log = append(s.Log, l.Data...)
		if len(s.Log) > maxStepLog {
			s.Log = s.Log[len(s.Log)-maxStepLog:]
		}
	}
}

// Steps returns a copy of the steps in the order they appeared.
func (t *Trace) Steps() []BuildStep {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]BuildStep, 0, len(t.order))
	for _, d := range t.order {
		s := *t.steps[d]
		s.Log = bytes.Clone(s.Log)
		out = append(out, s)
	}
	return out
}

// Failed returns the step that failed, preferring a Dockerfile instruction over BuildKit's
// internal steps, or nil when none did.
func (t *Trace) Failed() *BuildStep {
	var failed *BuildStep
	for _, s := range t.Steps() {
		if s.Error == "" || strings.Contains(s.Error, "context canceled") {
			continue
		}
		if failed == nil || (failed.Internal() && !s.Internal()) {
			failed = &s
		}
	}
	return failed
}

// String renders the trace like `docker build --progress=plain`: each step, CACHED or its
// time, and its output.
func (t *Trace) String() string {
	var b strings.Builder
	for i, s := range t.Steps() {
		b.WriteString("#" + strconv.Itoa(i+1) + " " + s.Name + "\n")
		for _, line := range strings.Split(strings.TrimRight(string(s.Log), "\n"), "\n") {
			if line != "" {
				b.WriteString("#" + strconv.Itoa(i+1) + " " + line + "\n")
			}
		}
		switch {
		case s.Error != "":
			b.WriteString("#" + strconv.Itoa(i+1) + " ERROR: " + s.Error + "\n")
		case s.Cached:
			b.WriteString("#" + strconv.Itoa(i+1) + " CACHED\n")
		case !s.Completed.IsZero():
			b.WriteString("#" + strconv.Itoa(i+1) + " DONE " + strconv.FormatFloat(s.Duration().Seconds(), 'f', 1, 64) + "s\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}
