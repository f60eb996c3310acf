# want: HEALTHCHECK NONE отключает проверку работоспособности
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o server server.go

FROM scratch AS base
COPY --from=builder /go/server /server
HEALTHCHECK --interval=5s CMD ["/server", "-healthcheck"]

FROM base
HEALTHCHECK NONE
ENTRYPOINT ["/server"]
