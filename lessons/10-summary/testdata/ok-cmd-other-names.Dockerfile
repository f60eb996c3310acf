# Другие имена этапов, флаги go build через ENV, другой каталог и CMD вместо ENTRYPOINT,
# HEALTHCHECK с относительным путём (Docker выполняет его в WORKDIR), сертификаты и база
# часовых поясов из этапа сборки — после бинарника. Начало этапа сборки совпадает с эталоном,
# чтобы слой со стандартной библиотекой взялся из кэша сборки.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
WORKDIR /build
ARG TARGETOS TARGETARCH
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath std
COPY server.go .
ENV CGO_ENABLED=0 GOFLAGS=-trimpath
ARG VERSION
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -ldflags="-s -w -X main.version=$VERSION" -o /out/app server.go

FROM scratch AS release
ARG VERSION
LABEL org.opencontainers.image.version=$VERSION
WORKDIR /app
COPY --from=build /out/app .
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /usr/share/zoneinfo/ /usr/share/zoneinfo/
USER 65532:65532
HEALTHCHECK --interval=5s --timeout=2s CMD ["./app", "-healthcheck"]
CMD ["./app"]
