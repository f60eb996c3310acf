package dockerfile

import (
	"strings"
	"testing"
)

const multiStage = `ARG GO_VERSION=1.26
FROM golang:${GO_VERSION}-bookworm AS Builder
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 go build -o server server.go
CMD ["./server"]

FROM builder AS test
RUN go vet ./...

FROM debian:bullseye-slim AS prod
WORKDIR /go
COPY --from=builder /go/server .
ENTRYPOINT ./server

FROM prod
`

func TestParseStages(t *testing.T) {
	f, err := ParseBytes("Dockerfile", []byte(multiStage))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Stages) != 4 {
		t.Fatalf("stages = %d, want 4", len(f.Stages))
	}
	if got := f.Stages[0].Name; got != "builder" {
		t.Errorf("stage names are matched case-insensitively, as Docker does: got %q, want builder", got)
	}
	if got := f.BaseImage(f.Stages[0]); got != "golang:1.26-bookworm" {
		t.Errorf("BaseImage expands global ARG defaults: got %q", got)
	}
	if !f.IsStage(f.Stages[1]) || f.IsStage(f.Stages[2]) {
		t.Errorf("IsStage: FROM builder is a stage, FROM debian is an image")
	}
	if got := f.BaseImage(f.Final()); got != "debian:bullseye-slim" {
		t.Errorf("BaseImage of FROM prod follows the chain to its image: got %q", got)
	}
	if s, ok := f.Stage("1"); !ok || s.Name != "test" {
		t.Errorf(`Stage("1") = %+v, %v; want the stage named test, as COPY --from=1 does`, s, ok)
	}
	if _, ok := f.Stage("nope"); ok {
		t.Error(`Stage("nope") found a stage`)
	}
}

func TestEffectiveFollowsTheChainOfStages(t *testing.T) {
	f, err := ParseBytes("Dockerfile", []byte(multiStage))
	if err != nil {
		t.Fatal(err)
	}
	entry, ok := f.Effective("ENTRYPOINT")
	if !ok || entry.ExecForm || entry.Line != 14 {
		t.Errorf("ENTRYPOINT = %+v, %v; want the shell-form one of stage prod, line 14", entry, ok)
	}
	if _, ok := f.Effective("CMD"); ok {
		t.Error("CMD of the builder stage leaked into the final image, which starts from debian")
	}
	wd, ok := f.Effective("workdir")
	if !ok || wd.Line != 12 {
		t.Errorf("WORKDIR = %+v, %v; want line 12", wd, ok)
	}
}

func TestParseError(t *testing.T) {
	_, err := ParseBytes("Dockerfile", []byte("FROM golang:1.26-bookworm\nCOPY\n"))
	if err == nil {
		t.Fatal("COPY without arguments parsed")
	}
	if !strings.Contains(err.Error(), "Dockerfile") {
		t.Errorf("the error should name the file: %v", err)
	}
}

func TestSplitRef(t *testing.T) {
	for _, tc := range []struct{ ref, name, tag, digest, short string }{
		{"golang", "golang", "", "", "golang"},
		{"golang:1.26-bookworm", "golang", "1.26-bookworm", "", "golang"},
		{"docker.io/library/golang:1.26", "docker.io/library/golang", "1.26", "", "golang"},
		{"localhost:5000/team/golang", "localhost:5000/team/golang", "", "", "golang"},
		{"debian:bullseye-slim@sha256:abc", "debian", "bullseye-slim", "sha256:abc", "debian"},
	} {
		name, tag, digest := SplitRef(tc.ref)
		if name != tc.name || tag != tc.tag || digest != tc.digest {
			t.Errorf("SplitRef(%q) = %q, %q, %q; want %q, %q, %q", tc.ref, name, tag, digest, tc.name, tc.tag, tc.digest)
		}
		if got := ShortName(name); got != tc.short {
			t.Errorf("ShortName(%q) = %q, want %q", name, got, tc.short)
		}
	}
}

func TestStepLine(t *testing.T) {
	src := "ARG GO=1.26\n" + // 1
		"FROM --platform=$BUILDPLATFORM golang:${GO}-bookworm AS builder\n" + // 2
		"ARG TARGETARCH\n" + // 3
		"WORKDIR /src\n" + // 4
		"COPY go.mod ./\n" + // 5
		"RUN GOARCH=$TARGETARCH \\\n    go build -o /server .\n" + // 6-7
		"FROM scratch\n" + // 8
		"COPY --from=builder /server /server\n" + // 9
		"FROM builder AS test\n" + // 10
		"RUN go vet ./...\n" // 11
	f, err := ParseBytes("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		stage string
		k     int
		text  string
		want  int
	}{
		{"builder", 1, "FROM docker.io/library/golang:1.26-bookworm", 2},
		{"builder", 3, "COPY go.mod ./", 5},
		{"builder", 4, "RUN GOARCH=arm64 go build -o /server .", 6}, // BuildKit shows ARG values
		{"builder", 4, "RUN GOARCH=$TARGETARCH go build -o /server .", 6},
		{"stage-1", 1, "COPY --from=builder /server /server", 9},
		{"test", 1, "RUN go vet ./...", 11}, // FROM another stage is not counted
		{"nope", 1, "RUN x", 0},
	} {
		if got := f.StepLine(tc.stage, tc.k, tc.text); got != tc.want {
			t.Errorf("StepLine(%q, %d, %q) = %d, want %d", tc.stage, tc.k, tc.text, got, tc.want)
		}
	}
}

func TestHeredocRunIsItsScript(t *testing.T) {
	f, err := ParseBytes("Dockerfile", []byte("FROM golang\nRUN <<EOF\nset -e\nGOARCH=amd64 go build -o /x .\nEOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	run := f.Final().Instructions[0]
	if got := strings.Join(run.Args, " "); !strings.Contains(got, "GOARCH=amd64 go build") {
		t.Errorf("RUN heredoc args %q, want the script's lines", run.Args)
	}
	if want := "RUN <<EOF\nset -e\nGOARCH=amd64 go build -o /x .\nEOF"; run.Source != want {
		t.Errorf("RUN heredoc source %q, want %q", run.Source, want)
	}
}
