# want: убил контейнер (код выхода 137)
# Exec form on paper, but PID 1 is a shell: sh ignores SIGTERM and does not pass it on, so the
# graceful server never hears it and docker stop kills the container after 10 s.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o server server.go

FROM debian:bullseye-slim
COPY --from=builder /go/server /server
ENTRYPOINT ["sh", "-c", "echo запускаю сервер; /server"]
