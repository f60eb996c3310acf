# HEALTHCHECK унаследован из более раннего этапа, путь относительный (от WORKDIR), ENTRYPOINT + CMD,
# свой интервал и число попыток, без стартового периода; флаги на отдельной строке.
# Этап сборки совпадает с эталоном строка в строку: его слои берутся из кэша сборки.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o server server.go

FROM scratch AS base
WORKDIR /app
COPY --from=builder /go/server ./app
HEALTHCHECK --interval=3s --timeout=1500ms --retries=5 \
    CMD ["./app", "-healthcheck"]

FROM base AS release
USER 65532:65532
ENTRYPOINT ["./app"]
CMD []
