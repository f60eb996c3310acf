# want: -X main.Version
# Имя переменной в -X с другим регистром: компоновщик молча пропускает флаг, и версия остаётся dev.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w -X main.Version=${VERSION}" -o server server.go

FROM scratch
COPY --from=builder /go/server /server
ARG VERSION=dev
LABEL org.opencontainers.image.version=$VERSION
ENTRYPOINT ["/server"]
