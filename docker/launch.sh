#!/bin/sh
# The entrypoint of every server container poolcheck starts (copied in as /poolcheck/launch.sh,
# so images poolcheck did not build work too). The container starts as root only so that this
# script can hand the files poolcheck copied into /poolcheck (root's after the copy) to the
# server's user; then it runs the server as that user: PostgreSQL and pgbouncer refuse root.
# usage: launch.sh RUN_AS PROGRAM [ARG...]    RUN_AS: a user name, or uid[:gid]
set -eu
run_as=$1
program=$2
shift 2

# Images put servers in different places: Debian's pgbouncer and pgpool in /usr/sbin (not on a
# non-root PATH), PostgreSQL in /usr/lib/postgresql/<major>/bin, source builds in /usr/local.
case $program in
  */*) ;;
  *)
    found=$(command -v "$program" 2>/dev/null || true)
    if [ -z "$found" ]; then
      for d in /usr/sbin /usr/local/sbin /usr/local/bin /usr/local/pgsql/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        if [ -x "$d/$program" ]; then found=$d/$program; break; fi
      done
    fi
    if [ -z "$found" ]; then
      echo "poolcheck: $program is not in this image (searched PATH=$PATH, /usr/sbin, /usr/local, /usr/lib/postgresql/*/bin)" >&2
      exit 127
    fi
    program=$found
    ;;
esac
if [ "$(id -u)" != 0 ] || [ "$run_as" = root ] || [ "$run_as" = 0 ]; then
  exec "$program" "$@"
fi

name=${run_as%%:*}
uid=$(id -u "$name" 2>/dev/null || echo "$name")
case $run_as in
  *:*) gid=${run_as#*:} ;;
  *) gid=$(id -g "$name" 2>/dev/null || echo "$uid") ;;
esac
case $uid$gid in
  *[!0-9]*) echo "poolcheck: user $run_as does not exist in this image" >&2; exit 126 ;;
esac
chown -R "$uid:$gid" /poolcheck
if [ -d /var/lib/poolcheck ]; then chown "$uid:$gid" /var/lib/poolcheck; fi
export HOME=/poolcheck

if command -v setpriv >/dev/null 2>&1; then
  exec setpriv --reuid="$uid" --regid="$gid" --clear-groups "$program" "$@"
elif command -v su-exec >/dev/null 2>&1; then
  exec su-exec "$uid:$gid" "$program" "$@"
elif command -v gosu >/dev/null 2>&1; then
  exec gosu "$uid:$gid" "$program" "$@"
fi
echo "poolcheck: this image has no setpriv, su-exec or gosu to run $program as $run_as instead of root" >&2
exit 126
