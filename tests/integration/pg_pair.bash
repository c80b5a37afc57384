# shellcheck shell=bash
# pg_pair.bash — a PostgreSQL primary and its streaming standby made for one
# test, on Unix sockets only. Source it after lib.sh. (Not a .sh: it is no
# test of its own.)
#
#   pg_pair_primary          initdb and start a primary in $pair (port 5432) with a database app
#   pg_pair_standby [LINE…]  pg_basebackup a standby from it (port 5433; each LINE is added to
#                            its postgresql.conf), start it, wait until it has replayed all it received
#   primary SQL [DB]         psql on the primary, unaligned, tuples only (DB defaults to app)
#   standby SQL              the same on the standby, database app
#   caught_up                the standby has replayed all it received
#   as_pg CMD…               CMD as postgres when we are root (the servers refuse to run as root)
#
# $pair holds both (sockets, data, logs); the servers are stopped and it is
# removed at exit. $bin is the PostgreSQL server binaries' directory.
bin=${OPS_TEST_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[[ -x $bin/initdb ]] || fail "PostgreSQL server binaries not found (OPS_TEST_PG_BINDIR)"

# The servers run as postgres when we are root; their directory must be one
# postgres can reach, so it is not under SCRATCH (0700).
pair=$(mktemp -d /tmp/ops-pg-pair.XXXXXX)
chmod 0755 "$pair"
as_pg() { if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
((EUID == 0)) && chown postgres: "$pair"
_pair_stop() {
  local d
  for d in standby primary; do
    [[ -f $pair/$d/postmaster.pid ]] && as_pg "$bin/pg_ctl" -D "$pair/$d" -m immediate -w stop >/dev/null 2>&1
  done
  rm -rf "$pair"
}
at_exit _pair_stop

primary() { as_pg psql -X -q -At -v ON_ERROR_STOP=1 -h "$pair" -p 5432 -U postgres -d "${2:-app}" -c "$1"; }
standby() { as_pg psql -X -q -At -v ON_ERROR_STOP=1 -h "$pair" -p 5433 -U postgres -d app -c "$1"; }
caught_up() { [[ $(standby "SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()") == t ]]; }

pg_pair_primary() {
  as_pg "$bin/initdb" -D "$pair/primary" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >"$SCRATCH/initdb.log" 2>&1 \
    || fail "initdb failed: $(tail -5 "$SCRATCH/initdb.log")"
  cat >>"$pair/primary/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$pair'
port = 5432
fsync = off
shared_buffers = 16MB
timezone = 'UTC'
CONF
  as_pg "$bin/pg_ctl" -D "$pair/primary" -l "$pair/primary.log" -w -t 60 start >/dev/null \
    || fail "the primary did not start: $(tail -5 "$pair/primary.log")"
  primary "CREATE DATABASE app" postgres
}

pg_pair_standby() {
  local line i
  as_pg "$bin/pg_basebackup" -h "$pair" -p 5432 -U postgres -D "$pair/standby" -R -X stream -c fast >"$SCRATCH/basebackup.log" 2>&1 \
    || fail "pg_basebackup failed: $(tail -5 "$SCRATCH/basebackup.log")"
  echo "port = 5433" >>"$pair/standby/postgresql.conf"
  for line in "$@"; do echo "$line" >>"$pair/standby/postgresql.conf"; done
  as_pg "$bin/pg_ctl" -D "$pair/standby" -l "$pair/standby.log" -w -t 60 start >/dev/null \
    || fail "the standby did not start: $(tail -5 "$pair/standby.log")"
  assert_eq "$(standby "SELECT pg_is_in_recovery()")" t "the standby is a standby"
  for ((i = 0; i < 100; i++)); do caught_up && break; sleep 0.1; done
  caught_up || fail "the standby did not catch up"
}
