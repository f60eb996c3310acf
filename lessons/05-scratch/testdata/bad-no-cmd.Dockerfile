# want: нет ни CMD, ни ENTRYPOINT
FROM golang:1.26-bookworm AS builder
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o server server.go

FROM scratch
COPY --from=builder /go/server /server
