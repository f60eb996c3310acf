# want: тег latest
FROM golang:latest
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o server server.go
EXPOSE 8080
CMD ["./server"]
