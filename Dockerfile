# Многоэтапная сборка сервера: этап builder компилирует, этап prod только запускает.
# Подробный разбор каждой строки: ru/dockerfile.md.

# Этап 1 (builder): образ с инструментами Go. Тег закреплён: голый `golang` означает
# `golang:latest`, и завтра он может оказаться другой версией Go на другом Debian.
FROM golang:1.26-bookworm AS builder
WORKDIR /go
COPY server/server.go .
# CGO_ENABLED=0 даёт статический бинарник, которому не нужна libc финального образа;
# GOOS/GOARCH задают целевую платформу (здесь она жёстко amd64, см. ru/dockerfile.md).
RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o server server.go

# Этап 2 (prod): маленький базовый образ, в который попадает только бинарник.
FROM debian:bullseye-slim AS prod
WORKDIR /go
COPY --from=builder /go/server .
EXPOSE 8080
CMD ["./server"]
