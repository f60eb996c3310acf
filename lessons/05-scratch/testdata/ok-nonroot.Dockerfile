# Другие имена этапов и каталоги, USER и ENTRYPOINT + CMD, а ещё то, что понадобится серверу,
# который ходит по HTTPS и работает с часовыми поясами: сертификаты и база часовых поясов.
FROM golang:1.26-bookworm AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY server.go .
# -tags timetzdata встраивает базу часовых поясов в бинарник (около 400 КБ).
RUN go build -trimpath -ldflags="-s -w" -tags timetzdata -o /out/app server.go

FROM scratch AS release
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
WORKDIR /app
COPY --from=build /out/app .
USER 65532:65532
ENTRYPOINT ["./app"]
CMD []
