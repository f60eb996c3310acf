# want: BuildKit выполнил заново то, что стоит раньше COPY исходников
# go mod download видит весь контекст сборки через bind-монтирование, а в нём и server.go:
# правка сервера меняет ключ кэша этой RUN, и она выполняется заново после каждой правки.
# Верно — монтировать только go.mod: --mount=type=bind,source=gomod/go.mod,target=go.mod
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY gomod/go.mod ./
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath std
RUN --mount=type=bind,target=/ctx go mod download
COPY server.go ./
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /server .

FROM scratch
COPY --from=builder /server /server
USER 65532:65532
ENTRYPOINT ["/server"]
