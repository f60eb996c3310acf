# Другие имена этапов и каталоги, CMD вместо ENTRYPOINT, глобальный ARG со значением по умолчанию,
# который финальный этап объявляет заново без значения, и ещё две метки OCI.
# Этап сборки повторяет эталон строка в строку: его слои берутся из кэша сборки.
ARG VERSION=dev

FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o server server.go

FROM scratch AS release
# ARG без значения берёт значение по умолчанию из глобального ARG VERSION=dev.
ARG VERSION
ARG REVISION=unknown
LABEL "org.opencontainers.image.version"="${VERSION}" \
      org.opencontainers.image.revision=$REVISION \
      org.opencontainers.image.title="workshop server"
WORKDIR /app
COPY --from=build /go/server ./app
USER 65532:65532
CMD ["./app"]
