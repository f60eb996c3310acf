// Checks of lesson 10: the production Dockerfile. Every checklist item that the Dockerfile
// itself shows is checked statically first (pinned tags, stages, final base, user, exec form,
// HEALTHCHECK, ARG VERSION, the version label, no variables in single quotes), then the image
// is built with --build-arg VERSION=1.0.0 and judged by what it is and does: its size, user
// and label, the running server's answers, Docker's health status and a clean stop on
// SIGTERM; last, a second build with another VERSION must change the binary's version and
// the label, so a version typed in by hand does not pass. Then what a server in scratch
// lacks unless it is copied in: CA certificates, read from the image as Go's crypto/x509
// would read them, and the time zone database, asked of a running container with GET
// /time?tz=Europe/Moscow. TestPath
// builds the reference images of lessons 02, 03 and 05 and shows the course's path in numbers.
//
//	go test ./lessons/10-summary/            the reference Dockerfile
//	go test ./lessons/10-summary/ -exercise  the student's exercise/Dockerfile
package main

import (
	"testing"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// The starter fails for the intended reason: it is lesson 03's Dockerfile, whose final stage
// is a whole Debian system.
var lesson = lessoncheck.Checks{Dockerfile: "Dockerfile", Steps: steps,
	Starter: lessoncheck.FailsAt(stepBase, "debian:bullseye-slim", "10 МБ", "scratch", "урок 5")}

// Step names; the starter's test refers to the one it must fail at.
const (
	stepGoarch      = "GOARCH не вписан жёстко (урок 4)"
	stepTags        = "базовые образы с закреплёнными тегами"
	stepStages      = "не меньше двух этапов"
	stepBase        = "финальный этап на маленьком базовом образе"
	stepUser        = "USER в финальном этапе не root"
	stepCmd         = "CMD или ENTRYPOINT в exec-форме"
	stepHealthcheck = "HEALTHCHECK в exec-форме"
	stepVersionArg  = "ARG VERSION в этапе сборки"
	stepLabel       = "метка org.opencontainers.image.version"
	stepQuotes      = "переменные не в одинарных кавычках"
	stepBuild       = "образ собирается с VERSION=" + buildVersion
	stepBinary      = "бинарник статический, без таблицы символов и путей машины сборки"
	stepFiles       = "в образе нет Go и исходников"
	stepImageUser   = "образ запускает сервер не от root"
	stepLabelValue  = "метка версии равна VERSION"
	stepVersion     = "GET /version отвечает версией сборки"
	stepHealthy     = "Docker считает контейнер здоровым"
	stepStop        = "docker stop завершает сервер с кодом 0"
	stepOther       = "с другой VERSION (" + otherVersion + ") меняются и бинарник, и метка"
	stepCerts       = "в образе есть сертификаты CA для HTTPS"
	stepTimeZone    = "GET /time?tz=" + timeZone + " знает часовой пояс"
)

const (
	budgetMB     = 10
	buildVersion = "1.0.0"      // passed as --build-arg VERSION
	otherVersion = "1.1.0-rc.1" // the second build's VERSION
	versionLabel = "org.opencontainers.image.version"
	// timeZone is the zone GET /time is asked about: Moscow keeps UTC+3 all year (no DST
	// since 2014), so the expected offset does not depend on the date of the check.
	timeZone   = "Europe/Moscow"
	timeOffset = "+03:00"
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

func steps() []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.Static(stepTags, checkPinned),
		lessoncheck.Static(stepStages, checkStages),
		lessoncheck.Static(stepBase, checkBase),
		lessoncheck.Static(stepUser, checkUser),
		lessoncheck.Static(stepCmd, checkExecForm),
		lessoncheck.Static(stepHealthcheck, checkHealthcheck),
		lessoncheck.Static(stepVersionArg, checkVersionArg),
		lessoncheck.Static(stepLabel, checkLabel),
		lessoncheck.Static(stepQuotes, lessoncheck.CheckQuotes),
		versionArg.Build(stepBuild),
		lessoncheck.Budget("образ не больше 10 МБ", 10*lessoncheck.MB, "в финальный этап на пустом образе кладите "+
			"только бинарник, сертификаты CA и базу часовых поясов (урок 5), а бинарник соберите статическим и без "+
			"таблицы символов (уроки 4 и 5)"),
		{Name: stepBinary, Check: checkBinary},
		{Name: stepFiles, Check: lessoncheck.NoBuildLeftovers("из этапа сборки копируйте только бинарник, а не весь " +
			"каталог сборки и не / (уроки 3 и 5)")},
		{Name: stepImageUser, Check: checkImageUser},
		{Name: stepLabelValue, Check: checkLabelValue},
		lessoncheck.StartHardened(imagetest.RunOptions{HealthInterval: healthInterval}),
		lessoncheck.Greets(),
		{Name: stepVersion, Check: checkVersion},
		{Name: stepHealthy, Check: checkHealthy},
		{Name: stepStop, Check: checkStop},
		versionArg.Changes(stepOther),
		lessoncheck.Static(stepGoarch, lessoncheck.CheckGoarch),
		{Name: stepCerts, Check: checkCerts},
		{Name: stepTimeZone, Check: checkTimeZone},
	}
}

// The tests the course runs by name (make verdicts, CI).
func TestLesson(t *testing.T)       { lesson.Check(t) }
func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
