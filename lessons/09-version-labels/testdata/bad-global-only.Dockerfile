# want: объявлен только до первого FROM
ARG VERSION=dev

FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o server server.go

FROM scratch
COPY --from=builder /go/server /server
LABEL org.opencontainers.image.version=$VERSION
ENTRYPOINT ["/server"]
