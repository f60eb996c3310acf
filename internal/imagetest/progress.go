package imagetest

import (
	"os"
	"sync"

	"github.com/go-docker-workshop/workshop/internal/buildevent"
)

var (
	progressMu   sync.Mutex
	progressFunc func(buildevent.Event)
	stdoutMu     sync.Mutex
)

// SetProgress makes every build of this process report its steps to fn (nil: none); a
// program that builds in-process (the bench) shows them with it.
func SetProgress(fn func(buildevent.Event)) {
	progressMu.Lock()
	defer progressMu.Unlock()
	progressFunc = fn
}

// buildProgress returns the step listener of one build of image ref: the function given to
// SetProgress, or, when buildevent.EnvVar is "1" (make check-N sets it), marked lines on
// standard output for the CLI that runs go test.
func buildProgress(ref string) func(StepEvent) {
	progressMu.Lock()
	fn := progressFunc
	progressMu.Unlock()
	toStdout := os.Getenv(buildevent.EnvVar) == "1"
	if fn == nil && !toStdout {
		return nil
	}
	return func(e StepEvent) {
		ev := buildevent.Event{Image: ref, Step: e.Step, State: e.State, Took: e.Took}
		if fn != nil {
			fn(ev)
		}
		if toStdout {
			stdoutMu.Lock()
			_, _ = os.Stdout.WriteString(ev.Line())
			stdoutMu.Unlock()
		}
	}
}
