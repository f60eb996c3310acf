# A static test server on scratch: no shell, one file, a label and a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY app/main.go .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /app main.go

FROM scratch
COPY --from=build /app /app
LABEL purpose=harness-test
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/app"]
