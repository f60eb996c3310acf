# want: запускает сервер через go run
# Nothing is built: the container compiles server.go on every start, and PID 1 is the go tool.
# It answers like the right image, so only the Dockerfile shows it.
FROM golang:1.26-bookworm
WORKDIR /go
COPY server.go .
EXPOSE 8080
CMD ["go", "run", "server.go"]
