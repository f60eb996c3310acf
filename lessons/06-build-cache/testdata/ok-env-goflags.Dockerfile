# Настройки финальной сборки заданы через ENV, а -trimpath — через GOFLAGS, и исходники
# копируются целиком: COPY . . (лишнее отсекает .dockerignore). Кэш компилятора Go судит
# по самим настройкам, а не по тому, как они записаны, поэтому подготовка подходит.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY gomod/go.mod ./
RUN go mod download
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath std
ENV CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOFLAGS=-trimpath
COPY . .
RUN go build -ldflags="-s -w" -o /server .

FROM scratch
COPY --from=builder /server /server
ENTRYPOINT ["/server"]
