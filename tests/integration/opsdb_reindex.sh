#!/usr/bin/env bash
# opsdb reindex on the real servers. PostgreSQL: a REINDEX TABLE CONCURRENTLY
# cancelled (pg_cancel_backend) while it waits for a writer's transaction
# leaves invalid _ccnew indexes; --dry-run lists their DROP and the REINDEX
# and changes nothing; the run drops them, leaves a failed CREATE INDEX
# CONCURRENTLY's index alone with what to do (exit 1), and rebuilds the
# rest. A run of ours that loses its lock says what it left, and the next
# run clears it. A TOAST table's leftover, which only a superuser may drop:
# the note says how. SQLite REINDEX; MariaDB has none (a message, exit 0).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
[[ -x ${OPSDB:-} ]] || fail "OPSDB is not set to the opsdb binary"

new_pg_db DB
PG=$(pg_dsn "$DB")
_t_split_dsn "$OPS_TEST_PG_DSN"
# psql as ops_test in DB, named by its application_name.
session() {  # NAME psql-args…
  local name=$1
  shift
  PGAPPNAME=$name PGPASSFILE=$(pg_passfile) psql -X -q -At -w -h "$_t_host" -p "$_t_port" -U "$_t_user" -d "$DB" "$@"
}
sql() { pg_sql "$1" "$DB"; }
# wait_for SQL: until SQL answers t (each try a fresh query; a bounded wait for a state, not a timing).
wait_for() {
  local i
  for ((i = 0; i < 300; i++)); do
    [[ $(sql "$1") == t ]] && return 0
    sleep 0.1
  done
  fail "never true: $1"
}

# A writer's open transaction on TABLE, held until release: REINDEX
# CONCURRENTLY waits for it after making its new copies.
hold() {  # TABLE
  mkfifo "$SCRATCH/writer.in"
  session writer <"$SCRATCH/writer.in" >"$SCRATCH/writer.out" 2>&1 &
  WRITER=$!
  exec {WRITER_FD}>"$SCRATCH/writer.in"
  printf 'BEGIN;\nINSERT INTO %s (id) VALUES (-1);\n' "$1" >&"$WRITER_FD"
  wait_for "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid)
            WHERE a.application_name = 'writer' AND l.relation = '$1'::regclass AND l.granted)"
}
release() {
  printf 'ROLLBACK;\n' >&"$WRITER_FD"
  exec {WRITER_FD}>&-
  wait "$WRITER"
  rm -f "$SCRATCH/writer.in"
}
invalid() { sql "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_index i
                 JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid"; }
reindex() { run timeout 120 "$OPSDB" --format tsv reindex "$PG" --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$@"; }
col() {  # TABLE NAME: column NAME of TABLE's line (notes left out)
  awk -F'\t' -v t="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i }
    NR > 1 && $1 == t && $2 != "note" { print $n }' "$OUT_FILE"
}
notes() { awk -F'\t' 'NR > 1 && $2 == "note" { print $6 }' "$OUT_FILE"; }

sql "CREATE TABLE cases (id int PRIMARY KEY, ref int, flag int);
  INSERT INTO cases SELECT i, i % 1000, i % 7 FROM generate_series(1, 20000) i;
  CREATE INDEX cases_ref ON cases (ref);
  CREATE TABLE plain (x int)"
# A CREATE INDEX CONCURRENTLY that failed (duplicates): an invalid index of another name.
run pg_sql "CREATE UNIQUE INDEX CONCURRENTLY cases_flag ON cases (flag)" "$DB"
assert_err_contains "could not create unique index"

# --- a REINDEX CONCURRENTLY cancelled while it waits for a writer -----------------
hold cases
session reindexer -c "REINDEX TABLE CONCURRENTLY cases" >"$SCRATCH/reindexer.out" 2>&1 &
REINDEXER=$!
wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p JOIN pg_stat_activity a USING (pid)
          WHERE a.application_name = 'reindexer' AND p.phase = 'waiting for writers before build')"
assert_eq "$(sql "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'reindexer'")" t
RC=0
wait "$REINDEXER" || RC=$?
assert_rc 1
grep -q 'canceling statement due to user request' "$SCRATCH/reindexer.out" || fail "not cancelled: $(cat "$SCRATCH/reindexer.out")"
release
assert_eq "$(invalid)" "cases_flag cases_pkey_ccnew cases_ref_ccnew" "the cancelled REINDEX left its new copies"

pkey_file=$(sql "SELECT pg_relation_filenode('cases_pkey')")
run timeout 120 "$OPSDB" reindex "$PG" --password-file "$OPS_TEST_PG_PASSWORD_FILE" --dry-run
assert_rc 0
assert_out_contains "-- would run first: DROP INDEX CONCURRENTLY IF EXISTS public.cases_pkey_ccnew; (invalid, left by an interrupted REINDEX CONCURRENTLY of cases)"
assert_out_contains "-- would run first: DROP INDEX CONCURRENTLY IF EXISTS public.cases_ref_ccnew;"
assert_out_contains "-- invalid index public.cases_flag on cases left alone: a CREATE INDEX CONCURRENTLY failed there or is running now."
assert_out_contains 'REINDEX TABLE CONCURRENTLY "public"."cases";'
assert_out_contains "-- public.plain: not needed: no index"
assert_out_not_contains "DROP INDEX CONCURRENTLY IF EXISTS public.cases_flag"
assert_eq "$(invalid)" "cases_flag cases_pkey_ccnew cases_ref_ccnew" "a dry run drops nothing"
assert_eq "$(sql "SELECT pg_relation_filenode('cases_pkey')")" "$pkey_file" "a dry run rebuilds nothing"

reindex
assert_rc 1
notes >"$SCRATCH/notes"
grep -qx "dropped public.cases_pkey_ccnew: invalid, left by an interrupted REINDEX CONCURRENTLY of cases" "$SCRATCH/notes" ||
  fail "the leftover is dropped and said: $(cat "$SCRATCH/notes")"
grep -qx "dropped public.cases_ref_ccnew: invalid, left by an interrupted REINDEX CONCURRENTLY of cases" "$SCRATCH/notes" ||
  fail "both leftovers: $(cat "$SCRATCH/notes")"
grep -q "^invalid index public.cases_flag on cases left alone: .*REINDEX INDEX CONCURRENTLY public.cases_flag rebuilds it, or DROP INDEX CONCURRENTLY public.cases_flag removes it$" "$SCRATCH/notes" ||
  fail "what to do with the failed CREATE INDEX CONCURRENTLY: $(cat "$SCRATCH/notes")"
ASSERTIONS=$((ASSERTIONS + 3))
assert_eq "$(col public.cases result)" done
assert_eq "$(col public.cases detail)" \
  "2 indexes rebuilt concurrently; invalid index cases_flag not rebuilt (see the notes)"
assert_eq "$(col public.plain result)" not-needed
assert_eq "$(invalid)" "cases_flag" "the leftovers are gone, the other invalid index is not"
[[ $(sql "SELECT pg_relation_filenode('cases_pkey')") != "$pkey_file" ]] || fail "cases_pkey was not rebuilt"
ASSERTIONS=$((ASSERTIONS + 1))

sql "DROP INDEX cases_flag"
reindex
assert_rc 0
assert_eq "$(notes)" "" "nothing left to say"
assert_eq "$(col public.cases detail)" "2 indexes rebuilt concurrently"

# --- a run of ours that loses its lock clears up, or says what the next run clears ---
hold cases
reindex --lock-timeout 1s --table cases
assert_rc 1
assert_eq "$(col public.cases result)" skipped
assert_eq "$(col public.cases detail)" "lock not had within 1s: another session holds it; it left cases_pkey_ccnew, cases_ref_ccnew (invalid): the next opsdb reindex drops them"
release
reindex --table cases
assert_rc 0
assert_eq "$(notes | sort)" "dropped public.cases_pkey_ccnew: invalid, left by an interrupted REINDEX CONCURRENTLY of cases
dropped public.cases_ref_ccnew: invalid, left by an interrupted REINDEX CONCURRENTLY of cases"
assert_eq "$(invalid)" "" "no invalid index is left"

# --- a TOAST table's leftover: the superuser's to drop ----------------------------------
sql "CREATE TABLE docs (id int PRIMARY KEY, body text); INSERT INTO docs VALUES (1, repeat('x', 10000))"
hold docs
run session reindexer -c "SET lock_timeout = '1s'" -c "REINDEX TABLE CONCURRENTLY docs"
assert_err_contains "canceling statement due to lock timeout"
release
toast_index=$(sql "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                   WHERE NOT i.indisvalid AND c.relnamespace = 'pg_toast'::regnamespace")
[[ $toast_index == pg_toast_*_index_ccnew ]] || fail "the TOAST table's index has a leftover: [$toast_index]"
ASSERTIONS=$((ASSERTIONS + 1))
reindex --table docs
assert_rc 1
assert_eq "$(notes)" "could not drop pg_toast.$toast_index (invalid, left by an interrupted REINDEX CONCURRENTLY of docs): only a superuser may drop an index of a TOAST table: as one, run DROP INDEX CONCURRENTLY pg_toast.$toast_index;
dropped public.docs_pkey_ccnew: invalid, left by an interrupted REINDEX CONCURRENTLY of docs"
assert_eq "$(col public.docs detail)" "2 indexes rebuilt concurrently; invalid index pg_toast.$toast_index not rebuilt (see the notes)"
pg_admin "DROP INDEX CONCURRENTLY pg_toast.$toast_index;" "$DB"
reindex --table docs
assert_rc 0
assert_eq "$(invalid)" ""

# --- SQLite, and MariaDB which has none ---------------------------------------------
sqlite3 "$SCRATCH/app.db" "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT UNIQUE, c TEXT);
  CREATE INDEX t_c ON t (c); CREATE TABLE bare (a INTEGER PRIMARY KEY); INSERT INTO t VALUES (1, 'x', 'y')"
run "$OPSDB" --format tsv reindex "sqlite://$SCRATCH/app.db"
assert_rc 0
assert_eq "$(col main.t detail)" "2 indexes rebuilt"
assert_eq "$(col main.bare result)" not-needed
[[ $(sqlite3 "$SCRATCH/app.db" 'PRAGMA integrity_check') == ok ]] || fail "the file is sound"
ASSERTIONS=$((ASSERTIONS + 1))

run "$OPSDB" reindex "$OPS_TEST_MYSQL_DSN" --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE"
assert_rc 0
assert_out_contains "MySQL/MariaDB has no REINDEX: \`opsdb optimize\` rebuilds a table together with its indexes"
