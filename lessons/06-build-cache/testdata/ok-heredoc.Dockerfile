# Подготовка одним heredoc-блоком RUN (синтаксис BuildKit): go mod download и стандартная библиотека.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY gomod/go.mod ./
RUN <<EOF
set -e
go mod download
CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath std
EOF
COPY server.go ./
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /server .

FROM scratch
COPY --from=builder /server /server
USER 65532:65532
ENTRYPOINT ["/server"]
