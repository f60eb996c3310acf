# Другие имена этапов, флаги в ENV, свой рабочий каталог и относительный путь в CMD.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
ARG TARGETOS
ARG TARGETARCH
ENV CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH}
WORKDIR /src
COPY server.go .
RUN go build -o /out/app server.go

FROM scratch AS release
WORKDIR /app
COPY --from=build /out/app ./app
CMD ["./app"]
