package imagetest

import (
	"context"

	"github.com/go-docker-workshop/workshop/internal/buildevent"
)

type progressKey struct{}

// WithProgress returns a context whose builds report each step's start and end to fn: the
// checks write them to their report for the CLI, the bench prints them.
func WithProgress(ctx context.Context, fn func(buildevent.Event)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

// buildProgress returns the step listener of one build of image ref: the function the
// context carries, or nil.
func buildProgress(ctx context.Context, ref string) func(StepEvent) {
	fn, _ := ctx.Value(progressKey{}).(func(buildevent.Event))
	if fn == nil {
		return nil
	}
	return func(e StepEvent) {
		fn(buildevent.Event{Image: ref, Step: e.Step, State: e.State, Took: e.Took})
	}
}
