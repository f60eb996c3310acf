// Package gotoolchain says which Go toolchain and build settings a compile would use: the
// key of the course's caches of what it compiles (a lesson's test binary, a lesson's server
// on the host), so that another Go or another GOFLAGS compiles anew.
package gotoolchain

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// buildEnv are the variables that change what go build makes.
var buildEnv = []string{"GOFLAGS", "GOOS", "GOARCH", "CGO_ENABLED", "GOEXPERIMENT", "GOTOOLCHAIN"}

// Stamp describes the go command on PATH (path, size, modification time) and the build
// environment, a line each; "" when there is no go command.
func Stamp() string {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return ""
	}
	info, err := os.Stat(goBin)
	if err != nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "go %s %d %d\n", goBin, info.Size(), info.ModTime().UnixNano())
	for _, k := range buildEnv {
		fmt.Fprintf(&b, "%s=%s\n", k, os.Getenv(k))
	}
	return b.String()
}
