#!/usr/bin/env bash
# Makes the base image debian:<suite>-slim locally, for machines where no container registry
# can be reached (images cannot be pulled): debootstrap a minimal Debian into a folder, trim it
# the way the official slim image is trimmed, and import the folder as an image.
# Usage: docker/bootstrap-base.sh [--suite bookworm|trixie|sid] [--force]
#   (as root; needs debootstrap and a Docker engine; the suite defaults to bookworm)
set -euo pipefail

SUITE=bookworm
FORCE=
while (($#)); do
  case $1 in
    --force) FORCE=1 ;;
    --suite) SUITE=${2:?bootstrap-base: --suite needs a suite name}; shift ;;
    --suite=*) SUITE=${1#--suite=} ;;
    *) echo "bootstrap-base: unknown argument \"$1\" (usage: bootstrap-base.sh [--suite bookworm|trixie|sid] [--force])" >&2; exit 2 ;;
  esac
  shift
done
# The suites poolcheck's Dockerfiles are known to build from. sid has no -updates and no
# -security suite; stable and testing have both.
case $SUITE in
  bookworm | trixie) SUITES="$SUITE $SUITE-updates"; SECURITY_SUITE=$SUITE-security ;;
  sid) SUITES=sid; SECURITY_SUITE= ;;
  *) echo "bootstrap-base: unknown suite \"$SUITE\" (known: bookworm, trixie, sid)" >&2; exit 2 ;;
esac

TAG=debian:$SUITE-slim
MIRROR=${POOLCHECK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${POOLCHECK_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

if [[ -z $FORCE ]] && docker image inspect "$TAG" >/dev/null 2>&1; then
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
debootstrap --variant=minbase "$SUITE" "$dir" "$MIRROR" >"$dir.log" 2>&1 || {
  echo "bootstrap-base: debootstrap failed; the last lines of its log ($dir.log):" >&2
  tail -n 20 "$dir.log" >&2
  exit 1
}
rm -f "$dir.log"

# The official image's apt sources (deb822), with updates and security where the suite has
# them, so packages installed in images match what a Debian machine of that suite installs.
rm -f "$dir/etc/apt/sources.list"
{
  cat <<SOURCES
Types: deb
URIs: $MIRROR
Suites: $SUITES
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  if [[ -n $SECURITY_SUITE ]]; then
    cat <<SOURCES

Types: deb
URIs: $SECURITY
Suites: $SECURITY_SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  fi
} >"$dir/etc/apt/sources.list.d/debian.sources"
# The archive reached here may be a snapshot, and Release files carry a Valid-Until a week after
# they were written (sid's, and the -updates and -security suites' of bookworm and trixie): apt
# refuses an expired one ("is no longer valid"). apt inside the image skips only that date check
# (signatures are still checked), so that `apt-get update` in the Dockerfiles needs no extra
# flags, on every suite.
cat >"$dir/etc/apt/apt.conf.d/99poolcheck-snapshot" <<'APT'
// poolcheck: the mirror may be a snapshot whose Release files have expired (signatures are
// still checked).
Acquire::Check-Valid-Until "false";
APT
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
