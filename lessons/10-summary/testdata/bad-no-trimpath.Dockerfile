# want: хранит пути машины, где его собрали: /build/server.go
# -ldflags="-s -w" without -trimpath: stripped and small, but the binary still records the
# absolute path of every source file.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
WORKDIR /build
ARG TARGETOS TARGETARCH
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build std
COPY server.go .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -ldflags="-s -w -X main.version=${VERSION}" -o /build/server server.go

FROM scratch
ARG VERSION=dev
LABEL org.opencontainers.image.version="${VERSION}"
COPY --from=builder /build/server /server
USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["/server", "-healthcheck"]
ENTRYPOINT ["/server"]
