# want: нет ни CMD, ни ENTRYPOINT
FROM golang:1.26-bookworm
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o server server.go
EXPOSE 8080
