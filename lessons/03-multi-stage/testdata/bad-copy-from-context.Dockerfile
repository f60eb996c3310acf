# want: ничего не берёт из этапа сборки
FROM golang:1.26-bookworm AS builder
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o server server.go

FROM debian:bullseye-slim AS prod
WORKDIR /go
COPY server .
EXPOSE 8080
CMD ["./server"]
