# want: собран с таблицей символов
FROM golang:1.26-bookworm AS builder
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 go build -o server server.go

FROM scratch
WORKDIR /go
COPY --from=builder /go/server .
EXPOSE 8080
CMD ["./server"]
