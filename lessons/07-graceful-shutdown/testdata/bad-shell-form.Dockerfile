# want: в shell-форме
# Shell form: Docker would run /bin/sh -c "/server" — in scratch there is no shell at all.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o server server.go

FROM scratch
COPY --from=builder /go/server /server
ENTRYPOINT /server
