#!/usr/bin/env bash
# opsdb bloat on the real PostgreSQL and MariaDB test servers and on SQLite
# files: waste made by updates and deletes shows (dead rows and wasted bytes
# grow, the command that reclaims it is named) while a table without churn
# shows next to none; a table never analyzed is named as not estimated; the
# wraparound headroom; --warn/--crit, --top, --min-size; TSV and JSON.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
[[ -x ${OPSDB:-} ]] || fail "OPSDB is not set to the opsdb binary"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/bootstrap installs it)"
command -v jq >/dev/null || fail "jq is missing (scripts/bootstrap installs it)"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_DBUPKEEP_' || true)

bloat() { run "$OPSDB" bloat "$@"; }
# col TABLE INDEX COLUMN: a column of the last TSV run's row of TABLE (and INDEX, "" for the table).
col() {
  awk -F'\t' -v t="$1" -v i="$2" -v name="$3" '
    NR == 1 { for (k = 1; k <= NF; k++) if ($k == name) c = k; next }
    $1 == t && $2 == i { print $c }' "$OUT_FILE"
}
# at_least A B MESSAGE: integer (or decimal) A >= B.
at_least() {
  ASSERTIONS=$((ASSERTIONS + 1))
  awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 >= b + 0) }' || fail "$3: $1 is not at least $2"
}
below() {
  ASSERTIONS=$((ASSERTIONS + 1))
  awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 < b + 0) }' || fail "$3: $1 is not below $2"
}

# --- PostgreSQL ---------------------------------------------------------------------------
new_pg_db PGDB
PG=$(pg_dsn "$PGDB")
pgdb() { pg_sql "$1" "$PGDB"; }
# Autovacuum off for these tables, so that only this test vacuums or analyzes them.
pgdb "CREATE TABLE churn (id int PRIMARY KEY, v int NOT NULL, pad text NOT NULL) WITH (autovacuum_enabled = off)"
pgdb "INSERT INTO churn SELECT g, g, repeat('x', 50) FROM generate_series(1, 20000) g"
pgdb "CREATE TABLE calm (id int PRIMARY KEY, v int NOT NULL, pad text) WITH (autovacuum_enabled = off)"
pgdb "INSERT INTO calm SELECT g, g, CASE WHEN g % 3 = 0 THEN NULL ELSE md5(g::text) END FROM generate_series(1, 20000) g"
pgdb "CREATE TABLE raw (id int, t text) WITH (autovacuum_enabled = off)"
pgdb "INSERT INTO raw SELECT g, md5(g::text) FROM generate_series(1, 20000) g"
pgdb "CREATE TABLE tiny (id int) WITH (autovacuum_enabled = off)"
pgdb "INSERT INTO tiny VALUES (1), (2)"
# Separate statements: an ANALYZE in the inserts' own transaction would count them as changed since.
pgdb "ANALYZE churn"
pgdb "ANALYZE calm"
pgdb "ANALYZE tiny"

bloat --format tsv --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 0
assert_eq "$(head -n 1 "$OUT_FILE")" "$(printf '%s\t' table index size wasted wasted_percent dead_rows xid_age \
  last_vacuum last_autovacuum last_analyze last_autoanalyze status reclaim)note" "TSV header"
assert_eq "$(col public.churn '' size)" "$(pgdb "SELECT pg_relation_size('churn')")" "the table's size as PostgreSQL counts it"
assert_eq "$(col public.churn churn_pkey size)" "$(pgdb "SELECT pg_relation_size('churn_pkey')")" "an index row with its size"
before_wasted=$(col public.churn '' wasted)
before_dead=$(col public.churn '' dead_rows)
below "$(col public.churn '' wasted_percent)" 10 "a table just filled wastes next to nothing"
assert_eq "$before_dead" 0 "no dead rows yet"
assert_eq "$(col public.churn '' reclaim)" "" "nothing to reclaim yet"
[[ $(col public.churn '' last_analyze) =~ ^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]] || fail "last_analyze: '$(col public.churn '' last_analyze)'"
ASSERTIONS=$((ASSERTIONS + 1))
assert_eq "$(col public.churn '' last_vacuum)" "" "never vacuumed"
# The estimate's own arithmetic, on a B-tree PostgreSQL built: no waste.
assert_eq "$(col public.calm calm_pkey wasted)" 0 "a fresh primary key wastes nothing"
assert_eq "$(col public.tiny '' size)" "" "a table under --min-size 80K is not shown"
assert_eq "$(col public.raw '' wasted)" "" "a table never analyzed has no estimate"
assert_eq "$(col public.raw '' note)" "not estimated: never analyzed: run opsdb analyze --table public.raw" "and says why"

# Two updates of every row leave two dead versions of each.
pgdb "UPDATE churn SET v = v + 1"
pgdb "UPDATE churn SET v = v + 1"
pgdb "ANALYZE churn"
bloat --format tsv --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 0
assert_eq "$(sed -n 2p "$OUT_FILE" | cut -f1,2)" "public.churn$(printf '\t')" "the most wasted first"
at_least "$(col public.churn '' dead_rows)" 30000 "dead rows after two updates of 20000"
at_least "$(col public.churn '' wasted)" $((before_wasted + 2000000)) "wasted bytes grow"
at_least "$(col public.churn '' wasted_percent)" 55 "two thirds of the table is dead versions"
assert_eq "$(col public.churn '' reclaim)" "vacuum --full" "the rewrite that gives it back"
assert_eq "$(col public.churn '' status)" OK "no limit given: no verdict"
below "$(col public.calm '' wasted_percent)" 10 "the table without churn still shows next to none"
assert_eq "$(col public.calm '' dead_rows)" 0 "nor dead rows"
assert_eq "$(col public.calm '' reclaim)" "" "nor anything to reclaim"

bloat --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 0
assert_out_matches '^public\.churn +- +[0-9.]+M +[0-9.]+M +[0-9]+% +[0-9]+ +[0-9]+ .* OK +vacuum --full +-$'
assert_out_contains "note: not estimated (opsdb analyze gives them statistics): public.raw (never analyzed)"
assert_out_matches "^note: wraparound: database $PGDB: oldest unfrozen transaction ID [0-9]+ old, [0-9.]+% of 2\^31 \([0-9]+ left\); autovacuum_freeze_max_age [0-9]+"
assert_out_matches '^note: [0-9]+ relations smaller than --min-size 80K not shown$'

bloat --format tsv --min-size 0 --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_eq "$(col public.tiny '' size)" 8192 "--min-size 0 shows the smallest table"

bloat --format tsv --warn 50% --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 1
assert_eq "$(col public.churn '' status)" WARNING "--warn 50%: the table past it"
assert_eq "$(col public.calm '' status)" OK "and not the others"
bloat --format tsv --warn 50% --crit 1M --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 2
assert_eq "$(col public.churn '' status)" CRITICAL "--crit 1M"
bloat --format tsv --warn 90% --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 0

bloat --top 1 --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 0
assert_eq "$(grep -vc '^note: ' "$OUT_FILE")" 2 "--top 1: the header and one row"
assert_out_matches '^note: [0-9]+ more relations beyond --top 1 not shown$'

bloat --format json --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 0
assert_eq "$(jq -r '.relations[0].table + " " + .relations[0].reclaim' "$OUT_FILE")" "public.churn vacuum --full" "JSON rows"
assert_eq "$(jq -r '.not_estimated[0].table + ": " + .not_estimated[0].reason' "$OUT_FILE")" "public.raw: never analyzed" "JSON not_estimated"
assert_eq "$(jq -r '.wraparound.database' "$OUT_FILE")" "$PGDB" "JSON wraparound"
# The age moves with every transaction of the cluster (other tests write too):
# a count of transactions, far from autovacuum_freeze_max_age on a new database.
[[ $(jq -r '.wraparound.xid_age' "$OUT_FILE") =~ ^[0-9]+$ ]] || fail "JSON wraparound.xid_age: $(jq -c .wraparound "$OUT_FILE")"
ASSERTIONS=$((ASSERTIONS + 1))
below "$(jq -r '.wraparound.xid_age' "$OUT_FILE")" "$(jq -r '.wraparound.autovacuum_freeze_max_age' "$OUT_FILE")" "a young database"
assert_eq "$(jq -r '.wraparound.status' "$OUT_FILE")" OK "its wraparound status"

# The table rewritten without its dead rows: the estimate follows. (Written
# anew rather than by VACUUM FULL, which keeps the dead versions while any
# older transaction runs in any database of the server: other tests hold
# some open.)
pgdb "BEGIN; CREATE TEMP TABLE keep AS SELECT * FROM churn; TRUNCATE churn; INSERT INTO churn SELECT * FROM keep; COMMIT;"
pgdb "ANALYZE churn"
bloat --format tsv --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
below "$(col public.churn '' wasted_percent)" 10 "after the rewrite"
assert_eq "$(col public.churn '' dead_rows)" 0 "no dead rows after the rewrite"
assert_eq "$(col public.churn '' reclaim)" "" "nothing left to reclaim"

# --- MariaDB ------------------------------------------------------------------------------
new_mysql_db MYDB
MY=$(mysql_dsn "$MYDB")
mydb() { mysql_sql "$1" "$MYDB"; }
mydb "CREATE TABLE big (id int PRIMARY KEY, pad varchar(255) NOT NULL) ENGINE = InnoDB;
      INSERT INTO big SELECT seq, REPEAT(MD5(seq), 6) FROM seq_1_to_60000;
      CREATE TABLE holes (id int PRIMARY KEY, pad char(200) NOT NULL) ENGINE = MyISAM;
      INSERT INTO holes SELECT seq, MD5(seq) FROM seq_1_to_5000;
      CREATE TABLE calm (id int PRIMARY KEY, pad varchar(255) NOT NULL) ENGINE = InnoDB;
      INSERT INTO calm SELECT seq, MD5(seq) FROM seq_1_to_2000;
      ANALYZE TABLE big, holes, calm;" >/dev/null
data_free() { mydb "SELECT DATA_FREE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$1'"; }
bloat --format tsv --min-size 0 --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE" "$MY"
assert_rc 0
assert_eq "$(head -n 1 "$OUT_FILE")" "$(printf '%s\t' table engine size data indexes wasted wasted_percent status reclaim)note" "TSV header"
assert_eq "$(col "$MYDB.holes" MyISAM wasted)" 0 "a MyISAM table without deletes has no holes"
assert_eq "$(col "$MYDB.calm" InnoDB wasted)" 0 "nor a small InnoDB table"
big_before=$(col "$MYDB.big" InnoDB wasted)

# Deleting most rows: MyISAM leaves holes at once; InnoDB frees whole extents once purge has run.
mydb "DELETE FROM big WHERE id <= 54000; DELETE FROM holes WHERE id % 2 = 0"
for ((i = 0; i < 240; i++)); do
  (($(data_free big) >= big_before + 8388608)) && break
  sleep 0.5
done
(($(data_free big) >= big_before + 8388608)) || fail "InnoDB's purge freed no 8M of big in 2 minutes (DATA_FREE $(data_free big))"
mydb "ANALYZE TABLE big, holes" >/dev/null
bloat --format tsv --min-size 0 --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE" "$MY"
assert_rc 0
assert_eq "$(sed -n 2p "$OUT_FILE" | cut -f1)" "$MYDB.big" "the most wasted first"
at_least "$(col "$MYDB.big" InnoDB wasted)" $((big_before + 8388608)) "InnoDB's DATA_FREE after the delete"
assert_eq "$(col "$MYDB.big" InnoDB reclaim)" optimize "optimize gives it back"
assert_eq "$(col "$MYDB.holes" MyISAM wasted)" "$(data_free holes)" "MyISAM's holes, DATA_FREE as the server counts it"
at_least "$(col "$MYDB.holes" MyISAM wasted)" $((2500 * 200)) "the deleted rows' bytes"
assert_eq "$(col "$MYDB.holes" MyISAM size)" "$(mydb "SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES
  WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'holes'")" "MyISAM's data length holds its holes"
at_least "$(col "$MYDB.holes" MyISAM wasted_percent)" 30 "half the rows deleted"
assert_eq "$(col "$MYDB.calm" InnoDB wasted)" 0 "the table without churn wastes nothing"
assert_eq "$(col "$MYDB.calm" InnoDB reclaim)" "" "and has nothing to reclaim"

bloat --min-size 0 --crit 40% --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE" "$MY"
assert_rc 2
assert_out_matches "^$MYDB\\.big +InnoDB .* CRITICAL +optimize +-$"
assert_out_contains "note: opsdb optimize rebuilds a table"
assert_out_not_contains "wraparound"

# --- SQLite -------------------------------------------------------------------------------
SQ=$SCRATCH/app.db
sqlite3 "$SQ" "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
  CREATE INDEX notes_body ON notes (body);
  WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 5000)
  INSERT INTO notes SELECT n, printf('%.300c', 'x') || n FROM g;
  CREATE TABLE calm (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);
  WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20000)
  INSERT INTO calm SELECT n, n FROM g;"
bloat --format tsv "sqlite://$SQ"
assert_rc 0
assert_eq "$(head -n 1 "$OUT_FILE")" "$(printf '%s\t' table index size wasted wasted_percent status reclaim)note" "TSV header"
assert_eq "$(col '(database)' '' wasted)" 0 "no free pages in a file only written to"
assert_eq "$(col '(database)' '' size)" "$(($(stat -c %s "$SQ")))" "the file's size"
notes_before=$(col main.notes '' wasted)

sqlite3 "$SQ" "DELETE FROM notes WHERE id > 1000"
bloat --format tsv "sqlite://$SQ"
assert_rc 0
free=$(sqlite3 "$SQ" "PRAGMA freelist_count")
page=$(sqlite3 "$SQ" "PRAGMA page_size")
((free > 0)) || fail "the delete freed no page"
assert_eq "$(col '(database)' '' wasted)" $((free * page)) "the free pages, freelist_count x page_size"
assert_eq "$(col '(database)' '' note)" "$free free pages of $page bytes" "said in pages"
assert_eq "$(col '(database)' '' reclaim)" vacuum "VACUUM gives them back"
assert_eq "$(sed -n 2p "$OUT_FILE" | cut -f1)" "(database)" "the most wasted first"
assert_eq "$(col main.calm '' reclaim)" "" "the table without churn has nothing to reclaim"
below "$(col main.calm '' wasted_percent)" 10 "and next to no unused bytes"
[[ -n $notes_before ]] || fail "a row per table from dbstat"
ASSERTIONS=$((ASSERTIONS + 1))

sqlite3 "$SQ" "VACUUM"
bloat --format tsv "sqlite://$SQ"
assert_eq "$(col '(database)' '' wasted)" 0 "after VACUUM"

# --- bad usage changes nothing and says what ------------------------------------------------
bloat --warn 50 "sqlite://$SQ"
assert_rc 3
assert_err_contains "--warn"
bloat --min-size lots "sqlite://$SQ"
assert_rc 3
assert_err_contains "--min-size"
