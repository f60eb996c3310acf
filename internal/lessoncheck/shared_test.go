package lessoncheck

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// inspections answers docker inspect with states in turn, the last one for good.
func inspections(hc *container.HealthConfig, states ...*container.State) func(context.Context) (container.InspectResponse, error) {
	i := 0
	return func(context.Context) (container.InspectResponse, error) {
		st := states[min(i, len(states)-1)]
		i++
		return container.InspectResponse{Config: &container.Config{Healthcheck: hc}, State: st}, nil
	}
}

func healthState(status container.HealthStatus, streak int, probes ...string) *container.State {
	h := &container.Health{Status: status, FailingStreak: streak}
	for _, out := range probes {
		h.Log = append(h.Log, &container.HealthcheckResult{ExitCode: 1, Output: out + "\n"})
	}
	return &container.State{Running: true, Health: h}
}

func TestWaitHealthy(t *testing.T) {
	hc := &container.HealthConfig{Test: []string{"CMD", "/server", "-healthcheck"}, Interval: 5 * time.Second}
	var gotCfg dockerfile.Health
	limit := func(cfg dockerfile.Health) time.Duration { gotCfg = cfg; return time.Minute }
	starting := healthState(container.Starting, 0)

	t.Run("healthy after a while", func(t *testing.T) {
		w, err := waitHealthy(context.Background(), inspections(hc, starting, starting, healthState(container.Healthy, 0)),
			"fix", limit, time.Millisecond)
		if err != nil || w.Health.Status != container.Healthy || w.TimedOut() {
			t.Fatalf("got %+v, %v; want healthy", w, err)
		}
		if gotCfg.Interval != 5*time.Second || gotCfg.Timeout != 30*time.Second || gotCfg.Retries != 3 {
			t.Errorf("limit got %+v: the container's interval and Docker's defaults for the rest", gotCfg)
		}
		if w.Limit != time.Minute {
			t.Errorf("Limit = %v, want what limit returned", w.Limit)
		}
	})
	t.Run("unhealthy", func(t *testing.T) {
		w, err := waitHealthy(context.Background(), inspections(hc, healthState(container.Unhealthy, 3, "a", "b")),
			"fix", limit, time.Millisecond)
		if err != nil || w.Health.Status != container.Unhealthy || w.TimedOut() {
			t.Fatalf("got %+v, %v; want unhealthy", w, err)
		}
		if got, want := LastProbe(w.Health), `код 1, вывод "b"`; got != want {
			t.Errorf("LastProbe = %q, want %q", got, want)
		}
	})
	t.Run("time runs out", func(t *testing.T) {
		w, err := waitHealthy(context.Background(), inspections(hc, starting),
			"fix", func(dockerfile.Health) time.Duration { return 20 * time.Millisecond }, time.Millisecond)
		if err != nil || !w.TimedOut() || w.Waited < 20*time.Millisecond {
			t.Fatalf("got %+v, %v; want a wait that timed out after 20ms", w, err)
		}
		if LastProbe(w.Health) != "" {
			t.Errorf("LastProbe before any probe = %q, want empty", LastProbe(w.Health))
		}
	})
	t.Run("no health check", func(t *testing.T) {
		_, err := waitHealthy(context.Background(), inspections(nil, &container.State{Running: true}),
			"добавьте HEALTHCHECK", limit, time.Millisecond)
		var p *Problem
		if !errors.As(err, &p) || !strings.Contains(p.What, "нет проверки работоспособности") || p.Hint != "добавьте HEALTHCHECK" {
			t.Errorf("error %v, want a Problem that says there is no health check, with the fix as its hint", err)
		}
	})
	t.Run("the container exits", func(t *testing.T) {
		exited := healthState(container.Starting, 0)
		exited.Running, exited.ExitCode = false, 2
		_, err := waitHealthy(context.Background(), inspections(hc, starting, exited), "fix", limit, time.Millisecond)
		if err == nil || !strings.Contains(err.Error(), "завершился с кодом 2") {
			t.Errorf("error %v, want one that names the exit code", err)
		}
	})
	t.Run("the daemon fails", func(t *testing.T) {
		boom := errors.New("daemon gone")
		_, err := waitHealthy(context.Background(), func(context.Context) (container.InspectResponse, error) {
			return container.InspectResponse{}, boom
		}, "fix", limit, time.Millisecond)
		if !errors.Is(err, boom) {
			t.Errorf("error %v, want the daemon's", err)
		}
	})
}

func TestSpec(t *testing.T) {
	target := Target{Lesson: "09-version-labels", Context: "/l", Dockerfile: "testdata/ok-x.Dockerfile"}
	if got := target.Spec(""); got.Tag != "" || got.Repo != "workshop/09-version-labels" || got.Context != "/l" ||
		got.Dockerfile != "testdata/ok-x.Dockerfile" || got.Lesson != "09-version-labels" {
		t.Errorf("Spec(\"\") = %+v", got)
	}
	if got := target.Spec("version-2").Tag; got != "testdata/ok-x.Dockerfile-version-2" {
		t.Errorf("a variant of an untagged target is named after its Dockerfile: %q", got)
	}
	target.Tag = "variant-ok-x"
	if got := target.Spec("arm64").Tag; got != "variant-ok-x-arm64" {
		t.Errorf("Spec(\"arm64\").Tag = %q", got)
	}
}

func TestBuildLeftovers(t *testing.T) {
	files := []imagetest.File{
		{Path: "/server"},
		{Path: "/usr/local/go", Dir: true}, {Path: "/usr/local/go/bin/go"}, {Path: "/usr/local/go/src/fmt/print.go"},
		{Path: "/go/bin", Dir: true}, {Path: "/go/bin/go"},
		{Path: "/app/server.go"}, {Path: "/app/a.go"}, {Path: "/app/b.go"}, {Path: "/app/c.go"},
		{Path: "/app/dir.go", Dir: true},
	}
	want := []string{"инструменты сборки Go в /usr/local/go (файлов: 3)", "команда go: /go/bin/go",
		"исходники: /app/server.go, /app/a.go, /app/b.go и ещё 1"}
	if got := BuildLeftovers(files); strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("BuildLeftovers = %q, want %q", got, want)
	}
	if got := BuildLeftovers([]imagetest.File{{Path: "/server"}, {Path: "/etc/ssl/certs/ca-certificates.crt"}}); got != nil {
		t.Errorf("a clean image: %q", got)
	}
}

func TestBuildPaths(t *testing.T) {
	data := []byte("\x00/usr/local/go/src/fmt/print.go\x00/build/server.go\x00net/http/server.go\x00/a b.go\x00/x.gox\x00")
	if got, want := strings.Join(BuildPaths(data), " "), "/build/server.go /usr/local/go/src/fmt/print.go"; got != want {
		t.Errorf("BuildPaths = %q, want %q: own first, relative and odd ones left out", got, want)
	}
}

func TestBuildsGo(t *testing.T) {
	for src, want := range map[string]bool{
		"FROM golang\nRUN CGO_ENABLED=0 go build -o /server .\n":                true,
		"FROM golang\nRUN GOOS=linux \\\n    go  build -o /server .\n":          true,
		"FROM golang\nRUN [\"/usr/local/go/bin/go\", \"install\", \"./...\"]\n": true,
		"FROM golang\nRUN <<EOF\nset -e\ngo build -o /server .\nEOF\n":          true,
		"FROM golang\nRUN cd /src&&go build -o /server .\n":                     true,
		"FROM golang\nRUN (go build -o /server .)\n":                            true,
		"FROM golang\nRUN go vet ./... && cargo build\n":                        false,
		"FROM golang\nCMD go build\n":                                           false,
	} {
		f, err := dockerfile.ParseBytes("Dockerfile", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if got := BuildsGo(f.Final().Instructions[0]); got != want {
			t.Errorf("BuildsGo(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestVersionText(t *testing.T) {
	v := Version{Arg: "VERSION", First: "1.2.3", Second: "2.0.0"}
	if got, want := v.sameAsFirst("1.2.3"), " — как и при VERSION=1.2.3"; got != want {
		t.Errorf("sameAsFirst = %q, want %q", got, want)
	}
	if got := v.sameAsFirst("dev"); got != "" {
		t.Errorf("sameAsFirst of another value = %q", got)
	}
	f, err := dockerfile.ParseBytes("Dockerfile", []byte("FROM golang AS b\n"+
		"RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags=\"-s -w -X main.version=1.2.3\" -o /server server.go\n"+
		"FROM scratch\nLABEL org.opencontainers.image.version=1.2.3\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := typedAt(f, "1.2.3", "RUN", "ENV")
	want := `: версия вписана в Dockerfile вручную (строка 2: RUN …-ldflags="-s -w -X main.version=1.2.3" -o /server server.go)`
	if got != want {
		t.Errorf("typedAt in RUN:\n%s\nwant\n%s", got, want)
	}
	if got := typedAt(f, "1.2.3", "LABEL"); !strings.Contains(got, "строка 4: LABEL org.opencontainers.image.version=1.2.3") {
		t.Errorf("typedAt in LABEL: %q", got)
	}
	if got := typedAt(f, "", "LABEL"); got != "" {
		t.Errorf("typedAt of an empty value: %q", got)
	}
}
