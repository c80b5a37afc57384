#!/usr/bin/env bash
# opsdf db against the real PostgreSQL and MariaDB test servers and a SQLite
# file: the largest table first, data/index/total/rows that agree with the
# server's own figures, --top, [db.NAME] sections with password files, and the
# errors (bad DSN, unknown name, wrong password, server down). Then record
# --database and forecast of what was recorded.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/bootstrap installs it)"

TAB=$'\t'
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_DF_' || true)

# tsv_row TABLE: the TSV row of that table in the last run's stdout.
tsv_row() { awk -F'\t' -v t="$1" '$2 == t' "$OUT_FILE"; }
tsv_col() {  # tsv_col TABLE COLUMN
  awk -F'\t' -v t="$1" -v col="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
    $2 == t { print $c }' "$OUT_FILE"
}

# --- PostgreSQL ------------------------------------------------------------------------
new_pg_db PGDB
pg_sql "CREATE TABLE big (id int PRIMARY KEY, body text);
        INSERT INTO big SELECT g, repeat(md5(g::text), 20) FROM generate_series(1, 20000) g;
        CREATE TABLE small (id int);
        INSERT INTO small SELECT generate_series(1, 100);
        CREATE SCHEMA audit;
        CREATE TABLE audit.events (id bigserial PRIMARY KEY, at timestamptz DEFAULT now(), what text);
        INSERT INTO audit.events (what) SELECT 'event ' || g FROM generate_series(1, 5000) g;
        CREATE INDEX events_what ON audit.events (what);
        CREATE VIEW big_view AS SELECT * FROM big;" "$PGDB"
# VACUUM, not only ANALYZE: it makes the free-space and visibility maps now, so
# autovacuum cannot add their pages between opsdf's reading and ours.
pg_sql "VACUUM ANALYZE big, small, audit.events" "$PGDB"
PG=$(pg_dsn "$PGDB")

run opsdf db --format tsv --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 0
assert_eq "$ERR" "" "nothing on stderr"
assert_eq "$(head -n 1 "$OUT_FILE")" "schema${TAB}table${TAB}data${TAB}index${TAB}total${TAB}estimated_rows" "TSV header"
assert_eq "$(sed -n 2p "$OUT_FILE" | cut -f1,2)" "public${TAB}big" "the largest table first"
assert_eq "$(sed -n 3p "$OUT_FILE" | cut -f1,2)" "audit${TAB}events" "tables of every schema"
assert_eq "$(sed -n 4p "$OUT_FILE" | cut -f1,2)" "public${TAB}small" "the smallest last"
assert_eq "$(($(wc -l <"$OUT_FILE") - 1))" 3 "tables only: no view, no catalogue"
assert_eq "$(tsv_col big total)" "$(pg_sql "SELECT pg_total_relation_size('public.big')" "$PGDB")" "total as PostgreSQL counts it"
assert_eq "$(tsv_col big index)" "$(pg_sql "SELECT pg_indexes_size('public.big')" "$PGDB")" "index bytes"
assert_eq "$(tsv_col events data)" "$(pg_sql "SELECT pg_table_size('audit.events')" "$PGDB")" "data bytes, TOAST included"
assert_eq "$(tsv_col big estimated_rows)" 20000 "rows from the statistics after ANALYZE"
assert_eq "$(tsv_col small estimated_rows)" 100 "rows of the small table"

run opsdf db --top 1 --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 0
assert_out_matches '^SCHEMA +TABLE +DATA +INDEX +TOTAL +ROWS$'
assert_out_matches '^public +big +[0-9.]+[KM] +[0-9.]+[KM] +[0-9.]+[KM] +20000$'
assert_eq "$(grep -c . "$OUT_FILE")" 2 "--top 1: the header and one table"

run opsdf db --format json --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 0
assert_out_contains '"table": "events"'

# A [db.NAME] section with its password file; the name in messages, the DSN never with a password.
cat >"$SCRATCH/ops.conf" <<EOF
[db.app]
dsn = $PG
password_file = $OPS_TEST_PG_PASSWORD_FILE

[db.nopass]
dsn = $PG
EOF
run opsdf -c "$SCRATCH/ops.conf" db --format tsv app
assert_rc 0
assert_eq "$(sed -n 2p "$OUT_FILE" | cut -f2)" big "a database by its [db.NAME]"

run opsdf -c "$SCRATCH/ops.conf" db nosuch
assert_rc 3
assert_err_contains "unknown database 'nosuch'"
assert_err_contains "app, nopass"

printf 'wrong-password\n' >"$SCRATCH/wrong.pass"
chmod 600 "$SCRATCH/wrong.pass"
run opsdf db --password-file "$SCRATCH/wrong.pass" "$PG"
assert_rc 2
assert_eq "$(grep -c 'error:' "$ERR_FILE")" 1 "one error line"
assert_err_contains "cannot connect to"
assert_err_not_contains "wrong-password"
assert_out_eq ""

run opsdf db "postgresql://u:secret@127.0.0.1/x"
assert_rc 3
assert_err_not_contains "secret"

run opsdf db "postgresql://ops_test@127.0.0.1:1/x"
assert_rc 2
assert_err_contains "cannot connect to postgresql://ops_test@127.0.0.1:1/x"

run opsdf db --password-file "$SCRATCH/missing.pass" "$PG"
assert_rc 3
assert_err_contains "missing.pass"

run opsdf db --top x "$PG"
assert_rc 3
assert_err_contains "--top"

# --- MariaDB ---------------------------------------------------------------------------
new_mysql_db MYDB
mysql_sql "CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT, customer VARCHAR(64), note TEXT, KEY by_customer (customer)) ENGINE=InnoDB;
           INSERT INTO orders (customer, note) SELECT CONCAT('c', seq % 500), REPEAT('x', 400) FROM seq_1_to_20000;
           CREATE TABLE tiny (id INT) ENGINE=InnoDB;
           INSERT INTO tiny VALUES (1), (2);
           ANALYZE TABLE orders, tiny;" "$MYDB" >/dev/null
MY=$(mysql_dsn "$MYDB")

run opsdf db --format tsv --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE" "$MY"
assert_rc 0
assert_eq "$(sed -n 2p "$OUT_FILE" | cut -f1,2)" "$MYDB${TAB}orders" "MariaDB: largest first, schema = database"
assert_eq "$(sed -n 3p "$OUT_FILE" | cut -f2)" tiny "MariaDB: the small table"
read -r data index rows < <(mysql_sql "SELECT DATA_LENGTH, INDEX_LENGTH, TABLE_ROWS FROM information_schema.TABLES
                                      WHERE TABLE_SCHEMA = '$MYDB' AND TABLE_NAME = 'orders'" "$MYDB")
assert_eq "$(tsv_col orders data)" "$data" "MariaDB data bytes"
assert_eq "$(tsv_col orders index)" "$index" "MariaDB index bytes"
assert_eq "$(tsv_col orders total)" "$((data + index))" "MariaDB total"
assert_eq "$(tsv_col orders estimated_rows)" "$rows" "MariaDB row estimate"
((index > 0)) || fail "the secondary index has no size: $index"

run opsdf db --password-file "$SCRATCH/wrong.pass" "$MY"
assert_rc 2
assert_err_contains "cannot connect to mysql://"
assert_err_not_contains "wrong-password"

# --- SQLite ----------------------------------------------------------------------------
SQ=$SCRATCH/app.sqlite
sqlite3 "$SQ" "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
               WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
               INSERT INTO notes SELECT i, printf('%.200c', 'n') FROM n;
               CREATE INDEX notes_body ON notes (body);
               CREATE TABLE tags (name TEXT);
               INSERT INTO tags VALUES ('a'), ('b'), ('c');"
run opsdf db --format tsv "sqlite://$SQ"
assert_rc 0
assert_eq "$(sed -n 2p "$OUT_FILE" | cut -f1,2)" "main${TAB}notes" "SQLite: largest first"
assert_eq "$(tsv_col notes estimated_rows)" 3000 "SQLite rows are counted"
assert_eq "$(tsv_col tags estimated_rows)" 3 "SQLite rows of the small table"
data=$(sqlite3 "$SQ" "SELECT SUM(pgsize) FROM dbstat WHERE name = 'notes'")
index=$(sqlite3 "$SQ" "SELECT SUM(pgsize) FROM dbstat WHERE name = 'notes_body'")
assert_eq "$(tsv_col notes data)" "$data" "SQLite data bytes from dbstat"
assert_eq "$(tsv_col notes index)" "$index" "SQLite index bytes charged to the table"

run opsdf db "sqlite://$SCRATCH/none.sqlite"
assert_rc 2
assert_err_contains "none.sqlite"
assert_no_file "$SCRATCH/none.sqlite"

run opsdf db "sqlite://relative.db"
assert_rc 3

# --- record --database, then forecast ---------------------------------------------------
cat >>"$SCRATCH/ops.conf" <<EOF

[db.notes]
dsn = sqlite://$SQ

[df]
database = app
database = notes
EOF
OPS_NOW=2026-01-30T00:00:00Z run opsdf -c "$SCRATCH/ops.conf" record --history "$SCRATCH/h.tsv"
assert_rc 0
assert_eq "$OUT" "" "record prints nothing"
sqlite3 "$SQ" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
               INSERT INTO notes SELECT 3000 + i, printf('%.200c', 'm') FROM n;"
OPS_NOW=2026-01-31T00:00:00Z run opsdf -c "$SCRATCH/ops.conf" record --history "$SCRATCH/h.tsv"
assert_rc 0
assert_eq "$(grep -c "${TAB}db${TAB}app${TAB}" "$SCRATCH/h.tsv")" 2 "PostgreSQL database recorded under its name"
assert_eq "$(grep -c "${TAB}db${TAB}notes${TAB}[0-9]*${TAB}[0-9]" "$SCRATCH/h.tsv")" 2 \
  "SQLite database recorded with the free space of its filesystem"

OPS_NOW=2026-01-31T00:00:00Z run opsdf forecast --history "$SCRATCH/h.tsv" --format tsv
assert_out_matches "^db${TAB}notes${TAB}[0-9]+${TAB}[0-9]+${TAB}[1-9][0-9]+${TAB}"
assert_out_matches "^db${TAB}app${TAB}[0-9]+${TAB}${TAB}-?[0-9]+${TAB}"

# A database that cannot be reached costs its own series only, with a warning.
cat >>"$SCRATCH/ops.conf" <<EOF
database = down

[db.down]
dsn = postgresql://ops_test@127.0.0.1:1/x
EOF
OPS_NOW=2026-02-01T00:00:00Z run opsdf -c "$SCRATCH/ops.conf" record --history "$SCRATCH/h.tsv"
assert_rc 1
assert_err_contains "warning: database down not recorded"
assert_eq "$(grep -c "^2026-02-01T00:00:00Z${TAB}db${TAB}" "$SCRATCH/h.tsv")" 2 "the other databases still recorded"

# An unknown database name is refused before anything is written.
before=$(wc -l <"$SCRATCH/h.tsv")
run opsdf -c "$SCRATCH/ops.conf" record --history "$SCRATCH/h.tsv" --database nosuch
assert_rc 3
assert_eq "$(wc -l <"$SCRATCH/h.tsv")" "$before" "nothing appended"
