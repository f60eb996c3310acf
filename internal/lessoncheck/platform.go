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
				return Failf("берите архитектуру из аргументов платформы, которые задаёт BuildKit, а не пишите значением: "+
					"тогда её выберет docker build --platform (урок 4, раздел «BUILDPLATFORM, TARGETOS, TARGETARCH»)",
					"%s (строка %d): GOARCH=%s вписан жёстко — бинарник будет %s, какую бы платформу ни "+
						"выбрал docker build: на %s без эмулятора контейнер упадёт с «exec format error», а на Mac "+
						"Docker Desktop запустит его только под эмуляцией, медленно",
					in.Source, in.Line, value, value, otherArch(value))
			}
		}
	}
	return nil
}

// otherArch names a common Linux machine whose architecture differs from arch. On such a
// machine without an emulator registered in binfmt_misc the binary can't start; Docker
// Desktop registers one, so on a Mac it runs, only slowly.
func otherArch(arch string) string {
	if arch == "arm64" {
		return "сервере linux/amd64"
	}
	return "сервере linux/arm64 (Graviton, Ampere, Raspberry Pi)"
}

// BuildsGo reports whether a RUN compiles Go: its command runs go build or go install,
// whatever the path to go (/usr/local/go/bin/go), the spacing and the shell operators around
// it (cd /src&&go build). It is the course's one test of "this RUN calls go build".
func BuildsGo(in dockerfile.Instruction) bool {
	if in.Name != "RUN" {
		return false
	}
	words := strings.FieldsFunc(strings.Join(in.Args, " "), func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == ';' || r == '&' || r == '|' || r == '(' || r == ')'
	})
	for i := 0; i+1 < len(words); i++ {
		if path.Base(words[i]) == "go" && (words[i+1] == "build" || words[i+1] == "install") {
			return true
		}
	}
	return false
}
