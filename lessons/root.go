package lessons

import (
	"os"
	"path/filepath"
	"strings"
)

// Module is the course repository's module path; the directory whose go.mod names it is the
// root of the course, where the CLI and the bench look for lessons/.
const Module = "github.com/go-docker-workshop/workshop"

// FindRoot walks up from dir to the directory whose go.mod declares Module; "" when none does.
func FindRoot(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && modulePath(string(data)) == Module {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func modulePath(gomod string) string {
	for line := range strings.SplitSeq(gomod, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
