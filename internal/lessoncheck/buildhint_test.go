package lessoncheck

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// Each hint, from the facts of a failure in the words BuildKit and the classic builder use.
func TestBuildHint(t *testing.T) {
	for _, tc := range []struct {
		name string
		be   imagetest.BuildError
		want string // the start of the hint
	}{
		{"a line that is no instruction", imagetest.BuildError{
			Cause: "dockerfile parse error on line 3: unknown instruction: RUNN",
		}, "в Dockerfile есть строка, которая не является инструкцией"},
		{"a base image that is nowhere", imagetest.BuildError{
			Instruction: "FROM workshop-missing/base-image:0.0.0",
			Cause:       "failed to solve: workshop-missing/base-image:0.0.0: pull access denied, repository does not exist or may require authorization",
		}, "базового образа нет на этой машине, а реестр недоступен"},
		{"no registry, seen at another step", imagetest.BuildError{
			Instruction: "COPY --from=golang:1.26 /usr/local/go /usr/local/go",
			Cause:       "failed to resolve source metadata for docker.io/library/golang:1.26: dial tcp: lookup registry-1.docker.io: no such host",
		}, "базового образа нет на этой машине"},
		{"COPY of a file outside the context", imagetest.BuildError{
			Instruction: "COPY does-not-exist.go .",
			Cause:       `failed to solve: failed to compute cache key: failed to calculate checksum of ref: "/does-not-exist.go": not found`,
		}, "копируемого файла нет в контексте сборки"},
		{"COPY --from a stage that does not exist", imagetest.BuildError{
			Instruction: "COPY --from=biulder /go/server /server",
			Cause:       "invalid from flag value biulder: invalid reference format",
		}, "в COPY --from указан этап, которого нет"},
		{"go build fails", imagetest.BuildError{
			Instruction: "RUN CGO_ENABLED=0 go build -o server server.go",
			Cause:       `process "/bin/sh -c CGO_ENABLED=0 go build -o server server.go" did not complete successfully: exit code: 1`,
			Tail:        "./server.go:12:2: undefined: handler",
		}, "компиляция не удалась"},
		{"another RUN fails", imagetest.BuildError{
			Instruction: `RUN echo "about to fail" && exit 3`,
			Cause:       `process "/bin/sh -c echo \"about to fail\" && exit 3" did not complete successfully: exit code: 3`,
			Tail:        "about to fail",
		}, "команда инструкции RUN завершилась с ошибкой"},
		{"the classic builder's step", imagetest.BuildError{
			Step: `Step 3/3 : RUN echo "about to fail" && exit 3`, Instruction: `RUN echo "about to fail" && exit 3`,
			Cause: "The command '/bin/sh -c echo \"about to fail\" && exit 3' returned a non-zero code: 3",
		}, "команда инструкции RUN завершилась с ошибкой"},
		{"nothing known", imagetest.BuildError{Cause: "failed to export image: no space left on device"},
			"прочтите вывод шага выше"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := BuildHint(&tc.be); !strings.HasPrefix(got, tc.want) {
				t.Errorf("BuildHint = %q, want it to start with %q", got, tc.want)
			}
		})
	}
}

// BuildFailure shows the build's facts as imagetest words them and the hint once, after
// them, as a Problem does.
func TestBuildFailure(t *testing.T) {
	be := &imagetest.BuildError{
		Dockerfile: "Dockerfile", Step: "[builder 3/4] RUN go build -o server server.go", Line: 7,
		Instruction: "RUN go build -o server server.go", Cause: "exit code: 1", Tail: "./server.go:3:1: syntax error",
	}
	p := BuildFailure(be)
	if p.What != be.Message() {
		t.Errorf("What = %q, want the build's own message %q", p.What, be.Message())
	}
	if p.Hint != BuildHint(be) || p.Hint == "" {
		t.Errorf("Hint = %q, want %q", p.Hint, BuildHint(be))
	}
	want := "✗ " + be.Message() + "\nПодсказка: " + BuildHint(be)
	if p.Error() != want {
		t.Errorf("the student reads\n%s\nwant\n%s", p.Error(), want)
	}
	if strings.Count(p.Error(), "Подсказка:") != 1 {
		t.Errorf("the hint is not there exactly once:\n%s", p.Error())
	}
}

// Real failed builds of imagetest's test data (BuildKit, Docker): the Build step shows the
// builder's facts and the hint that fits them; imagetest's own BuildError is the same facts
// without advice.
func TestBuildStepHintsOnRealFailures(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := imagetest.Client(ctx); err != nil {
		t.Fatalf("these tests build real images and need Docker: %v", err)
	}
	if _, err := imagetest.Existing(ctx, "debian:bullseye-slim"); err != nil {
		t.Fatalf("no base image, run make images: %v", err)
	}
	testdata, err := filepath.Abs(filepath.Join("..", "imagetest", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dockerfile string
		hint       string
	}{
		{"failing-run.Dockerfile", "команда инструкции RUN завершилась с ошибкой"},
		{"missing-file.Dockerfile", "копируемого файла нет в контексте сборки"},
		{"missing-base.Dockerfile", "базового образа нет на этой машине, а реестр недоступен"},
	} {
		t.Run(tc.dockerfile, func(t *testing.T) {
			target := Target{Name: tc.dockerfile, Lesson: "harness", Context: testdata, Dockerfile: tc.dockerfile,
				Tag: "lessoncheck-" + tc.dockerfile}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			step, err := FirstProblem(ctx, target, []Step{Build()})
			var p *Problem
			if step != "образ собирается" || !errors.As(err, &p) {
				t.Fatalf("FirstProblem = %q, %v; want the build step's Problem", step, err)
			}
			t.Logf("the student reads:\n%v", p)
			if !strings.HasPrefix(p.Hint, tc.hint) {
				t.Errorf("hint %q, want it to start with %q", p.Hint, tc.hint)
			}
			if strings.Contains(p.What, "Подсказка:") {
				t.Errorf("the hint is in What too:\n%s", p.What)
			}

			// The same build, remembered by imagetest: its own error is the facts, the same
			// words as the Problem's, and no advice; the Problem keeps it as its cause.
			_, err = imagetest.Build(ctx, imagetest.BuildSpec{Context: testdata, Dockerfile: tc.dockerfile,
				Lesson: "harness", Repo: "workshop/harness", Tag: target.Tag})
			var be *imagetest.BuildError
			if !errors.As(err, &be) {
				t.Fatalf("imagetest.Build = %v, want a *BuildError", err)
			}
			if be.Error() != p.What {
				t.Errorf("imagetest's error\n%s\nwant the Problem's facts, without a hint\n%s", be.Error(), p.What)
			}
			if !errors.As(p, &be) {
				t.Errorf("the Problem does not wrap the *BuildError")
			}
		})
	}
}
