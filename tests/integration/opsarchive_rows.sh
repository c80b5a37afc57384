#!/usr/bin/env bash
# opsarchive rows against the real PostgreSQL and MariaDB test servers and a
# SQLite file: every destination (table, another server, CSV/JSON-lines file,
# purge), composite keys, NULLs, large values, a where clause that matches
# nothing, NOW() fixed at the start, a concurrent writer and updater, the dry
# run, the journal of a file batch left by a crash, and bad input (exit 3,
# nothing moved).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/bootstrap installs it)"

export OPS_NOW=2026-12-02T12:00:00Z
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_ARCHIVE_' || true)

new_pg_db PGDB
new_pg_db PGDB2
new_mysql_db MYDB
new_mysql_db MYDB2
LITE=$SCRATCH/app.db
LITE2=$SCRATCH/archive.db
cat >"$SCRATCH/ops.conf" <<EOF
[db.pg]
dsn = $(pg_dsn "$PGDB")
password_file = $OPS_TEST_PG_PASSWORD_FILE

[db.pg2]
dsn = $(pg_dsn "$PGDB2")
password_file = $OPS_TEST_PG_PASSWORD_FILE

[db.my]
dsn = $(mysql_dsn "$MYDB")
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE

[db.pg_again]
dsn = $(pg_dsn "$PGDB" | sed 's/@127.0.0.1:/@localhost:/')
password_file = $OPS_TEST_PG_PASSWORD_FILE

[db.my_again]
dsn = $(mysql_dsn "$MYDB")
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE

[db.my_other]
dsn = $(mysql_dsn "$MYDB2")
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE

[db.lite]
dsn = sqlite://$LITE

[db.lite_again]
dsn = sqlite://$SCRATCH/./app.db

[db.lite2]
dsn = sqlite://$LITE2?mode=rwc
EOF
arch() { run "$OPSARCHIVE" -c "$SCRATCH/ops.conf" "$@"; }
lite() { sqlite3 -batch -noheader "$LITE" "$@"; }
# One error line (and perhaps a hint), nothing else.
assert_one_error() {
  assert_eq "$(grep -c 'error:' "$ERR_FILE")" 1 "one error line"
  assert_eq "$(grep -vc -e 'error:' -e 'hint:' "$ERR_FILE" || true)" 0 "nothing but the error and a hint on stderr"
}

# 3000 audit rows an hour apart ending 2026-12-02: 839 of them older than 90
# days. Every 7th details is NULL, every 11th the empty string, some hold
# commas, quotes and newlines, id 5 a 200 KB value.
PG_AUDIT="CREATE TABLE audit (id bigint PRIMARY KEY, created_at timestamp NOT NULL, user_id int,
            action varchar(32) NOT NULL, details text);
          INSERT INTO audit SELECT g, timestamp '2026-12-02 12:00' - (3000 - g) * interval '1 hour', g % 50,
            'act' || g % 5,
            CASE WHEN g % 7 = 0 THEN NULL WHEN g % 11 = 0 THEN '' WHEN g % 13 = 0 THEN 'a, \"b\"' || chr(10) || 'c'
                 WHEN g = 5 THEN repeat('x', 200000) ELSE 'details ' || g END
          FROM generate_series(1, 3000) g;
          CREATE TABLE audit_pristine AS SELECT * FROM audit;"
pg_sql "$PG_AUDIT" "$PGDB"
mysql_sql "CREATE TABLE audit (id bigint PRIMARY KEY, created_at datetime NOT NULL, user_id int,
             action varchar(32) NOT NULL, details mediumtext);
           INSERT INTO audit SELECT seq, TIMESTAMP'2026-12-02 12:00:00' - INTERVAL (3000 - seq) HOUR, seq % 50,
             CONCAT('act', seq % 5),
             CASE WHEN seq % 7 = 0 THEN NULL WHEN seq % 11 = 0 THEN '' WHEN seq % 13 = 0 THEN CONCAT('a, \"b\"', CHAR(10), 'c')
                  WHEN seq = 5 THEN REPEAT('x', 200000) ELSE CONCAT('details ', seq) END
           FROM seq_1_to_3000;
           CREATE TABLE audit_pristine AS SELECT * FROM audit;" "$MYDB"
lite "CREATE TABLE audit (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, user_id INT, action TEXT NOT NULL, details TEXT);
      WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 3000)
      INSERT INTO audit SELECT n, datetime('2026-12-02 12:00:00', '-' || (3000 - n) || ' hours'), n % 50, 'act' || (n % 5),
        CASE WHEN n % 7 = 0 THEN NULL WHEN n % 11 = 0 THEN '' WHEN n % 13 = 0 THEN 'a, \"b\"' || char(10) || 'c'
             WHEN n = 5 THEN printf('%.*c', 200000, 'x') ELSE 'details ' || n END FROM g;
      CREATE TABLE audit_pristine AS SELECT * FROM audit;"
OLD=839  # rows older than 90 days at OPS_NOW (ids 1-839)
PG_WHERE="created_at < now() - interval '90 days'"
MY_WHERE="created_at < NOW() - INTERVAL 90 DAY"
LITE_WHERE="created_at < datetime('now', '-90 days')"

# Row fingerprints that do not depend on the engine's text forms of dates.
pg_print() { pg_sql "SELECT count(*), coalesce(sum(id), 0), count(details), coalesce(sum(length(details)), 0) FROM $1" "${2:-$PGDB}"; }
my_print() { mysql_sql "SELECT count(*), coalesce(sum(id), 0), count(details), coalesce(sum(length(details)), 0) FROM $1" "$MYDB" | tr "\t" "|"; }
lite_print() { lite "SELECT count(*), coalesce(sum(id), 0), count(details), coalesce(sum(length(details)), 0) FROM $1"; }

# --- dry run: the plan, the count, the first batch; nothing changes ------------------
arch -n rows --db pg --table audit --where "$PG_WHERE" --to-table audit_archive --create
assert_rc 0
assert_out_contains "matching     $OLD rows"
assert_out_contains "batches      1 of at most 1000 rows"
assert_out_contains "first batch  839 rows, key 1 .. 839"
assert_out_contains "where        $PG_WHERE"
assert_out_contains "now is fixed at 2026-12-02 12:00:00+00"
assert_out_contains "FOR UPDATE"
assert_out_contains 'CREATE TABLE "audit_archive"'
assert_eq "$(pg_sql "SELECT count(*) FROM audit" "$PGDB")" 3000 "dry run moved nothing"
assert_eq "$(pg_sql "SELECT to_regclass('audit_archive') IS NULL" "$PGDB")" t "dry run created no table"

# --- table to table, each engine; the archive holds exactly the old rows ------------
arch rows --db pg --table audit --where "$PG_WHERE" --to-table audit_archive --create --statistics
assert_rc 0
assert_out_matches "^audit +audit_archive +$OLD +1 +"
assert_out_contains "COPY SECONDS"
assert_eq "$(pg_print audit_archive)" "$(pg_print "audit_pristine WHERE created_at < '2026-09-03 12:00'")" "PostgreSQL archive = the old rows"
assert_eq "$(pg_print audit)" "$(pg_print "audit_pristine WHERE created_at >= '2026-09-03 12:00'")" "PostgreSQL source = the rest"
assert_eq "$(pg_sql "SELECT count(*) FROM (SELECT * FROM audit_archive EXCEPT SELECT * FROM audit_pristine) d" "$PGDB")" 0 "archived rows are the original rows"

# MariaDB selects, locks and copies a batch in one statement; the delete still names the keys.
arch -n rows --db my --table audit --where "$MY_WHERE" --to-table audit_archive --create --batch 500
assert_rc 0
assert_out_matches '^copy +INSERT INTO `audit_archive` \(.*\) SELECT .* FROM `audit` WHERE \(created_at < NOW\(\) - INTERVAL 90 DAY\) AND `id` > \? ORDER BY `id` LIMIT 500 FOR UPDATE RETURNING `id`$'
assert_out_matches '^delete +DELETE FROM `audit` WHERE `id` IN \(\?, \?, \?\)$'
assert_out_not_contains "SELECT \`id\` FROM"
# Not with statement-based binary logging, where a replica would run the
# INSERT … SELECT … LIMIT on its own rows: the keys are selected first, and
# the copy names them. (Set globally for a moment through the servers' root
# socket; another test's run meanwhile would only take this path too.)
my_admin() { mariadb --no-defaults --socket="$OPS_TEST_SERVERS_DIR/run/mysql/mysqld.sock" --user="$(id -un)" -N -B -e "$1"; }
my_admin "SET GLOBAL binlog_format = 'STATEMENT'" || fail "cannot set binlog_format through the root socket"
arch -n rows --db my --table audit --where "$MY_WHERE" --to-table audit_archive --create --batch 500
my_admin "SET GLOBAL binlog_format = 'MIXED'"
assert_rc 0
assert_out_matches '^select +SELECT `id` FROM `audit` WHERE .* ORDER BY `id` LIMIT 500 FOR UPDATE$'
assert_out_matches '^copy +INSERT INTO `audit_archive` \(.*\) SELECT .* FROM `audit` WHERE `id` IN \(\?, \?, \?\)$'

arch rows --db my --table audit --where "$MY_WHERE" --to-table audit_archive --create --batch 500 --format tsv
assert_rc 0
assert_out_contains $'table\tdestination\trows\tbatches'
assert_out_contains $'audit\taudit_archive\t839\t2\t'
assert_eq "$(my_print audit_archive)" "$(my_print "audit_pristine WHERE created_at < '2026-09-03 12:00'")" "MariaDB archive = the old rows"
assert_eq "$(my_print audit)" "$(my_print "audit_pristine WHERE created_at >= '2026-09-03 12:00'")" "MariaDB source = the rest"

arch rows --db lite --table audit --where "$LITE_WHERE" --to-table audit_archive --create --batch 700
assert_rc 0
assert_eq "$(lite_print audit_archive)" "$(lite_print "audit_pristine WHERE created_at < '2026-09-03 12:00:00'")" "SQLite archive = the old rows"
assert_eq "$(lite_print audit)" "$(lite_print "audit_pristine WHERE created_at >= '2026-09-03 12:00:00'")" "SQLite source = the rest"

# A second run finds nothing: exit 0, 0 rows.
arch rows --db my --table audit --where "$MY_WHERE" --to-table audit_archive
assert_rc 0
assert_out_matches "^audit +audit_archive +0 +0 "

# --- a where clause that matches nothing --------------------------------------------
arch rows --db pg --table audit --where "user_id > 1000" --to-file "$SCRATCH/none.csv.gz"
assert_rc 0
assert_out_matches "^audit .* 0 +0 "
assert_no_file "$SCRATCH/none.csv.gz"

# --- to a file: CSV (gzip) and JSON lines (zstd), NULL vs empty, appending ------------
arch rows --db my --table audit --where "id <= 1000" --to-file "$SCRATCH/audit.csv.gz" --batch 100
assert_rc 0
assert_out_matches "^audit .* 161 +2 "
gzip -t "$SCRATCH/audit.csv.gz" || fail "the CSV file is not valid gzip"
zcat "$SCRATCH/audit.csv.gz" >"$SCRATCH/audit.csv"
assert_eq "$(head -1 "$SCRATCH/audit.csv")" "id,created_at,user_id,action,details" "CSV header"
assert_eq "$(grep -c '^841,' "$SCRATCH/audit.csv")" 1 "row 841 once"
assert_eq "$(grep '^847,' "$SCRATCH/audit.csv")" "847,2026-09-03 19:00:00,47,act2," "NULL is an empty field"
assert_eq "$(grep '^869,' "$SCRATCH/audit.csv")" '869,2026-09-04 17:00:00,19,act4,""' "the empty string is \"\""
assert_eq "$(grep -A1 '^871,' "$SCRATCH/audit.csv" | tr '\n' '|')" '871,2026-09-04 19:00:00,21,act1,"a, ""b""|c"|' "quotes, commas and newlines quoted"
assert_no_file "$SCRATCH/audit.csv.gz.pending"
# The same file again: appended, header once.
arch rows --db my --table audit --where "id <= 1100" --to-file "$SCRATCH/audit.csv.gz" --batch 100
assert_rc 0
assert_eq "$(zcat "$SCRATCH/audit.csv.gz" | grep -c '^id,created_at')" 1 "one header after appending"
assert_eq "$(zcat "$SCRATCH/audit.csv.gz" | grep -c '^[0-9]*,20')" 261 "261 rows in the file"
# A file with other columns is refused.
printf 'a,b\n' | gzip >"$SCRATCH/other.csv.gz"
arch rows --db my --table audit --where "1=1" --to-file "$SCRATCH/other.csv.gz"
assert_rc 3
assert_err_contains "other.csv.gz: its columns (a,b) are not the table's (id,created_at,user_id,action,details)"
assert_eq "$(mysql_sql "SELECT count(*) FROM audit" "$MYDB")" 1900 "nothing moved"

arch rows --db lite --table audit --where "id > 2900" --to-file "$SCRATCH/audit.jsonl.zst"
assert_rc 0
zstd -t -q "$SCRATCH/audit.jsonl.zst" || fail "the JSON-lines file is not valid zstd"
assert_eq "$(zstdcat "$SCRATCH/audit.jsonl.zst" | wc -l)" 100 "100 JSON lines"
assert_eq "$(zstdcat "$SCRATCH/audit.jsonl.zst" | grep '"id":"2947"')" '{"id":"2947","created_at":"2026-11-30 07:00:00","user_id":"47","action":"act2","details":null}' "a JSON line, NULL as null"
zstdcat "$SCRATCH/audit.jsonl.zst" | jq -e . >/dev/null || fail "a line is not JSON"
# --file-format wins over the name.
arch rows --db lite --table audit --where "id > 2890" --to-file "$SCRATCH/explicit.gz" --file-format jsonl
assert_rc 0
assert_eq "$(zcat "$SCRATCH/explicit.gz" | jq -r .id | tr '\n' ' ')" "$(seq -s ' ' 2891 2900) " "JSON lines by --file-format"

# --- --progress: a bar on a terminal (script(1) lends one), nothing in a pipe ---------
progress_run="$(printf '%q ' "$OPSARCHIVE" -c "$SCRATCH/ops.conf" rows --db lite --table audit \
  --where "id > 2880" --purge --batch 5 --progress)"
script -qec "$progress_run" /dev/null >"$SCRATCH/terminal.out" </dev/null || fail "the --progress run failed"
grep -q 'rows \[#* *\] 5/10' "$SCRATCH/terminal.out" || fail "no progress bar on the terminal: $(cat -v "$SCRATCH/terminal.out")"
assert_eq "$(lite "SELECT count(*) FROM audit WHERE id > 2880")" 0 "the --progress run purged the rows"
lite "INSERT INTO audit SELECT * FROM audit_pristine WHERE id > 2880 AND id <= 2890"
arch rows --db lite --table audit --where "id > 2880" --purge --batch 5 --progress
assert_rc 0
assert_err_not_contains "rows ["
lite "INSERT INTO audit SELECT * FROM audit_pristine WHERE id > 2880 AND id <= 2900"   # for what follows

# --- to another server; a key already there with the same row is a replay ------------
pg_sql "CREATE TABLE audit (id bigint PRIMARY KEY, created_at timestamp NOT NULL, user_id int, action varchar(32) NOT NULL, details text)" "$PGDB2"
arch rows --db my --table audit --where "id <= 1300" --to-db pg2 --batch 64
assert_rc 0
assert_out_matches "^audit .*audit +200 +4 "
assert_eq "$(pg_print "audit WHERE id <= 1300" "$PGDB2")" "$(my_print "audit_pristine WHERE id > 1100 AND id <= 1300")" "MariaDB to PostgreSQL: the rows"
# Replay: the same rows put back in the source are found identical there and deleted.
mysql_sql "INSERT INTO audit SELECT * FROM audit_pristine WHERE id BETWEEN 1201 AND 1210" "$MYDB"
arch rows --db my --table audit --where "id <= 1300" --to-db pg2
assert_rc 0
assert_out_matches "^audit .* 10 +1 "
assert_eq "$(pg_sql "SELECT count(*) FROM audit" "$PGDB2")" 200 "a replayed batch is not copied twice"
# A different row under the same key stops the run: nothing deleted.
mysql_sql "INSERT INTO audit SELECT id, created_at, user_id, 'changed', details FROM audit_pristine WHERE id = 1205" "$MYDB"
arch rows --db my --table audit --where "id <= 1300" --to-db pg2
assert_rc 2
assert_err_contains "already holds a different row with key (1205)"
assert_eq "$(mysql_sql "SELECT count(*) FROM audit WHERE id = 1205" "$MYDB")" 1 "the row stays in the source"
mysql_sql "DELETE FROM audit WHERE id = 1205" "$MYDB"
# --create on another server of the same kind: the key comes along.
arch rows --db pg --table audit --where "id > 2990" --to-db pg2 --to-table audit_recent --create
assert_rc 0
assert_eq "$(pg_sql "SELECT count(*), min(id) FROM audit_recent" "$PGDB2")" "10|2991" "PostgreSQL to PostgreSQL, created"
assert_eq "$(pg_sql "SELECT count(*) FROM pg_index WHERE indrelid = 'audit_recent'::regclass AND indisprimary" "$PGDB2")" 1 "with its primary key"
arch rows --db lite --table audit --where "id > 2800 AND id <= 2900" --to-db lite2 --to-table audit --create
assert_rc 0
assert_eq "$(sqlite3 "$LITE2" "SELECT count(*), sum(id) FROM audit")" "100|285050" "SQLite to SQLite, created"
# --to-db reaching the source's own database, under another name, with the
# same table: each row would be "found" there and deleted. Refused.
for db in pg my lite; do
  arch rows --db "$db" --table audit --where "1=1" --to-db "${db}_again"
  assert_rc 3
  assert_err_contains "the destination table audit is the source table audit (--to-db reaches the source's own database)"
done
# The same table under a name the catalog resolves to it: schema-qualified
# (PostgreSQL), from another default database (MariaDB), in other case (SQLite).
arch rows --db pg --table audit --where "1=1" --to-db pg_again --to-table public.audit
assert_rc 3
assert_err_contains "the destination table public.audit is the source table audit (--to-db reaches the source's own database)"
arch rows --db pg --table audit --where "1=1" --to-table public.audit
assert_rc 3
assert_err_contains "the destination table public.audit is the source table audit"
arch rows --db my --table audit --where "1=1" --to-db my_other --to-table "$MYDB.audit"
assert_rc 3
assert_err_contains "the destination table $MYDB.audit is the source table audit (--to-db reaches the source's own database)"
arch rows --db lite --table audit --where "1=1" --to-db lite_again --to-table AUDIT
assert_rc 3
assert_err_contains "the destination table AUDIT is the source table audit"
assert_eq "$(pg_sql "SELECT count(*) FROM audit" "$PGDB")" 2151 "PostgreSQL rows stayed"
assert_eq "$(mysql_sql "SELECT count(*) FROM audit" "$MYDB")" 1700 "MariaDB rows stayed"
assert_eq "$(lite "SELECT count(*) FROM audit")" 1961 "SQLite rows stayed"
# Another database of the same MariaDB server holds another table of that name.
arch rows --db my --table audit --where "id BETWEEN 1301 AND 1310" --to-db my_other --create
assert_rc 0
assert_eq "$(mysql_sql "SELECT count(*), sum(id) FROM audit" "$MYDB2" | tr '\t' '|')" "10|13055" "MariaDB: to another database of the same server"
mysql_sql "INSERT INTO audit SELECT * FROM audit_pristine WHERE id BETWEEN 1301 AND 1310" "$MYDB"
# --create across engines is refused (types differ), before anything moves.
arch rows --db my --table audit --where "1=1" --to-db pg2 --to-table nosuch --create
assert_rc 3
assert_err_contains "--create makes tables only on a server of the source's kind (mysql)"

# --- composite keys, purge and max-rows ----------------------------------------------
pg_sql "CREATE TABLE sessions (tenant int, token text, expires timestamptz NOT NULL, PRIMARY KEY (tenant, token));
        INSERT INTO sessions SELECT t, 'tok' || g, timestamptz '2026-12-02 12:00+00' + (g - 60) * interval '1 minute'
        FROM generate_series(1, 3) t, generate_series(1, 100) g" "$PGDB"
arch rows --db pg --table sessions --where "expires < now()" --purge --batch 7
assert_rc 0
assert_out_matches "^sessions +\(purged\) +177 +26 "
assert_eq "$(pg_sql "SELECT count(*), min(expires) FROM sessions" "$PGDB")" "123|2026-12-02 12:00:00+00" "expired sessions purged, the rest kept"
mysql_sql "CREATE TABLE sessions (tenant int NOT NULL, token varchar(40) NOT NULL, expires datetime NOT NULL, UNIQUE KEY (tenant, token));
           INSERT INTO sessions SELECT t.seq, CONCAT('tok', g.seq), TIMESTAMP'2026-12-02 12:00:00' + INTERVAL (CAST(g.seq AS SIGNED) - 60) MINUTE
           FROM seq_1_to_3 t, seq_1_to_100 g" "$MYDB"
arch rows --db my --table sessions --where "expires < NOW()" --to-table sessions_old --create --batch 10 --max-rows 45
assert_rc 0
assert_out_matches "^sessions +sessions_old +45 +5 .* max-rows$"
arch rows --db my --table sessions --where "expires < NOW()" --to-table sessions_old --batch 10
assert_rc 0
assert_eq "$(mysql_sql "SELECT count(*) FROM sessions_old" "$MYDB")" 177 "unique NOT NULL composite key on MariaDB"
assert_eq "$(mysql_sql "SELECT count(*) FROM sessions WHERE expires < '2026-12-02 12:00:00'" "$MYDB")" 0 "no expired session left"
lite "CREATE TABLE tokens (a TEXT NOT NULL, b INT NOT NULL, v TEXT, PRIMARY KEY (a, b));
      INSERT INTO tokens SELECT 'k' || (value % 10), value, 'v' FROM generate_series(1, 200);" 2>/dev/null ||
  lite "CREATE TABLE IF NOT EXISTS tokens (a TEXT NOT NULL, b INT NOT NULL, v TEXT, PRIMARY KEY (a, b));
        WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 200)
        INSERT INTO tokens SELECT 'k' || (n % 10), n, 'v' FROM g;"
arch rows --db lite --table tokens --where "b % 2 = 0" --purge --batch 9
assert_rc 0
assert_eq "$(lite "SELECT count(*), sum(b % 2) FROM tokens")" "100|100" "SQLite composite key purge"

# --- a concurrent writer and updater --------------------------------------------------
# While the archive runs in small batches, new rows arrive (old and new dates)
# and old rows are updated to today. No row may be lost or be in both tables,
# and the archive may hold no row that did not match when it was moved.
pg_sql "CREATE TABLE events (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL, v int);
        INSERT INTO events (created_at, v) SELECT timestamptz '2026-01-01 00:00+00' + g * interval '1 minute', 0
        FROM generate_series(1, 20000) g;
        CREATE TABLE events_archive (LIKE events)" "$PGDB"
(
  for i in $(seq 1 150); do
    pg_sql "INSERT INTO events (created_at, v) VALUES (timestamptz '2026-01-01 00:00+00', 1), (now(), 1);
            UPDATE events SET created_at = now(), v = 2 WHERE id = (SELECT (random() * 20000)::int)" "$PGDB" || exit 1
  done
  touch "$SCRATCH/writer.done"
) &
writer=$!
arch rows --db pg --table events --where "created_at < now() - interval '90 days'" --to-table events_archive --batch 50 --sleep 10ms
archive_rc=$RC
wait "$writer" || fail "the concurrent writer failed"
assert_eq "$archive_rc" 0 "archiving beside a writer"
assert_eq "$(pg_sql "SELECT count(*) FROM (SELECT id FROM events UNION ALL SELECT id FROM events_archive) u" "$PGDB")" 20300 "no row lost or copied twice"
assert_eq "$(pg_sql "SELECT count(*) FROM events e JOIN events_archive a USING (id)" "$PGDB")" 0 "no row in both"
assert_eq "$(pg_sql "SELECT count(*) FROM events_archive WHERE created_at >= timestamptz '2026-12-02 12:00+00' - interval '90 days'" "$PGDB")" 0 "nothing archived that did not match"
assert_eq "$(pg_sql "SELECT count(*) FROM events_archive WHERE v = 2" "$PGDB")" 0 "no row archived as it was before an update"

# --- a file batch journaled by a run that died --------------------------------------
# The journal names rows still in the source: their delete never committed, so
# the bytes after the recorded offset go, and the rows are archived again.
pg_sql "CREATE TABLE logs (id int PRIMARY KEY, msg text); INSERT INTO logs SELECT g, 'm' || g FROM generate_series(1, 30) g" "$PGDB"
arch rows --db pg --table logs --where "id <= 10" --to-file "$SCRATCH/logs.csv.gz"
assert_rc 0
size=$(stat -c %s "$SCRATCH/logs.csv.gz")
printf 'half a member' >>"$SCRATCH/logs.csv.gz"
printf '{"offset": %d, "keys": [["11"], ["12"]]}' "$size" >"$SCRATCH/logs.csv.gz.pending"
arch rows --db pg --table logs --where "id <= 20" --to-file "$SCRATCH/logs.csv.gz"
assert_rc 0
gzip -t "$SCRATCH/logs.csv.gz" || fail "the file was not cut back before appending"
assert_eq "$(zcat "$SCRATCH/logs.csv.gz" | tail -n +2 | cut -d, -f1 | sort -n | tr '\n' ' ')" "$(seq -s ' ' 1 20) " "rows 1-20 once each"
assert_no_file "$SCRATCH/logs.csv.gz.pending"
# The journal names rows the source no longer has: that batch committed and stays.
size=$(stat -c %s "$SCRATCH/logs.csv.gz")
printf '{"offset": %d, "keys": [["19"], ["20"]]}' "$((size - 10))" >"$SCRATCH/logs.csv.gz.pending"
arch rows --db pg --table logs --where "id <= 25" --to-file "$SCRATCH/logs.csv.gz"
assert_rc 0
assert_eq "$(zcat "$SCRATCH/logs.csv.gz" | tail -n +2 | cut -d, -f1 | sort -n | tr '\n' ' ')" "$(seq -s ' ' 1 25) " "a committed batch is kept"

# --- limits, lag, maintenance, metrics ---------------------------------------------------
arch rows --db my --table audit --where "1=1" --purge --limit-lag 10s
assert_rc 3
assert_err_contains "--limit-lag on MySQL/MariaDB needs --replica NAME|DSN"
mkdir "$SCRATCH/metrics"
arch --metrics-dir "$SCRATCH/metrics" rows --db pg --table audit --where "id <= 880" --to-table audit_archive --limit-lag 10s --analyze --optimize
assert_rc 0
assert_out_matches "^audit +audit_archive +41 +1 "
grep -q '^ops_archive_rows_archived 41$' "$SCRATCH/metrics/opsarchive.prom" || fail "no rows_archived metric: $(cat "$SCRATCH/metrics/opsarchive.prom")"
arch rows --db my --table audit --where "id <= 2800" --to-table audit_archive --analyze --optimize -q
assert_rc 0
assert_out_eq ""
arch rows --db pg --table audit --where "1=1" --purge --max-runtime 0s
assert_rc 0
assert_out_matches "^audit .* 0 +0 .* max-runtime$"

# --- bad input: one line, exit 3, nothing moved ------------------------------------------
before=$(pg_print audit)
bad() {
  arch "$@"
  assert_rc 3
  assert_one_error
  assert_eq "$(pg_print audit)" "$before" "nothing moved: $*"
}
bad rows --db pg --table nosuch --where "1=1" --purge
assert_err_contains "table nosuch does not exist on postgresql://"
bad rows --db pg --table audit --where "nosuch_column < 3" --purge
assert_err_contains "nosuch_column"
bad rows --db pg --table audit --where "id < < 3" --to-table audit_archive
assert_err_contains "syntax error"
pg_sql "CREATE TABLE nokey (a int, b text); INSERT INTO nokey VALUES (1, 'x'); CREATE UNIQUE INDEX nokey_a ON nokey (a)" "$PGDB"
bad rows --db pg --table nokey --where "1=1" --purge
assert_err_contains "table nokey has no primary key and no unique index over NOT NULL columns"
pg_sql "CREATE TABLE narrow (id bigint PRIMARY KEY, created_at timestamp)" "$PGDB"
bad rows --db pg --table audit --where "1=1" --to-table narrow
assert_err_contains "destination table narrow has no column 'user_id' of audit"
pg_sql "CREATE TABLE typed (id bigint PRIMARY KEY, created_at int, user_id int, action varchar(32), details text)" "$PGDB"
bad rows --db pg --table audit --where "1=1" --to-table typed
assert_err_contains "column \"created_at\" is of type integer"
bad rows --db pg --table audit --where "1=1" --to-table missing_archive
assert_err_contains "destination table missing_archive does not exist"
bad rows --db pg --table audit --where "1=1" --to-table audit_archive --purge
assert_err_contains "more than one destination"
bad rows --db pg --table audit --where "1=1"
assert_err_contains "no destination"
bad rows --db pg --table audit --where "1=1" --purge --batch 0
bad rows --db pg --table audit --where "1=1" --purge --sleep soon
assert_err_contains "invalid pause 'soon'"
bad rows --db nosuch --table audit --where "1=1" --purge
arch rows --db my --table audit --where "created_at < SYSDATE()" --purge
assert_rc 3
assert_err_contains "SYSDATE()"
assert_eq "$(pg_sql "SELECT count(*) FROM nokey" "$PGDB")" 1 "the keyless table kept its row"
