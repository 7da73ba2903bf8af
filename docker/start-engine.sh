#!/usr/bin/env bash
# Starts a Docker engine the way poolcheck's machines need it, unless one already answers:
# no bridge network and no iptables (the machines have only the loopback range; containers use
# the host's network), in the background, waiting for it to answer with a deadline.
# Usage: docker/start-engine.sh   (as root; installs docker.io if dockerd is missing)
# Writes the engine's pid to $POOLCHECK_DOCKERD_PIDFILE (default /run/poolcheck-dockerd.pid) only
# when it started one (and removes the file otherwise), so that whoever runs this can stop
# exactly that engine afterwards.
set -euo pipefail

PIDFILE=${POOLCHECK_DOCKERD_PIDFILE:-/run/poolcheck-dockerd.pid}
LOG=${POOLCHECK_DOCKERD_LOG:-/var/log/poolcheck-dockerd.log}
DEADLINE=${POOLCHECK_DOCKERD_DEADLINE:-60}

# The pid file names an engine this invocation started, never an older one.
rm -f "$PIDFILE"
if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  echo "start-engine: a Docker engine already answers ($(docker version --format '{{.Server.Version}}'))"
  exit 0
fi
if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
  echo "start-engine: installing docker.io (Debian's Docker engine)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null 2>&1 || {
    apt-get -o Acquire::Check-Valid-Until=false update -qq && apt-get install -y -qq --no-install-recommends docker.io >/dev/null
  }
fi

# setsid: the engine outlives this script, in its own session, so a Ctrl-C meant for a test
# run does not reach it.
setsid dockerd --bridge=none --iptables=false --ip6tables=false >"$LOG" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$PIDFILE"
for ((i = 0; i < DEADLINE * 10; i++)); do
  if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    echo "start-engine: dockerd $(docker version --format '{{.Server.Version}}') answers (pid $pid, log $LOG) after $((i / 10)).$((i % 10)) s"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start-engine: dockerd exited before answering; the end of $LOG:" >&2
    tail -n 20 "$LOG" >&2
    rm -f "$PIDFILE"
    exit 1
  fi
  sleep 0.1
done
echo "start-engine: dockerd (pid $pid) did not answer within $DEADLINE s; the end of $LOG:" >&2
tail -n 20 "$LOG" >&2
exit 1
