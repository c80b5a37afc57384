#!/usr/bin/env bash
# Relative paths (issue 14, item 4): every opsbackup subcommand run from the
# scratch directory with a relative --dir (and a relative dir = in ops.conf, a
# relative --source, --to-dir, --lock-file, --metrics-dir) works as with an absolute one, against real
# SQLite, PostgreSQL and MariaDB databases: db, files, verify (which must not
# call good SQLite backups FAILED), list, prune, restore and run. A backup that
# fails records a failed run, never a successful one.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/bootstrap installs it)"

cd "$SCRATCH"
: >empty.conf
export OPS_CONFIG=$SCRATCH/empty.conf
export TZ=UTC
last_run_ok() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ok"])' "$1/.last-run.json"; }
verified_ok() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verified"]["ok"])' "$1"; }

# --- SQLite: db, verify, list, prune, restore with --dir bkrel ---------------------------
sqlite3 lite.db "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('a'), ('b'), ('c');"
for d in 01 02 03; do
  run env OPS_NOW=2026-05-${d}T01:00:00Z opsbackup db --dir bkrel --name lite "sqlite://$SCRATCH/lite.db"
  assert_rc 0
  assert_eq "$ERR" "" "db --dir bkrel: nothing on stderr"
done
assert_eq "$(last_run_ok bkrel/lite)" True "the run is recorded as a success"
found=(bkrel/lite/lite-*.sqlite3.gz)
assert_eq "${#found[@]}" 3 "three SQLite backups under the relative --dir"
assert_eq "$(find bkrel -name '.*.tmp*' | wc -l)" 0 "no scratch copy left behind"

run opsbackup verify --dir bkrel --all lite
assert_rc 0
assert_out_matches "^lite +$SCRATCH/bkrel/lite/lite-20260501T010000Z\.sqlite3\.gz +ok "
assert_out_not_contains "FAILED"
for m in bkrel/lite/*.manifest.json; do
  assert_eq "$(verified_ok "$m")" True "verify recorded $m as good"
done

run opsbackup list --dir bkrel
assert_rc 0
assert_out_matches "^lite +2026-05-03T01:00:00Z .* complete +$SCRATCH/bkrel/lite/lite-20260503T010000Z\.sqlite3\.gz$"
assert_out_not_contains "verify-failed"

run opsbackup verify --dir bkrel --restore-test lite
assert_rc 0
assert_out_contains "restored: 1 tables, 3 rows"

run opsbackup prune --dir bkrel --keep-last 2 lite
assert_rc 0
assert_out_matches "^lite-20260501T010000Z +.* removed$"
assert_no_file bkrel/lite/lite-20260501T010000Z.sqlite3.gz
assert_file_exists bkrel/lite/lite-20260503T010000Z.sqlite3.gz

run opsbackup restore --dir bkrel lite --to "sqlite://$SCRATCH/restored.db"
assert_rc 0
assert_eq "$(sqlite3 restored.db 'SELECT group_concat(body) FROM notes')" "a,b,c" "restore --dir bkrel NAME restores"
run opsbackup restore bkrel/lite/lite-20260502T010000Z.sqlite3.gz --to "sqlite://$SCRATCH/restored2.db"
assert_rc 0
assert_eq "$(sqlite3 restored2.db 'SELECT count(*) FROM notes')" 3 "restore of a relative backup file restores"
run opsbackup verify bkrel/lite/
assert_rc 0
assert_out_contains "ok"

# Backups made with an absolute --dir, verified with a relative one (verify
# called them FAILED and marked them verify-failed, after which prune refused).
run opsbackup db --dir "$SCRATCH/bkabs" --name lite "sqlite://$SCRATCH/lite.db"
assert_rc 0
run opsbackup verify --dir bkabs lite
assert_rc 0
assert_out_matches "^lite .* ok +1 tables, integrity ok$"
assert_eq "$(verified_ok bkabs/lite/*.manifest.json)" True "verify --dir bkabs recorded the backup as good"
run opsbackup prune --dir bkabs --keep-last 1 lite
assert_rc 0

# A backup that fails (the database is gone) records a failed run, and prune keeps all.
run env OPS_NOW=2026-05-04T01:00:00Z opsbackup db --dir bkrel --name lite "sqlite://$SCRATCH/gone.db"
assert_rc 2
assert_eq "$(last_run_ok bkrel/lite)" False "a failed backup is recorded as failed"
run opsbackup prune --dir bkrel --keep-last 1 lite
assert_rc 2
assert_err_contains "the last backup run of lite failed"

# --- PostgreSQL and MariaDB with --dir bkrel ----------------------------------------------
new_pg_db PGDB
pg_sql "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 500) g;" "$PGDB"
run opsbackup db --dir bkrel --name app --password-file "$OPS_TEST_PG_PASSWORD_FILE" "$(pg_dsn "$PGDB")"
assert_rc 0
run opsbackup verify --dir bkrel app
assert_rc 0
assert_out_matches "^app +$SCRATCH/bkrel/app/app-.*\.sql\.gz +ok "
new_pg_db PGCOPY
run opsbackup restore --dir bkrel app --to "$(pg_dsn "$PGCOPY")" --password-file "$OPS_TEST_PG_PASSWORD_FILE"
assert_rc 0
assert_eq "$(pg_sql "SELECT count(*), sum(length(v)) FROM t" "$PGCOPY")" "500|16000" "PostgreSQL restored from bkrel"

new_mysql_db MYDB
mysql_sql "CREATE TABLE c (id INT PRIMARY KEY, v TEXT) ENGINE=InnoDB; INSERT INTO c SELECT seq, md5(seq) FROM seq_1_to_300;" "$MYDB"
run opsbackup db --dir bkrel --name cases --compress zstd --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE" "$(mysql_dsn "$MYDB")"
assert_rc 0
run opsbackup verify --dir bkrel cases
assert_rc 0
assert_out_matches "^cases +$SCRATCH/bkrel/cases/cases-.*\.sql\.zst +ok "
new_mysql_db MYCOPY
run opsbackup restore --dir bkrel cases --to "$(mysql_dsn "$MYCOPY")" --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE"
assert_rc 0
assert_eq "$(mysql_sql "SELECT count(*) FROM c" "$MYCOPY")" 300 "MariaDB restored from bkrel"

# --- files: relative --source, --dir, --to-dir, --lock-file and --metrics-dir --------------
mkdir -p www/uploads/2026
echo scan >www/uploads/2026/a.pdf
ln -s 2026/a.pdf www/uploads/latest
run opsbackup files --dir bkrel --source www/uploads uploads
assert_rc 0
run opsbackup verify --dir bkrel uploads
assert_rc 0
assert_out_contains "ok"
mkdir metrics
run opsbackup --lock-file restore.lock --metrics-dir metrics restore --dir bkrel uploads --to-dir back
assert_rc 0
assert_out_contains "into $SCRATCH/back"
assert_file_exists metrics/opsbackup.prom  # a relative --metrics-dir, written after the restore
assert_file_exists restore.lock
diff -r www/uploads back/uploads >/dev/null || fail "the restored tree differs from the source"
assert_eq "$(readlink back/uploads/latest)" "2026/a.pdf" "the symlink is restored"

# --- run, and the store commands, with a relative dir = in ops.conf ------------------------
cat >rel.conf <<CONF
[backup]
dir = bkrun
keep_last = 1

[backup.lite]
database = sqlite://$SCRATCH/lite.db

[backup.uploads]
source = www/uploads
CONF
export OPS_CONFIG=$SCRATCH/rel.conf
for d in 01 02; do
  run env OPS_NOW=2026-06-${d}T01:00:00Z opsbackup run
  assert_rc 0
  assert_out_matches "^lite +ok "
  assert_out_matches "^uploads +ok "
done
assert_out_matches "^lite +ok .* 1 +lite-20260602T010000Z\.sqlite3\.gz$"
found=(bkrun/lite/*.manifest.json)
assert_eq "${#found[@]}" 1 "run pruned the relative dir by keep_last = 1"
run opsbackup verify
assert_rc 0
assert_out_matches "^lite +$SCRATCH/bkrun/lite/.* +ok "
assert_out_matches "^uploads +$SCRATCH/bkrun/uploads/.* +ok "
run opsbackup list lite
assert_rc 0
assert_out_matches "^lite +2026-06-02T01:00:00Z .* complete "
run opsbackup prune lite
assert_rc 0
run opsbackup restore lite --to "sqlite://$SCRATCH/restored3.db"
assert_rc 0
assert_eq "$(sqlite3 restored3.db 'SELECT count(*) FROM notes')" 3 "restore NAME with dir = bkrun in ops.conf"
