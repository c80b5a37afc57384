#!/usr/bin/env bash
# opsdb activity on the real PostgreSQL and MariaDB test servers: a long
# query, a session holding a row lock in an open transaction and a session
# waiting for it are listed longest first, the waiter naming its blocker and
# the blocker marked; on MariaDB also an ALTER TABLE waiting for a metadata
# lock and a SELECT queued behind it; --min-duration; --cancel and
# --terminate (refused without --yes off a terminal, asked on one, and then
# really ending the query or the session); a PID that is no session; SQLite.
#
# The background sessions are clients reading from FIFOs or running one
# statement; the test waits for what it needs by polling the server's own
# view of them, never by sleeping a guessed time.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
[[ -x ${OPSDB:-} ]] || fail "OPSDB is not set to the opsdb binary"

_t_split_dsn "$OPS_TEST_PG_DSN"
PG_HOST=$_t_host PG_PORT=$_t_port
PGPASS=$(pg_passfile)
MYCNF=$(mysql_cnf)
new_server_dbs

# Every background client is killed at exit (before the databases are
# dropped), and so are their server threads: a MariaDB thread that waits for
# a lock does not notice that its client is gone, and DROP DATABASE would
# wait for it.
bg_pids=()
kill_bg() {
  local p id
  for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
  for id in $(mysql_sql "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '$MYDB' AND ID <> CONNECTION_ID()" ""); do
    mysql_sql "KILL $id" "" 2>/dev/null
  done
}
at_exit kill_bg

# until_true DESCRIPTION CMD...: poll CMD (every 0.1 s, at most 60 s) until it succeeds.
until_true() {
  local what=$1 i
  shift
  for ((i = 0; i < 600; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "timed out waiting until $what"
}

# field PID COLUMN: a column of PID's row in the TSV output ($OUT_FILE).
field() {
  awk -F'\t' -v pid="$1" -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
                                      $1 == pid { print $c }' "$OUT_FILE"
}
# row_of PID: the line number of PID's row in the text or TSV output.
row_of() { awk -v pid="$1" '$1 == pid { print NR }' "$OUT_FILE"; }

# ---------------------------------------------------------------- PostgreSQL
pg_sql "CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0);" "$PGDB"
# pg_client APPNAME [psql args]: psql as ops_test on $PGDB (run in the background with &, then track_bg)
pg_client() {
  local app=$1
  shift
  PGPASSFILE=$PGPASS PGAPPNAME=$app exec psql -X -q -At -w -h "$PG_HOST" -p "$PG_PORT" -U ops_test -d "$PGDB" "$@"
}
track_bg() { bg_pids+=($!); }
pg_pid_of() { pg_sql "SELECT pid FROM pg_stat_activity WHERE application_name = '$1'" "$PGDB"; }
pg_state_is() { [[ $(pg_sql "SELECT state || '|' || coalesce(wait_event_type, '') FROM pg_stat_activity WHERE application_name = '$1'" "$PGDB") == "$2" ]]; }

# The long query first, so that it is the longest; then the holder; then the waiter.
pg_client oa_long -c "SELECT pg_sleep(600)" >"$SCRATCH/pg_long.out" 2>&1 &
LONG_BG=$! && track_bg
until_true "the long query runs" pg_state_is oa_long "active|Timeout"
mkfifo "$SCRATCH/pg_hold.in"
pg_client oa_hold <"$SCRATCH/pg_hold.in" >"$SCRATCH/pg_hold.out" 2>&1 &
track_bg
exec 7>"$SCRATCH/pg_hold.in"
echo "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1; SELECT 'held';" >&7
until_true "the holder has its row lock" grep -qx held "$SCRATCH/pg_hold.out"
pg_client oa_wait -c "UPDATE t SET v = 10 WHERE id = 1" >"$SCRATCH/pg_wait.out" 2>&1 &
WAIT_BG=$! && track_bg
until_true "the waiter waits for the lock" pg_state_is oa_wait "active|Lock"
LONG=$(pg_pid_of oa_long) HOLD=$(pg_pid_of oa_hold) WAIT=$(pg_pid_of oa_wait)

run "$OPSDB" activity "$PG" "${PGPW[@]}" --format tsv
assert_rc 0
assert_eq "$(field "$WAIT" blocked_by)" "$HOLD" "the waiter names its blocker"
assert_eq "$(field "$HOLD" blocking)" "$WAIT" "the blocker is marked with whom it blocks"
assert_eq "$(field "$HOLD" state)" "idle in transaction" "the holder's state"
assert_eq "$(field "$WAIT" wait)" "Lock:transactionid" "the waiter's wait event"
assert_eq "$(field "$LONG" state)" active "the long query's state"
assert_eq "$(field "$LONG" query)" "SELECT pg_sleep(600)" "the whole query"
assert_eq "$(field "$LONG" user)" ops_test "the user"
assert_eq "$(field "$LONG" database)" "$PGDB" "the database"
[[ $(field "$LONG" client) == 127.0.0.1:* ]] || fail "the client is an address and port: $(field "$LONG" client)"
# Longest first: each began after the one before it was seen.
(($(row_of "$LONG") < $(row_of "$HOLD") && $(row_of "$HOLD") < $(row_of "$WAIT"))) \
  || fail "sessions are not longest first"
assert_out_not_contains "pg_blocking_pids"  # its own session is not listed

run "$OPSDB" activity "$PG" "${PGPW[@]}"
assert_rc 0
assert_out_matches "^ *PID +DURATION +XACT +STATE +USER +CLIENT +DATABASE +WAIT +BLOCKED BY +BLOCKING +QUERY$"
assert_out_matches "^ *$WAIT +[0-9.]+ (ms|s) .* active +ops_test .* Lock:transactionid +$HOLD +UPDATE t SET v = 10 WHERE id = 1$"

run "$OPSDB" activity "$PG" "${PGPW[@]}" --format json
assert_rc 0
assert_eq "$(jq -r --argjson p "$WAIT" '.[] | select(.pid == $p) | .blocked_by' "$OUT_FILE")" "$HOLD" "JSON blocked_by"

# --warn-time/--crit-time on the longest query.
run "$OPSDB" activity "$PG" "${PGPW[@]}" --warn-time 1d
assert_rc 0
# (psql succeeds on no row too: the row's value is what is waited for.)
pg_ran_5s() { [[ $(pg_sql "SELECT 1 FROM pg_stat_activity WHERE pid = $LONG AND clock_timestamp() - query_start >= interval '5 s'" "$PGDB") == 1 ]]; }
until_true "the long query has run 5 s" pg_ran_5s
run "$OPSDB" activity "$PG" "${PGPW[@]}" --warn-time 1s --crit-time 1d
assert_rc 1
assert_err_contains "pid $LONG has been active for"
run "$OPSDB" activity "$PG" "${PGPW[@]}" --warn-time 1s --crit-time 2s
assert_rc 2
run "$OPSDB" activity "$PG" "${PGPW[@]}" --warn-time 5s --crit-time 2s
assert_rc 3
assert_err_contains "the warning must come first"

# --min-duration: a query begun after the long one had run 5 s is left out
# at 4s (unless this host stalled 4 s between its start and the listing);
# the blocker stays listed, whatever its time, because another waits for it.
pg_client oa_fresh -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
track_bg
until_true "the fresh query runs" pg_state_is oa_fresh "active|Timeout"
FRESH=$(pg_pid_of oa_fresh)
run "$OPSDB" activity "$PG" "${PGPW[@]}" --format tsv --min-duration 4s
assert_rc 0
[[ -n $(field "$LONG" pid) ]] || fail "the long query is listed with --min-duration 4s"
[[ -z $(field "$FRESH" pid) ]] || fail "a query of less than 4 s is listed with --min-duration 4s"
[[ -n $(field "$HOLD" pid) ]] || fail "the blocker is listed whatever its time"

# --cancel: refused without a terminal and without --yes; --dry-run; then done.
run "$OPSDB" activity "$PG" "${PGPW[@]}" --cancel "$LONG"
assert_rc 3
assert_err_contains "stdin is not a terminal"
assert_err_contains "add --yes"
run "$OPSDB" activity "$PG" "${PGPW[@]}" --cancel "$LONG" --yes --dry-run
assert_rc 0
assert_out_contains "SELECT pg_cancel_backend($LONG)"
pg_state_is oa_long "active|Timeout" || fail "a refused or dry-run cancel left the query running"
ASSERTIONS=$((ASSERTIONS + 1))
OPS_DBUPKEEP_YES=1 run "$OPSDB" activity "$PG" "${PGPW[@]}" --cancel "$LONG"
assert_rc 3
assert_err_contains "--yes is taken from the command line only"
run "$OPSDB" activity "$PG" "${PGPW[@]}" --cancel 2147483000 --yes
assert_rc 3
assert_err_contains "no client session with that pid"

# On a terminal it asks, showing the session; "n" leaves it alone.
if command -v script >/dev/null; then
  printf 'n\n' | script -qec "$(printf '%q ' "$OPSDB" activity "$PG" "${PGPW[@]}" --cancel "$LONG")" /dev/null \
    >"$SCRATCH/tty.out" 2>&1 || true
  grep -q "pid $LONG ops_test@$PGDB from 127.0.0.1:[0-9]*, active for .*: SELECT pg_sleep(600)" "$SCRATCH/tty.out" \
    || fail "the confirmation shows the session: $(cat "$SCRATCH/tty.out")"
  grep -q "Cancel this query? \[y/N\]" "$SCRATCH/tty.out" || fail "no question on the terminal"
  grep -q "not confirmed" "$SCRATCH/tty.out" || fail "an answer n is not a yes"
  pg_state_is oa_long "active|Timeout" || fail "an unconfirmed cancel left the query running"
  ASSERTIONS=$((ASSERTIONS + 4))
else
  fail "script (util-linux) is needed to give opsdb a terminal"
fi

run "$OPSDB" activity "$PG" "${PGPW[@]}" --cancel "$LONG" --yes
assert_rc 0
assert_out_matches "^ *$LONG +cancel +cancelled +the (query|session) ended "
rc=0
wait "$LONG_BG" || rc=$?
assert_eq "$rc" 1 "psql's statement failed"
grep -q "canceling statement due to user request" "$SCRATCH/pg_long.out" || fail "psql was not told its statement was cancelled"

# --cancel of a session that runs no query does nothing, and says so.
run "$OPSDB" activity "$PG" "${PGPW[@]}" --cancel "$HOLD" --yes
assert_rc 1
assert_out_contains "not cancelled"
assert_out_contains "runs no query (idle in transaction); --terminate ends the session"

# --terminate the holder: its transaction is rolled back and the waiter goes on.
run "$OPSDB" activity "$PG" "${PGPW[@]}" --terminate "$HOLD" --yes --format json
assert_rc 0
assert_eq "$(jq -r '.[0].result' "$OUT_FILE")" terminated "JSON result"
wait "$WAIT_BG" || fail "the waiter's UPDATE did not succeed once the holder was gone"
assert_eq "$(pg_sql "SELECT v FROM t WHERE id = 1" "$PGDB")" 10 "the holder's update was rolled back, the waiter's done"
exec 7>&-

# ------------------------------------------------------------------- MariaDB
mysql_sql "CREATE TABLE t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO t VALUES (1, 0), (2, 0);
           CREATE TABLE m (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO m VALUES (1);" "$MYDB"
# my_client [mariadb args]: mariadb as ops_test on $MYDB (run in the background with &, then track_bg)
my_client() { exec mariadb --defaults-file="$MYCNF" --unbuffered -N -B "$@" "$MYDB"; }
# my_id_of SQL-LIKE: the id of the thread of $MYDB whose statement is like it.
my_id_of() { mysql_sql "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '$MYDB' AND INFO LIKE '$1'" ""; }
my_waits() { [[ $(mysql_sql "SELECT STATE FROM information_schema.PROCESSLIST WHERE DB = '$MYDB' AND INFO LIKE '$1'" "") == "$2" ]]; }

my_client -e "SELECT SLEEP(600)" >"$SCRATCH/my_long.out" 2>&1 &
MY_LONG_BG=$! && track_bg
until_true "the long query runs" my_waits "SELECT SLEEP(600)" "User sleep"
mkfifo "$SCRATCH/my_hold.in"
my_client <"$SCRATCH/my_hold.in" >"$SCRATCH/my_hold.out" 2>&1 &
track_bg
exec 8>"$SCRATCH/my_hold.in"
echo "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1; SELECT CONNECTION_ID();" >&8
until_true "the holder has its row lock" grep -qx '[0-9]*' "$SCRATCH/my_hold.out"
MY_HOLD=$(cat "$SCRATCH/my_hold.out")
my_client -e "SET SESSION innodb_lock_wait_timeout = 600; UPDATE t SET v = 10 WHERE id = 1" >"$SCRATCH/my_wait.out" 2>&1 &
MY_WAIT_BG=$! && track_bg
my_lock_wait() {
  [[ -n $(mysql_sql "SELECT 1 FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p
    ON p.ID = t.trx_mysql_thread_id WHERE p.DB = '$MYDB' AND p.INFO LIKE '$1' AND t.trx_state = 'LOCK WAIT'" "") ]]
}
until_true "the waiter waits for the row lock" my_lock_wait "UPDATE t SET v = 10%"
# A metadata lock: a transaction that read m, an ALTER TABLE of m waiting for
# it, and a SELECT of m queued behind the ALTER.
mkfifo "$SCRATCH/my_read.in"
my_client <"$SCRATCH/my_read.in" >"$SCRATCH/my_read.out" 2>&1 &
track_bg
exec 9>"$SCRATCH/my_read.in"
echo "BEGIN; SELECT COUNT(*) FROM m; SELECT CONNECTION_ID();" >&9
two_lines() { (($(wc -l <"$1") >= 2)); }
until_true "the reader holds m" two_lines "$SCRATCH/my_read.out"
MY_READ=$(tail -n 1 "$SCRATCH/my_read.out")
my_client -e "SET SESSION lock_wait_timeout = 600; ALTER TABLE m ADD COLUMN c INT" >"$SCRATCH/my_alter.out" 2>&1 &
MY_ALTER_BG=$! && track_bg
until_true "the ALTER waits" my_waits "ALTER TABLE m ADD COLUMN c INT" "Waiting for table metadata lock"
my_client -e "SELECT * FROM m WHERE id = 1" >/dev/null 2>&1 &
track_bg
until_true "the SELECT waits" my_waits "SELECT * FROM m WHERE id = 1" "Waiting for table metadata lock"
MY_LONG=$(my_id_of "SELECT SLEEP(600)") MY_WAIT=$(my_id_of "UPDATE t SET v = 10%")
MY_ALTER=$(my_id_of "ALTER TABLE m%") MY_SELECT=$(my_id_of "SELECT * FROM m WHERE id = 1")

run "$OPSDB" activity "$MY" "${MYPW[@]}" --format tsv
assert_rc 0
assert_eq "$(field "$MY_WAIT" blocked_by)" "$MY_HOLD" "the row-lock waiter names its blocker"
assert_eq "$(field "$MY_HOLD" blocking)" "$MY_WAIT" "the row-lock holder is marked"
assert_eq "$(field "$MY_HOLD" state)" "idle in transaction" "a Sleep thread with a transaction"
assert_eq "$(field "$MY_ALTER" blocked_by)" "$MY_READ" "the ALTER names the transaction that read the table"
assert_eq "$(field "$MY_SELECT" blocked_by)" "$MY_ALTER" "the SELECT names the ALTER it is queued behind"
assert_eq "$(field "$MY_READ" blocking)" "$MY_ALTER" "the reader is marked"
assert_eq "$(field "$MY_LONG" state)" active "the long query's state"
assert_eq "$(field "$MY_LONG" wait)" "User sleep" "the long query's thread state"
assert_eq "$(field "$MY_LONG" query)" "SELECT SLEEP(600)" "the whole query"
(($(row_of "$MY_LONG") < $(row_of "$MY_WAIT"))) || fail "sessions are not longest first"
assert_out_not_contains "INNODB_TRX"  # its own session is not listed

run "$OPSDB" activity "$MY" "${MYPW[@]}" --cancel "$MY_LONG"
assert_rc 3
assert_err_contains "add --yes"
run "$OPSDB" activity "$MY" "${MYPW[@]}" --cancel "$MY_LONG" --yes
assert_rc 0
assert_out_matches "^ *$MY_LONG +cancel +cancelled +the (query|session) ended "
wait "$MY_LONG_BG" || true
[[ -z $(my_id_of "SELECT SLEEP(600)") ]] || fail "the long query still runs after --cancel"
ASSERTIONS=$((ASSERTIONS + 1))

# Ending the reader lets the ALTER and the SELECT go on; ending the holder, the waiter.
run "$OPSDB" activity "$MY" "${MYPW[@]}" --terminate "$MY_READ" --yes
assert_rc 0
assert_out_matches "^ *$MY_READ +terminate +terminated +the session ended "
wait "$MY_ALTER_BG" || fail "the ALTER did not succeed once the reader was gone"
run "$OPSDB" activity "$MY" "${MYPW[@]}" --terminate "$MY_HOLD" --yes
assert_rc 0
wait "$MY_WAIT_BG" || fail "the waiter's UPDATE did not succeed once the holder was gone"
assert_eq "$(mysql_sql "SELECT v FROM t WHERE id = 1" "$MYDB")" 10 "the holder's update was rolled back, the waiter's done"
exec 8>&- 9>&-
run "$OPSDB" activity "$MY" "${MYPW[@]}" --terminate 2147483000 --yes
assert_rc 3

# -------------------------------------------------------------------- SQLite
run "$OPSDB" activity "sqlite://$SCRATCH/app.db?mode=rwc"
assert_rc 0
assert_out_contains "SQLite has no sessions to list"
