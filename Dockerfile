# The spm registry server (`spm server start`) as a container image.
#
#   docker build -t spm-registry .
#   docker run -p 3717:3717 -v spm-data:/data spm-registry                # SQLite + files in /data
#   docker run -p 3717:3717 -e DATABASE_URL=postgres://user:pass@db:5432/spm \
#     -e STORAGE_TYPE=s3 -e S3_BUCKET=my-skills -e S3_ENDPOINT=https://s3.example.com \
#     -e S3_ACCESS_KEY_ID=... -e S3_SECRET_ACCESS_KEY=... spm-registry
#
# Where the base images cannot be pulled, build them locally (deploy/build-local-images.sh)
# and pass them in:
#   podman build --format docker --build-arg BUILDER_IMAGE=localhost/spm-builder:1.95 \
#     --build-arg BASE_IMAGE=localhost/spm-base:bookworm -t spm-registry .
# (podman's default OCI image format has no HEALTHCHECK; --format docker keeps it.)
ARG BUILDER_IMAGE=docker.io/library/rust:1.95-slim-bookworm
ARG BASE_IMAGE=docker.io/library/debian:bookworm-slim

FROM ${BUILDER_IMAGE} AS builder
WORKDIR /src
COPY . .
# Nothing links a system C library (TLS is rustls, SQLite is bundled), so the builder needs only
# a C compiler (for ring and SQLite), which the rust slim image has.
# The crate cache and the target folder are cache mounts: kept between builds, not in the image,
# so the binary is copied out in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release --locked -p spm-cli --features server \
 && install -D -m 0755 target/release/spm /out/spm

FROM ${BASE_IMAGE}
# curl for the health check (spm has no probe command) and ca-certificates for it and for
# operators' tools. spm's own TLS (S3, GitHub, PostgreSQL) trusts its built-in webpki roots,
# not the system store, so a private CA cannot be added here.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 spm \
 && useradd --uid 10001 --gid spm --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin spm \
 && mkdir -p /data \
 && chown spm:spm /data
COPY --from=builder /out/spm /usr/local/bin/spm

# Embedded mode by default: SQLite at /data/registry.db and blobs in /data/blobs (both follow
# SPM_DATA_DIR). DATABASE_URL, STORAGE_TYPE and STORAGE_ROOT are deliberately not set here:
# the environment beats spm.toml, so a default set here would override a mounted config file.
# A config file is read from /data/spm.toml, or from SPM_CONFIG.
# Other settings (S3_*, SPM_BOOTSTRAP_TOKEN, SPM_PUBLIC_URL, ...) are in the README.
# SPM_BIND makes `docker run spm-registry server start --port 8080` (a CMD of one's own) listen
# on all addresses too; the port is 3717 unless PORT or --port says otherwise.
ENV SPM_DATA_DIR=/data \
    SPM_BIND=0.0.0.0
VOLUME /data
WORKDIR /data
EXPOSE 3717
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT:-3717}/healthz" || exit 1
USER spm
ENTRYPOINT ["spm"]
CMD ["server", "start", "--bind", "0.0.0.0"]
