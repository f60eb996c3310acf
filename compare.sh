#!/usr/bin/env bash
# compare.sh builds the single-stage (Dockerfile.single) and the multi-stage (Dockerfile)
# images, starts both, checks that they answer alike and prints a table: size, layers,
# build time, start-to-ready time, and the size ratio. It removes its containers on exit.
# The script only runs docker and times it; the course's Go code (bin/workshop size
# --compare) measures the images, as the checks and the bench do, and writes every number.
#
# Usage: ./compare.sh [--no-cache]
#   --no-cache   cold builds (no layer cache), the time a first build takes
set -euo pipefail

cd "$(dirname "$0")"

no_cache=()
case "${1:-}" in
  --no-cache) no_cache=(--no-cache) ;;
  "") ;;
  -h | --help)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "Неизвестный аргумент: $1. Использование: ./compare.sh [--no-cache]" >&2
    exit 2
    ;;
esac

docker_cli() { docker "$@"; }

# steps turns BuildKit's plain progress into one line per finished step:
# "  ✓ [builder 4/4] RUN go build … 12.3s", "  · [builder 2/4] WORKDIR /go CACHED".
steps() {
  awk '
    match($0, /^#[0-9]+ /) {
      id = substr($0, 1, RLENGTH - 1); rest = substr($0, RLENGTH + 1)
      if (rest ~ /^\[/) { name[id] = rest; next }
      if (rest ~ /^DONE / && name[id] != "" && name[id] !~ /^\[internal\]/) { print "  ✓ " name[id] " " substr(rest, 6); fflush() }
      if (rest == "CACHED" && name[id] != "") { print "  · " name[id] " CACHED"; fflush() }
    }'
}

if ! docker_cli info >/dev/null 2>&1; then
  echo "Docker не отвечает. Запустите его: make docker (или Docker Desktop / Colima) и повторите." >&2
  exit 1
fi

now_ms() { date +%s%3N; }

# The course's CLI measures the images; it is built into bin/ as make builds it.
go build -o bin/workshop ./cmd/workshop
workshop() { bin/workshop "$@"; }

containers=()
cleanup() {
  if [ ${#containers[@]} -gt 0 ]; then
    docker_cli rm -f "${containers[@]}" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

declare -A build_ms ready_ms port

build() { # name dockerfile
  local name=$1 file=$2 start log
  log=$(mktemp)
  start=$(now_ms)
  echo "Собираю $file (docker build -f $file .):"
  if ! docker_cli build --progress=plain "${no_cache[@]}" --label workshop.lesson=root -f "$file" -t "workshop/compare:$name" . 2>&1 |
    tee "$log" | steps; then
    echo "Образ из $file не собрался. Последние строки журнала сборки:" >&2
    tail -n 15 "$log" >&2
    echo "Подсказка: исправьте шаг, на котором остановилась сборка; базовые образы ставит make images." >&2
    rm -f "$log"
    exit 1
  fi
  build_ms[$name]=$(($(now_ms) - start))
  rm -f "$log"
}

start() { # name
  local name=$1 id t0 p
  t0=$(now_ms)
  # Publish on loopback only, on a port Docker picks.
  id=$(docker_cli run -d --label workshop.test=true -p 127.0.0.1::8080 "workshop/compare:$name")
  containers+=("$id")
  p=$(docker_cli port "$id" 8080/tcp | head -n 1)
  p=${p##*:}
  port[$name]=$p
  for _ in $(seq 1000); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$p/healthz" 2>/dev/null; then
      ready_ms[$name]=$(($(now_ms) - t0))
      return 0
    fi
    sleep 0.01
  done
  echo "Контейнер $name не ответил на /healthz за 10 с. Журнал:" >&2
  docker_cli logs "$id" >&2 || true
  exit 1
}

echo "Собираю образы${no_cache:+ без кэша}…"
build single Dockerfile.single
build multi Dockerfile
echo "Запускаю контейнеры…"
start single
start multi

for path in / /healthz; do
  a=$(curl -sS -i "http://127.0.0.1:${port[single]}$path" | grep -v -i '^date:')
  b=$(curl -sS -i "http://127.0.0.1:${port[multi]}$path" | grep -v -i '^date:')
  if [ "$a" != "$b" ]; then
    echo "Образы отвечают на $path по-разному:" >&2
    diff <(echo "$a") <(echo "$b") >&2 || true
    exit 1
  fi
done
echo "Оба образа отвечают одинаково на / и /healthz."
echo

# The course's one measure, the same on every engine and the same number the checks and the
# bench show: the uncompressed size of all layers (what SIZE shows on the classic image
# store). The Go code measures it and lays out the table; this script hands it the times.
workshop size --compare \
  "workshop/compare:single,file=Dockerfile.single,build=${build_ms[single]}ms,ready=${ready_ms[single]}ms" \
  "workshop/compare:multi,file=Dockerfile,build=${build_ms[multi]}ms,ready=${ready_ms[multi]}ms"
if [ ${#no_cache[@]} -eq 0 ]; then
  echo "(время сборки с кэшем слоёв: этап builder в Dockerfile повторяет начало Dockerfile.single"
  echo " и берётся из кэша; холодная сборка каждого: ./compare.sh --no-cache)"
fi
standins=$(docker_cli image inspect -f '{{index .Config.Labels "workshop.standin"}}' golang:1.26-bookworm debian:bullseye-slim 2>/dev/null | grep -c true || true)
if [ "$standins" -gt 0 ]; then
  echo "Базовые образы здесь — локальные подмены (stand-ins): официальный golang:1.26-bookworm больше 800 МБ, так что с ним одноэтапный образ ещё крупнее."
fi
