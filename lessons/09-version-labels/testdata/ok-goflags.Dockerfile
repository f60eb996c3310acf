# Флаги go build через переменную окружения GOFLAGS, а не в строке RUN. Значение из ARG
# подставляет сам Docker, когда выполняет ENV. Внимание: -ldflags в самой команде go build
# заменил бы -ldflags из GOFLAGS целиком, поэтому в RUN его нет.
FROM golang:1.26-bookworm AS compile
ARG VERSION=dev
ENV CGO_ENABLED=0 \
    GOFLAGS="-trimpath '-ldflags=-s -w -X=main.version=${VERSION}'"
WORKDIR /src
COPY server.go .
RUN go build -o /out/server server.go

FROM scratch
ARG VERSION=dev
LABEL org.opencontainers.image.version=$VERSION
COPY --from=compile /out/server /server
ENTRYPOINT ["/server"]
