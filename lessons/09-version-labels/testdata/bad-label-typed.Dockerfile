# want: метка org.opencontainers.image.version="1.2.3" — как и при VERSION=1.2.3
# The binary takes the version from ARG VERSION, the label has it typed by hand. The build
# stage is the reference's, line for line: its layers come from the build cache.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o server server.go

FROM scratch
COPY --from=builder /go/server /server
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/server"]
LABEL org.opencontainers.image.version="1.2.3"
