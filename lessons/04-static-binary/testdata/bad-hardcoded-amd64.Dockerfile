# want: GOARCH=amd64 вписан жёстко
FROM golang:1.26-bookworm AS builder
WORKDIR /go
COPY server.go .
RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o server server.go

FROM scratch
COPY --from=builder /go/server /server
ENTRYPOINT ["/server"]
