package lessoncheck

import (
	"path"
	"regexp"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
)

var goarchLiteral = regexp.MustCompile(`\bGOARCH=["']?([A-Za-z0-9_]+)`)

// CheckGoarch: a literal GOARCH in RUN or ENV builds for one architecture whatever the
// target platform is.
func CheckGoarch(f *dockerfile.File) error {
	for _, s := range f.Stages {
		for _, in := range s.Instructions {
			value := ""
			switch in.Name {
			case "RUN":
				if m := goarchLiteral.FindStringSubmatch(strings.Join(in.Args, " ")); m != nil {
					value = m[1]
				}
			case "ENV":
				if v := in.Env["GOARCH"]; v != "" && !strings.Contains(v, "$") {
					value = strings.Trim(v, `"'`)
				}
			}
			if value != "" {
				return Failf("объявите в этапе сборки ARG TARGETOS TARGETARCH и соберите с "+
					"GOOS=$TARGETOS GOARCH=$TARGETARCH: платформу выберет docker build",
					"%s (строка %d): GOARCH=%s вписан жёстко — бинарник будет %s, какую бы платформу ни "+
						"выбрал docker build: на машине %s (и на любой, кроме %s) контейнер упадёт с «exec format error»",
					in.Source, in.Line, value, value, otherArch(value), value)
			}
		}
	}
	return nil
}

// otherArch names a common machine whose architecture differs from arch.
func otherArch(arch string) string {
	if arch == "arm64" {
		return "linux/amd64 (обычный сервер или ПК)"
	}
	return "linux/arm64 (Mac с Apple Silicon)"
}

// BuildsGo reports whether a RUN compiles Go: its command runs go build or go install,
// whatever the path to go (/usr/local/go/bin/go) and the spacing.
func BuildsGo(in dockerfile.Instruction) bool {
	if in.Name != "RUN" {
		return false
	}
	words := strings.Fields(strings.Join(in.Args, " "))
	for i := 0; i+1 < len(words); i++ {
		if path.Base(words[i]) == "go" && (words[i+1] == "build" || words[i+1] == "install") {
			return true
		}
	}
	return false
}
