package cli

import (
	"context"
	"strings"
)

// fakeEngine answers doctor's questions to the engine from the fake commands' answers, as if
// they were commands: "engine version" ("29.1.0 1.52"), "engine labels REF" ("k=v" lines),
// "engine rootdir".
type fakeEngine struct{ exec *fakeExec }

func (f fakeEngine) ask(ctx context.Context, q ...string) (string, error) {
	out, err := f.exec.run(ctx, "", "engine", q...)
	return strings.TrimSpace(out), err
}

func (f fakeEngine) Version(ctx context.Context) (EngineVersion, error) {
	out, err := f.ask(ctx, "version")
	server, api, _ := strings.Cut(out, " ")
	return EngineVersion{Server: server, API: api}, err
}

func (f fakeEngine) Labels(ctx context.Context, ref string) (map[string]string, error) {
	out, err := f.ask(ctx, "labels", ref)
	if err != nil {
		return nil, err
	}
	labels := map[string]string{}
	for line := range strings.Lines(out) {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			labels[k] = v
		}
	}
	return labels, nil
}

func (f fakeEngine) RootDir(ctx context.Context) (string, error) { return f.ask(ctx, "rootdir") }
func (f fakeEngine) Close() error                                { return nil }
