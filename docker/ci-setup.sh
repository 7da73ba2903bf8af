#!/usr/bin/env bash
# CI: everything the docker tests need, on a fresh Debian bookworm machine without a container
# registry: a Docker engine (docker/start-engine.sh), the base images made locally (poolcheck
# images bootstrap) and poolcheck's images (poolcheck images build): all of bookworm's, and the
# PostgreSQL, pgbouncer and Odyssey images of trixie and sid that the release tests run. Run
# after `npm ci`, as root; then run the tests with POOLCHECK_DOCKER_TESTS=1. Prints how long each
# part took.
set -euo pipefail
cd "$(dirname "$0")/.."

t0=$SECONDS
bash docker/start-engine.sh
t1=$SECONDS
# The three debootstraps mostly wait on Debian's mirror: side by side.
pids=()
for suite in bookworm trixie sid; do
  node bin/poolcheck.js images bootstrap --suite "$suite" >"/tmp/poolcheck-bootstrap-$suite.log" 2>&1 &
  pids+=($!)
done
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "ci-setup: images bootstrap failed; its log:" >&2
    cat /tmp/poolcheck-bootstrap-*.log >&2
    exit 1
  fi
done
t2=$SECONDS
node bin/poolcheck.js images build --suite bookworm
node bin/poolcheck.js images build --suite trixie postgres pgbouncer
node bin/poolcheck.js images build --suite sid postgres pgbouncer odyssey
t3=$SECONDS
echo "ci-setup: engine $((t1 - t0)) s, base images $((t2 - t1)) s, image builds $((t3 - t2)) s, total $((t3 - t0)) s"
