# COPY of a file that is not in the build context.
FROM debian:bullseye-slim
COPY does-not-exist.go .
