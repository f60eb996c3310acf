# Переменная в фигурных скобках, сборка в heredoc-блоке RUN (синтаксис BuildKit).
FROM --platform=${BUILDPLATFORM} golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
RUN <<EOF
set -e
export CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH
go build -o server server.go
EOF

FROM scratch
COPY --from=builder /go/server /server
ENTRYPOINT ["/server"]
