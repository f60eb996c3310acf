# want: компилятор сам окажется arm64
FROM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o server server.go

FROM scratch
COPY --from=builder /go/server /server
ENTRYPOINT ["/server"]
