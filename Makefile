# Go + Docker workshop. `make help` lists every target.

SHELL := /bin/bash
GO ?= go
# @HELP-VAR IMAGES_TAR: архив для images-save / images-load
IMAGES_TAR ?= workshop-images.tar
# @HELP-VAR TEST_FLAGS: дополнительные флаги go test, например TEST_FLAGS=-v
TEST_FLAGS ?=
# @HELP-VAR TEST_P: сколько пакетов go test проверяет одновременно (проверки уроков больше ждут Docker, чем считают)
TEST_P ?= 4
# @HELP-VAR ENGINE: какой движок make docker ставит на Debian без Docker: debian (docker.io из пакетов) или current (Docker Engine 29 из исходников)
ENGINE ?= debian
# @HELP-VAR STORE: хранилище образов движка ENGINE=current: containerd (как в Docker Desktop) или classic
STORE ?= containerd
export ENGINE STORE
# @HELP-VAR BENCH_RUNS: сколько раз make bench измеряет каждый образ
BENCH_RUNS ?= 3
# The CLI is built first rather than run with `go run`, which adds «exit status 1» to every
# failed check.
WORKSHOP = $(GO) build -o bin/workshop ./cmd/workshop && bin/workshop

# testcontainers-go: no Ryuk (it is an image that has to be pulled) and, with a local daemon,
# containers are reached through localhost, never through a gateway or bridge address.
export TESTCONTAINERS_RYUK_DISABLED := true
ifeq ($(filter tcp://% ssh://% http://% https://%,$(DOCKER_HOST)),)
export TESTCONTAINERS_HOST_OVERRIDE ?= localhost
endif

.DEFAULT_GOAL := help

help: # @HELP этот список целей и переменных
	@echo "Цели make:"
	@grep -hE '^[a-zA-Z0-9_%-]+:.*# @HELP' $(MAKEFILE_LIST) | \
		sed -E 's/^([a-zA-Z0-9_%-]+):.*# @HELP (.*)/\1|\2/' | awk -F'|' '{ printf "  %-12s %s\n", $$1, $$2 }'
	@echo "Переменные:"
	@grep -hE '^# @HELP-VAR' $(MAKEFILE_LIST) | \
		sed -E 's/^# @HELP-VAR ([A-Z_]+): (.*)/\1|\2/' | awk -F'|' '{ printf "  %-12s %s\n", $$1, $$2 }'

docker: # @HELP убедиться, что Docker отвечает (на Debian от root — установить и запустить docker.io) и docker build собирает BuildKit
	@bash internal/bootstrap/docker.sh
	@bash internal/bootstrap/buildx.sh

images: docker # @HELP получить базовые образы из Dockerfile (из реестра или собрать локальные подмены)
	@bash internal/bootstrap/images.sh

images-save: images # @HELP сохранить базовые образы в $(IMAGES_TAR) для класса без реестра
	@docker save -o $(IMAGES_TAR) golang:1.26-bookworm debian:bullseye-slim docker/dockerfile:1
	@echo "Сохранено: $(IMAGES_TAR) ($$(du -h $(IMAGES_TAR) | cut -f1)). На другой машине: make images-load"

images-load: docker # @HELP загрузить базовые образы из $(IMAGES_TAR)
	@test -f $(IMAGES_TAR) || { echo "Нет файла $(IMAGES_TAR): создайте его командой make images-save на машине с образами." >&2; exit 1; }
	@docker load -i $(IMAGES_TAR)

compare: images # @HELP собрать одноэтапный и многоэтапный образы и показать разницу
	@./compare.sh

# Lesson 6 judges what BuildKit takes from its cache. Other packages build the same first steps,
# and BuildKit may miss a step in its cache after builds ran it side by side (seen on dockerd
# 20.10; open upstream as moby/buildkit#4674), so lesson 6 runs on its own, after the rest, on
# every engine. Both runs report, whatever the first says.
CACHE_LESSON := ./lessons/06-build-cache

test: images # @HELP все тесты: сервер, обвязка, корневые образы и эталоны всех уроков (урок 6 — отдельно, после остальных; затем автооценка класса)
	$(GO) vet ./...
	@status=0; \
	echo '$(GO) test -count=1 -timeout 80m -p $(TEST_P) $(TEST_FLAGS) <все пакеты, кроме $(CACHE_LESSON) и $(CLASS_PKGS)>'; \
	$(GO) test -count=1 -timeout 80m -p $(TEST_P) $(TEST_FLAGS) $$($(GO) list ./... | grep -v -e '/lessons/06-build-cache$$' -e '/internal/classroom$$' -e '/internal/cli$$') || status=$$?; \
	echo '$(GO) test -count=1 -timeout 30m $(TEST_FLAGS) $(CACHE_LESSON)'; \
	$(GO) test -count=1 -timeout 30m $(TEST_FLAGS) $(CACHE_LESSON) || status=$$?; \
	echo '$(GO) test -count=1 -timeout 60m -p 1 $(TEST_FLAGS) $(CLASS_PKGS)'; \
	$(GO) test -count=1 -timeout 60m -p 1 $(TEST_FLAGS) $(CLASS_PKGS) || status=$$?; \
	exit $$status

# The classroom's tests check every lesson in copies of the course, lesson 6 among them, so they
# run after it and one package at a time: lesson 6 judges BuildKit's cache and runs alone.
CLASS_PKGS := ./internal/classroom ./internal/cli

# The verdicts that prove an engine: each lesson's reference passes and its starter fails for
# its intended reason, and the root pair builds, runs and compares. CI runs them on the engines
# it does not run the whole suite on.
VERDICTS := ^(TestLesson|TestStarterFails|TestSingleAndMultiStageImages|TestDockerfileIsTheSeedsMultiStageBuild)$$

verdicts: images # @HELP быстрая проверка движка: эталон и заготовка каждого урока и корневая пара образов (урок 6 — отдельно)
	@status=0; \
	echo '$(GO) test -count=1 -timeout 60m -p $(TEST_P) $(TEST_FLAGS) -run '"'"'$(VERDICTS)'"'"' <корень и уроки, кроме $(CACHE_LESSON)>'; \
	$(GO) test -count=1 -timeout 60m -p $(TEST_P) $(TEST_FLAGS) -run '$(VERDICTS)' $$($(GO) list . ./lessons/... | grep -v '/lessons/06-build-cache$$') || status=$$?; \
	echo '$(GO) test -count=1 -timeout 30m $(TEST_FLAGS) -run '"'"'$(VERDICTS)'"'"' $(CACHE_LESSON)'; \
	$(GO) test -count=1 -timeout 30m $(TEST_FLAGS) -run '$(VERDICTS)' $(CACHE_LESSON) || status=$$?; \
	exit $$status

tools: # @HELP установить shellcheck для make lint (на Debian от root; иначе подскажет как)
	@command -v shellcheck >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Устанавливаю shellcheck…"; apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq shellcheck >/dev/null; \
		else echo "Нет shellcheck: установите его (apt install shellcheck, brew install shellcheck)." >&2; exit 1; fi; }

lint: tools # @HELP shellcheck для скриптов и gofmt для кода
	@shellcheck compare.sh internal/bootstrap/*.sh .ci/run
	@test -z "$$(gofmt -l .)" || { gofmt -l .; exit 1; }

# The CLI and the bench run on the students' machines too: Windows and macOS on Apple silicon
# must at least compile (build tags such as freespace_unix.go and procgroup_unix.go).
cross: # @HELP собрать CLI и замеры для Windows (amd64) и macOS (arm64): код компилируется не только на Linux
	GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./cmd/workshop
	GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./cmd/bench
	GOOS=darwin GOARCH=arm64 $(GO) build -o /dev/null ./cmd/workshop
	GOOS=darwin GOARCH=arm64 $(GO) build -o /dev/null ./cmd/bench

list: # @HELP уроки, их статус и следующий
	@$(WORKSHOP) list

doctor: # @HELP проверить Go, Docker, базовые образы и диск; для каждой проблемы — как исправить
	@$(WORKSHOP) doctor

# check-N, watch-N and lesson-N need no `images` prerequisite: the CLI prepares Docker and the
# base images (docker.sh, buildx.sh, images.sh) only for the lessons that use Docker, so
# lesson 1 works on a machine without it.
lesson-%: # @HELP для преподавателя: показать урок N, собрать и запустить его эталонные образы, размеры, проверки
	@$(WORKSHOP) lesson $*

read-%: # @HELP показать README урока N в терминале
	@$(WORKSHOP) read $*

# @HELP-VAR JUNIT: make check-all: файл отчёта JUnit XML для CI, например JUNIT=report.xml
JUNIT ?=
# @HELP-VAR SUMMARY: make check-all: куда дописать таблицу Markdown, например SUMMARY="$GITHUB_STEP_SUMMARY"
SUMMARY ?=
# @HELP-VAR REUSE: make check-all: REUSE=1 — урок без изменений после make check-N не проверять заново, взять её результат
REUSE ?=

# Explicit, so it wins over check-%; it goes on after a failed lesson and exits 1 unless all passed.
check-all: # @HELP проверить задания всех уроков: строка на урок и итог; JUNIT=…, SUMMARY=… — отчёты для CI
	@$(WORKSHOP) check --all $(if $(REUSE),--reuse) $(if $(JUNIT),--junit '$(JUNIT)') $(if $(SUMMARY),--summary '$(SUMMARY)')

check-%: # @HELP проверить ваше задание урока N (то же, что go test ./lessons/NN-…/ -exercise)
	@$(WORKSHOP) check $*

hint-%: # @HELP следующая подсказка к заданию урока N
	@$(WORKSHOP) hint $*

watch-%: # @HELP перепроверять задание урока N при каждом сохранении файла
	@$(WORKSHOP) watch $*

reset-%: # @HELP вернуть файлы задания урока N к исходному виду (спросит подтверждение)
	@$(WORKSHOP) reset $*

bench: images # @HELP замеры образов всех уроков (размер, сборка, запуск, stop, память) в docs/bench.md
	$(GO) run ./cmd/bench -runs $(BENCH_RUNS)

bench-suite: images # @HELP время проверок: make test холодный и тёплый по пакетам, make check-N по урокам, в docs/bench.md (удаляет кэш сборки!)
	$(GO) run ./cmd/bench -suite -cold -runs $(BENCH_RUNS)

clean: # @HELP удалить контейнеры и образы тестов и compare.sh (базовые образы остаются)
	@ids=$$(docker ps -aq --filter label=workshop.test=true); [ -z "$$ids" ] || docker rm -f $$ids >/dev/null
	@imgs=$$(docker images -q --filter label=workshop.built=true; docker images -q --filter label=workshop.lesson=root); \
		[ -z "$$imgs" ] || docker rmi -f $$imgs >/dev/null 2>&1 || true
	@docker image prune -f --filter label=workshop.built=true >/dev/null
	@echo "Готово: контейнеры и образы тестов удалены; базовые образы остались."

.PHONY: help docker images images-save images-load compare test verdicts bench bench-suite tools lint cross list doctor check-all clean
