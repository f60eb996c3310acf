# want: финальный этап всё ещё golang
FROM golang:1.26-bookworm AS builder
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o server server.go

FROM golang:1.26-bookworm AS prod
WORKDIR /go
COPY --from=builder /go/server .
EXPOSE 8080
CMD ["./server"]
