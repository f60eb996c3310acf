# Another correct single-stage image: the go tool by its full path, the binary in a directory
# on PATH and CMD with a bare name, found as Docker finds it. The checks judge the result.
FROM golang:1.26-bookworm
WORKDIR /src
COPY server.go .
RUN CGO_ENABLED=0 /usr/local/go/bin/go build -o /usr/local/bin/server server.go
EXPOSE 8080
CMD ["server"]
