# Другой непривилегированный пользователь, глобальный ARG VERSION со значением по умолчанию,
# повторённый в обоих этапах, сертификаты для HTTPS, база часовых поясов, встроенная в
# бинарник (-tags timetzdata) вместо /usr/share/zoneinfo, и ENTRYPOINT вместе с CMD.
ARG VERSION=0.0.0-dev
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
WORKDIR /build
ARG TARGETOS TARGETARCH
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath std
COPY server.go .
ARG VERSION
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -tags timetzdata -ldflags="-s -w -X main.version=${VERSION}" -o /build/server server.go

FROM scratch
ARG VERSION
LABEL org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /build/server /usr/local/bin/server
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=2 \
    CMD ["/usr/local/bin/server", "-healthcheck"]
ENTRYPOINT ["/usr/local/bin/server"]
CMD []
