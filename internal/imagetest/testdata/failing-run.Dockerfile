# A build whose third step fails: the harness must name that step.
FROM debian:bullseye-slim
WORKDIR /data
RUN echo "about to fail" && exit 3
CMD ["true"]
