# Подготовка — в отдельном этапе deps, сборка — в этапе build, который начинается FROM deps.
# Другие имена этапов и каталоги, CMD вместо ENTRYPOINT. Строки до подготовки включительно
# совпадают с эталоном, поэтому кэш подготовки общий.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS deps
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY gomod/go.mod ./
RUN go mod download
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath std

FROM deps AS build
COPY server.go ./
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/server .

FROM scratch AS release
WORKDIR /app
COPY --from=build /out/server ./server
USER 65532:65532
CMD ["./server"]
