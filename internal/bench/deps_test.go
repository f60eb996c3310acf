package bench

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The bench is a program, not a test: it must not link the lessons' checks, whose package
// registers go test's -exercise flag and belongs above the harness. It finds a binary through
// imagebin, which sits below both.
func TestBenchDoesNotImportTheChecks(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../../cmd/bench").Output()
	if err != nil {
		t.Fatalf("go list -deps ./cmd/bench: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/go-docker-workshop/workshop/internal/bench") {
		t.Fatalf("go list -deps ./cmd/bench does not list internal/bench:\n%s", out)
	}
	for _, banned := range []string{
		"github.com/go-docker-workshop/workshop/internal/lessoncheck",
		"github.com/go-docker-workshop/workshop/internal/testjson",
	} {
		if slices.Contains(deps, banned) {
			t.Errorf("cmd/bench imports %s; what the bench needs from it belongs in a package below both", banned)
		}
	}
}
