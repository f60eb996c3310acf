#!/usr/bin/env bash
# Makes every base image that the course's Dockerfiles name exist locally.
# Where a registry answers, images are pulled. Where none does (an air-gapped classroom),
# stand-ins are built from Debian packages: debian:<suite>-slim from a trimmed minbase,
# golang:<version>-<suite> from Debian plus the build tools of the official image and the
# host's own Go toolchain. Stand-ins carry the label workshop.standin=true.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work=${IMAGES_WORKDIR:-/var/tmp/workshop-images}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

docker_cli() { docker "$@"; }

# base_images prints the images named in FROM lines of every Dockerfile of the course,
# without stage names, scratch and references built from ARGs. Exercise starters are left
# out: they are unfinished on purpose (lesson 02's names bare "golang" until the student pins it).
base_images() {
  # shellcheck disable=SC2016 # the awk program is meant to stay unexpanded
  find "$root" -name '*Dockerfile*' -type f -not -path '*/.git/*' -not -path '*/testdata/*' -not -path '*/exercise/*' -print0 |
    xargs -0 awk '
      toupper($1) == "FROM" {
        img = ""
        for (i = 2; i <= NF; i++) { if ($i !~ /^--/) { img = $i; break } }
        for (i = 2; i < NF; i++) { if (toupper($i) == "AS") stages[tolower($(i+1))] = 1 }
        if (img != "" && img != "scratch" && img !~ /\$/ && !(tolower(img) in stages)) print img
      }' | sort -u
}

registry_answers() {
  [ "${WORKSHOP_STANDINS:-}" = 1 ] && return 1
  # An HTTP answer of any code (401 is normal) means the registry is reachable; a closed
  # network fails at once on DNS or connect, so this does not wait on a long timeout.
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --connect-timeout 3 --max-time 5 \
    https://registry-1.docker.io/v2/ 2>/dev/null || true)
  [ -n "$code" ] && [ "$code" != 000 ]
}

trim_rootfs() {
  local dir=$1
  rm -rf "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* \
    "$dir"/usr/share/locale/* "$dir"/usr/share/lintian "$dir"/var/lib/apt/lists/* \
    "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb "$dir"/var/log/*.log \
    "$dir"/var/cache/debconf/*-old "$dir"/tmp/*
}

# need_debootstrap installs debootstrap once, before the stand-ins are built side by side:
# two apt-get runs at the same time would fight over the dpkg lock. apt waits for a lock
# that another process (unattended upgrades, a user's apt) holds instead of failing.
need_debootstrap() {
  command -v debootstrap >/dev/null 2>&1 && return 0
  echo "Устанавливаю debootstrap…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq debootstrap >/dev/null
}

debootstrap_suite() { # suite dir [packages]
  local suite=$1 dir=$2 include=${3:-}
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "debootstrap $suite → $dir (1–3 мин)…"
  debootstrap --variant=minbase ${include:+--include="$include"} "$suite" "$dir" "$mirror" \
    >"$dir.log" 2>&1 || {
    echo "debootstrap $suite завершился с ошибкой, последние строки $dir.log:" >&2
    tail -n 15 "$dir.log" >&2
    return 1
  }
  trim_rootfs "$dir"
}

standin_debian() { # image suite
  local image=$1 suite=$2 dir="$work/debian-$2"
  debootstrap_suite "$suite" "$dir"
  tar -C "$dir" -c . | docker_cli import \
    --change 'CMD ["bash"]' \
    --change "LABEL workshop.standin=true workshop.standin.for=$image org.opencontainers.image.description=\"Stand-in for $image built locally with debootstrap (minbase, trimmed)\"" \
    - "$image" >/dev/null
  rm -rf "$dir"
}

standin_golang() { # image version suite
  local image=$1 version=$2 suite=$3 dir="$work/golang-$3"
  local goroot hostver
  goroot=$(go env GOROOT)
  hostver=$(go env GOVERSION)
  hostver=${hostver#go}
  case "$hostver" in
    "$version" | "$version".*) ;;
    *)
      echo "Образ $image нужен с Go $version, а на этой машине Go $hostver." >&2
      echo "Подмену собирают из Go этой машины: установите Go $version или поменяйте тег в Dockerfile." >&2
      return 1
      ;;
  esac
  debootstrap_suite "$suite" "$dir" ca-certificates,gcc,libc6-dev,git,make,pkg-config,netbase,openssh-client
  mkdir -p "$dir/usr/local" "$dir/go/bin" "$dir/go/src"
  cp -a "$goroot" "$dir/usr/local/go"
  rm -rf "$dir/usr/local/go/pkg/obj" "$dir/usr/local/go/pkg/bench"
  tar -C "$dir" -c . | docker_cli import \
    --change 'ENV GOLANG_VERSION='"$hostver" \
    --change 'ENV GOTOOLCHAIN=local' \
    --change 'ENV GOPATH=/go' \
    --change 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'WORKDIR /go' \
    --change 'CMD ["bash"]' \
    --change "LABEL workshop.standin=true workshop.standin.for=$image org.opencontainers.image.description=\"Stand-in for $image: Debian $suite minbase, gcc, libc6-dev, git and the host's Go $hostver\"" \
    - "$image" >/dev/null
  rm -rf "$dir"
}

# standin_frontend packs BuildKit's Dockerfile frontend, built from this module's own
# dependency (cmd/dockerfile-frontend), as docker/dockerfile:1: the image a `# syntax=` line
# names, and the one the harness asks an engine older than Docker 23 to build with.
standin_frontend() { # image
  local image=$1 dir="$work/frontend"
  rm -rf "$dir"
  mkdir -p "$dir/bin"
  echo "собираю фронтенд Dockerfile (BuildKit) для $image (около минуты)…"
  (cd "$root" && CGO_ENABLED=0 go build -trimpath -tags "netgo static_build osusergo" -ldflags "-s -w" \
    -o "$dir/bin/dockerfile-frontend" ./cmd/dockerfile-frontend)
  tar -C "$dir" -c bin | docker_cli import \
    --change 'ENTRYPOINT ["/bin/dockerfile-frontend"]' \
    --change 'LABEL moby.buildkit.frontend.network.none="true" moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts"' \
    --change "LABEL workshop.standin=true workshop.standin.for=$image org.opencontainers.image.description=\"Stand-in for $image: BuildKit's Dockerfile frontend built from github.com/moby/buildkit\"" \
    - "$image" >/dev/null
  rm -rf "$dir"
}

build_standin() {
  local image=$1
  case "$image" in
    docker/dockerfile:1) standin_frontend "$image" ;;
    debian:bullseye-slim | debian:bullseye) standin_debian "$image" bullseye ;;
    debian:bookworm-slim | debian:bookworm) standin_debian "$image" bookworm ;;
    golang:*-bookworm | golang:*-bullseye)
      local tag=${image#golang:}
      standin_golang "$image" "${tag%-*}" "${tag##*-}"
      ;;
    golang:[0-9]*) standin_golang "$image" "${image#golang:}" bookworm ;;
    *)
      echo "Не знаю, как собрать подмену для $image без реестра." >&2
      echo "Загрузите его заранее (make images-load) или замените в Dockerfile на один из: debian:bullseye-slim, golang:<версия>-bookworm." >&2
      return 1
      ;;
  esac
}

main() {
  docker_cli info >/dev/null 2>&1 || {
    echo "Docker не отвечает: сначала выполните make docker." >&2
    exit 1
  }
  mkdir -p "$work"
  local images missing=() image
  # docker/dockerfile:1 is the frontend of `# syntax=docker/dockerfile:1` lines.
  images="$(base_images) docker/dockerfile:1"
  for image in $images; do
    if docker_cli image inspect "$image" >/dev/null 2>&1; then
      echo "есть: $image"
    else
      missing+=("$image")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  if registry_answers; then
    for image in "${missing[@]}"; do
      echo "загружаю из реестра: $image"
      docker_cli pull -q "$image" >/dev/null
    done
    return 0
  fi

  echo "Реестр недоступен: собираю подмены (stand-ins) базовых образов из пакетов Debian."
  case " ${missing[*]} " in *" debian:"* | *" golang:"*) need_debootstrap ;; esac
  local pids=() failed=0
  for image in "${missing[@]}"; do
    build_standin "$image" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || exit 1
  for image in "${missing[@]}"; do
    # No size here: what inspect reports depends on the image store (see lesson 2);
    # `go run ./cmd/workshop size IMAGE` gives the course's measure.
    echo "подмена готова: $image"
  done
}

main "$@"
