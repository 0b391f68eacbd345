#!/usr/bin/env bash
# Makes the two local images the container test builds the Dockerfile with, where no base
# image can be pulled from a registry:
#
#   localhost/spm-base:bookworm   a Debian bookworm minbase made by debootstrap
#                                 (stands in for docker.io/library/debian:bookworm-slim)
#   localhost/spm-builder:1.95    that base + gcc, libc6-dev, pkg-config, ca-certificates and
#                                 the host's Rust toolchain copied in
#                                 (stands in for docker.io/library/rust:1.95-slim-bookworm)
#
# Then: podman build --format docker \
#         --build-arg BUILDER_IMAGE=localhost/spm-builder:1.95 \
#         --build-arg BASE_IMAGE=localhost/spm-base:bookworm -t spm-registry .
#
# Idempotent: an image that exists (and, for the builder, was made from the same toolchain
# and CA certificates) is kept. Prints SKIPPED and exits 0 where podman or debootstrap is
# missing (pass --install to apt-get them first). Needs root.
#
# It also writes /etc/containers/containers.conf.d/50-spm-local.conf when podman cannot run
# a container with its defaults (seen on a machine with cgroup v1 + a hybrid unified
# hierarchy, no systemd, and hard rlimits below podman's defaults): runtime runc (crun
# refuses hybrid cgroups), cgroupfs, file events, and default ulimits no higher than the
# host's hard limits.
#
# Environment: SPM_DEBIAN_MIRROR (default: the host's apt mirror, else deb.debian.org),
# SPM_TOOLCHAIN_SYSROOT (default: `rustc --print sysroot`), SPM_FORCE=1 rebuilds both.
set -euo pipefail

BASE_IMAGE=localhost/spm-base:bookworm
BUILDER_IMAGE=localhost/spm-builder:1.95
MIN_RUST=1.95
CONF_DROPIN=/etc/containers/containers.conf.d/50-spm-local.conf

log() { printf '[build-local-images] %s\n' "$*" >&2; }

if [ "${1:-}" = "--install" ]; then
  if ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null || ! command -v runc >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    pkgs="podman buildah debootstrap runc uidmap slirp4netns fuse-overlayfs"
    # shellcheck disable=SC2086
    apt-get install -y -q $pkgs >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && apt-get install -y -q $pkgs >/dev/null; } \
      || log "could not install $pkgs"
  fi
fi

for tool in podman debootstrap; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIPPED: $tool is not installed (apt-get install podman buildah debootstrap runc)"
    exit 0
  fi
done
if [ "$(id -u)" != 0 ]; then
  echo "SKIPPED: needs root (debootstrap and rootful podman)"
  exit 0
fi

# --- the Debian mirror this machine's apt uses -------------------------------------------
mirror="${SPM_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror=$(
    { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'
      grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'
    } | grep -E '/debian/?$' | head -1
  ) || true
  mirror="${mirror:-http://deb.debian.org/debian}"
fi
mirror="${mirror%/}"
security="${mirror%/debian}/debian-security"

# --- the base image -------------------------------------------------------------------------
make_base() {
  local root t0
  root=$(mktemp -d /var/tmp/spm-rootfs.XXXXXX)
  t0=$(date +%s)
  log "debootstrap bookworm from $mirror into $root"
  local keyring=()
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] \
    && keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
  if ! debootstrap "${keyring[@]}" --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1; then
    tail -20 "$root.log" >&2
    rm -rf "$root" "$root.log"
    echo "debootstrap failed" >&2
    return 1
  fi
  log "debootstrap took $(( $(date +%s) - t0 )) s"
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
    "$mirror" "$mirror" "$security" >"$root/etc/apt/sources.list"
  # Like the official slim images: no package cache, lists or man pages kept.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin \
    "$root"/var/lib/apt/lists/* "$root"/tmp/* "$root"/var/log/*.log
  : >"$root/etc/resolv.conf"
  : >"$root/etc/hostname"
  t0=$(date +%s)
  tar --numeric-owner -C "$root" -c . \
    | podman import -q --change 'CMD ["/bin/bash"]' - "$BASE_IMAGE" >/dev/null
  log "import took $(( $(date +%s) - t0 )) s"
  rm -rf "$root" "$root.log"
}

if [ "${SPM_FORCE:-0}" = 1 ] || ! podman image exists "$BASE_IMAGE"; then
  make_base
else
  log "$BASE_IMAGE exists"
fi

# --- can podman run a container here? --------------------------------------------------------
can_run() { podman run --rm --network none "$BASE_IMAGE" true >/dev/null 2>&1; }
if ! can_run; then
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  pid_max=$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo 32768)
  # Seen here: a container may not get an RLIMIT_NPROC above pid_max.
  [ "$nofile" = unlimited ] && nofile=1048576
  { [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pid_max" ]; } && nproc=$pid_max
  runtime=crun
  command -v runc >/dev/null && runtime=runc
  mkdir -p "$(dirname "$CONF_DROPIN")"
  cat >"$CONF_DROPIN" <<EOF
# Written by spm's deploy/build-local-images.sh: podman's defaults could not run a container
# on this machine.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "$runtime"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  log "wrote $CONF_DROPIN (runtime $runtime, nofile $nofile, nproc $nproc)"
  if ! can_run; then
    podman run --rm --network none "$BASE_IMAGE" true || true
    [ "$runtime" = runc ] || echo "install runc (crun refuses hybrid cgroup hierarchies)" >&2
    echo "podman cannot run a container here" >&2
    exit 1
  fi
fi

# --- the builder image ----------------------------------------------------------------------
sysroot="${SPM_TOOLCHAIN_SYSROOT:-}"
if [ -z "$sysroot" ]; then
  command -v rustc >/dev/null || { echo "SKIPPED: no rustc on the host to copy into $BUILDER_IMAGE"; exit 0; }
  sysroot=$(rustc --print sysroot)
fi
sysroot=$(readlink -f "$sysroot")
rustc_vv=$("$sysroot/bin/rustc" -vV)
release=$(printf '%s\n' "$rustc_vv" | sed -n 's/^release: //p')
host_triple=$(printf '%s\n' "$rustc_vv" | sed -n 's/^host: //p')
if [ "$(printf '%s\n%s\n' "$MIN_RUST" "${release%%-*}" | sort -V | head -1)" != "$MIN_RUST" ]; then
  echo "the host's rustc is $release; $BUILDER_IMAGE needs $MIN_RUST or newer" >&2
  exit 1
fi
[ -x "$sysroot/bin/cargo" ] || { echo "no cargo in $sysroot/bin" >&2; exit 1; }

ctx=$(mktemp -d /var/tmp/spm-builder-ctx.XXXXXX)
trap 'rm -rf "$ctx"' EXIT
# The host's extra CA certificates (a TLS-inspecting proxy's, here): cargo in the builder must
# trust what the host trusts to reach crates.io.
mkdir -p "$ctx/ca"
cp /usr/local/share/ca-certificates/*.crt "$ctx/ca/" 2>/dev/null || true
stamp=$( { printf '%s\n' "$rustc_vv"; "$sysroot/bin/cargo" -V; cat "$ctx"/ca/*.crt 2>/dev/null; } | sha256sum | cut -c1-16)

have=$(podman image inspect --format '{{index .Labels "org.spm.builder-stamp"}}' "$BUILDER_IMAGE" 2>/dev/null || true)
if [ "${SPM_FORCE:-0}" != 1 ] && [ "$have" = "$stamp" ]; then
  log "$BUILDER_IMAGE exists (rustc $release)"
else
  cat >"$ctx/Containerfile" <<EOF
FROM $BASE_IMAGE
ENV CARGO_HOME=/usr/local/cargo \\
    PATH=/usr/local/cargo/bin:/usr/local/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
      ca-certificates gcc libc6-dev pkg-config \\
 && rm -rf /var/lib/apt/lists/*
# The host's toolchain (mounted read-only at /host-toolchain), without its docs and without
# other targets' standard libraries.
RUN mkdir -p /usr/local/rust /usr/local/cargo/bin \\
 && cp -a /host-toolchain/bin /host-toolchain/lib /usr/local/rust/ \\
 && for d in /usr/local/rust/lib/rustlib/*/; do \\
      case "\$(basename "\$d")" in etc|$host_triple) ;; *) rm -rf "\$d" ;; esac; \\
    done \\
 && rustc --version && cargo --version
LABEL org.spm.builder-stamp="$stamp" org.spm.rustc="$release"
WORKDIR /src
EOF
  log "building $BUILDER_IMAGE from $sysroot (rustc $release)"
  t0=$(date +%s)
  if ! podman build --format docker -v "$sysroot:/host-toolchain:ro" \
    -t "$BUILDER_IMAGE" "$ctx" >"$ctx/build.log" 2>&1; then
    tail -30 "$ctx/build.log" >&2
    echo "building $BUILDER_IMAGE failed" >&2
    exit 1
  fi
  log "builder image took $(( $(date +%s) - t0 )) s"
fi

podman run --rm --network none "$BUILDER_IMAGE" sh -c 'rustc --version && cargo --version && cc --version | head -1'
echo "local images ready: $BASE_IMAGE $BUILDER_IMAGE"
