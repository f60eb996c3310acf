# An image whose HEALTHCHECK would run its first probe only after an hour: RunOptions.HealthInterval
# must make Docker run the same probe every second.
FROM debian:bullseye-slim
HEALTHCHECK --interval=1h --timeout=5s --retries=2 CMD ["test", "-d", "/"]
CMD ["sleep", "infinity"]
