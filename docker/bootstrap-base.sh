#!/usr/bin/env bash
# Makes the base image debian:bookworm-slim locally, for machines where no container registry
# can be reached (images cannot be pulled): debootstrap a minimal Debian into a folder, trim it
# the way the official slim image is trimmed, and import the folder as an image.
# Usage: docker/bootstrap-base.sh [--force]   (as root; needs debootstrap and a Docker engine)
set -euo pipefail

TAG=debian:bookworm-slim
MIRROR=${POOLCHECK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${POOLCHECK_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

if [[ "${1:-}" != --force ]] && docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "bootstrap-base: $TAG is already in the engine (--force makes it again)"
  exit 0
fi
if ! command -v debootstrap >/dev/null; then
  echo "bootstrap-base: debootstrap not found: install it with \`apt-get install debootstrap\`" >&2
  exit 2
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "bootstrap-base: debootstrap needs root (it creates device nodes and chroots)" >&2
  exit 2
fi

dir=$(mktemp -d /var/tmp/poolcheck-rootfs.XXXXXX)
trap 'rm -rf "$dir"' EXIT
debootstrap --variant=minbase bookworm "$dir" "$MIRROR" >"$dir.log" 2>&1 || {
  echo "bootstrap-base: debootstrap failed; the last lines of its log ($dir.log):" >&2
  tail -n 20 "$dir.log" >&2
  exit 1
}
rm -f "$dir.log"

# The official image's apt sources (deb822), with updates and security, so packages installed
# in images match what a Debian bookworm machine installs.
rm -f "$dir/etc/apt/sources.list"
cat >"$dir/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
# What makes an image "slim": no documentation or translations from later installs, no
# recommended packages, and no package caches left in layers.
cat >"$dir/etc/dpkg/dpkg.cfg.d/slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
DPKG
cat >"$dir/etc/apt/apt.conf.d/slim" <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
APT
# Package services must not start during an image build (there is no init in a container).
printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
chmod 755 "$dir/usr/sbin/policy-rc.d"
rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/* "$dir"/usr/share/doc/*/changelog* "$dir"/usr/share/man/* "$dir"/usr/share/locale/*

tar -C "$dir" --numeric-owner -c . | docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["bash"]' - "$TAG" >/dev/null
echo "bootstrap-base: made $TAG ($(docker image inspect --format '{{.Size}}' "$TAG" | awk '{printf "%d MB", $1/1e6}'))"
