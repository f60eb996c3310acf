# want: не завершился по SIGTERM
# Exec form on paper, but the program is a shell: sh is PID 1, ignores SIGTERM and does not
# pass it on, so docker stop waits and kills the container (exit code 137).
FROM golang:1.26-bookworm
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o server server.go
EXPOSE 8080
CMD ["sh", "-c", "./server"]
