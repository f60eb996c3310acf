// The checks of lesson 10 and their words; lesson_test.go declares the steps, path_test.go
// shows the course's path in numbers.
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"

	"github.com/go-docker-workshop/workshop/internal/cabundle"
	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagefiles"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

// checkExecForm checks the command the final image runs, wherever in the chain of stages it is set.
var checkExecForm = lessoncheck.ExecForm(lessoncheck.ScratchCommand(
	"в образе с оболочкой PID 1 станет она и не передаст серверу SIGTERM (уроки 2 и 5)"))

// versionArg is how the version reaches the image: --build-arg VERSION, GET /version and the label.
var versionArg = lessoncheck.Version{
	Arg: "VERSION", Label: versionLabel, First: buildVersion, Second: otherVersion,
	BinaryHint: "подставьте во флаг -X аргумент сборки VERSION, объявленный в этапе сборки, — тогда один Dockerfile " +
		"соберёт любую версию (урок 9, разделы «Где действует ARG» и «Версия в бинарнике»)",
	LabelHint: "запишите в метку аргумент сборки VERSION, объявленный в финальном этапе (урок 9, раздел «Метки с " +
		"ключами OCI»)",
}

// --- static checks ---

// checkPinned: every base image has a tag other than latest, or a digest (hadolint DL3006, DL3007).
func checkPinned(f *dockerfile.File) error {
	for _, s := range f.Stages {
		if f.IsStage(s) {
			continue
		}
		base := f.BaseImage(s)
		if base == "scratch" || strings.Contains(base, "$") {
			continue // scratch has no versions; an ARG without a default can't be judged here
		}
		name, tag, digest := dockerfile.SplitRef(base)
		if digest != "" {
			continue
		}
		hint := "закрепите тег базового образа, а ещё надёжнее — digest (урок 2, раздел «Закреплённый тег»; README урока, " +
			"«Чек-лист Dockerfile для продакшена», пункт 1)"
		switch tag {
		case "":
			return lessoncheck.Failf(hint,
				"%s: FROM %s без тега — это %s:latest. latest не версия: сегодня и завтра, на вашей машине и в CI "+
					"под ним могут оказаться разные образы", s.Label(), s.Base, name)
		case "latest":
			return lessoncheck.Failf(hint,
				"%s: FROM %s — тег latest не версия: сегодня и завтра, на вашей машине и в CI под ним могут "+
					"оказаться разные образы", s.Label(), s.Base)
		}
	}
	return nil
}

func checkStages(f *dockerfile.File) error {
	if len(f.Stages) < 2 {
		return lessoncheck.Failf("нужны этап сборки с именем и финальный этап, в который COPY --from берёт из него только "+
			"бинарник (урок 3, раздел «Dockerfile урока, строка за строкой»)",
			"%s: в Dockerfile один этап, и в образе останутся компилятор Go и исходники", lessoncheck.Display(f.Path))
	}
	return nil
}

// bigBases are images that alone exceed the lesson's budget, whatever their tag.
var bigBases = map[string]string{
	"golang": "все инструменты сборки Go, больше 800 МБ (подмена без доступа к реестру — 587 МБ)",
	"debian": "система Debian, около 80 МБ даже в slim-варианте",
	"ubuntu": "система Ubuntu, около 75 МБ",
}

// checkBase fails early for a final base that can't fit the budget; any other base (scratch,
// distroless, …) is judged after the build by the image's size.
func checkBase(f *dockerfile.File) error {
	final := f.Final()
	base := f.BaseImage(final)
	name, _, _ := dockerfile.SplitRef(base)
	if what, ok := bigBases[dockerfile.ShortName(name)]; ok {
		return lessoncheck.Failf("начните финальный этап с пустого образа scratch и положите в него только бинарник, "+
			"сертификаты CA и базу часовых поясов (урок 5, раздел «Чего нет в scratch»). distroless "+
			"(gcr.io/distroless/static-debian13) тоже уложится, и сертификаты с часовыми поясами в нём уже есть, но его "+
			"надо скачать из реестра (README урока, раздел «scratch или distroless»)",
			"%s: финальный этап начинается с %s — это %s, а бюджет образа — %d МБ. Серверу, статическому "+
				"бинарнику, система не нужна", final.Label(), base, what, budgetMB)
	}
	return nil
}

// checkUser: the last USER of the final image names someone other than root (hadolint DL3002).
func checkUser(f *dockerfile.File) error {
	in, ok := f.Effective("USER")
	hint := "задайте в финальном этапе, после COPY, непривилегированного пользователя — числами UID:GID, потому что " +
		"в scratch нет /etc/passwd (урок 5, раздел «Чего нет в scratch»)"
	if !ok {
		return lessoncheck.Failf(hint,
			"%s: в финальном этапе нет USER — сервер работает от root (UID 0). Уязвимость в сервере дала бы "+
				"злоумышленнику права root в контейнере", lessoncheck.Display(f.Path))
	}
	if len(in.Args) > 0 && isRoot(in.Args[0]) {
		return lessoncheck.Failf(hint, "%s (строка %d): это root — пользователь с UID 0, а серверу права root не нужны: "+
			"он слушает порт 8080", in.Source, in.Line)
	}
	return nil
}

// isRoot reports whether a USER value (user[:group]) is root by name or UID.
func isRoot(user string) bool {
	u, _, _ := strings.Cut(strings.TrimSpace(user), ":")
	return u == "" || u == "root" || strings.Trim(u, "0") == "" && u != ""
}

// checkHealthcheck: the final image has a HEALTHCHECK, and in exec form: scratch has no shell.
func checkHealthcheck(f *dockerfile.File) error {
	hint := "добавьте в финальный этап HEALTHCHECK в exec-форме, где сервер проверяет себя сам флагом -healthcheck, " +
		"с интервалом 10–30 с (урок 8, раздел «Сервер проверяет себя сам»)"
	hc, in, ok := f.Health()
	if !ok {
		return lessoncheck.Failf(hint,
			"%s: нет HEALTHCHECK — Docker знает только, что процесс жив, но не что сервер отвечает: "+
				"зависший сервер останется «Up» без (healthy)", lessoncheck.Display(f.Path))
	}
	switch {
	case len(hc.Test) == 0 || hc.Test[0] == "NONE":
		return lessoncheck.Failf(hint, "%s (строка %d): HEALTHCHECK NONE выключает проверку работоспособности",
			in.Source, in.Line)
	case hc.Test[0] == "CMD-SHELL":
		return lessoncheck.Failf(hint+"; exec-форма — массив JSON, кавычки только двойные",
			"%s (строка %d) в shell-форме: Docker выполнит её через /bin/sh -c, а в scratch нет ни оболочки, "+
				"ни curl — проверка всегда будет неудачной, и контейнер станет unhealthy", in.Source, in.Line)
	case hc.Interval > maxInterval:
		return lessoncheck.Failf("задайте интервал 10–30 с (урок 8, раздел «Что делает HEALTHCHECK»)",
			"%s (строка %d): интервал %s — о зависшем сервере Docker узнает слишком поздно",
			in.Source, in.Line, ru.Duration(hc.Interval))
	}
	return nil
}

// maxInterval is the longest HEALTHCHECK interval accepted: Docker's default is 30 s, and the
// check waits for the first probe.
const maxInterval = 30 * time.Second // as in lesson 08

// checkVersionArg: the stage that runs go build declares ARG VERSION before it. An ARG before
// the first FROM is visible only in FROM lines: inside a stage it must be declared again.
func checkVersionArg(f *dockerfile.File) error {
	hint := "объявите аргумент VERSION внутри этапа сборки, после COPY и перед RUN с go build, и передайте его значение " +
		"компоновщику флагом -X (урок 9, разделы «Где действует ARG» и «Версия в бинарнике»)"
	type build struct {
		stage dockerfile.Stage
		run   dockerfile.Instruction
	}
	var builds []build
	for _, s := range f.Stages {
		for _, in := range s.Find("RUN") {
			if lessoncheck.BuildsGo(in) {
				builds = append(builds, build{s, in}) // the last go build of a stage builds the server
			}
		}
	}
	if len(builds) == 0 {
		return lessoncheck.Failf("соберите сервер в этапе сборки, в RUN с go build (урок 3)",
			"%s: ни одна инструкция RUN не вызывает go build", lessoncheck.Display(f.Path))
	}
	last := builds[len(builds)-1]
	var arg *dockerfile.Instruction
	for _, in := range last.stage.Find("ARG") {
		for _, name := range in.Args {
			if name == "VERSION" && arg == nil {
				arg = &in
			}
		}
	}
	_, global := f.Args["VERSION"]
	switch {
	case arg == nil && global:
		return lessoncheck.Failf(hint,
			"ARG VERSION объявлен только до первого FROM: такой ARG виден лишь в строках FROM, а в этапе "+
				"сборки (%s) переменная $VERSION пуста, и сервер ответит пустой версией", last.stage.Label())
	case arg == nil:
		return lessoncheck.Failf(hint,
			"в этапе сборки (%s) нет ARG VERSION: --build-arg VERSION=%s не дойдёт до go build (строка %d), "+
				"и сервер не узнает свою версию", last.stage.Label(), buildVersion, last.run.Line)
	case arg.Line > last.run.Line:
		return lessoncheck.Failf(hint,
			"ARG VERSION (строка %d) стоит после RUN go build (строка %d): в этой команде $VERSION ещё пуста",
			arg.Line, last.run.Line)
	}
	return nil
}

// checkLabel: the final image carries org.opencontainers.image.version; labels of other
// stages do not reach it.
func checkLabel(f *dockerfile.File) error {
	hint := "объявите аргумент VERSION и в финальном этапе и запишите его в метку " + versionLabel +
		" (урок 9, раздел «Метки с ключами OCI»)"
	for _, s := range chain(f) {
		if hasLabel(s, versionLabel) {
			return nil
		}
	}
	for _, s := range f.Stages {
		if hasLabel(s, versionLabel) {
			return lessoncheck.Failf(hint, "метка %s задана не в финальном этапе (%s), а в образ попадает только финальный",
				versionLabel, s.Label())
		}
	}
	return lessoncheck.Failf(hint,
		"%s: нет метки %s — по образу не узнать, какая в нём версия: docker inspect её не покажет",
		lessoncheck.Display(f.Path), versionLabel)
}

// chain is the final stage and the stages it starts FROM, whose instructions it inherits.
func chain(f *dockerfile.File) []dockerfile.Stage {
	s := f.Final()
	out := []dockerfile.Stage{s}
	for f.IsStage(s) {
		s, _ = f.Stage(s.Base)
		out = append(out, s)
	}
	return out
}

func hasLabel(s dockerfile.Stage, key string) bool {
	for _, in := range s.Find("LABEL") {
		if _, ok := in.Labels[key]; ok {
			return true
		}
	}
	return false
}

// --- the build and the image ---

// checkBinary: the file the image runs is static (scratch has no libc) and stripped.
func checkBinary(s *lessoncheck.State) error {
	bin, err := lessoncheck.CheckStatic(s, "выключите cgo (урок 4, раздел «Статический бинарник и динамическая компоновка»)")
	if err != nil {
		return err
	}
	if !bin.Info.Stripped {
		return lessoncheck.Failf("уберите таблицу символов и DWARF флагами компоновщика (урок 5, раздел «Флаги сборки»): "+
			"серверу они не нужны, а бинарник станет меньше на треть",
			"бинарник %s (%s) собран с таблицей символов и отладочной информацией", bin.Path, megabytes(bin.Size))
	}
	return lessoncheck.CheckTrimpath(s, "соберите с -trimpath (урок 5, раздел «Флаги сборки»): он записывает вместо "+
		"полных путей относительные (net/http/server.go), и бинарник не зависит от каталога, где шла сборка")
}

// checkImageUser judges the built image: its config's User, whatever the Dockerfile spelled.
func checkImageUser(s *lessoncheck.State) error {
	info, err := s.Image.Inspect(s.Ctx)
	if err != nil {
		return err
	}
	if isRoot(info.Config.User) {
		return lessoncheck.Failf("задайте в финальном этапе непривилегированного пользователя числами UID:GID (урок 5)",
			"образ %s запускает сервер от root: User в его настройках — %q", s.Image.Ref, info.Config.User)
	}
	return nil
}

func checkLabelValue(s *lessoncheck.State) error {
	info, err := s.Image.Inspect(s.Ctx)
	if err != nil {
		return err
	}
	got := info.Config.Labels[versionLabel]
	if got == buildVersion {
		return nil
	}
	if got == "" {
		return lessoncheck.Failf("объявите аргумент VERSION и в финальном этапе, перед меткой: из этапа сборки он не "+
			"переходит (урок 9, раздел «Где действует ARG»)",
			"метка %s пустая: ARG из этапа сборки в финальный этап не переходит, и там $VERSION пуста", versionLabel)
	}
	return lessoncheck.Failf("берите значение метки из аргумента VERSION, а не вписывайте его",
		"метка %s = %q, а образ собран с --build-arg VERSION=%s", versionLabel, got, buildVersion)
}

// --- the running container ---

// checkVersion: GET /version reports the version passed to the build.
func checkVersion(s *lessoncheck.State) error {
	resp, err := s.Container.Get(s.Ctx, "/version")
	if err != nil {
		return lessoncheck.Failf(lessoncheck.HintListen, "запрос GET /version не удался: %v", err)
	}
	if resp.Status == 200 && strings.Contains(resp.Body, `"`+buildVersion+`"`) {
		return nil
	}
	hint := "передайте версию компоновщику: аргумент VERSION, объявленный в этапе сборки, во флаге -X (урок 9, раздел " +
		"«Версия в бинарнике»)"
	if resp.Status != 200 {
		return lessoncheck.Failf("соберите бинарник из server.go урока", "GET /version: ответ %d %q, а ожидается 200", resp.Status, resp.Body)
	}
	if strings.Contains(resp.Body, "$") {
		if err := lessoncheck.CheckQuotes(s.Dockerfile); err != nil {
			return err
		}
		return lessoncheck.Failf("запишите RUN с go build строкой (shell-форма), а не массивом JSON: переменные "+
			"подставляет оболочка — см. урок 9",
			"GET /version ответил %q: переменная не подставлена, и ${VERSION} дошла до компоновщика буквально",
			strings.TrimSpace(resp.Body))
	}
	if strings.Contains(resp.Body, `"dev"`) {
		return lessoncheck.Failf(hint, "GET /version ответил %q: в бинарнике осталась версия по умолчанию, "+
			"-X main.version не сработал", strings.TrimSpace(resp.Body))
	}
	return lessoncheck.Failf(hint, "GET /version ответил %q, а образ собран с --build-arg VERSION=%s",
		strings.TrimSpace(resp.Body), buildVersion)
}

// healthInterval replaces the image's HEALTHCHECK --interval while the check runs the
// container (docker run --health-interval): Docker runs the image's own probe command with its
// timeout and retries every second rather than every 10 s, the reference's interval. During
// the image's --start-period Docker 25 and later probes every --start-interval instead (5 s
// by default; the check does not override it), so there the first probe comes later. Lesson
// 8 checks the interval itself and waits for it.
const healthInterval = time.Second

// checkHealthy waits until Docker's own HEALTHCHECK reports the container healthy. Docker
// runs the first probe one interval (healthInterval here) after the start, or, during a start
// period on Docker 25 and later, one start interval after it.
func checkHealthy(s *lessoncheck.State) error {
	w, err := lessoncheck.WaitHealthy(s.Ctx, s.Container,
		"добавьте в финальный этап HEALTHCHECK в exec-форме с флагом -healthcheck (урок 8)", healthWait)
	if err != nil {
		return err
	}
	h := w.Health
	switch h.Status {
	case container.Healthy:
		s.Logf("контейнер здоров через %s после запуска (проверка запускает его с --health-interval=%s)",
			lessoncheck.Seconds(w.Waited+s.Container.Ready), healthInterval)
		return nil
	case container.Unhealthy:
		return lessoncheck.Failf("команда проверки должна запускать файл, который есть в образе: путь в HEALTHCHECK — "+
			"тот, куда COPY --from положил бинарник (урок 8, раздел «Сервер проверяет себя сам»)",
			"Docker считает контейнер unhealthy: проверка не прошла %d %s подряд%s",
			h.FailingStreak, ru.Plural(h.FailingStreak, "раз", "раза", "раз"), lastProbe(h))
	}
	return lessoncheck.Failf("проверьте команду сами: docker exec <контейнер> /server -healthcheck; echo $? — "+
		"код 0 значит «здоров»; другой код или ожидание дольше --timeout — нет",
		"за %s контейнер не стал healthy: статус %s%s", lessoncheck.Seconds(w.Limit), h.Status, lastProbe(h))
}

// healthWait is how long checkHealthy waits: one interval to the first probe, its timeout
// and a margin, 3 minutes at most.
func healthWait(h dockerfile.Health) time.Duration {
	return min(h.Interval+h.Timeout+15*time.Second, 3*time.Minute)
}

func lastProbe(h *container.Health) string {
	if p := lessoncheck.LastProbe(h); p != "" {
		return ". Последняя проверка: " + p
	}
	return ""
}

// checkStop: docker stop sends SIGTERM; the server finishes its requests and exits with 0.
// Code 2 is Go's runtime dying of an unhandled SIGTERM, 137 a SIGKILL after the timeout.
func checkStop(s *lessoncheck.State) error {
	ctx, cancel := context.WithTimeout(s.Ctx, lessoncheck.StopTimeout+30*time.Second)
	defer cancel()
	logs := s.Container.Logs(ctx)
	res, err := s.Container.Stop(ctx, lessoncheck.StopTimeout)
	if err != nil {
		return err
	}
	s.Logf("docker stop: %s, код выхода %d", lessoncheck.Seconds(res.Took), res.ExitCode)
	switch {
	case res.ExitCode == 0:
		return nil
	case res.ExitCode == 137 || res.Took >= lessoncheck.StopTimeout:
		return lessoncheck.Failf("пусть PID 1 будет сам сервер: ENTRYPOINT или CMD в exec-форме, без обёртки sh -c "+
			"(уроки 2 и 7)",
			"docker stop ждал %s и убил контейнер (код выхода %d): процесс с PID 1 не завершился по SIGTERM",
			lessoncheck.Seconds(res.Took), res.ExitCode)
	case res.ExitCode == 2:
		return lessoncheck.Failf("серверу нужен обработчик SIGTERM: signal.NotifyContext и http.Server.Shutdown (урок 7)",
			"сервер завершился с кодом 2: так Go умирает от SIGTERM без обработчика, не дождавшись текущих запросов")
	default:
		return lessoncheck.Failf("прочтите журнал контейнера: docker logs <контейнер>",
			"после docker stop сервер завершился с кодом %d, а ожидается 0. Журнал:\n%s", res.ExitCode, logs)
	}
}

// --- what scratch lacks: CA certificates and time zones ---

const (
	hintCerts = "скопируйте связку сертификатов CA из этапа сборки туда, где Go ищет её первой (README урока, раздел " +
		"«Сертификаты CA и часовые пояса»; урок 5, раздел «Чего нет в scratch»)"
	unknownAuthority = "x509: certificate signed by unknown authority"
)

// checkCerts: the final image holds the CA bundle Go would load, and it has CA certificates
// in it. The server makes no HTTPS calls (and the check has no internet to make one), so the
// file is judged the way crypto/x509 reads it: the first of certFiles that exists, links
// followed, parsed as PEM.
func checkCerts(s *lessoncheck.State) error {
	info, err := s.Image.Inspect(s.Ctx)
	if err != nil {
		return err
	}
	candidates := cabundle.GoFiles
	if f, ok := info.Config.EnvValue("SSL_CERT_FILE"); ok && f != "" {
		candidates = []string{f}
	}
	files, err := s.Image.Files(s.Ctx)
	if err != nil {
		return err
	}
	tree := imagefiles.New(files)
	for _, name := range candidates {
		f, ok := tree.Open(name)
		if !ok {
			continue // Go goes on to the next file, as it does when one can't be read
		}
		data, err := s.Image.ReadFile(s.Ctx, f.Path)
		if err != nil {
			return err
		}
		certs, cas := cabundle.Count(data)
		s.Logf("сертификаты CA: %s, %s, из них CA — %d, %s", name,
			ru.Count(certs, "сертификат", "сертификата", "сертификатов"), cas, kilobytes(int64(len(data))))
		if cas == 0 {
			return lessoncheck.Failf(hintCerts,
				"%s в образе есть, но сертификатов CA в формате PEM в нём нет (%s). Go возьмёт этот файл, "+
					"не найдёт в нём ни одного корневого сертификата, и первый же запрос сервера по HTTPS "+
					"упадёт с «%s»", name, kilobytes(int64(len(data))), unknownAuthority)
		}
		if err := verifyPublicChain(data); err != nil {
			return lessoncheck.Failf(hintCerts,
				"%s в образе есть, но публичным центрам сертификации Go по нему не поверит: цепочка сертификатов "+
					"%s не проверяется (%v). Запросы сервера по HTTPS к обычным сайтам упадут так же", name, publicHost, err)
		}
		s.Logf("цепочка сертификатов %s проверяется по этому файлу, как её проверил бы crypto/tls", publicHost)
		return nil
	}
	where := cabundle.GoFiles[0] + " — первого файла, где Go ищет сертификаты CA, — и других файлов из его списка"
	if len(candidates) == 1 && candidates[0] != cabundle.GoFiles[0] {
		where = candidates[0] + ", на который указывает SSL_CERT_FILE"
	}
	return lessoncheck.Failf(hintCerts,
		"в образе нет %s: scratch пуст, и сертификаты сами в него не попадают. Запросов по HTTPS сервер "+
			"урока не делает, но первый же такой запрос из этого образа упадёт с «%s»", where, unknownAuthority)
}

// publicChain is the certificate chain www.google.com served in February 2023 (leaf and
// intermediate, from Go's own crypto/x509 tests), signed under GTS Root R1, a root every
// public CA bundle carries. No site can be reached from the check, so the handshake is
// replayed: the chain is verified as crypto/tls would verify it, at the time it was served.
//
//go:embed testdata/www.google.com.pem
var publicChain []byte

const publicHost = "www.google.com"

// publicChainTime is when publicChain was valid: 2023-02-28, as in Go's tests.
var publicChainTime = time.Unix(1677615892, 0)

// verifyPublicChain verifies publicChain against the CA certificates in bundle.
func verifyPublicChain(bundle []byte) error {
	return cabundle.Verify(bundle, publicChain, publicHost, publicChainTime)
}

// kilobytes formats a small size in decimal kilobytes: «217 КБ».
func kilobytes(n int64) string {
	return ru.Int((n+500)/1000) + " КБ"
}

const hintTimeZone = "добавьте базу часовых поясов: скопируйте её каталог из этапа сборки или встройте её в бинарник " +
	"тегом сборки timetzdata, плюс 0,4 МБ (README урока, раздел «Сертификаты CA и часовые пояса»)"

// checkTimeZone starts the image once more, as production does, and asks GET
// /time?tz=Europe/Moscow: 200 and the offset +03:00. Whatever way the zone reaches the
// server passes: /usr/share/zoneinfo in the image, ZONEINFO, or the copy -tags timetzdata
// embeds in the binary.
func checkTimeZone(s *lessoncheck.State) error {
	ctx, cancel := context.WithTimeout(s.Ctx, 2*time.Minute)
	defer cancel()
	c, err := s.Image.Run(ctx, imagetest.RunOptions{Hardened: true})
	if c != nil {
		defer func() { _ = c.Terminate(context.WithoutCancel(ctx)) }()
	}
	if err != nil {
		return lessoncheck.Failf(lessoncheck.HintListen, "%v", err)
	}
	target := "/time?tz=" + timeZone
	resp, err := c.Get(ctx, target)
	if err != nil {
		return lessoncheck.Failf(lessoncheck.HintListen, "запрос GET %s не удался: %v", target, err)
	}
	body := strings.TrimSpace(resp.Body)
	s.Logf("GET %s: %d %s", target, resp.Status, body)
	var got struct {
		TZ   string `json:"tz"`
		Time string `json:"time"`
	}
	switch {
	case resp.Status == 404:
		return lessoncheck.Failf("соберите бинарник из server.go урока 10: в нём есть GET /time",
			"GET %s: ответ 404 — в сервере нет обработчика /time", target)
	case resp.Status == 500 && strings.Contains(body, "unknown time zone"):
		return lessoncheck.Failf(hintTimeZone,
			"GET %s ответил %d %q: time.LoadLocation не нашёл базу часовых поясов. Он ищет её в "+
				"/usr/share/zoneinfo (и в $ZONEINFO), а в scratch этого каталога нет, и в бинарник не встроена её "+
				"копия (тег сборки timetzdata)", target, resp.Status, body)
	case resp.Status != 200:
		return lessoncheck.Failf(hintTimeZone, "GET %s: ответ %d %q, а ожидается 200", target, resp.Status, body)
	case json.Unmarshal([]byte(resp.Body), &got) != nil || !strings.HasSuffix(got.Time, timeOffset):
		return lessoncheck.Failf("берите базу часовых поясов из этапа сборки (golang:1.26-bookworm) или встроенную копию "+
			"из Go, тег сборки timetzdata (урок 5)",
			"GET %s ответил %q, а в Москве круглый год UTC+3: время должно кончаться на %s", target, body, timeOffset)
	}
	return nil
}

// The replayed chain verifies against a bundle with GTS Root R1 (the builder's Debian
// bundle, read on the host when it has one) and fails against an empty one.
func TestVerifyPublicChain(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	if err := verifyPublicChain(nil); err == nil {
		t.Error("the chain verified against an empty bundle")
	}
	host, err := os.ReadFile(cabundle.GoFiles[0])
	if err != nil {
		t.Logf("no CA bundle on this machine (%v): the positive case is left to TestLesson", err)
		return
	}
	if err := verifyPublicChain(host); err != nil {
		t.Errorf("the chain does not verify against %s: %v", cabundle.GoFiles[0], err)
	}
}
