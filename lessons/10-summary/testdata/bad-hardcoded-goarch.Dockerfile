# want: GOARCH=amd64 вписан жёстко
# Этап сборки. Тег закреплён (урок 2), этап отдельный (урок 3), Go работает на платформе
# сборки и компилирует под целевую (урок 4).
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
WORKDIR /build
ARG TARGETOS TARGETARCH
# Кэш сборки (урок 6): сначала то, что меняется редко. Этот слой компилирует стандартную
# библиотеку с теми же флагами, что и сервер, и сохраняет её в кэше компилятора Go. Правка
# server.go его не трогает, и пересборка компилирует только сам сервер.
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath std
COPY server.go .
# Версия (урок 9). ARG объявлен внутри этапа — ARG до первого FROM здесь не виден — и как
# можно ниже: новое значение VERSION сбрасывает кэш только начиная с первого RUN после ARG.
ARG VERSION=dev
# Статический бинарник без путей машины сборки, таблицы символов и DWARF (уроки 4 и 5);
# -X main.version записывает версию в переменную version пакета main.
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=amd64 \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /build/server server.go

# Финальный этап: пустой образ, в нём только бинарник (урок 5).
FROM scratch
# ARG из этапа сборки сюда не переходит: для метки его объявляют ещё раз.
ARG VERSION=dev
# Метки OCI (урок 9): что это за образ, какая версия, откуда исходники.
LABEL org.opencontainers.image.title="go-docker-workshop server" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://github.com/go-docker-workshop/workshop"
COPY --from=builder /build/server /server
# Непривилегированный пользователь числами: в scratch нет /etc/passwd (урок 5).
USER 65532:65532
EXPOSE 8080
# Проверка работоспособности (урок 8) в exec-форме: в scratch нет ни оболочки, ни curl,
# поэтому сервер проверяет себя сам.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["/server", "-healthcheck"]
# Exec-форма: сервер — PID 1 и сам получает SIGTERM от docker stop (уроки 2 и 7).
ENTRYPOINT ["/server"]
