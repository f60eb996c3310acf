package imagetest

import (
	"strings"
	"testing"
)

func TestWithGoCache(t *testing.T) {
	const m = "--mount=type=cache,id=workshop-go-build,target=/root/.cache/go-build"
	tests := []struct {
		name, in, want string
		changed        bool
	}{
		{"go build", "FROM golang\nRUN go build -o /s .\n", "FROM golang\nRUN " + m + " go build -o /s .\n", true},
		{"flags before the command", "FROM golang\nRUN CGO_ENABLED=0 go build -trimpath -o /s .\n",
			"FROM golang\nRUN " + m + " CGO_ENABLED=0 go build -trimpath -o /s .\n", true},
		{"lower case, indented, continued", "FROM golang\n  run apt-get update && \\\n    go install ./...\n",
			"FROM golang\n  run " + m + " apt-get update && \\\n    go install ./...\n", true},
		{"its own mount flags stay", "FROM golang\nRUN --mount=type=bind,target=. go build -o /s .\n",
			"FROM golang\nRUN " + m + " --mount=type=bind,target=. go build -o /s .\n", true},
		{"exec form", "FROM golang\nRUN [\"go\", \"build\", \"-o\", \"/s\", \".\"]\n", "", false},
		{"heredoc", "FROM golang\nRUN <<EOF\ngo build -o /s .\nEOF\n", "FROM golang\nRUN " + m + " <<EOF\ngo build -o /s .\nEOF\n", true},
		{"no go command", "FROM debian\nRUN apt-get update && gofmt -l .\n", "", false},
		{"a cache mount of its own", "FROM golang\nRUN --mount=type=cache,target=/root/.cache/go-build go build .\n", "", false},
		{"GOCACHE set", "FROM golang\nRUN GOCACHE=/tmp/c go build .\n", "", false},
		{"not a Dockerfile", "FROM golang\nRUN <<EOF\n", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := withGoCache([]byte(tc.in))
			if changed != tc.changed {
				t.Fatalf("changed = %v, want %v; got:\n%s", changed, tc.changed, got)
			}
			want := tc.want
			if !tc.changed {
				want = tc.in
			}
			if string(got) != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
			if strings.Count(string(got), "\n") != strings.Count(tc.in, "\n") {
				t.Error("line numbers moved")
			}
		})
	}
}
