# want: хранит пути машины, где его собрали: /go/server.go
# -ldflags="-s -w" without -trimpath: the binary is stripped and small, but it still records
# the absolute path of every source file, /go/server.go and /usr/local/go/src/….
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -ldflags="-s -w" -o server server.go

FROM scratch
COPY --from=builder /go/server /server
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/server"]
