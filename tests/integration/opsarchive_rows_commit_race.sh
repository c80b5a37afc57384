#!/usr/bin/env bash
# opsarchive rows --to-file killed (SIGKILL) while the source's COMMIT of a
# batch is still running on the server, and started again at once: the next
# run must not throw away the batch's member when that commit then completes.
#
# The COMMIT is made slow on purpose (a deferred constraint trigger sleeps 5 s
# at commit, as a slow fsync or a synchronous replica would): a killed
# client's COMMIT that has reached the server still commits. A check of the
# journaled keys that does not lock them (as the first version's count did)
# sees the rows that commit is deleting, cuts the file back, and the rows end
# up nowhere; the check must wait for the commit (SELECT … FOR UPDATE).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
[[ -x ${OPSARCHIVE:-} ]] || fail "OPSARCHIVE is not set to the opsarchive binary"

new_pg_db PGDB
printf '[db.pg]\ndsn = %s\npassword_file = %s\n' "$(pg_dsn "$PGDB")" "$OPS_TEST_PG_PASSWORD_FILE" >"$SCRATCH/ops.conf"
export OPS_CONFIG=$SCRATCH/ops.conf
pg_sql "CREATE TABLE r (id int PRIMARY KEY, v text);
  INSERT INTO r SELECT g, 'row ' || g FROM generate_series(1, 1000) g;
  CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS \$\$
    BEGIN PERFORM pg_sleep(5); RETURN NULL; END \$\$;
  CREATE CONSTRAINT TRIGGER slow_commit AFTER DELETE ON r DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.id = 500) EXECUTE FUNCTION slow_commit()" "$PGDB"

F=$SCRATCH/r.csv.gz
commits_running() {
  pg_sql "SELECT count(*) FROM pg_stat_activity WHERE datname = '$PGDB' AND state = 'active' AND query = 'COMMIT'" postgres
}

"$OPSARCHIVE" -q rows --db pg --table r --where '1 = 1' --to-file "$F" --batch 1000 2>"$SCRATCH/first.err" &
pid=$!
for ((i = 0; i < 300; i++)); do
  [[ $(commits_running) == 1 ]] && break
  sleep 0.1
done
assert_eq "$(commits_running)" 1 "the batch's COMMIT is running on the server"
assert_file_exists "$F.pending"
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true

run "$OPSARCHIVE" rows --db pg --table r --where '1 = 1' --to-file "$F" --batch 1000
assert_rc 0
for ((i = 0; i < 100; i++)); do
  [[ $(commits_running) == 0 ]] && break
  sleep 0.1
done
assert_eq "$(commits_running)" 0 "the killed run's COMMIT is over"
left=$(pg_sql "SELECT count(*) FROM r" "$PGDB")
in_file=$(($(zcat "$F" | wc -l) - 1))
assert_no_file "$F.pending"
assert_eq "$((left + in_file))" 1000 "every row in the source or in the file ($left left in the source, $in_file in the file)"
finish
