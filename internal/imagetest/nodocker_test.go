package imagetest

import (
	"errors"
	"strings"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/verdict"
)

// A daemon that does not answer is a Problem: its hint is a field, not a line of its text,
// and errors.Is still finds ErrNoDocker.
func TestNoDockerIsAProblem(t *testing.T) {
	for _, tc := range []struct{ dockerHost, hint string }{
		{"", "make docker"},
		{"tcp://127.0.0.1:1", "unset DOCKER_HOST"},
	} {
		t.Run("DOCKER_HOST="+tc.dockerHost, func(t *testing.T) {
			t.Setenv("DOCKER_HOST", tc.dockerHost)
			err := prefixed(noDocker(errors.New("dial unix /var/run/docker.sock: connect: no such file or directory\nmore")),
				"контейнер из образа %s: ", "workshop/x:y")
			if !errors.Is(err, ErrNoDocker) {
				t.Errorf("errors.Is(%v, ErrNoDocker) = false", err)
			}
			p := verdict.As(err)
			if !strings.HasPrefix(p.What, "контейнер из образа workshop/x:y: docker не отвечает: ") {
				t.Errorf("What = %q", p.What)
			}
			if strings.Contains(p.What, verdict.HintWord) || strings.Contains(p.What, "\n") {
				t.Errorf("What holds more than one line or the hint: %q", p.What)
			}
			if !strings.Contains(p.Hint, tc.hint) {
				t.Errorf("Hint = %q, want it to name %q", p.Hint, tc.hint)
			}
		})
	}
}
