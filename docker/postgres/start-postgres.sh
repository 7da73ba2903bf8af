#!/bin/sh
# Starts poolcheck's PostgreSQL inside a container (run by /poolcheck/launch.sh as the server
# user): a fresh cluster set up exactly like the local provider's, from the files poolcheck
# rendered with harness/targets/postgres-cluster.ts (clusterSetup) and copied next to this
# script, then the server in the foreground on the 127.0.0.1 port poolcheck chose (host
# networking: there is no port mapping).
# usage: start-postgres.sh PORT INITDB_ARG...
set -eu
port=$1
shift
here=/poolcheck
pgdata=/var/lib/poolcheck/data
if ! command -v initdb >/dev/null 2>&1; then
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r) /usr/local/pgsql/bin; do
    if [ -x "$d/initdb" ]; then PATH=$d:$PATH; break; fi
  done
fi

# An image of poolcheck's holds a cluster initdb made with the arguments it recorded; copying
# it is ~20x faster than initdb (the local provider copies a template the same way).
template=/var/lib/poolcheck-template
if [ -f "$template/initdb-args" ] && [ "$(cat "$template/initdb-args")" = "$*" ]; then
  mkdir -m 700 "$pgdata"
  cp -a "$template/data/." "$pgdata/"
else
  initdb -D "$pgdata" "$@" >"$here/initdb.out" 2>&1 || {
    echo "poolcheck: initdb failed:" >&2
    tail -n 20 "$here/initdb.out" >&2
    exit 1
  }
fi
cat "$here/postgresql.conf.add" >>"$pgdata/postgresql.conf"
cp "$here/pg_hba.conf" "$pgdata/pg_hba.conf"
# PostgreSQL refuses a private key that others can read.
cp "$here/server.crt" "$here/server.key" "$here/ca.crt" "$pgdata/"
chmod 600 "$pgdata/server.key"

# bootstrap.sql holds the password: statements are never echoed into the log (not even one
# that fails), and the file is gone before the server accepts a connection.
postgres --single -D "$pgdata" -c fsync=off -c log_min_error_statement=panic postgres \
  <"$here/bootstrap.sql" >"$here/bootstrap.out" 2>&1 || {
  rm -f "$here/bootstrap.sql"
  echo "poolcheck: setting up the cluster in single-user mode failed:" >&2
  grep -v -i 'password' "$here/bootstrap.out" | tail -n 20 >&2
  exit 1
}
rm -f "$here/bootstrap.sql"

echo "poolcheck: cluster set up in $pgdata; starting PostgreSQL on 127.0.0.1:$port"
exec postgres -D "$pgdata" -p "$port"
