#!/usr/bin/env bash
# opsarchive rows --limit-lag with --replica, against a real PostgreSQL
# streaming standby (a primary and a standby made for this test, on Unix
# sockets only): a standby that has replayed everything is not behind however
# long the primary has been quiet, and a standby whose replay is paused holds
# the run until it catches up.
#
# Timing-sensitive, so it runs beside a CPU hog (two busy loops for the whole
# test): right after a batch commits, a loaded standby has often not even
# received it, and a lag read as "received = replayed" let the next batch go.
# The lag is the standby's replay position against the primary's current one.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
[[ -x ${OPSARCHIVE:-} ]] || fail "OPSARCHIVE is not set to the opsarchive binary"
# shellcheck source=tests/integration/pg_pair.bash
. "$OPS_SOURCE_DIR/tests/integration/pg_pair.bash"

# The load: two busy loops (this machine has two cores), ended with the test.
hogs=()
for _ in 1 2; do
  (trap - EXIT ERR; while :; do :; done) &
  hogs+=($!)
done
stop_hogs() { kill "${hogs[@]}" 2>/dev/null || true; }
at_exit stop_hogs

pg_pair_primary
primary "CREATE TABLE audit (id int PRIMARY KEY, at timestamptz NOT NULL, note text);
         INSERT INTO audit SELECT g, now() - interval '200 days', 'row ' || g FROM generate_series(1, 6000) g"

pg_pair_standby

cat >"$SCRATCH/ops.conf" <<CONF
[db.primary]
dsn = postgresql://postgres@/app?host=$pair&port=5432

[db.standby]
dsn = postgresql://postgres@/app?host=$pair&port=5433
CONF
arch() { run "$OPSARCHIVE" -c "$SCRATCH/ops.conf" "$@"; }
count() { primary "SELECT count(*) FROM audit"; }

# A quiet primary: its last commit is seconds old, and the standby has all of it.
sleep 3
arch rows --db primary --table audit --where "id <= 2000" --purge --batch 500 --limit-lag 1s --replica standby \
  --max-runtime 30s
assert_rc 0
assert_out_matches "^audit +\(purged\) +2000 +4 .* done"
assert_err_not_contains "waiting"

# A run that purges the 4000 rows left, in batches of 500 with 0.4 s between
# them, while the standby is behind (WHY says how): the lag is counted from the
# first check that saw the primary ahead of the replay (right after the first
# batch), so at most four batches go before it passes 1 s, however slow the
# machine (slower batches only reach 1 s sooner); then nothing moves. RESUME
# lets the standby catch up; the run must then finish. Output in NAME.out/err.
held_while_behind() {
  local name=$1 why=$2 resume=$3
  "$OPSARCHIVE" -c "$SCRATCH/ops.conf" rows --db primary --table audit --where "id > 0" --purge --batch 500 \
    --sleep 0.4s --limit-lag 1s --replica standby --max-runtime 120s >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err" &
  local pid=$! i held rc=0
  for ((i = 0; i < 300; i++)); do grep -q "waiting" "$SCRATCH/$name.err" && break; sleep 0.1; done
  grep -q "replica lag [0-9]*s is over --limit-lag 1s: waiting" "$SCRATCH/$name.err" \
    || fail "the run did not wait for the standby that $why: $(cat "$SCRATCH/$name.err")"
  held=$(count)
  ((held >= 2000)) || fail "more than four batches of 500 went while the standby $why: $held of 4000 rows left"
  ASSERTIONS=$((ASSERTIONS + 1))
  sleep 2
  assert_eq "$(count)" "$held" "no batch while the standby $why"
  kill -0 "$pid" 2>/dev/null || fail "the run ended while the standby $why: $(cat "$SCRATCH/$name.err")"
  $resume
  wait "$pid" || rc=$?
  assert_eq "$rc" 0 "the run finished once the standby caught up ($name)"
  assert_eq "$(count)" 0 "every row purged ($name)"
  grep -Eq "^audit +\(purged\) +4000 +8 " "$SCRATCH/$name.out" || fail "not 4000 rows in 8 batches: $(cat "$SCRATCH/$name.out")"
  ASSERTIONS=$((ASSERTIONS + 1))
}

# Replay paused: the standby stops applying what it receives.
standby "SELECT pg_wal_replay_pause()"
resume_replay() { standby "SELECT pg_wal_replay_resume()"; }
held_while_behind paused "replays nothing" resume_replay

# A standby that receives nothing: its WAL receiver stopped (primary_conninfo
# emptied). All it received it has replayed, yet the primary moves on without
# it: this is behind, and a lag read from the standby alone ("received =
# replayed") let every batch go.
primary "INSERT INTO audit SELECT g, now() - interval '200 days', 'row ' || g FROM generate_series(1, 4000) g"
for ((i = 0; i < 100; i++)); do caught_up && [[ $(standby "SELECT count(*) FROM audit") == 4000 ]] && break; sleep 0.1; done
[[ $(standby "SELECT count(*) FROM audit") == 4000 ]] || fail "the standby did not catch up before the receiver test"
conninfo=$(standby "SHOW primary_conninfo")
set_conninfo() {
  as_pg psql -X -q -At -v ON_ERROR_STOP=1 -h "$pair" -p 5433 -U postgres -d app -v "c=$1" \
    <<<"ALTER SYSTEM SET primary_conninfo = :'c'; SELECT pg_reload_conf();" >/dev/null
}
set_conninfo ""
for ((i = 0; i < 100; i++)); do [[ $(standby "SELECT count(*) FROM pg_stat_wal_receiver") == 0 ]] && break; sleep 0.1; done
assert_eq "$(standby "SELECT count(*) FROM pg_stat_wal_receiver")" 0 "the standby's WAL receiver stopped"
reconnect() { set_conninfo "$conninfo"; }
held_while_behind cut "receives nothing" reconnect
finish
