package imagetest

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// GoCacheID names the BuildKit cache mount that fixture builds share for Go's build cache.
const GoCacheID = "workshop-go-build"

// goCacheMount is what withGoCache adds to a RUN that calls the go command: the golang
// image's GOCACHE (/root/.cache/go-build) as a cache mount shared by every fixture build.
const goCacheMount = "--mount=type=cache,id=" + GoCacheID + ",target=/root/.cache/go-build"

// callsGo matches a shell command that compiles Go code.
var callsGo = regexp.MustCompile(`(^|[\s;&|(])go\s+(build|install|test|vet|run|generate)\b`)

// withGoCache returns the Dockerfile with Go's build cache mounted into every RUN that calls
// the go command, so that builds which share compiler flags compile the standard library and
// the dependencies once, not each in a fresh layer. Line numbers stay the same. Go's cache is
// content-addressed: the binaries are the same bytes as without the mount; only the cache's
// own files no longer land in the stage's layer. A RUN that names the cache already (its own
// mount, GOCACHE) is left as it is. changed is false when nothing was added.
func withGoCache(data []byte) (out []byte, changed bool) {
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return data, false // the build reports the syntax error as it stands
	}
	lines := strings.Split(string(data), "\n")
	for _, n := range res.AST.Children {
		if !strings.EqualFold(n.Value, "run") || n.StartLine < 1 || n.StartLine > len(lines) {
			continue
		}
		text := n.Original
		for _, h := range n.Heredocs {
			text += "\n" + h.Content
		}
		if !callsGo.MatchString(text) || strings.Contains(text, "go-build") || strings.Contains(text, "GOCACHE") {
			continue
		}
		i := n.StartLine - 1
		line := lines[i]
		trimmed := strings.TrimLeft(line, " \t")
		if len(trimmed) < 3 || !strings.EqualFold(trimmed[:3], "run") {
			continue
		}
		at := len(line) - len(trimmed) + 3
		lines[i] = line[:at] + " " + goCacheMount + line[at:]
		changed = true
	}
	if !changed {
		return data, false
	}
	return []byte(strings.Join(lines, "\n")), true
}
