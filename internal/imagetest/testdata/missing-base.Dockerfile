# A base image that exists nowhere: no pull can succeed.
FROM workshop-missing/base-image:0.0.0
CMD ["true"]
