# want: /usr/local/go
# Copies the builder's whole file system instead of the binary: the toolchain comes along.
FROM golang:1.26-bookworm AS builder
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o server server.go

FROM debian:bullseye-slim AS prod
COPY --from=builder / /
WORKDIR /go
EXPOSE 8080
CMD ["./server"]
