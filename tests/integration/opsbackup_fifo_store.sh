#!/usr/bin/env bash
# A FIFO planted in the backup store under a backup file's name (issue 14,
# item 11): verify, list, prune and restore (also with --force, which reads
# past the manifest check) refuse it by name instead of waiting forever for
# a writer. Every command runs under timeout 10: a hang shows as exit 124.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/bootstrap installs it)"

cd "$SCRATCH"
: >empty.conf
export OPS_CONFIG=$SCRATCH/empty.conf
B=$SCRATCH/bk
manifest_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
plant_fifo() { rm -f "$1" && mkfifo "$1"; }  # plant_fifo PATH: PATH becomes a FIFO
not_regular() {  # not_regular PATH STATUS: the last run ended with STATUS, naming PATH as not a regular file
  assert_rc "$2"
  assert_err_contains "$1 is not a regular file"
}

# --- SQLite: the data file is a FIFO ------------------------------------------------------
sqlite3 lite.db "CREATE TABLE t (x); INSERT INTO t VALUES (1), (2);"
run opsbackup db --dir "$B" --name lite "sqlite://$SCRATCH/lite.db"
assert_rc 0
M=$(echo "$B"/lite/*.manifest.json)
DATA=$B/lite/$(manifest_field "$M" file)
plant_fifo "$DATA"

run timeout 10 opsbackup verify --dir "$B" lite
not_regular "$DATA" 2
assert_out_matches "^lite .* FAILED +$DATA is not a regular file$"
run timeout 10 opsbackup restore --dir "$B" lite --to "sqlite://$SCRATCH/restored.db"
not_regular "$DATA" 2
assert_no_file restored.db
run timeout 10 opsbackup restore --force --dir "$B" lite --to "sqlite://$SCRATCH/restored.db"
not_regular "$DATA" 3
assert_no_file restored.db
run timeout 10 opsbackup restore -n --force --dir "$B" lite --to "sqlite://$SCRATCH/restored.db"
assert_rc 1
assert_err_contains "$DATA is not a regular file; restoring it anyway (--force)"

# --- files: the archive is a FIFO ---------------------------------------------------------
mkdir -p tree/sub
echo one >tree/sub/a
run opsbackup files --dir "$B" --source tree tree
assert_rc 0
M=$(echo "$B"/tree/*.manifest.json)
DATA=$B/tree/$(manifest_field "$M" file)
plant_fifo "$DATA"
run timeout 10 opsbackup verify --dir "$B" tree
not_regular "$DATA" 2
run timeout 10 opsbackup restore --force --dir "$B" tree --to-dir "$SCRATCH/back"
not_regular "$DATA" 3

# --- PostgreSQL: the globals file, and an uncompressed custom dump, are FIFOs ---------------
new_pg_db PGDB
pg_sql "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2), (3);" "$PGDB"
run opsbackup db --dir "$B" --name app --globals --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$(pg_dsn "$PGDB")"
assert_rc 1  # not a superuser: role passwords are left out, with a warning
M=$(echo "$B"/app/*.manifest.json)
G=$B/app/$(manifest_field "$M" globals_file)
plant_fifo "$G"
run timeout 10 opsbackup verify --dir "$B" app
not_regular "$G" 2

run opsbackup db --dir "$B" --name custom --pg-format custom --password-file "$OPS_TEST_PG_PASSWORD_FILE" \
  "$(pg_dsn "$PGDB")"
assert_rc 0
M=$(echo "$B"/custom/*.manifest.json)
DATA=$B/custom/$(manifest_field "$M" file)
assert_eq "$(manifest_field "$M" compression)" none "a custom dump is not compressed again"
plant_fifo "$DATA"
new_pg_db PGCOPY
run timeout 10 opsbackup restore --force --dir "$B" custom --to "$(pg_dsn "$PGCOPY")" \
  --password-file "$OPS_TEST_PG_PASSWORD_FILE"
not_regular "$DATA" 3
assert_eq "$(pg_sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'" "$PGCOPY")" 0 "nothing restored"

# --- a manifest and the last-run record that are FIFOs --------------------------------------
mkdir -p "$B/ghost" && chmod 700 "$B/ghost"
mkfifo "$B/ghost/ghost-20260101T000000Z.manifest.json" "$B/ghost/.last-run.json"
run timeout 10 opsbackup list --dir "$B" ghost
assert_rc 1
assert_err_contains "$B/ghost/ghost-20260101T000000Z.manifest.json is not a regular file"
assert_out_matches "^ghost .* bad-manifest "
run timeout 10 opsbackup verify --dir "$B" ghost
not_regular "$B/ghost/ghost-20260101T000000Z.manifest.json" 2
run timeout 10 opsbackup prune --dir "$B" --keep-last 1 ghost
assert_rc 2
assert_err_contains "$B/ghost/ghost-20260101T000000Z.manifest.json is not a regular file"
