#!/usr/bin/env bash
# opshealth db against the real PostgreSQL and MariaDB test servers, a SQLite
# file, a port nothing listens on, a listener that never answers, and a
# PostgreSQL streaming standby made for this test: up (latency), down, wrong
# password, connections near the limit, a long query, a long transaction,
# replication lag with replay paused, a hung server under --timeout. Then side
# by side with monitoring-plugins' check_pgsql and check_mysql on the same
# servers with the same thresholds: the same exit status, each deliberate
# difference named where it is asserted.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
[[ -x ${OPSHEALTH:-} ]] || fail "OPSHEALTH is not set to the opshealth binary"
PLUGINS=/usr/lib/nagios/plugins
for p in check_pgsql check_mysql; do
  [[ -x $PLUGINS/$p ]] || fail "$PLUGINS/$p is missing (scripts/bootstrap installs monitoring-plugins)"
done
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/bootstrap installs it)"

_t_split_dsn "$OPS_TEST_PG_DSN"
PG_HOST=$_t_host PG_PORT=$_t_port PG_USER=$_t_user PG_DB=$_t_db
_t_split_dsn "$OPS_TEST_MYSQL_DSN"
MY_HOST=$_t_host MY_PORT=$_t_port MY_USER=$_t_user MY_DB=$_t_db
PG_SECRET=$(cat "$OPS_TEST_PG_PASSWORD_FILE")
MY_SECRET=$(cat "$OPS_TEST_MYSQL_PASSWORD_FILE")

WRONG_SECRET=not-the-password-7c1e9b
(umask 077 && echo "$WRONG_SECRET" >"$SCRATCH/wrong.pass")

# A port nothing listens on: bound, then closed.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
DOWN_PORT=$(free_port)

cat >"$SCRATCH/ops.conf" <<CONF
[db.pg]
dsn = $OPS_TEST_PG_DSN
password_file = $OPS_TEST_PG_PASSWORD_FILE

[db.my]
dsn = $OPS_TEST_MYSQL_DSN
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE

[db.pgdown]
dsn = postgresql://$PG_USER@127.0.0.1:$DOWN_PORT/$PG_DB

[db.mydown]
dsn = mysql://$MY_USER@127.0.0.1:$DOWN_PORT/$MY_DB

[db.pgwrong]
dsn = $OPS_TEST_PG_DSN
password_file = $SCRATCH/wrong.pass

[db.mywrong]
dsn = $OPS_TEST_MYSQL_DSN
password_file = $SCRATCH/wrong.pass
CONF
export OPS_CONFIG=$SCRATCH/ops.conf
unset PGPASSWORD PGPASSFILE

# health ARGS…: one run, TSV (check, status, value, thresholds, message), bounded.
health() { run timeout 60 "$OPSHEALTH" --format tsv "$@"; }
# col CHECK N: column N of the row of CHECK in the last run.
col() { awk -F'\t' -v c="$1" -v n="$2" 'NR > 1 && $1 == c { print $n }' "$OUT_FILE"; }
assert_row() {  # assert_row CHECK STATUS [MESSAGE-ERE]
  assert_eq "$(col "$1" 2)" "$2" "$1 is $2 ($(col "$1" 5))"
  if (($# > 2)); then
    [[ $(col "$1" 5) =~ $3 ]] || fail "$1: message '$(col "$1" 5)' does not match /$3/"
    ASSERTIONS=$((ASSERTIONS + 1))
  fi
}
assert_no_row() {
  assert_eq "$(col "$1" 2)" "" "no row $1"
}
# Neither password is ever printed, whatever the run said.
assert_no_secret() {
  local s
  for s in "$PG_SECRET" "$MY_SECRET" "$WRONG_SECRET"; do
    [[ $OUT$ERR != *"$s"* ]] || fail "a password was printed"
    ASSERTIONS=$((ASSERTIONS + 1))
  done
}

# --- up ---------------------------------------------------------------------------------
health db pg
assert_rc 0
assert_row "db pg" OK "^connected and SELECT 1 answered in [0-9.]+ m?s \(postgresql 1[0-9]"
[[ $(col "db pg" 3) =~ ^[0-9.]+\ m?s$ ]] || fail "the latency is the value: '$(col "db pg" 3)'"
assert_eq "$(col "db pg" 4)" "warn 2s crit 8s" "check_pgsql's default time thresholds"
# Sessions of other roles may be open on the shared server: said, not counted in.
HIDDEN="(; [0-9]+ sessions? of other roles not visible \(grant pg_monitor\))?"
assert_row "db pg connections" OK "^[0-9]+ of 60 connections in use: [0-9]+ active, [0-9]+ idle, [0-9]+ idle in transaction$HIDDEN$"
assert_row "db pg transaction" OK
assert_row "db pg query" OK
assert_row "db pg wraparound" OK "^oldest unfrozen transaction ID is [0-9]+ old, in database .*, of 2\^31$"
assert_no_row "db pg lag"  # a primary without standbys has no lag to report
assert_no_secret

run timeout 60 "$OPSHEALTH" --format nagios db pg
assert_rc 0
assert_out_contains "'db_pg::time'="
assert_out_matches "'db_pg_connections::active'=[0-9]+;;;0;60"
assert_out_matches "'db_pg_wraparound::used'=[0-9.]+%;50;75;0;100"
run timeout 60 "$OPSHEALTH" --format prometheus db pg
assert_out_matches '^ops_health_db_connections_by_state\{check="db pg connections",state="idle_in_transaction"\} [0-9]+$'
assert_out_matches '^ops_health_db_time_seconds\{check="db pg"\} [0-9.e-]+$'

health db my
assert_rc 0
assert_row "db my" OK "^connected and SELECT 1 answered in [0-9.]+ m?s \(mysql .*MariaDB"
assert_row "db my connections" OK "^[0-9]+ of [0-9]+ connections in use$"
assert_row "db my transaction" OK
assert_row "db my query" OK
assert_no_row "db my wraparound"
assert_no_row "db my lag"

sqlite3 "$SCRATCH/app.db" "CREATE TABLE t (id int)"
health db "sqlite://$SCRATCH/app.db"
assert_rc 0
assert_row "db sqlite://$SCRATCH/app.db" OK "connections, lag, transactions, queries and wraparound do not apply to SQLite$"
assert_eq "$(($(wc -l <"$OUT_FILE") - 1))" 1 "SQLite: the round trip alone"

# --- down and wrong password: CRITICAL with the server's (or the system's) reason ---------
health db pgdown
assert_rc 2
assert_row "db pgdown" CRITICAL "^cannot connect to postgresql://$PG_USER@127.0.0.1:$DOWN_PORT/$PG_DB: .*Connection refused"
assert_eq "$(($(wc -l <"$OUT_FILE") - 1))" 1 "a server down: its one row, nothing else measured"
health db mydown
assert_rc 2
# libmariadb, given a connect timeout, connects without blocking and reports
# the errno of that connect() (115, EINPROGRESS), not ECONNREFUSED: its
# "Can't connect" is the reason it gives.
assert_row "db mydown" CRITICAL "^cannot connect to mysql://$MY_USER@127.0.0.1:$DOWN_PORT/$MY_DB: Can't connect to server on '127.0.0.1'"

health db pgwrong
assert_rc 2
assert_row "db pgwrong" CRITICAL "password authentication failed for user \"$PG_USER\""
assert_no_secret
health db mywrong
assert_rc 2
assert_row "db mywrong" CRITICAL "Access denied for user '$MY_USER'"
assert_no_secret

# --- connections near the limit, a long query --------------------------------------------
# Six sessions of ours each running a 60 s sleep, marked by application_name
# (PostgreSQL) or a literal in the statement (MariaDB); ended at exit.
MARK=opshealth_db_test_$$
# The client files made once, here: six sessions started at once would race to make them.
PGPASSFILE_T=$(pg_passfile)
MYCNF=$(mysql_cnf)
sleepers=()
end_sleepers() {
  kill "${sleepers[@]}" 2>/dev/null || true
  pg_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '$MARK'" >/dev/null 2>&1 || true
  local id
  for id in $(mysql_sql "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%$MARK%' AND ID <> CONNECTION_ID()" 2>/dev/null); do
    mysql_sql "KILL $id" >/dev/null 2>&1 || true
  done
}
at_exit end_sleepers
for _ in 1 2 3 4 5 6; do
  PGAPPNAME=$MARK PGPASSFILE=$PGPASSFILE_T psql -X -q -w -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
    -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
  sleepers+=($!)
  mariadb --defaults-file="$MYCNF" -N -B -e "SELECT SLEEP(60), '$MARK'" "$MY_DB" >/dev/null 2>&1 &
  sleepers+=($!)
done
pg_sleeping() { pg_sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$MARK' AND state = 'active' AND now() - query_start > interval '1.5 s'"; }
my_sleeping() { mysql_sql "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%$MARK%' AND ID <> CONNECTION_ID() AND TIME_MS > 1500"; }
for ((i = 0; i < 150; i++)); do [[ $(pg_sleeping) == 6 && $(my_sleeping) == 6 ]] && break; sleep 0.2; done
assert_eq "$(pg_sleeping)" 6 "six PostgreSQL sessions asleep for over 1.5 s"
assert_eq "$(my_sleeping)" 6 "six MariaDB sessions asleep for over 1.5 s"

# 7 of 60 (the six and the check's own) is 11.7%: over 10%, under 95%.
health db pg --warn-connections 10% --crit-connections 95%
assert_rc 1
assert_row "db pg connections" WARNING "^[0-9]+ of 60 connections in use: ([7-9]|[1-9][0-9]) active,"
health db pg --crit-connections 10%
assert_rc 2
assert_row "db pg connections" CRITICAL
# A plain number is a count of connections.
health db my --warn-connections 6 --crit-connections 1000
assert_rc 1
assert_row "db my connections" WARNING "^([7-9]|[1-9][0-9]+) of [0-9]+ connections in use$"

health db pg --crit-query 1s
assert_rc 2
# The longest is ours unless another test's is older: the servers are shared.
assert_row "db pg query" CRITICAL "^longest running statement: pid [0-9]+ [^@ ]+@[^,]+, active$HIDDEN$"
[[ $(col "db pg query" 3) =~ ^[0-9.]+\ s$ ]] || fail "the query's age is the value: '$(col "db pg query" 3)'"
health db my --crit-query 1s
assert_rc 2
assert_row "db my query" CRITICAL "^longest running statement: pid [0-9]+ [^@ ]+@"
end_sleepers

# --- a long transaction: a session idle in transaction -----------------------------------
(echo "BEGIN; SELECT txid_current();"; sleep 60) \
  | PGAPPNAME=$MARK PGPASSFILE=$PGPASSFILE_T psql -X -q -w -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" >/dev/null 2>&1 &
sleepers+=($!)
(echo "START TRANSACTION WITH CONSISTENT SNAPSHOT; SELECT '$MARK';"; sleep 60) \
  | mariadb --defaults-file="$MYCNF" -N -B "$MY_DB" >/dev/null 2>&1 &
sleepers+=($!)
pg_open() { pg_sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$MARK' AND state = 'idle in transaction' AND now() - xact_start > interval '1.5 s'"; }
my_open() { mysql_sql "SELECT count(*) FROM information_schema.INNODB_TRX WHERE trx_started < NOW() - INTERVAL 2 SECOND"; }
for ((i = 0; i < 150; i++)); do [[ $(pg_open) == 1 && $(my_open) -ge 1 ]] && break; sleep 0.2; done
assert_eq "$(pg_open)" 1 "a PostgreSQL session idle in transaction for over 1.5 s"
[[ $(my_open) -ge 1 ]] || fail "no MariaDB transaction open for over 2 s"

health db pg --crit-transaction 1s
assert_rc 2
assert_row "db pg transaction" CRITICAL "^longest open transaction: pid [0-9]+ [^@ ]+@[^,]+, (idle in transaction|active)"
assert_row "db pg connections" OK " [1-9][0-9]* idle in transaction$HIDDEN$"
health db pg --warn-transaction 1s --crit-transaction 1h
assert_rc 1
assert_row "db pg transaction" WARNING
health db my --crit-transaction 1s
assert_rc 2
assert_row "db my transaction" CRITICAL "^longest open transaction: pid [0-9]+ [^@ ]+@"
end_sleepers

# --- a hung server: accepts, never answers; --timeout 2s ends the check CRITICAL ----------
HUNG_PORT_FILE=$SCRATCH/hung.port
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
held = []
while True:
    held.append(s.accept()[0])
' "$HUNG_PORT_FILE" &
hung=$!
at_exit kill "$hung"
for ((i = 0; i < 100; i++)); do [[ -s $HUNG_PORT_FILE ]] && break; sleep 0.1; done
HUNG_PORT=$(cat "$HUNG_PORT_FILE")
for dsn in "postgresql://$PG_USER@127.0.0.1:$HUNG_PORT/$PG_DB" "mysql://$MY_USER@127.0.0.1:$HUNG_PORT/$MY_DB"; do
  health db "$dsn" --timeout 2s
  assert_rc 2
  assert_eq "$(col "db $dsn" 2)" CRITICAL "a server that never answers is CRITICAL by --timeout 2s ($(col "db $dsn" 5))"
done
# With time to spare, the check ends itself with the client library's reason:
# the deadline went down as the connect timeout (5 s of the 5.99 s left).
health db "postgresql://$PG_USER@127.0.0.1:$HUNG_PORT/$PG_DB" --timeout 6s
assert_rc 2
assert_row "db postgresql://$PG_USER@127.0.0.1:$HUNG_PORT/$PG_DB" CRITICAL ": timeout expired$"
health db "mysql://$MY_USER@127.0.0.1:$HUNG_PORT/$MY_DB" --timeout 6s
assert_rc 2
assert_row "db mysql://$MY_USER@127.0.0.1:$HUNG_PORT/$MY_DB" CRITICAL ": Lost connection to server at 'handshake: reading initial communication packet'"
# Configured beside a server that answers, the hung one holds nothing up.
cp "$SCRATCH/ops.conf" "$SCRATCH/hung.conf"
cat >>"$SCRATCH/hung.conf" <<CONF

[health.hung]
check = db
target = postgresql://$PG_USER@127.0.0.1:$HUNG_PORT/$PG_DB
timeout = 2s

[health.up]
check = db
target = pg
CONF
run timeout 60 "$OPSHEALTH" -c "$SCRATCH/hung.conf" --format tsv
assert_rc 2
assert_row "db hung" CRITICAL
assert_row "db up" OK
assert_row "db up connections" OK

# --- side by side with check_pgsql and check_mysql ---------------------------------------
# twin EXPECTED-RC OURS-ARGS -- PEER-CMD…: both end with the same status.
twin() {
  local want=$1 ours=() peer_rc
  shift
  while [[ $1 != -- ]]; do ours+=("$1"); shift; done
  shift
  run "$@"  # the plugins end themselves (-t, default 10 s)
  peer_rc=$RC
  assert_eq "$peer_rc" "$want" "$(basename "$1") exit status (${OUT})"
  health "${ours[@]}"
  assert_eq "$RC" "$want" "opshealth ${ours[*]} exit status, as $(basename "$1") ($(cut -f1,2,5 "$OUT_FILE" | tr '\n' ';'))"
  assert_no_secret
}
MYCNF_WRONG=$SCRATCH/wrong.cnf
(umask 077 && printf '[client]\nuser=%s\npassword=%s\n' "$MY_USER" "$WRONG_SECRET" >"$MYCNF_WRONG")
export PGPASSFILE=$PGPASSFILE_T
pgsql() { "$PLUGINS/check_pgsql" -H "$PG_HOST" -l "$PG_USER" -d "$PG_DB" "$@"; }
mysqlp() { "$PLUGINS/check_mysql" -H "$MY_HOST" -d "$MY_DB" "$@"; }

twin 0 db pg -- pgsql -P "$PG_PORT"
twin 2 db pgdown -- pgsql -P "$DOWN_PORT"
(umask 077 && printf '%s:%s:*:%s:%s\n' "$PG_HOST" "$PG_PORT" "$PG_USER" "$WRONG_SECRET" >"$SCRATCH/wrong.pgpass")
PGPASSFILE=$SCRATCH/wrong.pgpass twin 2 db pgwrong -- pgsql -P "$PG_PORT"
# A time threshold crossed: check_pgsql's -w/-c are seconds, ours ranges with
# units ("1us"; a bare number is seconds too). Deliberate difference: ours
# times connect + SELECT 1, check_pgsql the connect alone.
twin 1 db pg --warn-time 1us --crit-time 8 -- pgsql -P "$PG_PORT" -w 0.000001 -c 8
twin 2 db pg --warn-time 2 --crit-time 1us -- pgsql -P "$PG_PORT" -w 2 -c 0.000001

twin 0 db my -- mysqlp -P "$MY_PORT" -f "$MYCNF"
twin 2 db mydown -- mysqlp -P "$DOWN_PORT" -f "$MYCNF"
twin 2 db mywrong -- mysqlp -P "$MY_PORT" -f "$MYCNF_WRONG"
# Deliberate difference: check_mysql has no latency threshold (its -w/-c are a
# replica's seconds behind, and judge nothing on a server that is not one), so
# the same crossed time threshold is CRITICAL for us and OK for it.
run timeout 60 "$PLUGINS/check_mysql" -H "$MY_HOST" -P "$MY_PORT" -d "$MY_DB" -f "$MYCNF" -w 0 -c 0
assert_rc 0
health db my --crit-time 1us
assert_rc 2
assert_row "db my" CRITICAL
unset PGPASSFILE

# --- replication lag: a streaming standby with replay paused -----------------------------
# The pair reports its replay position every second (wal_receiver_status_interval),
# so the primary's lag figures move within the test.
# shellcheck source=tests/integration/pg_pair.bash
. "$OPS_SOURCE_DIR/tests/integration/pg_pair.bash"
pg_pair_primary
pg_pair_standby "wal_receiver_status_interval = 1s"
cat >>"$SCRATCH/ops.conf" <<CONF

[db.primary]
dsn = postgresql://postgres@/app?host=$pair&port=5432

[db.standby]
dsn = postgresql://postgres@/app?host=$pair&port=5433

[db.watcher]
dsn = postgresql://watcher@/app?host=$pair&port=5432
CONF
primary "CREATE ROLE watcher LOGIN"
# lag_until STATUS ARGS…: run the check until its lag row is STATUS (the
# standby's reports arrive each second); at most 60 tries.
lag_until() {
  local want=$1 i
  shift
  for ((i = 0; i < 60; i++)); do
    health "$@"
    [[ $(col "db $2 lag" 2) == "$want" ]] && return 0
    sleep 0.5
  done
}

# A quiet primary whose standby has replayed everything: 0, however long quiet.
primary "CREATE TABLE t AS SELECT 1 AS x"
lag_until OK db primary --crit-lag 1s
sleep 3
health db primary --crit-lag 1s
assert_rc 0
assert_row "db primary lag" OK "^replay lag its standby reports$"
# Not the time since the last commit (over 3 s by now): at most what the
# replay of a record the primary writes on its own (running transactions,
# every 15 s) took.
[[ $(col "db primary lag" 3) =~ ^[0-9.]+\ ms$ ]] || fail "caught up, yet a lag of $(col "db primary lag" 3)"
ASSERTIONS=$((ASSERTIONS + 1))
health db standby --primary primary --crit-lag 1s
assert_rc 0
assert_row "db standby lag" OK "^replay lag its standby reports, as the primary postgresql://postgres@"
# A standby alone cannot tell: no row unless a lag threshold asks for one.
health db standby
assert_rc 0
assert_no_row "db standby lag"
health db standby --crit-lag 1s
assert_rc 3
assert_row "db standby lag" UNKNOWN "give --primary NAME\|DSN$"

# A role that may not read the standbys' figures (they show as NULL) cannot
# tell: UNKNOWN, never a lag of 0. With pg_monitor it can.
# Another role's session: the watcher counts it but cannot see into it, and says so.
(as_pg psql -X -q -h "$pair" -p 5432 -U postgres -d app -c "SELECT pg_sleep(30)" >"$SCRATCH/pg_sleeper.out" 2>&1 || true) &
pg_sleeper=$!
pg_sleeping_other() { primary "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND pid <> pg_backend_pid()"; }
for ((i = 0; i < 100; i++)); do [[ $(pg_sleeping_other) == 1 ]] && break; sleep 0.1; done
assert_eq "$(pg_sleeping_other)" 1 "a session of postgres asleep ($(cat "$SCRATCH/pg_sleeper.out"))"
health db watcher
assert_rc 3
assert_row "db watcher connections" OK "^[0-9]+ of 100 connections in use: [0-9]+ active, [0-9]+ idle, [0-9]+ idle in transaction; 1 session of other roles not visible \(grant pg_monitor\)$"
assert_row "db watcher query" OK "^no other statement running; 1 session of other roles not visible \(grant pg_monitor\)$"
primary "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$pg_sleeper"
assert_row "db watcher lag" UNKNOWN "may not read the standbys' figures in pg_stat_replication .*\(grant it pg_monitor\)$"
primary "GRANT pg_monitor TO watcher"
health db watcher --crit-lag 1s
assert_rc 0
assert_row "db watcher lag" OK "^replay lag its standby reports$"

standby "SELECT pg_wal_replay_pause()"
primary "INSERT INTO t SELECT 2"
lag_until CRITICAL db primary --crit-lag 1s
assert_rc 2
assert_row "db primary lag" CRITICAL "^replay lag its standby reports$"
health db standby --primary primary --warn-lag 1s --crit-lag 1h
assert_rc 1
assert_row "db standby lag" WARNING

standby "SELECT pg_wal_replay_resume()"
lag_until OK db primary --crit-lag 1s
assert_rc 0
assert_row "db primary lag" OK
finish
