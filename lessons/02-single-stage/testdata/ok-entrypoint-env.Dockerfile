# Another correct single-stage image: flags in ENV, another WORKDIR, ENTRYPOINT instead of CMD,
# a digest-free but pinned tag. The checks judge the result, not the spelling.
FROM golang:1.26-bookworm
ENV CGO_ENABLED=0 GOOS=linux GOARCH=amd64
WORKDIR /app
COPY server.go ./
RUN go build -o /app/server ./server.go
EXPOSE 8080
ENTRYPOINT ["/app/server"]
