#!/usr/bin/env bash
# opsdb check on real files and servers: a SQLite file healthy, then with a
# page of an index overwritten by dd (critical, the table named); MariaDB
# CHECK TABLE on InnoDB, MEMORY (not checkable) and a MyISAM table whose
# data file was cut short (critical); PostgreSQL without amcheck (the
# how-to, exit 1), with amcheck but no right to call it, then allowed; and a
# B-tree index corrupted on disk, in a cluster of this test's own (the
# shared server cannot be stopped to empty its buffers), found by amcheck.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
[[ -x ${OPSDB:-} ]] || fail "OPSDB is not set to the opsdb binary"
[[ -n ${OPS_TEST_SERVERS_DIR:-} ]] || fail "OPS_TEST_SERVERS_DIR is not set"
# shellcheck source=tests/integration/pg_pair.bash
. "$(dirname "$0")/pg_pair.bash"

SERVERS_RUN=$(readlink -f "$OPS_TEST_SERVERS_DIR/run")

unset PGPASSWORD PGPASSFILE
# check ARGS…: one run, TSV.
check() { run timeout 120 "$OPSDB" --format tsv check "$@"; }
# col TABLE NAME: the column NAME of TABLE's line in the last run's TSV (the
# notes of the run, "(database) note …", left out).
col() {
  awk -F'\t' -v t="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if (tolower($i) == c) n = i }
    NR > 1 && $1 == t && $2 != "note" { print $n }' "$OUT_FILE"
}

# --- SQLite ----------------------------------------------------------------------
DB=$SCRATCH/app.db
sqlite3 "$DB" <<'SQL'
PRAGMA page_size = 4096;
CREATE TABLE cases (id INTEGER PRIMARY KEY, ref TEXT);
CREATE INDEX cases_ref ON cases (ref);
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000)
INSERT INTO cases SELECT i, printf('ref-%06d', i) FROM c;
INSERT INTO notes VALUES (1, 'first');
SQL
check "sqlite://$DB"
assert_rc 0
assert_eq "$(col '(database)' result)" ok "a healthy file is ok"
assert_eq "$(col '(database)' detail)" "integrity_check and foreign_key_check: ok"

# A page of the index's b-tree overwritten: where it is, from the file itself.
page_size=$(sqlite3 "$DB" 'PRAGMA page_size')
root=$(sqlite3 "$DB" "SELECT rootpage FROM sqlite_master WHERE name = 'cases_ref'")
head -c "$page_size" /dev/zero | tr '\0' 'Z' | dd of="$DB" bs="$page_size" seek=$((root - 1)) count=1 conv=notrunc status=none
check "sqlite://$DB"
assert_rc 2
assert_eq "$(col '(database)' result)" corrupt "a damaged index is corruption"
[[ $(col '(database)' detail) == "integrity_check found "*" problems: table cases: "* ]] ||
  fail "the problems are named by their table: $(col '(database)' detail)"
ASSERTIONS=$((ASSERTIONS + 1))
assert_out_not_contains "table notes:"

# --- MariaDB: CHECK TABLE -------------------------------------------------------
new_mysql_db MYDB
mysql_sql "CREATE TABLE inno (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB;
  INSERT INTO inno SELECT seq, CONCAT('v', seq) FROM seq_1_to_500;
  CREATE TABLE mem (id INT) ENGINE=MEMORY;
  CREATE TABLE mya (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=MyISAM;
  INSERT INTO mya SELECT seq, CONCAT('v', seq) FROM seq_1_to_2000;" "$MYDB"
MY=$(mysql_dsn "$MYDB")
check "$MY" --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE"
assert_rc 0
assert_eq "$(col "$MYDB.inno" result)" ok
assert_eq "$(col "$MYDB.mya" result)" ok
assert_eq "$(col "$MYDB.mem" result)" not-checkable "MEMORY cannot check: said, not failed"
assert_eq "$(col "$MYDB.mem" detail)" "note: The storage engine for the table doesn't support check"

# The MyISAM data file cut short once the server has closed it (InnoDB is not
# damaged here: that would take the shared server down).
mysql_sql "FLUSH TABLES mya" "$MYDB"
truncate -s -100 "$SERVERS_RUN/mysql/data/$MYDB/mya.MYD"
check "$MY" --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE"
assert_rc 2
assert_eq "$(col "$MYDB.mya" result)" corrupt
[[ $(col "$MYDB.mya" detail) == *"Size of datafile is: "*" Should be: "* ]] ||
  fail "the engine's words are in the detail: $(col "$MYDB.mya" detail)"
ASSERTIONS=$((ASSERTIONS + 1))
assert_eq "$(col "$MYDB.inno" result)" ok "the other tables are still checked"
check "$MY" --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE" --table inno --extended
assert_rc 0
assert_eq "$(col "$MYDB.inno" result)" ok "CHECK TABLE … EXTENDED"

# --- PostgreSQL: amcheck missing, not allowed, then allowed --------------------------
new_pg_db PGDB
pg_sql "CREATE TABLE cases (id int PRIMARY KEY, ref text, tags text[]);
  INSERT INTO cases SELECT i, 'ref-' || i, ARRAY['a'] FROM generate_series(1, 2000) i;
  CREATE INDEX cases_ref ON cases (ref);
  CREATE INDEX cases_tags ON cases USING gin (tags);
  CREATE TABLE bare (x int);" "$PGDB"
PG=$(pg_dsn "$PGDB")
pgcheck() { check "$PG" --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$@"; }
pgcheck
assert_rc 1
assert_eq "$(col public.cases result)" not-checked "without amcheck nothing is checked: a warning"
assert_out_contains "amcheck is not installed in database $PGDB"
assert_out_contains "CREATE EXTENSION amcheck"

pg_admin "CREATE EXTENSION amcheck" "$PGDB"
pgcheck
assert_rc 1
assert_eq "$(col public.cases result)" not-checked "amcheck's functions are the superuser's until granted"
assert_out_contains "GRANT EXECUTE ON FUNCTION public.bt_index_check(regclass, boolean)"

pg_admin "GRANT EXECUTE ON FUNCTION bt_index_check(regclass, boolean) TO ops_test" "$PGDB"
pgcheck
assert_rc 0
assert_eq "$(col public.cases result)" ok
assert_eq "$(col public.cases detail)" \
  "3 B-tree indexes checked; amcheck cannot check cases_tags (gin)" "the table's, its TOAST table's; GIN named"
assert_eq "$(col public.bare result)" not-checkable "no index, no --extended: nothing for amcheck"
pgcheck --extended
assert_rc 1
assert_eq "$(col public.cases result)" not-checked "--extended asked for verify_heapam, which may not be called"
assert_out_contains "ops_test may not call verify_heapam, which --extended needs: as a superuser, run GRANT EXECUTE"
pg_admin "GRANT EXECUTE ON FUNCTION verify_heapam(regclass, boolean, boolean, text, bigint, bigint) TO ops_test" "$PGDB"
pgcheck --extended
assert_rc 0
assert_eq "$(col public.cases detail)" \
  "3 B-tree indexes checked, the table's rows checked (verify_heapam); amcheck cannot check cases_tags (gin)"
assert_eq "$(col public.bare result)" ok
pgcheck --dry-run --table cases
assert_rc 0
assert_out_contains "SELECT public.bt_index_check('public.cases_ref'::regclass, false);"
assert_out_matches "^-- pg_toast\.pg_toast_[0-9]+_index, the TOAST table's index, by its OID:$"

# --- PostgreSQL: an index corrupted on disk ---------------------------------------
pg_pair_primary
primary "CREATE EXTENSION amcheck"
primary "CREATE TABLE cases (id int PRIMARY KEY, ref text);
  INSERT INTO cases SELECT i, 'ref-' || lpad(i::text, 6, '0') FROM generate_series(1, 5000) i;
  CREATE INDEX cases_ref ON cases (ref)"
file=$pair/primary/$(primary "SELECT pg_relation_filepath('cases_ref')")
# Stopped cleanly, the server has written every page and keeps none in memory.
as_pg "$bin/pg_ctl" -D "$pair/primary" -w stop >/dev/null
grep -c 'ref-002500' "$file" >/dev/null || fail "the key is not in $file"
perl -0777 -pi -e 's/ref-002500/ref-009999/' "$file"
as_pg "$bin/pg_ctl" -D "$pair/primary" -l "$pair/primary.log" -w -t 60 start >/dev/null
check "postgresql://postgres@/app?host=$pair&port=5432"
assert_rc 2
assert_eq "$(col public.cases result)" corrupt "a key out of order is corruption"
[[ $(col public.cases detail) == "index cases_ref: "*"invariant violated for index \"cases_ref\""* ]] ||
  fail "the index is named with amcheck's words: $(col public.cases detail)"
ASSERTIONS=$((ASSERTIONS + 1))
