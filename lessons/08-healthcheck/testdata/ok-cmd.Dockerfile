# Другой путь бинарника, CMD вместо ENTRYPOINT, только --interval (остальное — по умолчанию Docker).
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o server server.go

FROM scratch
COPY --from=builder /go/server /srv/server
HEALTHCHECK --interval=10s CMD ["/srv/server", "-healthcheck"]
CMD ["/srv/server"]
