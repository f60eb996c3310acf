# Another correct multi-stage build: stages named build and release, build flags in ENV,
# WORKDIR /app, ENTRYPOINT instead of CMD. The checks judge the result, not the spelling.
FROM golang:1.26-bookworm AS build
ENV CGO_ENABLED=0 GOOS=linux GOARCH=amd64
WORKDIR /app
COPY server.go ./
RUN go build -o /app/server ./server.go

FROM debian:bullseye-slim AS release
WORKDIR /app
COPY --from=build /app/server /app/server
EXPOSE 8080
ENTRYPOINT ["/app/server"]
