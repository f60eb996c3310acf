# want: версия вписана в Dockerfile вручную
# No ARG at all: the version from the README's example is typed into -X and into the label.
# A build with VERSION=1.2.3 looks right; any other version is ignored.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w -X main.version=1.2.3" -o server server.go

FROM scratch
COPY --from=builder /go/server /server
USER 65532:65532
EXPOSE 8080
LABEL org.opencontainers.image.version=1.2.3
ENTRYPOINT ["/server"]
