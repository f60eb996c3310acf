# Known files for the course's size measure: 1000 + 234 bytes and a symlink to "a" (1 byte)
# in the first layer, 1000 bytes in the second that overwrite /data/b. Both layers count.
FROM scratch
COPY size/ /data/
COPY size/a /data/b
