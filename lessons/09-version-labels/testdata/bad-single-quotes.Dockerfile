# want: в одинарных кавычках оболочка не подставляет переменные
# -ldflags in single quotes: the shell passes ${VERSION} to the linker as it is, and
# GET /version answers {"version":"${VERSION}"}.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags='-s -w -X main.version=${VERSION}' -o server server.go

FROM scratch
COPY --from=builder /go/server /server
USER 65532:65532
ARG VERSION=dev
LABEL org.opencontainers.image.version=$VERSION
ENTRYPOINT ["/server"]
