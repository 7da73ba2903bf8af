#!/usr/bin/env bash
# CI: everything the docker tests need, on a fresh Debian bookworm machine without a container
# registry: a Docker engine (docker/start-engine.sh), debian:bookworm-slim made locally
# (poolcheck images bootstrap), and poolcheck's images (poolcheck images build). Run after
# `npm ci`, as root; then run the tests with POOLCHECK_DOCKER_TESTS=1. Prints how long each
# part took.
set -euo pipefail
cd "$(dirname "$0")/.."

t0=$SECONDS
bash docker/start-engine.sh
t1=$SECONDS
node bin/poolcheck.js images bootstrap
t2=$SECONDS
node bin/poolcheck.js images build
t3=$SECONDS
echo "ci-setup: engine $((t1 - t0)) s, base image $((t2 - t1)) s, image builds $((t3 - t2)) s, total $((t3 - t0)) s"
