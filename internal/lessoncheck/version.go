package lessoncheck

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// HintListen is the advice when a request to the running container fails.
const HintListen = `сервер должен слушать порт 8080 на всех интерфейсах: адрес ":8080" (или "0.0.0.0:8080"), ` +
	`а не "127.0.0.1:8080" — из контейнера с 127.0.0.1 наружу не ответить`

// Version is how a lesson passes the server's version into the image: a build argument that
// reaches the binary (GET /version answers {"version":"…"}) and a label of the image.
type Version struct {
	Arg    string // the build argument: VERSION
	Label  string // the label: org.opencontainers.image.version
	First  string // the value of the build the other checks judge
	Second string // the value of the second build, which must change both
	// BinaryHint and LabelHint say how to pass the argument on to the binary and to the
	// label, for a second build that kept the old value in one of them.
	BinaryHint, LabelHint string
}

// Build is the build step with --build-arg Arg=First; name is the step's name.
func (v Version) Build(name string) Step { return BuildWith(name, map[string]string{v.Arg: v.First}) }

// Changes is the step that builds the target again with --build-arg Arg=Second, under a tag
// of its own, and wants the new value both from GET /version and in the label: a version
// typed into the Dockerfile by hand passes the first build and fails this one. Only the
// layers from ARG on are built again; the rest comes from the build cache.
func (v Version) Changes(name string) Step {
	return Step{Name: name, Check: func(s *State) error {
		spec := s.Target.Spec("version-2")
		spec.BuildArgs = map[string]string{v.Arg: v.Second}
		img, err := BuildImage(s.Ctx, spec)
		if err != nil {
			return err
		}
		info, err := img.Inspect(s.Ctx)
		if err != nil {
			return err
		}
		label := info.Config.Labels[v.Label]
		ctx, cancel := context.WithTimeout(s.Ctx, 2*time.Minute)
		defer cancel()
		c, err := img.Run(ctx, imagetest.RunOptions{})
		if c != nil {
			defer func() { _ = c.Terminate(context.WithoutCancel(ctx)) }()
		}
		if err != nil {
			return Failf(HintListen+"; запустите образ сами: docker run --rm -p 8080:8080 "+img.Ref, "%v", err)
		}
		resp, err := c.Get(ctx, "/version")
		if err != nil {
			return Failf(HintListen, "запрос GET /version к образу %s не удался: %v", img.Ref, err)
		}
		var got struct {
			Version string `json:"version"`
		}
		_ = json.Unmarshal([]byte(resp.Body), &got)
		body := strings.TrimSpace(resp.Body)
		s.Logf("сборка с --build-arg %s=%s: GET /version %s, метка %s=%q", v.Arg, v.Second, body, v.Label, label)
		switch {
		case got.Version != v.Second:
			return Failf(v.BinaryHint,
				"образ собран второй раз, с --build-arg %s=%s, а GET /version отвечает %s%s. Значение "+
					"--build-arg до бинарника не доходит%s",
				v.Arg, v.Second, body, v.sameAsFirst(got.Version), typedAt(s.Dockerfile, got.Version, "RUN", "ENV"))
		case label != v.Second:
			return Failf(v.LabelHint,
				"образ собран второй раз, с --build-arg %s=%s, а метка %s=%q%s. Значение --build-arg "+
					"до метки не доходит%s",
				v.Arg, v.Second, v.Label, label, v.sameAsFirst(label), typedAt(s.Dockerfile, label, "LABEL"))
		}
		return nil
	}}
}

// sameAsFirst notes that a value did not change between the two builds.
func (v Version) sameAsFirst(got string) string {
	if got == v.First {
		return fmt.Sprintf(" — как и при %s=%s", v.Arg, v.First)
	}
	return ""
}

// typedAt points at the instructions (of the given names) where a version is written by hand.
func typedAt(f *dockerfile.File, version string, names ...string) string {
	if version == "" {
		return ""
	}
	var at []string
	for _, s := range f.Stages {
		for _, in := range s.Instructions {
			if slices.Contains(names, in.Name) && strings.Contains(in.Source, version) {
				at = append(at, fmt.Sprintf("строка %d: %s", in.Line, Excerpt(in.Source, version)))
			}
		}
	}
	if len(at) == 0 {
		return ""
	}
	return ": версия вписана в Dockerfile вручную (" + strings.Join(at, "; ") + ")"
}

// Excerpt shows an instruction with a piece of its text in view: one longer than 80
// characters is cut around it, «RUN …go build -ldflags="-X main.version=1.2.3"…».
func Excerpt(src, text string) string {
	r := []rune(strings.Join(strings.Fields(src), " "))
	const width = 80
	if len(r) <= width {
		return string(r)
	}
	instr, _, _ := strings.Cut(string(r), " ")
	at := strings.Index(string(r), text)
	pos := len([]rune(string(r)[:max(at, 0)]))
	start := max(pos-width/2, len([]rune(instr))+1)
	for start < pos && r[start-1] != ' ' {
		start++ // begin at a word
	}
	end := min(start+width, len(r))
	out := instr + " …" + string(r[start:end])
	if end < len(r) {
		out += "…"
	}
	return out
}
