# syntax=docker/dockerfile:1.99-workshop-missing
# A directive that names a frontend image no registry has: offline, the harness builds
# with the engine's own frontend and says so.
FROM debian:bullseye-slim
RUN echo directive > /from-directive
CMD ["cat", "/from-directive"]
