# want: интервал 5 мин
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o server server.go

FROM scratch
COPY --from=builder /go/server /server
HEALTHCHECK --interval=5m --timeout=2s CMD ["/server", "-healthcheck"]
ENTRYPOINT ["/server"]
