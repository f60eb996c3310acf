// The checks of lesson 09 and their words; lesson_test.go declares the steps.
package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// versionArg is how the version reaches the image: --build-arg VERSION, GET /version and the label.
var versionArg = lessoncheck.Version{
	Arg: "VERSION", Label: labelVersion, First: testVersion, Second: "2.0.0-rc.1",
	BinaryHint: "подставьте в -X аргумент сборки, объявленный в этапе сборки, — тогда один Dockerfile соберёт любую " +
		"версию (README урока, разделы «Где действует ARG» и «Версия в бинарнике»)",
	LabelHint: "запишите в метку аргумент сборки, объявленный в финальном этапе (README урока, разделы «Где действует ARG» " +
		"и «Метки с ключами OCI»)",
}

// The static checks on small Dockerfiles: no Docker needed.
func TestStaticChecks(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		check     func(*dockerfile.File) error
		want      string // "" for a pass, else a part of the message
	}{
		{"declared in the stage", "FROM golang AS b\nARG VERSION\nRUN go build -ldflags=\"-X main.version=$VERSION\"\n",
			checkArgScope, ""},
		{"global and re-declared", "ARG VERSION=dev\nFROM golang AS b\nARG VERSION\nRUN echo ${VERSION}\n",
			checkArgScope, ""},
		{"global only", "ARG VERSION=dev\nFROM golang AS b\nRUN echo ${VERSION}\n",
			checkArgScope, "ARG VERSION объявлен только до первого FROM"},
		{"global used in FROM only", "ARG TAG=1.26-bookworm\nFROM golang:${TAG}\nRUN echo hi\n", checkArgScope, ""},
		{"declared after the use", "FROM golang\nRUN echo $VERSION\nARG VERSION\n",
			checkArgScope, "объявлен ниже, в строке 3"},
		{"declared in another stage", "FROM golang AS b\nARG VERSION\nFROM scratch\nLABEL v=$VERSION\n",
			checkArgScope, "ARG VERSION объявлен в этапе b"},
		{"ENV from an earlier stage", "FROM golang AS b\nARG V\nENV VERSION=$V\nFROM b\nRUN echo $VERSION\n",
			checkArgScope, ""},
		{"set in the same RUN", "ARG VERSION=dev\nFROM golang\nRUN VERSION=1 && echo $VERSION\n", checkArgScope, ""},
		{"ARG of the stage it starts FROM", "FROM golang AS b\nARG VERSION=1\nFROM b\nRUN echo $VERSION\n",
			checkArgScope, "ARG VERSION объявлен в этапе b"},
		{"with a default", "ARG VERSION=dev\nFROM golang\nRUN echo ${VERSION:-dev}\n",
			checkArgScope, "ARG VERSION объявлен только до первого FROM"},
		{"an escaped dollar is not a use", "ARG VERSION=dev\nFROM golang\nRUN echo \\$VERSION\n", checkArgScope, ""},
		{"label", "FROM scratch\nARG VERSION\nLABEL org.opencontainers.image.version=$VERSION\n", checkLabel, ""},
		{"label in a parent stage", "FROM scratch AS base\nLABEL \"org.opencontainers.image.version\"=1\nFROM base\n",
			checkLabel, ""},
		{"label only in the builder", "FROM golang AS b\nLABEL org.opencontainers.image.version=1\nFROM scratch\n",
			checkLabel, "нет метки org.opencontainers.image.version"},
		{"single quotes in RUN", "FROM golang\nARG VERSION\nRUN go build -ldflags='-s -w -X main.version=${VERSION}' -o s s.go\n",
			lessoncheck.CheckQuotes, `-ldflags='-s -w -X main.version=${VERSION}' — в одинарных кавычках оболочка не подставляет переменные`},
		{"single quotes, the fix says double", "FROM golang\nARG VERSION\nRUN go build -ldflags='-X main.version=$VERSION'\n",
			lessoncheck.CheckQuotes, `-ldflags="-X main.version=$VERSION"`},
		{"double quotes in RUN", "FROM golang\nARG VERSION\nRUN go build -ldflags=\"-X main.version=${VERSION}\"\n", lessoncheck.CheckQuotes, ""},
		{"a quote inside double quotes", "FROM golang\nARG VERSION\nRUN echo \"it's ${VERSION}\"\n", lessoncheck.CheckQuotes, ""},
		{"escaped quote", "FROM golang\nARG VERSION\nRUN echo it\\'s $VERSION\n", lessoncheck.CheckQuotes, ""},
		{"a shell of its own", "FROM golang\nARG VERSION\nRUN sh -c 'echo $VERSION'\n", lessoncheck.CheckQuotes, ""},
		{"not a Dockerfile variable", "FROM golang\nRUN ls -l | awk '{print $NF}'\n", lessoncheck.CheckQuotes, ""},
		{"exec form", "FROM golang\nARG VERSION\nRUN [\"echo\", \"'$VERSION'\"]\n", lessoncheck.CheckQuotes, ""},
		{"single quotes in LABEL", "FROM scratch\nARG VERSION\nLABEL org.opencontainers.image.version='$VERSION'\n",
			lessoncheck.CheckQuotes, "в одинарных кавычках Docker не подставляет переменные"},
		{"single quotes inside double in ENV", "FROM golang\nARG VERSION\nENV GOFLAGS=\"'-ldflags=-X=main.version=${VERSION}'\"\n",
			lessoncheck.CheckQuotes, ""},
	} {
		t.Run(tc.name, func(t *testing.T) { lessoncheck.WantStatic(t, tc.src, tc.check, tc.want) })
	}
}

// --- static checks ---

// checkArgScope: a build argument exists only in the stage that declares it, from its ARG
// line on. One declared before the first FROM is global: only FROM lines see it; inside a
// stage it is empty until the stage declares it again. An instruction that uses such a
// variable gets an empty string, and nothing fails: the classic mistake of this lesson.
func checkArgScope(f *dockerfile.File) error {
	declaredIn := map[string]string{} // ARG name → label of a stage that declares it
	for _, s := range f.Stages {
		for _, in := range s.Find("ARG") {
			for _, name := range in.Args {
				if _, ok := declaredIn[name]; !ok {
					declaredIn[name] = s.Label()
				}
			}
		}
	}
	for _, s := range f.Stages {
		for i, in := range s.Instructions {
			switch in.Name {
			case "ARG", "CMD", "ENTRYPOINT", "HEALTHCHECK", "SHELL":
				// ARG declares; the others run later, in the container, with its environment.
				continue
			}
			// BuildKit's own expansion, with the variables set at this line, names the ones the
			// instruction uses that are not set here (in a RUN, outside single quotes, as the
			// shell would). Syntax that only the shell knows (${#VAR}) is left to the shell.
			_, unset, err := f.Expand(in.Source, f.VarsAt(s, i, nil))
			if err != nil {
				continue
			}
			for _, name := range unset {
				_, global := f.Args[name]
				other, elsewhere := declaredIn[name]
				if !global && !elsewhere || in.Name == "RUN" && assigns(in, name) {
					continue
				}
				return argScopeProblem(f, s, i, name, global, other)
			}
		}
	}
	return nil
}

// assigns reports whether a RUN's script sets the variable itself (VERSION=1 && echo
// $VERSION): that is the shell's own variable, not a build argument.
func assigns(in dockerfile.Instruction, name string) bool {
	return regexp.MustCompile(`(^|[\s;&|(])` + regexp.QuoteMeta(name) + `=`).MatchString(strings.Join(in.Args, " "))
}

func argScopeProblem(f *dockerfile.File, s dockerfile.Stage, i int, name string, global bool, other string) error {
	in := s.Instructions[i]
	effect := "вместо $" + name + " будет пустая строка"
	switch in.Name {
	case "RUN":
		effect = "оболочка подставит вместо $" + name + " пустую строку"
		if strings.Contains(in.Source, "-X") {
			effect += ", и go build запишет в бинарник пустую версию: GET /version ответит {\"version\":\"\"}"
		}
	case "LABEL":
		effect = "метка получит пустое значение"
	case "ENV":
		effect = "переменная окружения получит пустое значение"
	}
	where := fmt.Sprintf("%s, строка %d: %s", s.Label(), in.Line, excerpt(in.Source, name))
	for _, later := range s.Instructions[i+1:] {
		if later.Name == "ARG" && slices.Contains(later.Args, name) {
			return lessoncheck.Failf(fmt.Sprintf("перенесите ARG %s выше строки %d: в этапе его объявляют перед "+
				"первой инструкцией, которой он нужен", name, in.Line),
				"%s — использует $%s, но ARG %s объявлен ниже, в строке %d. Аргумент действует только после "+
					"своей строки ARG, а здесь он пуст: %s",
				where, name, name, later.Line, effect)
		}
	}
	if global {
		return lessoncheck.Failf(fmt.Sprintf("объявите аргумент %s и в этом этапе, перед строкой %d: объявление без "+
			"значения возьмёт значение из --build-arg %s=…, а без него — значение по умолчанию из глобального ARG. "+
			"Финальному этапу для метки нужно своё объявление (README урока, раздел «Где действует ARG»)",
			name, in.Line, name),
			"%s — использует $%s, но ARG %s объявлен только до первого FROM. Такой аргумент — глобальный: "+
				"его видят только строки FROM, а внутри этапа он пуст, пока этап не объявит его заново. "+
				"Сборка не упадёт, но %s",
			where, name, name, effect)
	}
	return lessoncheck.Failf(fmt.Sprintf("объявите аргумент %s и в этом этапе, перед строкой %d: каждый этап объявляет "+
		"свои аргументы, и --build-arg %s=… приходит в каждое такое объявление (README урока, раздел «Где действует ARG»)",
		name, in.Line, name),
		"%s — использует $%s, но ARG %s объявлен в %s, а не в этом этапе. Аргументы не переходят "+
			"из этапа в этап, поэтому здесь $%s пуст: %s",
		where, name, name, strings.Replace(other, "этап ", "этапе ", 1), name, effect)
}

// excerpt shows the instruction with the variable's use in view: a long RUN is cut around it.
func excerpt(src, name string) string {
	needle := "$" + name
	if !strings.Contains(src, needle) {
		needle = "${" + name
	}
	return lessoncheck.Excerpt(src, needle)
}

// checkLabel: the final image has the version label: LABEL in the final stage or in a stage
// it starts FROM. Its value is checked on the built image.
func checkLabel(f *dockerfile.File) error {
	s := f.Final()
	for {
		for _, in := range s.Find("LABEL") {
			if _, ok := in.Labels[labelVersion]; ok {
				return nil
			}
		}
		if !f.IsStage(s) {
			break
		}
		s, _ = f.Stage(s.Base)
	}
	return lessoncheck.Failf("добавьте в финальный этап метку "+labelVersion+" со значением из аргумента VERSION; "+
		"аргумент этому этапу нужно объявить заново (README урока, разделы «Метки с ключами OCI» и «Где действует ARG»)",
		"%s: в финальном образе нет метки %s. Версию знает бинарник, но не сам образ: docker inspect её "+
			"не покажет, и узнать версию, не запуская контейнер, нельзя",
		lessoncheck.Display(f.Path), labelVersion)
}

// --- the built image ---

// declaresArg reports whether any ARG of the Dockerfile, global or in a stage, declares name:
// otherwise --build-arg name=… reaches nothing. (The classic builder warned «One or more
// build-args [VERSION] were not consumed»; BuildKit says nothing, so the Dockerfile tells.)
func declaresArg(f *dockerfile.File, name string) bool {
	if _, ok := f.Args[name]; ok {
		return true
	}
	for _, s := range f.Stages {
		for _, in := range s.Find("ARG") {
			if slices.Contains(in.Args, name) {
				return true
			}
		}
	}
	return false
}

// checkVersion: GET /version answers the version passed as --build-arg. A wrong answer says
// where the version got lost: an empty value (the variable was empty in the stage), "dev"
// (-X did not apply, or the argument never reached the stage) or a literal ${VERSION}.
func checkVersion(s *lessoncheck.State) error {
	resp, err := s.Container.Get(s.Ctx, "/version")
	if err != nil {
		return lessoncheck.Failf(lessoncheck.HintListen, "запрос GET /version не удался: %v", err)
	}
	want := fmt.Sprintf(`{"version":%q}`, testVersion) + "\n"
	if resp.Status == 200 && resp.Body == want {
		s.Logf("GET /version: %s", strings.TrimSpace(resp.Body))
		return nil
	}
	var got struct {
		Version *string `json:"version"`
	}
	if resp.Status != 200 || json.Unmarshal([]byte(resp.Body), &got) != nil || got.Version == nil {
		return lessoncheck.Failf("образ должен собираться из server.go этого урока: в нём есть обработчик GET /version",
			"GET /version: ответ %d %q, а ожидается 200 %q", resp.Status, resp.Body, want)
	}
	what := fmt.Sprintf("образ собран с --build-arg VERSION=%s, а GET /version отвечает {\"version\":%q}", testVersion, *got.Version)
	switch v := *got.Version; {
	case v == "":
		return lessoncheck.Failf("объявите ARG VERSION в этапе сборки перед RUN с go build (глобальный ARG до первого "+
			"FROM внутри этапа пуст) и проверьте, что в -X подставлено то же имя: -X main.version=${VERSION}",
			"%s: флаг -X сработал, но получил пустое значение. Переменная, которую вы подставляете в -ldflags, "+
				"в этапе сборки пуста: ARG с этим именем в этапе не объявлен или имя в ${…} другое", what)
	case v == "dev":
		if !declaresArg(s.Dockerfile, "VERSION") {
			return lessoncheck.Failf("назовите аргумент VERSION (ARG VERSION в этапе сборки и в финальном): "+
				"так его передают docker build --build-arg VERSION=… и проверка",
				"%s, значение по умолчанию: ни один этап не объявляет ARG VERSION, и значение из --build-arg "+
					"никуда не попало, а сборка при этом не падает", what)
		}
		return lessoncheck.Failf("соберите с -ldflags=\"-s -w -X main.version=${VERSION}\": полное имя — пакет и "+
			"переменная, как в server.go (var version, со строчной буквы). Если флаги в GOFLAGS, помните, что "+
			"-ldflags в самой команде go build заменяет -ldflags из GOFLAGS целиком",
			"%s, значение из server.go: флаг -X до переменной не дошёл. %s. Компоновщик молча пропускает -X "+
				"с именем, которого нет в программе: сборка проходит, а версия остаётся прежней",
			what, xFlags(s.Dockerfile))
	case strings.Contains(v, "$"):
		if err := lessoncheck.CheckQuotes(s.Dockerfile); err != nil {
			return err
		}
		return lessoncheck.Failf("запишите RUN с go build в shell-форме (строкой, не массивом JSON) или задайте "+
			"флаги через ENV GOFLAGS: переменные в ENV подставляет сам Docker",
			"%s: переменная не подставлена. RUN в exec-форме (массив JSON) запускает go без оболочки, и "+
				"${VERSION} доходит до компоновщика буквально", what)
	default:
		return lessoncheck.Failf("подставьте в -X значение аргумента: -X main.version=${VERSION}, а не вписанную строку",
			"%s: в бинарник попала не та строка, что передана в --build-arg", what)
	}
}

// xPattern finds the targets of -X in -ldflags: "-X main.version=…", "-X=main.version=…".
var xPattern = regexp.MustCompile(`-X[= ]+([^\s'"=]+)=`)

// xFlags says which -X the Dockerfile passes, for the message about a version that stayed "dev".
func xFlags(f *dockerfile.File) string {
	var names []string
	for _, s := range f.Stages {
		for _, in := range s.Instructions {
			if in.Name != "RUN" && in.Name != "ENV" {
				continue
			}
			for _, m := range xPattern.FindAllStringSubmatch(in.Source, -1) {
				names = append(names, "-X "+m[1]+"=…")
			}
		}
	}
	switch {
	case len(names) == 0:
		return "В Dockerfile нет флага -X ни в RUN, ни в ENV"
	case slices.Contains(names, "-X main.version=…"):
		return "В Dockerfile есть -X main.version=…, но его заменил другой -ldflags (например, в команде go build, " +
			"когда -X задан в GOFLAGS)"
	default:
		return "В Dockerfile: " + strings.Join(names, ", ") + ", а переменная в server.go — main.version"
	}
}

// checkLabelValue: the image's version label holds the version passed as --build-arg.
func checkLabelValue(s *lessoncheck.State) error {
	info, err := s.Image.Inspect(s.Ctx)
	if err != nil {
		return err
	}
	var oci []string
	for k, v := range info.Config.Labels {
		if strings.HasPrefix(k, "org.opencontainers.image.") {
			oci = append(oci, fmt.Sprintf("%s=%q", k, v))
		}
	}
	slices.Sort(oci)
	s.Logf("метки с ключами OCI у образа %s: %s", s.Image.Ref, strings.Join(oci, ", "))
	v, ok := info.Config.Labels[labelVersion]
	switch {
	case v == testVersion:
		return nil
	case !ok:
		return lessoncheck.Failf("добавьте в финальный этап метку "+labelVersion+" со значением из аргумента VERSION "+
			"(README урока, раздел «Метки с ключами OCI»)",
			"у образа %s нет метки %s: docker inspect --format '{{json .Config.Labels}}' её не покажет",
			s.Image.Ref, labelVersion)
	case v == "":
		return lessoncheck.Failf("объявите ARG VERSION в финальном этапе, перед LABEL: аргументы не переходят из этапа в этап",
			"метка %s пустая: в финальном этапе $VERSION пуст", labelVersion)
	default:
		return lessoncheck.Failf("берите значение метки из аргумента VERSION, объявленного в финальном этапе, а не "+
			"вписывайте его",
			"образ собран с --build-arg VERSION=%s, а метка %s=%q", testVersion, labelVersion, v)
	}
}
