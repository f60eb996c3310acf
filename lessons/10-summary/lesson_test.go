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

const stepBase = "финальный этап на маленьком базовом образе"

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

func steps() []lessoncheck.Step {
	return []lessoncheck.Step{
		lessoncheck.Static("базовые образы с закреплёнными тегами", checkPinned),
		lessoncheck.Static("не меньше двух этапов", checkStages),
		lessoncheck.Static(stepBase, checkBase),
		lessoncheck.Static("USER в финальном этапе не root", checkUser),
		lessoncheck.Static("CMD или ENTRYPOINT в exec-форме", checkExecForm),
		lessoncheck.Static("HEALTHCHECK в exec-форме", checkHealthcheck),
		lessoncheck.Static("ARG VERSION в этапе сборки", checkVersionArg),
		lessoncheck.Static("метка org.opencontainers.image.version", checkLabel),
		lessoncheck.Static("переменные не в одинарных кавычках", lessoncheck.CheckQuotes),
		versionArg.Build("образ собирается с VERSION=" + buildVersion),
		lessoncheck.Budget("образ не больше 10 МБ", 10*lessoncheck.MB, "в финальный этап на пустом образе кладите "+
			"только бинарник, сертификаты CA и базу часовых поясов (урок 5), а бинарник соберите статическим и без "+
			"таблицы символов (уроки 4 и 5)"),
		{Name: "бинарник статический, без таблицы символов и путей машины сборки", Check: checkBinary},
		{Name: "в образе нет Go и исходников", Check: lessoncheck.NoBuildLeftovers("из этапа сборки копируйте только бинарник, а не весь " +
			"каталог сборки и не / (уроки 3 и 5)")},
		{Name: "образ запускает сервер не от root", Check: checkImageUser},
		{Name: "метка версии равна VERSION", Check: checkLabelValue},
		lessoncheck.StartHardened(imagetest.RunOptions{HealthInterval: healthInterval}),
		lessoncheck.Greets(),
		{Name: "GET /version отвечает версией сборки", Check: checkVersion},
		{Name: "Docker считает контейнер здоровым", Check: checkHealthy},
		{Name: "docker stop завершает сервер с кодом 0", Check: checkStop},
		versionArg.Changes("с другой VERSION (" + otherVersion + ") меняются и бинарник, и метка"),
		lessoncheck.Static("GOARCH не вписан жёстко (урок 4)", lessoncheck.CheckGoarch),
		{Name: "в образе есть сертификаты CA для HTTPS", Check: checkCerts},
		{Name: "GET /time?tz=" + timeZone + " знает часовой пояс", Check: checkTimeZone},
	}
}

// The tests the course runs by name (make verdicts, CI).
func TestLesson(t *testing.T)       { lesson.Check(t) }
func TestStarterFails(t *testing.T) { lesson.CheckStarter(t) }
func TestVariants(t *testing.T)     { lesson.CheckVariants(t) }
