# want: ни одна инструкция RUN не собирает сервер
# The build step is forgotten: the image holds the source only, and ./server does not exist.
FROM golang:1.26-bookworm
WORKDIR /go
COPY server.go .
EXPOSE 8080
CMD ["./server"]
