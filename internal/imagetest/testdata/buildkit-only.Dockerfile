# Only BuildKit builds this: $BUILDPLATFORM and TARGETARCH, a cache mount and a heredoc.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY app/main.go .
RUN --mount=type=cache,target=/root/.cache/go-build <<EOT
set -e
CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /app main.go
echo "built for $TARGETOS/$TARGETARCH on $BUILDPLATFORM"
EOT

FROM scratch
COPY --from=build /app /app
ENTRYPOINT ["/app"]
