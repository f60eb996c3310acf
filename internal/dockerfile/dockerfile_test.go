package dockerfile

import (
	"reflect"
	"strings"
	"testing"
	"time"
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

func TestHealthcheck(t *testing.T) {
	src := "FROM scratch AS base\n" +
		"HEALTHCHECK --interval=5s --timeout=2s --start-period=3s --start-interval=1s --retries=4 \\\n" +
		"    CMD [\"/server\", \"-healthcheck\"]\n" +
		"FROM base\n"
	f, err := ParseBytes("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	h, in, ok := f.Health()
	if !ok {
		t.Fatal("the final stage inherits the HEALTHCHECK of base, Health found none")
	}
	want := Health{Test: []string{"CMD", "/server", "-healthcheck"}, Interval: 5 * time.Second,
		Timeout: 2 * time.Second, StartPeriod: 3 * time.Second, StartInterval: time.Second, Retries: 4}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("Health = %+v, want %+v", h, want)
	}
	if in.Line != 2 {
		t.Errorf("its instruction is on line %d, want 2", in.Line)
	}

	for _, tc := range []struct {
		src  string
		test []string
	}{
		{"FROM scratch\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n",
			[]string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"}},
		{"FROM scratch\nHEALTHCHECK NONE\n", []string{"NONE"}},
	} {
		f, err := ParseBytes("Dockerfile", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		h, _, _ := f.Health()
		if !reflect.DeepEqual(h.Test, tc.test) {
			t.Errorf("%q: Test = %q, want %q", tc.src, h.Test, tc.test)
		}
		if got := h.WithDefaults(); got.Interval != 30*time.Second || got.Timeout != 30*time.Second ||
			got.StartInterval != 5*time.Second || got.Retries != 3 || got.StartPeriod != 0 {
			t.Errorf("WithDefaults = %+v, want Docker's 30s, 30s, 5s, 3 retries, no start period", got)
		}
	}
	if _, _, ok := mustParse(t, "FROM scratch\n").Health(); ok {
		t.Error("Health found a HEALTHCHECK in a Dockerfile without one")
	}
}

func TestRunFlags(t *testing.T) {
	f := mustParse(t, "FROM golang\n"+
		"ENV GOCACHE=/cache/go\n"+
		"RUN --mount=type=cache,target=${GOCACHE} --mount=type=bind,source=.,target=/src --network=none go build ./...\n"+
		"RUN go vet ./...\n")
	run := f.Final().Instructions[1].RunFlags
	if run == nil {
		t.Fatal("RUN has no RunFlags")
	}
	if !reflect.DeepEqual(run.Used, []string{"mount", "network"}) {
		t.Errorf("Used = %q, want mount and network", run.Used)
	}
	if len(run.Mounts) != 2 {
		t.Fatalf("Mounts = %d, want 2", len(run.Mounts))
	}
	if m := run.Mounts[0]; m.Type != "cache" || m.Target != "/cache/go" {
		t.Errorf("first mount = %+v, want a cache at /cache/go: the target's ${GOCACHE} expanded from ENV", *m)
	}
	if m := run.Mounts[1]; m.Type != "bind" || m.Source != "." || m.Target != "/src" || !m.ReadOnly {
		t.Errorf("second mount = %+v, want a read-only bind of . at /src", *m)
	}
	if run.Network != "none" || run.Security != "sandbox" {
		t.Errorf("Network, Security = %q, %q; want none, sandbox", run.Network, run.Security)
	}
	if plain := f.Final().Instructions[2].RunFlags; plain == nil || len(plain.Used) != 0 || len(plain.Mounts) != 0 ||
		plain.Network != "default" {
		t.Errorf("a RUN without flags: %+v", plain)
	}
	if _, err := ParseBytes("Dockerfile", []byte("FROM golang\nRUN --mount=type=nfs,target=/x true\n")); err == nil ||
		!strings.Contains(err.Error(), "строка 2") {
		t.Errorf("an unknown mount type: error %v, want one that names line 2", err)
	}
}

func TestLabels(t *testing.T) {
	f := mustParse(t, "FROM scratch\nARG VERSION=dev\n"+
		"LABEL \"org.opencontainers.image.version\"=\"${VERSION}\" title='a server' raw='$VERSION'\n")
	got := f.Final().Instructions[1].Labels
	want := map[string]string{"org.opencontainers.image.version": "dev", "title": "a server", "raw": "$VERSION"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Labels = %q, want %q (quotes removed, ${VERSION} expanded, single quotes kept literal)", got, want)
	}
}

func TestVars(t *testing.T) {
	f := mustParse(t, "ARG GO=1.26\n"+ // 1
		"ARG IMAGE=golang:${GO}-bookworm\n"+ // 2
		"ARG NODEFAULT\n"+ // 3
		"FROM --platform=$BUILDPLATFORM ${IMAGE} AS builder\n"+ // 4
		"ARG TARGETARCH\n"+ // 5: i=0
		"ARG GO\n"+ // 6: i=1
		"ENV CGO_ENABLED=0 ARCH=$TARGETARCH\n"+ // 7: i=2
		"ARG VERSION=dev\n"+ // 8: i=3
		"RUN go build\n"+ // 9: i=4
		"FROM builder AS test\n"+ // 10
		"RUN go vet\n") // 11
	build := PlatformArgs("linux/amd64", "linux/arm64/v8")
	if got := build["TARGETVARIANT"] + " " + build["BUILDARCH"] + " " + build["TARGETOS"]; got != "v8 amd64 linux" {
		t.Errorf("PlatformArgs: TARGETVARIANT, BUILDARCH, TARGETOS = %q", got)
	}

	global := f.GlobalVars(build)
	if global["IMAGE"] != "golang:1.26-bookworm" || global["BUILDPLATFORM"] != "linux/amd64" {
		t.Errorf("GlobalVars = %q: a global ARG's default expands the ones above it; the platform is there", global)
	}
	if _, ok := global["NODEFAULT"]; ok {
		t.Error("GlobalVars has an ARG with neither a default nor a --build-arg")
	}
	if got := f.GlobalVars(map[string]string{"GO": "1.25", "VERSION": "9"}); got["IMAGE"] != "golang:1.25-bookworm" ||
		got["VERSION"] != "" {
		t.Errorf("GlobalVars with --build-arg GO=1.25 VERSION=9: %q; want GO in IMAGE, no VERSION (no global ARG)", got)
	}
	platform, unset, err := f.Expand(f.Stages[0].Platform, global)
	if err != nil || platform != "linux/amd64" || len(unset) != 0 {
		t.Errorf("Expand(%q) = %q, %q, %v", f.Stages[0].Platform, platform, unset, err)
	}
	if got := f.BaseImage(f.Stages[1]); got != "golang:1.26-bookworm" {
		t.Errorf("BaseImage = %q: an ARG default built from another", got)
	}

	builder := f.Stages[0]
	for _, tc := range []struct {
		i    int
		want map[string]string
	}{
		{0, map[string]string{}}, // global ARGs are not seen inside a stage
		{2, map[string]string{"TARGETARCH": "arm64", "GO": "1.26"}},
		{4, map[string]string{"TARGETARCH": "arm64", "GO": "1.26", "CGO_ENABLED": "0", "ARCH": "arm64", "VERSION": "dev"}},
	} {
		if got := f.VarsAt(builder, tc.i, build); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("VarsAt(builder, %d) = %q, want %q", tc.i, got, tc.want)
		}
	}
	if got, want := f.VarsAt(builder, 4, nil)["TARGETARCH"], ""; got != want {
		t.Errorf("ARG TARGETARCH without a build: %q, want declared and empty", got)
	}
	// A stage FROM another inherits its ENV, not its ARGs.
	if got, want := f.VarsAt(f.Stages[1], 0, build), map[string]string{"CGO_ENABLED": "0", "ARCH": "arm64"}; !reflect.DeepEqual(got, want) {
		t.Errorf("VarsAt(test, 0) = %q, want %q", got, want)
	}

	for _, tc := range []struct{ word, want, unset string }{
		{"-X main.version=${VERSION}", "-X main.version=dev", ""},
		{"$VERSION-$MISSING", "dev-", "MISSING"},
		{"${MISSING:-fallback} ${VERSION:+set}", "fallback set", "MISSING"},
		{`'$VERSION' "$VERSION" \$VERSION`, "$VERSION dev $VERSION", ""},
	} {
		got, unset, err := f.Expand(tc.word, f.VarsAt(builder, 4, build))
		if err != nil || got != tc.want || strings.Join(unset, " ") != tc.unset {
			t.Errorf("Expand(%q) = %q, %q, %v; want %q, %q", tc.word, got, unset, err, tc.want, tc.unset)
		}
	}
	if _, _, err := f.Expand("${#VERSION}", nil); err == nil {
		t.Error("Expand accepted ${#VERSION}, which BuildKit does not")
	}
}

func TestEscapeDirective(t *testing.T) {
	f := mustParse(t, "# escape=`\nFROM scratch\nARG V=1\nLABEL a=`$V b=$V\n")
	if got := f.Final().Instructions[1].Labels; got["a"] != "$V" || got["b"] != "1" {
		t.Errorf("with escape=` the labels are %q, want a=$V (escaped) and b=1", got)
	}
}

func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, err := ParseBytes("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}
