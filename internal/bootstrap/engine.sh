#!/usr/bin/env bash
# Installs and starts a current Docker Engine (29) on a Debian machine without Docker, built
# from the Go module proxy: runc, containerd and its runc shim, dockerd and docker-proxy.
# `make docker ENGINE=current` runs it; `STORE=containerd` (the default of fresh Engine 29 and
# Docker Desktop installs) or `STORE=classic` picks the image store. Idempotent: binaries of the
# pinned versions are built once, into $ENGINE_PREFIX/bin, and nothing is started when Docker
# already answers. Messages are for people, so they are Russian.
#
#   engine.sh start   install what is missing and start containerd + dockerd (the default)
#   engine.sh stop    stop the dockerd and containerd this script started
set -euo pipefail

prefix=${ENGINE_PREFIX:-/usr/local/lib/workshop-engine}
bin=$prefix/bin
store=${STORE:-containerd}
state=/run/workshop-engine
log=${DOCKERD_LOG:-/var/log/dockerd-workshop.log}
wait_seconds=${DOCKERD_WAIT:-120}

moby_version=v2.0.0-beta.24   # Docker Engine 29, API 1.56, BuildKit v0.33 inside
engine_version=29.8.1-dev     # what `docker version` reports: releases/versions.yaml of that module says 29.8.0 is last
containerd_version=v2.4.2
runc_version=v1.5.3

case $store in
  containerd) snapshotter=true ;;
  classic) snapshotter=false ;;
  *)
    echo "STORE=$store: такого хранилища образов нет. Возможные значения: containerd или classic." >&2
    exit 2
    ;;
esac
data_root=/var/lib/workshop-engine/docker-$store
ctr_root=/var/lib/workshop-engine/containerd
ctr_sock=$state/containerd/containerd.sock

answers() { docker info >/dev/null 2>&1; }

fail() { # what, log file
  echo "Не удалось $1." >&2
  if [ -n "${2:-}" ] && [ -s "$2" ]; then
    echo "Последние строки журнала $2:" >&2
    tail -n 15 "$2" >&2
  fi
  cat >&2 <<'MSG'
Текущий движок собирается из исходников через прокси Go-модулей (около 15 минут на 2 ядрах).
Проверьте доступ к прокси (go env GOPROXY) и место на диске, затем повторите
make docker ENGINE=current. Движок из пакетов Debian ставит обычная команда make docker.
MSG
  exit 1
}

# have NAME VERSION: the binary exists and was built from that version.
have() { [ -x "$bin/$1" ] && [ "$(cat "$bin/.$1.version" 2>/dev/null)" = "$2" ]; }
stamp() { echo "$2" >"$bin/.$1.version"; }

apt_install() {
  local missing=() pkg
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Устанавливаю пакеты Debian: ${missing[*]}…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
}

install_binaries() {
  if have runc "$runc_version" && have containerd "$containerd_version" &&
    have containerd-shim-runc-v2 "$containerd_version" && have dockerd "$moby_version $engine_version" &&
    have docker-proxy "$moby_version"; then
    return 0
  fi
  command -v go >/dev/null 2>&1 || fail "собрать движок: нет Go (нужен Go 1.26, go version)"
  # runc links libseccomp; dockerd needs iptables for its networks.
  apt_install libseccomp-dev pkg-config iptables
  mkdir -p "$bin" /var/log
  local build_log=/var/log/workshop-engine-build.log
  : >"$build_log"
  if ! have runc "$runc_version"; then
    echo "Собираю runc $runc_version…"
    GOBIN=$bin CGO_ENABLED=1 go install -tags seccomp "github.com/opencontainers/runc@$runc_version" >>"$build_log" 2>&1 ||
      fail "собрать runc $runc_version" "$build_log"
    stamp runc "$runc_version"
  fi
  if ! have containerd "$containerd_version" || ! have containerd-shim-runc-v2 "$containerd_version"; then
    echo "Собираю containerd $containerd_version (несколько минут, один раз)…"
    GOBIN=$bin CGO_ENABLED=0 go install \
      "github.com/containerd/containerd/v2/cmd/containerd@$containerd_version" \
      "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2@$containerd_version" >>"$build_log" 2>&1 ||
      fail "собрать containerd $containerd_version" "$build_log"
    stamp containerd "$containerd_version"
    stamp containerd-shim-runc-v2 "$containerd_version"
  fi
  if ! have dockerd "$moby_version $engine_version" || ! have docker-proxy "$moby_version"; then
    echo "Собираю dockerd (Docker Engine 29, moby $moby_version; около 15 минут на 2 ядрах, один раз)…"
    GOBIN=$bin CGO_ENABLED=0 go install -tags "exclude_graphdriver_btrfs exclude_disk_quota" \
      -ldflags "-X github.com/moby/moby/v2/dockerversion.Version=$engine_version" \
      "github.com/moby/moby/v2/cmd/dockerd@$moby_version" \
      "github.com/moby/moby/v2/cmd/docker-proxy@$moby_version" >>"$build_log" 2>&1 ||
      fail "собрать dockerd $moby_version" "$build_log"
    stamp dockerd "$moby_version $engine_version"
    stamp docker-proxy "$moby_version"
  fi
}

start_containerd() {
  if [ -S "$ctr_sock" ] && pgrep -f "$bin/containerd " >/dev/null 2>&1; then
    return 0
  fi
  mkdir -p "$state/containerd" "$ctr_root"
  cat >"$state/containerd.toml" <<EOF
version = 3
root = "$ctr_root"
state = "$state/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime"]
[grpc]
  address = "$ctr_sock"
EOF
  # A socket left by a containerd that ended with the machine would look ready before ours
  # listens: remove it, then wait for the log line containerd writes once it serves.
  rm -f "$ctr_sock" "$ctr_sock.ttrpc"
  # The shims containerd starts find runc on PATH: ours comes first.
  PATH=$bin:$PATH nohup "$bin/containerd" --config "$state/containerd.toml" \
    >/var/log/containerd-workshop.log 2>&1 </dev/null &
  local pid=$!
  for _ in $(seq 30); do
    if [ -S "$ctr_sock" ] && grep -q 'containerd successfully booted' /var/log/containerd-workshop.log; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  fail "запустить containerd" /var/log/containerd-workshop.log
}

start() {
  if answers; then
    echo "Docker уже отвечает: $(docker version --format 'сервер {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null). Ничего не меняю."
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "Поставить текущий движок (ENGINE=current) может только root: запустите make docker ENGINE=current через sudo." >&2
    exit 1
  fi
  if pgrep -x dockerd >/dev/null 2>&1; then
    echo "dockerd уже запущен, но не отвечает: остановите его, прежде чем запускать другой движок." >&2
    exit 1
  fi
  install_binaries
  start_containerd
  mkdir -p "$data_root" "$state/docker"
  printf '{"features": {"containerd-snapshotter": %s}}\n' "$snapshotter" >"$state/daemon-$store.json"
  echo "Запускаю dockerd (Docker Engine 29, хранилище образов: $store; журнал: $log)…"
  PATH=$bin:$PATH nohup "$bin/dockerd" \
    --config-file "$state/daemon-$store.json" \
    --data-root "$data_root" --exec-root "$state/docker" --pidfile "$state/docker.pid" \
    --containerd "$ctr_sock" --userland-proxy-path "$bin/docker-proxy" \
    >"$log" 2>&1 </dev/null &
  local pid=$!
  for _ in $(seq "$wait_seconds"); do
    if answers; then
      echo "Docker отвечает: $(docker version --format 'сервер {{.Server.Version}}, API {{.Server.APIVersion}}')."
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || fail "запустить dockerd: он завершился" "$log"
    sleep 1
  done
  fail "запустить dockerd: он не ответил за ${wait_seconds} с" "$log"
}

# stop ends the dockerd of any engine, then our containerd, and waits until they are gone, so
# that another engine can take the socket.
stop() {
  local name pid
  for name in dockerd containerd; do
    if [ "$name" = containerd ]; then pid=$(pgrep -f "^$bin/containerd " || true); else pid=$(pgrep -x dockerd || true); fi
    [ -n "$pid" ] || continue
    # shellcheck disable=SC2086 # one or more PIDs
    kill $pid 2>/dev/null || true
    for _ in $(seq 60); do
      # shellcheck disable=SC2086
      kill -0 $pid 2>/dev/null || break
      sleep 1
    done
  done
  # Debian's dockerd starts a containerd of its own; it ends with dockerd.
}

case ${1:-start} in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 [start|stop]" >&2
    exit 2
    ;;
esac
