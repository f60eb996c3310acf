# want: образ задаёт STOPSIGNAL SIGQUIT
# STOPSIGNAL copied from an nginx image: for nginx SIGQUIT is its graceful stop, for a Go program
# it is a crash with a goroutine dump and exit code 2.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o server server.go

FROM scratch
COPY --from=builder /go/server /server
USER 65532:65532
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/server"]
