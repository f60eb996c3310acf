package imagetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// fakeBuilds makes Build run fn instead of a Docker build for the rest of the test and
// returns the number of times Build has called it. The cache entries the test leaves behind
// are removed, so that no fake image outlives it.
func fakeBuilds(t *testing.T, fn func(ctx context.Context, spec BuildSpec) (*Image, error)) *int {
	t.Helper()
	calls := new(int)
	var keys []string
	runBuild = func(ctx context.Context, spec BuildSpec) (*Image, error) {
		*calls++
		keys = append(keys, buildKey(spec))
		return fn(ctx, spec)
	}
	t.Cleanup(func() {
		runBuild = build
		buildsMu.Lock()
		defer buildsMu.Unlock()
		for _, k := range keys {
			delete(builds, k)
		}
	})
	return calls
}

// cacheSpec is a spec of its own for each test: a tag no real build of this package uses.
func cacheSpec(t *testing.T) BuildSpec {
	return BuildSpec{Context: "testdata", Dockerfile: "scratch.Dockerfile", Tag: "cache-" + slug(t.Name())}
}

func stoppedContext(t *testing.T, how string) context.Context {
	t.Helper()
	switch how {
	case "cancelled":
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx
	case "timed out":
		ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
		t.Cleanup(cancel)
		return ctx
	}
	t.Fatalf("no context %q", how)
	return nil
}

// A build that its caller's context stopped is forgotten, whatever error it ended with: the
// next call with a live context builds again, and what that build gives is remembered.
func TestBuildForgetsABuildItsContextStopped(t *testing.T) {
	for _, tc := range []struct {
		name    string
		context string
		fails   func(ctx context.Context) error
	}{
		{"cancelled, the context's error", "cancelled", func(ctx context.Context) error { return ctx.Err() }},
		{"timed out, the context's error", "timed out", func(ctx context.Context) error { return ctx.Err() }},
		// What build returns when the context stops its first ping: ErrNoDocker, with the
		// context's error only as text.
		{"cancelled, no daemon in words", "cancelled", func(ctx context.Context) error {
			return fmt.Errorf("%w: локальный демон недоступен (%v)", ErrNoDocker, ctx.Err())
		}},
		// The daemon's own report of a cancelled build.
		{"timed out, a build error", "timed out", func(context.Context) error {
			return &BuildError{Dockerfile: "scratch.Dockerfile", Cause: "rpc error: code = Canceled desc = context canceled"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := fakeBuilds(t, func(ctx context.Context, spec BuildSpec) (*Image, error) {
				if ctx.Err() != nil {
					return nil, tc.fails(ctx)
				}
				return &Image{Ref: spec.Repo + ":" + spec.Tag, ID: "sha256:fake"}, nil
			})
			spec := cacheSpec(t)

			if _, err := Build(stoppedContext(t, tc.context), spec); err == nil {
				t.Fatal("a build with a stopped context succeeded")
			}
			img, err := Build(context.Background(), spec)
			if err != nil {
				t.Fatalf("the call after a stopped build got the stopped build's error: %v", err)
			}
			if *calls != 2 {
				t.Fatalf("built %d times, want 2: the stopped build was remembered", *calls)
			}
			again, err := Build(context.Background(), spec)
			if err != nil || again != img || *calls != 2 {
				t.Errorf("a finished build is built again (%d builds, %v): want the remembered image", *calls, err)
			}
		})
	}
}

// A build that failed on its own (the Dockerfile, not the caller) is remembered like a
// success: the lesson's later steps get the same error without building again.
func TestBuildRemembersAFailedBuild(t *testing.T) {
	failure := &BuildError{Dockerfile: "scratch.Dockerfile", Step: "[2/2] RUN false", Cause: "exit code: 1"}
	calls := fakeBuilds(t, func(context.Context, BuildSpec) (*Image, error) { return nil, failure })
	spec := cacheSpec(t)
	for range 2 {
		if _, err := Build(context.Background(), spec); !errors.Is(err, failure) {
			t.Fatalf("Build = %v, want the build's error", err)
		}
	}
	if *calls != 1 {
		t.Errorf("built %d times, want 1", *calls)
	}
}

// The real build, without a fake, given a context cancelled before it starts: it fails
// before reaching Docker (its first ping is cut short), and nothing is remembered.
func TestBuildWithACancelledContextLeavesNoEntry(t *testing.T) {
	spec, err := normalize(cacheSpec(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(stoppedContext(t, "cancelled"), spec); err == nil {
		t.Fatal("a build with a cancelled context succeeded")
	}
	buildsMu.Lock()
	_, remembered := builds[buildKey(spec)]
	buildsMu.Unlock()
	if remembered {
		t.Error("the cancelled build is remembered: the next call would get its error")
	}
}
