#!/usr/bin/env bash
# opsdb analyze, vacuum, optimize and run on the real PostgreSQL and MariaDB
# test servers and on SQLite, each in a database of this test's own: space
# made by deleting rows is given back (sizes before > after), a table held by
# another session's lock is skipped within the lock timeout while the others
# are done, --dry-run lists every statement and changes nothing, thresholds
# leave tables that do not need the verb, and a verb the engine lacks is a
# message, not a failure.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
[[ -x ${OPSDB:-} ]] || fail "OPSDB is not set to the opsdb binary"

new_server_dbs

# The TSV report's column N (1-based) of TABLE's row.
col() { printf '%s\n' "$OUT" | awk -F'\t' -v t="$1" -v n="$2" '$1 == t { print $n }'; }
pg() { pg_sql "$1" "$PGDB"; }
my() { mysql_sql "$1" "$MYDB"; }

# --- PostgreSQL: vacuum gives back the space of deleted rows ----------------------
pg "CREATE TABLE big (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = off);
    INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 5000) g;
    CREATE TABLE small (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = off);
    INSERT INTO small SELECT g, 'v' FROM generate_series(1, 200) g;
    CREATE TABLE held (id int);"
# The end of big filled by an insert that rolled back: VACUUM always removes
# such rows and cuts the empty pages off. (Rows deleted by a committed
# DELETE would stay while any older transaction runs, in any database of the
# server: other tests hold some open, and the size would not drop.)
pg "BEGIN; INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(5001, 20000) g; ROLLBACK;"
size_big=$(pg "SELECT pg_total_relation_size('big')")
vacuums=$(pg "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'big'")

run "$OPSDB" vacuum "$PG" "${PGPW[@]}" --dry-run
assert_rc 0
assert_out_contains "SET lock_timeout = '5s'"
assert_out_contains 'VACUUM (ANALYZE) "public"."big";'
assert_out_contains 'VACUUM (ANALYZE) "public"."small";'
assert_eq "$(pg "SELECT pg_total_relation_size('big')")" "$size_big"
assert_eq "$(pg "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'big'")" "$vacuums"

run "$OPSDB" vacuum "$PG" "${PGPW[@]}" --full --dry-run --table big
assert_rc 0
assert_out_contains "ACCESS EXCLUSIVE lock"
assert_out_contains 'VACUUM (FULL, ANALYZE) "public"."big";'
assert_out_not_contains '"small"'

run "$OPSDB" --format tsv vacuum "$PG" "${PGPW[@]}"
assert_rc 0
assert_eq "$(col public.big 2)" done
before=$(col public.big 4) after=$(col public.big 5)
((before > after)) || fail "vacuum gave nothing back on big: before $before, after $after"
assert_eq "$before" "$size_big"
assert_eq "$(col public.small 2)" done
assert_eq "$(col public.held 2)" done

# --- thresholds: only the table with dead rows is vacuumed ---------------------------
pg "UPDATE small SET v = 'w' WHERE id <= 100"
# The statistics reach the server when the updating backend flushes them: wait for them.
for ((i = 0; i < 100; i++)); do
  [[ $(pg "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'small'") -ge 100 ]] && break
  sleep 0.1
done
run "$OPSDB" --format tsv vacuum "$PG" "${PGPW[@]}" --min-dead 10%
assert_rc 0
assert_eq "$(col public.small 2)" done
assert_eq "$(col public.big 2)" not-needed
assert_out_matches 'public\.big.*below --min-dead 10%'

# --- a table held by another session's lock is skipped; the rest is done ------------
(
  _t_make_pgpass
  _t_split_dsn "$OPS_TEST_PG_DSN"
  PGPASSFILE=$_T_LIB/pgpass psql -X -q -At -w -h "$_t_host" -p "$_t_port" -U "$_t_user" -d "$PGDB" \
    -c "BEGIN" -c "LOCK TABLE held IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep(120)" >/dev/null 2>&1 || true  # ended by the test
) &
holder=$!
at_exit kill "$holder"
at_exit pg "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(120)%'"
for ((i = 0; i < 200; i++)); do
  [[ $(pg "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'held' AND l.mode = 'AccessExclusiveLock' AND l.granted") == 1 ]] && break
  sleep 0.1
done
((i < 200)) || fail "the lock holder never took its lock"
run "$OPSDB" --format tsv vacuum "$PG" "${PGPW[@]}" --lock-timeout 2s --jobs 2
assert_rc 1
assert_eq "$(col public.held 2)" skipped
assert_out_matches 'public\.held.*lock not had within 2s'
assert_eq "$(col public.big 2)" done
assert_eq "$(col public.small 2)" done
assert_err_contains "public.held skipped"
pg "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(120)%'" >/dev/null
wait "$holder" 2>/dev/null || true

# --- --jobs never takes more than half the server's free connections ----------------------
# The test server has max_connections = 60: 64 workers cannot all connect.
pg "CREATE SCHEMA many; $(for i in $(seq 1 70); do printf 'CREATE TABLE many.t%d (id int); ' "$i"; done)"
run "$OPSDB" --format tsv analyze "$PG" "${PGPW[@]}" --table 'many.*' --jobs 64
assert_rc 0
assert_out_matches $'\tnote\t.*--jobs 64 lowered to [0-9]+: the server has [0-9]+ free connections, and opsdb takes at most half of them'
assert_eq "$(printf '%s\n' "$OUT" | grep -c $'^many\.t[0-9]*\tdone\t')" 70

# --- choosing tables; a glob that matches nothing changes nothing ----------------------
run "$OPSDB" --format tsv analyze "$PG" "${PGPW[@]}" --table 'b*' --table small --exclude small
assert_rc 0
assert_eq "$(col public.big 2)" done
assert_out_not_contains public.small
assert_out_not_contains public.held
assert_out_not_contains many.
analyzed=$(pg "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'small'")
run "$OPSDB" analyze "$PG" "${PGPW[@]}" --table small --table nosuch
assert_rc 3
assert_err_contains "--table 'nosuch' matches no table"
assert_eq "$(pg "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'small'")" "$analyzed"

# --- a verb the engine lacks is said, not failed ----------------------------------
run "$OPSDB" optimize "$PG" "${PGPW[@]}"
assert_rc 0
assert_out_contains "PostgreSQL has no OPTIMIZE"
run "$OPSDB" vacuum "$MY" "${MYPW[@]}"
assert_rc 0
assert_out_contains "MySQL/MariaDB has no VACUUM"

# --- MariaDB: OPTIMIZE of InnoDB is a rebuild, reported as such --------------------------
my "CREATE TABLE big (id int PRIMARY KEY, v varchar(300)) ENGINE=InnoDB;
    INSERT INTO big SELECT seq, repeat('x', 250) FROM seq_1_to_20000;
    DELETE FROM big WHERE id > 2000;
    CREATE TABLE aria (id int) ENGINE=Aria;
    INSERT INTO aria VALUES (1), (2);
    CREATE TABLE held (id int) ENGINE=InnoDB;"
run "$OPSDB" --format tsv optimize "$MY" "${MYPW[@]}"
assert_rc 0
assert_eq "$(col "$MYDB.big" 2)" rebuilt
assert_eq "$(col "$MYDB.big" 6)" "InnoDB: recreate + analyze"
before=$(col "$MYDB.big" 4) after=$(col "$MYDB.big" 5)
((before > after)) || fail "OPTIMIZE gave nothing back on big: before $before, after $after"
assert_eq "$(col "$MYDB.aria" 2)" done

# --- MariaDB: a table held by LOCK TABLES is skipped within the lock timeout ----------
(
  _t_make_mycnf
  mariadb --defaults-file="$_T_LIB/my.cnf" -N -B "$MYDB" -e "LOCK TABLES held WRITE; SELECT SLEEP(120);" >/dev/null 2>&1 || true  # ended by the test
) &
holder=$!
at_exit kill "$holder"
at_exit mysql_sql "SELECT 1" ""
for ((i = 0; i < 200; i++)); do
  [[ $(mysql_sql "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '$MYDB' AND INFO = 'SELECT SLEEP(120)'" "") == 1 ]] && break
  sleep 0.1
done
((i < 200)) || fail "the MariaDB lock holder never started"
holder_id=$(mysql_sql "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '$MYDB' AND INFO = 'SELECT SLEEP(120)'" "")
run "$OPSDB" --format tsv analyze "$MY" "${MYPW[@]}" --lock-timeout 2s
assert_rc 1
assert_eq "$(col "$MYDB.held" 2)" skipped
assert_eq "$(col "$MYDB.big" 2)" done
assert_eq "$(col "$MYDB.aria" 2)" done
mysql_sql "KILL $holder_id" "" || true
wait "$holder" 2>/dev/null || true

# --- SQLite: VACUUM and ANALYZE of the whole file ----------------------------------
LITE=$SCRATCH/app.db
sqlite3 "$LITE" "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO t SELECT i, printf('%0200d', i) FROM n;
  DELETE FROM t WHERE id > 2000;"
run "$OPSDB" --format tsv vacuum "sqlite://$LITE"
assert_rc 0
assert_eq "$(col '(database)' 2)" done
before=$(col '(database)' 4) after=$(col '(database)' 5)
((before > after)) || fail "SQLite VACUUM gave nothing back: before $before, after $after"
assert_eq "$(stat -c %s "$LITE")" "$after"
assert_eq "$(sqlite3 "$LITE" "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 't'")" 1
run "$OPSDB" vacuum "sqlite://$LITE" --min-dead 10% --format tsv
assert_rc 0
assert_eq "$(col '(database)' 2)" not-needed

# --- run: the configured upkeep, with metrics -------------------------------------
mkdir "$SCRATCH/metrics"
cat >"$SCRATCH/ops.conf" <<CONF
[db.pg]
dsn = $PG
password_file = $OPS_TEST_PG_PASSWORD_FILE

[dbupkeep]
lock_timeout = 3s

[dbupkeep.pg]
database = pg
verbs = analyze vacuum
exclude = held
exclude = many.*

[dbupkeep.my]
database = $MY
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE
verbs = optimize, analyze
table = big
CONF
run "$OPSDB" -c "$SCRATCH/ops.conf" --format tsv --metrics-dir "$SCRATCH/metrics" run
assert_rc 0
assert_out_matches $'^pg\tanalyze\tpublic\\.big\tdone'
assert_out_matches $'^pg\tvacuum\tpublic\\.small\tdone'
assert_out_matches $'^my\toptimize\t'"$MYDB"$'\\.big\trebuilt'
assert_out_not_contains held
metrics=$(cat "$SCRATCH"/metrics/*)
[[ $metrics =~ ops_db_tables_done[^0-9]*\ 6 ]] || fail "metrics do not count 6 tables done: $metrics"
run "$OPSDB" -c "$SCRATCH/ops.conf" -q run
assert_rc 0
assert_out_eq ""

printf '[dbupkeep.x]\ndatabase = pg\nverbs = analyse\n' >>"$SCRATCH/ops.conf"
run "$OPSDB" -c "$SCRATCH/ops.conf" run
assert_rc 3
assert_err_contains "ops.conf:21: verbs: invalid verb 'analyse'"
assert_err_contains "did you mean 'analyze'"
assert_out_eq ""

finish
