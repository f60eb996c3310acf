# want: ни один этап не объявляет ARG VERSION
# The argument is called APP_VERSION: --build-arg VERSION=1.2.3 reaches no ARG, and both the
# binary and the label keep the default, and the build does not fail. The check reads the
# Dockerfile for it: BuildKit does not warn about an unused --build-arg as the classic builder did.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
ARG APP_VERSION=dev
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w -X main.version=${APP_VERSION}" -o server server.go

FROM scratch
COPY --from=builder /go/server /server
USER 65532:65532
ARG APP_VERSION=dev
LABEL org.opencontainers.image.version=$APP_VERSION
ENTRYPOINT ["/server"]
