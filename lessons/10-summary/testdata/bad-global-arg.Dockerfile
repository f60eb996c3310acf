# want: ARG VERSION объявлен только до первого FROM
ARG VERSION=dev
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
WORKDIR /build
ARG TARGETOS TARGETARCH
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath std
COPY server.go .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /build/server server.go

FROM scratch
ARG VERSION=dev
LABEL org.opencontainers.image.title="go-docker-workshop server" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://github.com/go-docker-workshop/workshop"
COPY --from=builder /build/server /server
USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["/server", "-healthcheck"]
ENTRYPOINT ["/server"]
