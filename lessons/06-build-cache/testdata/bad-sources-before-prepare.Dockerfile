# want: COPY server.go ./ (строка 7) копирует исходники раньше подготовки: RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath std (строка 8)
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY gomod/go.mod ./
RUN go mod download
COPY server.go ./
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath std
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /server .

FROM scratch
COPY --from=builder /server /server
ENTRYPOINT ["/server"]
