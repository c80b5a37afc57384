#!/usr/bin/env bash
# opsdb slow on the real servers: statements of known cost (a sleep of 0.4 s
# once, one of 0.01 s three times, an IN list of two lengths) ranked by
# total, mean, max and calls, from PostgreSQL's pg_stat_statements, from
# MariaDB's slow query log (plain, gzip-compressed, with its rotated
# predecessors) and from its performance_schema digests; the how-to when
# pg_stat_statements is missing; SQLite; bad usage.
#
# Each engine's statements are run in a database of this test only, and
# only that database's rows are looked at: the servers are shared.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
[[ -x ${OPSDB:-} ]] || fail "OPSDB is not set to the opsdb binary"
[[ -n ${OPS_TEST_SERVERS_DIR:-} ]] || fail "OPS_TEST_SERVERS_DIR is not set"
[[ -n ${OPS_TEST_MYSQL_SLOW_LOG:-} ]] ||
  fail "OPS_TEST_MYSQL_SLOW_LOG is not set: servers started by an older scripts/test-servers (stop them: scripts/test-servers stop)"

# Admin access through the servers' sockets, as the system user that started them.
SERVERS_RUN=$(readlink -f "$OPS_TEST_SERVERS_DIR/run")
PG_SUPER=$(id -un)
((EUID == 0)) && PG_SUPER=postgres
as_pg() { if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
my_admin() { mariadb --no-defaults --socket="$SERVERS_RUN/mysql/mysqld.sock" -u "$(id -un)" -N -B -e "$1"; }
pg_admin() {
  as_pg psql -X -q -At -v ON_ERROR_STOP=1 -h "$SERVERS_RUN/pg" -p "$OPS_TEST_PG_PORT" -U "$PG_SUPER" -d "$2" -c "$1"
}

new_server_dbs

# col NAME: the values of column NAME of the TSV output ($OUT_FILE) of the
# rows of database $DB whose query matches $LIKE (an awk regex), in order.
col() {
  awk -F'\t' -v name="$1" -v db="$DB" -v like="$LIKE" '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["database"] == db && $c["query"] ~ like { print $c[name] }' "$OUT_FILE"
}
# rank LIKE: the line of the first row of $DB whose query matches LIKE.
rank() {
  awk -F'\t' -v db="$DB" -v like="$1" '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["database"] == db && $c["query"] ~ like { print NR; exit }' "$OUT_FILE"
}
# before A B: A's row comes before B's.
before() {
  local a b
  a=$(rank "$1") b=$(rank "$2")
  ASSERTIONS=$((ASSERTIONS + 1))
  [[ -n $a && -n $b ]] && ((a < b)) || _t_fail "'$1' (row ${a:-none}) does not come before '$2' (row ${b:-none})"
}

# ---------------------------------------------------------------- PostgreSQL
# A database without the extension: the how-to, word for word.
run "$OPSDB" slow "$PG" "${PGPW[@]}"
assert_rc 3
assert_err_contains "pg_stat_statements is not installed in $PG"
assert_err_contains "shared_preload_libraries = 'pg_stat_statements'"
assert_err_contains "CREATE EXTENSION pg_stat_statements; in database $PGDB"

pg_admin "CREATE EXTENSION pg_stat_statements" "$PGDB"
pg_sql "CREATE TABLE quick_t (a int); INSERT INTO quick_t VALUES (1);
        CREATE TABLE slow_t (a int); INSERT INTO slow_t VALUES (1);" "$PGDB"
# From here on only this test's statements count in this database.
pg_admin "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)" "$PGDB" >/dev/null
for i in 1 2 3; do pg_sql "SELECT pg_sleep(0.01) FROM quick_t" "$PGDB" >/dev/null; done
pg_sql "SELECT pg_sleep(0.4) FROM slow_t" "$PGDB" >/dev/null
pg_sql "SELECT * FROM quick_t WHERE a IN (1, 2)" "$PGDB" >/dev/null
pg_sql "SELECT * FROM quick_t WHERE a IN (1, 2, 3)" "$PGDB" >/dev/null

DB=$PGDB
run "$OPSDB" slow "$PG" "${PGPW[@]}" --format tsv --top 0
assert_rc 0
assert_out_matches $'^calls\ttotal_seconds\tmean_seconds\tmax_seconds\trows\tdatabase\tquery$'
LIKE='^select pg_sleep\\(\\?\\) from slow_t$'
assert_eq "$(col calls)" 1 "calls of the 0.4 s statement"
LIKE='^select pg_sleep\\(\\?\\) from quick_t$'
assert_eq "$(col calls)" 3 "calls of the 0.01 s statement"
assert_eq "$(col rows)" 3 "rows of the 0.01 s statement"
# pg_stat_statements keeps an IN list of each length apart; they are one here.
LIKE='^select \\* from quick_t where a in \\(\\?\\+\\)$'
assert_eq "$(col calls)" 2 "the IN lists of two lengths are one statement"
before 'from slow_t' 'from quick_t$'
run "$OPSDB" slow "$PG" "${PGPW[@]}" --format tsv --top 0 --sort mean
before 'from slow_t' 'from quick_t$'
run "$OPSDB" slow "$PG" "${PGPW[@]}" --format tsv --top 0 --sort max
before 'from slow_t' 'from quick_t$'
run "$OPSDB" slow "$PG" "${PGPW[@]}" --format tsv --top 0 --sort calls
before 'from quick_t$' 'from slow_t'
# --top 1: the 0.4 s sleep is the one statement that took most of the time.
run "$OPSDB" slow "$PG" "${PGPW[@]}" --top 1
assert_rc 0
assert_eq "$(wc -l <"$OUT_FILE")" 2 "a header and one statement"
assert_out_matches "^ +1 +[0-9.]+ m?s +[0-9.]+ m?s +[0-9.]+ m?s +1 +$PGDB +select pg_sleep\(\?\) from slow_t$"
run "$OPSDB" slow "$PG" "${PGPW[@]}" --format json --top 1
assert_eq "$(jq -r '.[0].query + " " + (.[0].calls | tostring) + " " + (.[0].total_seconds >= 0.4 | tostring)' "$OUT_FILE")" \
  "select pg_sleep(?) from slow_t 1 true" "JSON: the query, its calls and its total time in seconds"

# ------------------------------------------------------------------- MariaDB
mysql_sql "CREATE TABLE quick_t (a INT); INSERT INTO quick_t VALUES (1);
           CREATE TABLE slow_t (a INT); INSERT INTO slow_t VALUES (1);" "$MYDB"
# The digests of the whole run of tests may have filled performance_schema's
# table (5000 rows), after which new statements are not told apart: emptied,
# so that this test's count.
my_admin "TRUNCATE TABLE performance_schema.events_statements_summary_by_digest"
# The server logs every statement of a session that sets long_query_time 0
# (the others' only from 10 s).
mysql_sql "SET SESSION long_query_time = 0;
           SELECT SLEEP(0.01) FROM quick_t; SELECT SLEEP(0.01) FROM quick_t; SELECT SLEEP(0.01) FROM quick_t;
           SELECT SLEEP(0.4) FROM slow_t;
           SELECT * FROM quick_t WHERE a IN (1, 2); SELECT * FROM quick_t WHERE a IN (1, 2, 3);" "$MYDB" >/dev/null

DB=$MYDB
run "$OPSDB" slow --log "$OPS_TEST_MYSQL_SLOW_LOG" --format tsv --top 0
assert_rc 0
assert_out_matches $'^calls\ttotal_seconds\tmean_seconds\tmax_seconds\trows\trows_examined\tdatabase\tquery\texample$'
LIKE='^select sleep\\(\\?\\) from slow_t$'
assert_eq "$(col calls)" 1 "calls of the 0.4 s statement"
assert_eq "$(col example)" "SELECT SLEEP(0.4) FROM slow_t;" "the example as the client sent it"
LIKE='^select sleep\\(\\?\\) from quick_t$'
assert_eq "$(col calls)" 3 "calls of the 0.01 s statement"
assert_eq "$(col rows_examined)" 3 "rows examined"
LIKE='^select \\* from quick_t where a in \\(\\?\\+\\)$'
assert_eq "$(col calls)" 2 "the IN lists of two lengths are one statement"
before 'from slow_t' 'from quick_t$'
run "$OPSDB" slow --log "$OPS_TEST_MYSQL_SLOW_LOG" --format tsv --top 0 --sort calls
before 'from quick_t$' 'from slow_t'
run "$OPSDB" slow --log "$OPS_TEST_MYSQL_SLOW_LOG" --top 0 -v
assert_out_matches "^ +1 +[0-9.]+ (ms|s) .* $MYDB +select sleep\(\?\) from slow_t +SELECT SLEEP\(0\.4\) FROM slow_t;$"

# The same log compressed, and as the rotated predecessor of a current one.
mkdir logs
cp "$OPS_TEST_MYSQL_SLOW_LOG" logs/slow.log.1
gzip -c logs/slow.log.1 >logs/copy.gz
run "$OPSDB" slow --log logs/copy.gz --format tsv --top 0
assert_rc 0
LIKE='^select sleep\\(\\?\\) from quick_t$'
assert_eq "$(col calls)" 3 "the compressed log is read"
gzip logs/slow.log.1
cp "$OPS_TEST_MYSQL_SLOW_LOG" logs/slow.log
run "$OPSDB" slow --log logs/slow.log --rotated --format tsv --top 0
assert_rc 0
assert_eq "$(col calls)" 6 "the log and its rotated predecessor are read"
run "$OPSDB" slow --log logs/slow.log --format tsv --top 0
assert_eq "$(col calls)" 3 "without --rotated, only the log"

# performance_schema's digests, of the DSN's database only.
run "$OPSDB" slow "$MY" "${MYPW[@]}" --format tsv --top 0
assert_rc 0
assert_out_not_contains $'\tops_test\t'
LIKE='^select sleep\\(\\?\\) from slow_t$'
assert_eq "$(col calls)" 1 "calls of the 0.4 s statement (performance_schema)"
LIKE='^select sleep\\(\\?\\) from quick_t$'
assert_eq "$(col calls)" 3 "calls of the 0.01 s statement (performance_schema)"
before 'from slow_t' 'from quick_t$'
LIKE='^select \\* from quick_t where a in \\(\\?\\+\\)$'
assert_eq "$(col calls)" 2 "performance_schema's IN (...) is the same statement"

# -------------------------------------------------------- SQLite, bad usage
run "$OPSDB" slow "sqlite://$SCRATCH/app.db?mode=rwc"
assert_rc 0
assert_out_contains "SQLite keeps no statistics of statements"
run "$OPSDB" slow "$MY" --log logs/slow.log
assert_rc 3
assert_err_contains "give NAME|DSN or --log FILE, not both"
run "$OPSDB" slow
assert_rc 3
run "$OPSDB" slow "$MY" "${MYPW[@]}" --rotated
assert_rc 3
run "$OPSDB" slow --log logs/slow.log --sort fastest
assert_rc 3
run "$OPSDB" slow --log logs/missing.log
assert_rc 3
assert_err_contains "logs/missing.log"
