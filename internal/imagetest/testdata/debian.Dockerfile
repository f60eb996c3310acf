# A file with known contents on a Debian base, to check files, exec and metadata.
FROM debian:bullseye-slim
WORKDIR /data
RUN printf 'hello from the image\n' > greeting.txt && chmod 0640 greeting.txt
ENV GREETING=hello
CMD ["sleep", "infinity"]
