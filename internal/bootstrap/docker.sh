#!/usr/bin/env bash
# Makes sure a Docker daemon answers. Idempotent: does nothing when `docker info` works.
# On Debian/Ubuntu as root it installs docker.io and starts dockerd in the background, or,
# with ENGINE=current, builds and starts a current Docker Engine (engine.sh);
# elsewhere it explains how to get Docker. Messages are for students, so they are Russian.
set -euo pipefail

engine=${ENGINE:-debian}
case $engine in
  debian | current) ;;
  *)
    echo "ENGINE=$engine: такого варианта нет. Возможные значения: debian (docker.io из пакетов Debian, по умолчанию) или current (текущий Docker Engine из исходников)." >&2
    exit 2
    ;;
esac

log=${DOCKERD_LOG:-/var/log/dockerd-workshop.log}
wait_seconds=${DOCKERD_WAIT:-60}

docker_cli() { docker "$@"; }

answers() { command -v docker >/dev/null 2>&1 && docker_cli info >/dev/null 2>&1; }

if answers; then
  echo "Docker отвечает: $(docker_cli version --format 'сервер {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null || echo 'версия неизвестна')."
  exit 0
fi

if [ -n "${DOCKER_HOST:-}" ]; then
  case $DOCKER_HOST in
    unix:///var/run/docker.sock | unix:///run/docker.sock) ;; # the default socket: start dockerd below
    unix://*)
      sock=${DOCKER_HOST#unix://}
      if [ -S "$sock" ]; then
        echo "Docker по адресу DOCKER_HOST=${DOCKER_HOST} не отвечает: сокет есть, но движок за ним молчит." >&2
      else
        echo "По адресу DOCKER_HOST=${DOCKER_HOST} никто не слушает: файла сокета $sock нет." >&2
      fi
      echo "Уберите переменную (unset DOCKER_HOST), чтобы работать с локальным Docker, или запустите движок, который она называет." >&2
      exit 1
      ;;
    *)
      echo "Docker по адресу DOCKER_HOST=${DOCKER_HOST} не отвечает." >&2
      echo "Проверьте, что удалённый демон запущен и доступен, или уберите DOCKER_HOST, чтобы работать с локальным." >&2
      exit 1
      ;;
  esac
fi

debian_like=false
if [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; then
  debian_like=true
fi

if [ "$(id -u)" != 0 ] || [ "$debian_like" != true ]; then
  cat >&2 <<'MSG'
Docker не отвечает (`docker info` завершилась с ошибкой), а установить его сам этот скрипт может
только на Debian/Ubuntu от имени root. Установите и запустите Docker одним из способов:
  - macOS, Windows: Docker Desktop (https://docs.docker.com/desktop/) или Colima (`colima start`);
  - Linux: пакет docker.io или docker-ce, затем `sudo systemctl start docker`
    и `sudo usermod -aG docker $USER` (после этого перезайдите в систему).
Podman не подходит: проверки собирают образы через сеанс BuildKit, которого в его API нет.
Потом снова выполните `make docker`.
MSG
  exit 1
fi

if [ "$engine" = current ]; then
  exec bash "$(dirname "$0")/engine.sh" start
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "Устанавливаю docker.io из пакетов Debian…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "Запускаю dockerd в фоне (журнал: $log)…"
  mkdir -p "$(dirname "$log")"
  nohup dockerd >"$log" 2>&1 </dev/null &
fi

for _ in $(seq "$wait_seconds"); do
  if answers; then
    echo "Docker отвечает: $(docker_cli version --format 'сервер {{.Server.Version}}, API {{.Server.APIVersion}}')."
    exit 0
  fi
  sleep 1
done

echo "dockerd не ответил за ${wait_seconds} с. Последние строки журнала $log:" >&2
tail -n 20 "$log" >&2 || true
exit 1
