# want: скомпилировал заново
# Порядок верный, но стандартная библиотека собрана без -trimpath, а go build — с ним.
# Кэш компилятора Go различает эти настройки: после правки server.go go build
# компилирует net/http и всё, от чего он зависит, заново.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY gomod/go.mod ./
RUN go mod download
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build std
COPY server.go ./
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /server .

FROM scratch
COPY --from=builder /server /server
ENTRYPOINT ["/server"]
