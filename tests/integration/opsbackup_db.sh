#!/usr/bin/env bash
# opsbackup db against the real PostgreSQL and MariaDB test servers and a
# SQLite file: a database with bytea/BLOB, unicode, NULLs, large rows, views,
# triggers and routines is backed up, restored into a fresh database the way a
# user would (zcat … | psql / mariadb) and compared exactly, table by table and
# schema by schema. The layout, modes, checksum and row counts of the manifest
# are checked against the files and the server.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/bootstrap installs it)"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
B=$SCRATCH/backups

mode_of() { stat -c %a "$1"; }
manifest_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
manifest_rows() {  # manifest_rows MANIFEST TABLE
  python3 -c 'import json,sys
m = json.load(open(sys.argv[1]))
print(next((t["rows"] for t in m["tables"] if t["table"] == sys.argv[2]), "absent"))' "$1" "$2"
}
only_manifest() {  # only_manifest DIR: the one manifest in DIR, or fail
  local found=("$1"/*.manifest.json)
  ((${#found[@]} == 1)) && [[ -f ${found[0]} ]] || fail "expected one manifest in $1, found: ${found[*]}"
  printf '%s\n' "${found[0]}"
}

# --- PostgreSQL ------------------------------------------------------------------------
new_pg_db PGDB
pg_sql "CREATE TABLE patients (id int PRIMARY KEY, name text, photo bytea, born date, note text);
        INSERT INTO patients VALUES
          (1, 'Zoë Ångström 患者', decode('00ff10200a0d5c', 'hex'), '1980-02-29', NULL),
          (2, NULL, NULL, NULL, E'tab\there\nnewline \\\\ backslash'),
          (3, 'large', decode(repeat('ab', 600000), 'hex'), '2001-01-01', repeat('x', 2000000));
        INSERT INTO patients SELECT g, 'p' || g, NULL, '2020-01-01'::date + g, NULL FROM generate_series(4, 3000) g;
        CREATE SCHEMA audit;
        CREATE TABLE audit.\"Events Log\" (id bigserial PRIMARY KEY, patient int REFERENCES patients, what text);
        CREATE FUNCTION audit.log_change() RETURNS trigger LANGUAGE plpgsql AS \$\$
          BEGIN INSERT INTO audit.\"Events Log\" (patient, what) VALUES (NEW.id, TG_OP); RETURN NEW; END \$\$;
        CREATE TRIGGER patients_audit AFTER INSERT OR UPDATE ON patients FOR EACH ROW EXECUTE FUNCTION audit.log_change();
        UPDATE patients SET born = born WHERE id <= 10;
        CREATE VIEW adults AS SELECT id, name FROM patients WHERE born < '2005-01-01';
        CREATE TABLE empty_one (x int);" "$PGDB"
PG=$(pg_dsn "$PGDB")

run opsbackup db --dir "$B" --name app --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 0
assert_eq "$ERR" "" "nothing on stderr"
assert_out_contains "app"
assert_eq "$(mode_of "$B")" 700 "the backup root is created 0700"
assert_eq "$(mode_of "$B/app")" 700 "the backup directory is 0700"
M=$(only_manifest "$B/app")
DATA=$B/app/$(manifest_field "$M" file)
[[ $(basename "$DATA") =~ ^app-[0-9]{8}T[0-9]{6}Z\.sql\.gz$ ]] || fail "data file name: $DATA"
assert_eq "$(basename "$M")" "$(basename "$DATA" .sql.gz).manifest.json" "the manifest is named after the data file"
assert_eq "$(mode_of "$DATA")" 600 "the dump is 0600"
assert_eq "$(mode_of "$M")" 600 "the manifest is 0600"
assert_eq "$(manifest_field "$M" sha256)" "$(sha256sum "$DATA" | cut -d' ' -f1)" "manifest SHA-256 = the file's"
assert_eq "$(manifest_field "$M" size)" "$(stat -c %s "$DATA")" "manifest size = the file's"
assert_eq "$(manifest_field "$M" plain_size)" "$(zcat "$DATA" | wc -c)" "plain size = the decompressed size"
assert_eq "$(manifest_field "$M" engine)" postgresql "engine"
assert_eq "$(manifest_field "$M" compression)" gzip "gzip by default"
assert_eq "$(manifest_field "$M" server_version)" "$(pg_sql 'SHOW server_version' "$PGDB")" "server version"
[[ $(manifest_field "$M" dumper) == "pg_dump (PostgreSQL) "* ]] || fail "dumper: $(manifest_field "$M" dumper)"
gzip -t "$DATA" || fail "gzip -t rejects the dump"
assert_eq "$(zcat "$DATA" | tail -n 8 | grep -c 'PostgreSQL database dump complete')" 1 "pg_dump's completion line, near the end"
assert_eq "$(manifest_rows "$M" public.patients)" 3000 "rows of public.patients, counted in the dump"
assert_eq "$(manifest_rows "$M" 'audit.Events Log')" 10 "rows of a quoted table name in another schema"
assert_eq "$(manifest_rows "$M" public.empty_one)" 0 "an empty table is listed with 0 rows"
ls -A "$B/app" | grep -q '\.tmp\.' && fail "temporary files left behind: $(ls -A "$B/app")"

# Restore as a user would, into a fresh database, and compare exactly.
new_pg_db PGCOPY
zcat "$DATA" | PGPASSFILE=$(pg_passfile) psql -X -q -w -v ON_ERROR_STOP=1 -d "$(pg_dsn "$PGCOPY")" >/dev/null ||
  fail "zcat | psql could not restore the dump"
for t in public.patients 'audit."Events Log"' public.empty_one; do
  assert_eq "$(pg_sql "COPY (SELECT * FROM $t ORDER BY 1) TO STDOUT" "$PGCOPY" | sha256sum)" \
    "$(pg_sql "COPY (SELECT * FROM $t ORDER BY 1) TO STDOUT" "$PGDB" | sha256sum)" "restored $t is identical"
done
# Without comments, blank lines and the random \restrict keys of pg_dump >= 15.14.
schema() { PGPASSFILE=$(pg_passfile) pg_dump -w --schema-only -d "$(pg_dsn "$1")" | grep -Ev '^(--|$|\\(un)?restrict )'; }
assert_eq "$(schema "$PGCOPY" | sha256sum)" "$(schema "$PGDB" | sha256sum)" "schema, view, trigger and function identical"
assert_eq "$(pg_sql "SELECT count(*) FROM adults" "$PGCOPY")" "$(pg_sql "SELECT count(*) FROM adults" "$PGDB")" "the view works"
pg_sql "INSERT INTO patients (id) VALUES (99999)" "$PGCOPY" >/dev/null
assert_eq "$(pg_sql "SELECT count(*) FROM audit.\"Events Log\" WHERE patient = 99999" "$PGCOPY")" 1 "the trigger fires after restore"

# Custom format: pg_restore can read it, row counts come from the same snapshot.
run opsbackup db --dir "$B" --name app-custom --pg-format custom --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 0
MC=$(only_manifest "$B/app-custom")
assert_eq "$(manifest_field "$MC" compression)" none "custom format is compressed by pg_dump itself"
assert_eq "$(manifest_rows "$MC" public.patients)" 3000 "custom format: rows counted in the dump's snapshot"
pg_restore --list "$B/app-custom/$(manifest_field "$MC" file)" >/dev/null || fail "pg_restore --list rejects the custom dump"

# --- MariaDB ---------------------------------------------------------------------------
new_mysql_db MYDB
mysql_sql "CREATE TABLE cases (id INT PRIMARY KEY, title VARCHAR(200) CHARACTER SET utf8mb4, doc LONGBLOB, opened DATETIME, note MEDIUMTEXT) ENGINE=InnoDB;
           INSERT INTO cases VALUES (1, 'Müller ✓ 🙂', UNHEX('00FF10200A0D5C27'), '2024-02-29 12:00:00', NULL),
                                    (2, NULL, NULL, NULL, 'quote '' and \\\\ backslash, (parens), and ;semicolon'),
                                    (3, 'large', REPEAT(UNHEX('AB'), 1500000), NOW(), REPEAT('y', 1000000));
           INSERT INTO cases (id, title) SELECT seq, CONCAT('case ', seq) FROM seq_4_to_2500;
           CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, case_id INT, what VARCHAR(20)) ENGINE=InnoDB;
           CREATE TRIGGER cases_audit AFTER UPDATE ON cases FOR EACH ROW INSERT INTO audit (case_id, what) VALUES (NEW.id, 'update');
           UPDATE cases SET note = note WHERE id <= 7;
           CREATE VIEW open_cases AS SELECT id, title FROM cases WHERE opened IS NOT NULL;
           CREATE PROCEDURE count_cases(OUT n INT) SELECT COUNT(*) INTO n FROM cases;
           CREATE TABLE nothing_here (x INT) ENGINE=InnoDB;" "$MYDB"
MY=$(mysql_dsn "$MYDB")

run opsbackup db --dir "$B" --name cases --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE" "$MY"
assert_rc 0
assert_eq "$ERR" "" "MariaDB: nothing on stderr"
MM=$(only_manifest "$B/cases")
MDATA=$B/cases/$(manifest_field "$MM" file)
assert_eq "$(manifest_field "$MM" sha256)" "$(sha256sum "$MDATA" | cut -d' ' -f1)" "MariaDB: SHA-256"
assert_eq "$(zcat "$MDATA" | tail -n 1 | grep -c '^-- Dump completed')" 1 "mariadb-dump's completion line"
assert_eq "$(manifest_rows "$MM" cases)" 2500 "MariaDB: rows counted in the extended INSERTs"
assert_eq "$(manifest_rows "$MM" audit)" 7 "MariaDB: rows of the trigger's table"
assert_eq "$(manifest_rows "$MM" nothing_here)" 0 "MariaDB: an empty table is listed"
zcat "$MDATA" | grep -q -- '--single-transaction' && fail "argv leaked into the dump?"

new_mysql_db MYCOPY
zcat "$MDATA" | mariadb --defaults-file="$(mysql_cnf)" "$MYCOPY" || fail "zcat | mariadb could not restore the dump"
for t in cases audit nothing_here; do
  assert_eq "$(mysql_sql "SELECT * FROM $t ORDER BY 1" "$MYCOPY" | sha256sum)" \
    "$(mysql_sql "SELECT * FROM $t ORDER BY 1" "$MYDB" | sha256sum)" "MariaDB: restored $t is identical"
done
assert_eq "$(mysql_sql "SELECT HEX(doc) FROM cases WHERE id = 1" "$MYCOPY")" 00FF10200A0D5C27 "binary data intact"
assert_eq "$(mysql_sql "SELECT title FROM cases WHERE id = 1" "$MYCOPY")" "Müller ✓ 🙂" "utf8mb4 intact"
assert_eq "$(mysql_sql "SELECT note IS NULL FROM cases WHERE id = 1" "$MYCOPY")" 1 "NULL stays NULL"
assert_eq "$(mysql_sql "CALL count_cases(@n); SELECT @n" "$MYCOPY")" 2500 "the procedure is restored"
assert_eq "$(mysql_sql "SELECT COUNT(*) FROM open_cases" "$MYCOPY")" "$(mysql_sql "SELECT COUNT(*) FROM open_cases" "$MYDB")" "the view is restored"
mysql_sql "UPDATE cases SET note = 'x' WHERE id = 2500" "$MYCOPY"
assert_eq "$(mysql_sql "SELECT COUNT(*) FROM audit WHERE case_id = 2500" "$MYCOPY")" 1 "the trigger is restored"

# A MyISAM table is outside the snapshot: a warning, in the manifest too, exit 1.
mysql_sql "CREATE TABLE legacy (x INT) ENGINE=MyISAM" "$MYDB"
run opsbackup db --dir "$B" --name cases-myisam --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE" "$MY"
assert_rc 1
assert_err_contains "legacy (MyISAM)"
assert_eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["warnings"]))' "$(only_manifest "$B/cases-myisam")")" 1 "the warning is in the manifest"

# --- SQLite ----------------------------------------------------------------------------
SQ=$SCRATCH/app.sqlite
sqlite3 "$SQ" "PRAGMA journal_mode=WAL;
               CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, blob BLOB);
               WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
               INSERT INTO notes SELECT i, 'note ' || i || ' ✓', randomblob(100) FROM n;
               CREATE TABLE tags (name TEXT);
               INSERT INTO tags VALUES ('a'), (NULL);
               CREATE VIEW long_notes AS SELECT * FROM notes WHERE length(body) > 10;" >/dev/null
run opsbackup db --dir "$B" --name notes --compress xz "sqlite://$SQ"
assert_rc 0
MS=$(only_manifest "$B/notes")
SDATA=$B/notes/$(manifest_field "$MS" file)
[[ $(basename "$SDATA") =~ ^notes-[0-9]{8}T[0-9]{6}Z\.sqlite3\.xz$ ]] || fail "SQLite data file name: $SDATA"
assert_eq "$(manifest_field "$MS" compression)" xz "--compress xz"
assert_eq "$(manifest_rows "$MS" notes)" 4000 "SQLite: rows counted in the copy"
assert_eq "$(manifest_rows "$MS" tags)" 2 "SQLite: second table"
xz -dc "$SDATA" >"$SCRATCH/restored.sqlite" || fail "xz -dc rejects the SQLite backup"
assert_eq "$(sqlite3 "$SCRATCH/restored.sqlite" 'PRAGMA integrity_check')" ok "the copy is a sound database"
assert_eq "$(sqlite3 "$SCRATCH/restored.sqlite" .dump | sha256sum)" "$(sqlite3 "$SQ" .dump | sha256sum)" "SQLite: identical content"

# The default name of a DSN is its database (here the file's stem).
run opsbackup db --dir "$B" --compress none "sqlite://$SQ"
assert_rc 0
assert_eq "$(ls "$B/app" | grep -c '\.sqlite3$')" 1 "named after the file, uncompressed"

# --- usage errors: exit 3, nothing written -------------------------------------------
before=$(tree_state "$B")
run opsbackup db --dir "$B" --compress lz4 "sqlite://$SQ"
assert_rc 3
assert_err_contains "lz4"
run opsbackup db --dir "$B" --level 12 "sqlite://$SQ"
assert_rc 3
assert_err_contains "12"
run opsbackup db --dir "$B" --name ../evil "sqlite://$SQ"
assert_rc 3
assert_err_contains "bad backup name '../evil'"
run opsbackup db "sqlite://$SQ"
assert_rc 3
assert_err_contains "--dir"
run opsbackup db --dir "$B" --pg-format tar "$PG"
assert_rc 3
assert_err_contains "tar"
run opsbackup db --dir "$B" nosuchdb
assert_rc 3
assert_err_contains "unknown database 'nosuchdb'"
assert_tree_unchanged "$before" "$B" "usage errors changed nothing"

# --- --globals: roles and grants, in a second file named in the manifest ---------------
run opsbackup db --dir "$B" --name app-globals --globals --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$PG"
assert_rc 1
assert_err_contains "not a superuser, so role passwords are not in the backup"
MG=$(only_manifest "$B/app-globals")
G=$B/app-globals/$(manifest_field "$MG" globals_file)
[[ $G == *.globals.sql.gz ]] || fail "globals file name: $G"
assert_eq "$(manifest_field "$MG" globals_sha256)" "$(sha256sum "$G" | cut -d' ' -f1)" "globals SHA-256 in the manifest"
zcat "$G" | grep -q 'CREATE ROLE ops_test' || fail "the role is not in the globals dump"
assert_eq "$(stat -c %a "$G")" 600 "the globals file is 0600"

# (exit 1: the MyISAM table made above still warns)
run opsbackup db --dir "$B" --name cases-globals --globals --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE" "$MY"
assert_rc 1
MMG=$(only_manifest "$B/cases-globals")
MG_FILE=$B/cases-globals/$(manifest_field "$MMG" globals_file)
zcat "$MG_FILE" | grep -q "^CREATE USER \`ops_test\`@\`%\`" || fail "no CREATE USER in $(zcat "$MG_FILE" | head -20)"
zcat "$MG_FILE" | grep -q '^GRANT .* TO `ops_test`@`%`' || fail "no GRANT in the MariaDB globals"
