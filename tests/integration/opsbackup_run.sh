#!/usr/bin/env bash
# opsbackup run, the cron job: every [backup.NAME] of ops.conf is backed up,
# verified and pruned by the [backup] defaults or its own keep_* keys; --quiet
# prints nothing when all went well; a failing job fails the run (exit 2) but
# not the other jobs; --metrics-dir writes per-backup figures; a bad key
# anywhere is refused before anything runs; --lock skips an overlapping run.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers

export TZ=UTC
B=$SCRATCH/backups
new_pg_db PGDB
pg_sql "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 2000) g;" "$PGDB"
new_mysql_db MYDB
mysql_sql "CREATE TABLE c (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO c SELECT seq FROM seq_1_to_500;" "$MYDB"
sqlite3 "$SCRATCH/notes.db" "CREATE TABLE n (x); INSERT INTO n VALUES (1), (2), (3);"
mkdir -p "$SCRATCH/www/uploads/2026"
echo scan >"$SCRATCH/www/uploads/2026/a.pdf"
echo partial >"$SCRATCH/www/uploads/2026/b.tmp"

write_conf() {  # write_conf [EXTRA LINES]: the configuration of this test, plus extra text at the end
  cat >"$SCRATCH/ops.conf" <<CONF
[db.app]
dsn = $(pg_dsn "$PGDB")
password_file = $OPS_TEST_PG_PASSWORD_FILE

[db.cases]
dsn = $(mysql_dsn "$MYDB")
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE

[backup]
dir = $B
keep_daily = 2

[backup.app]
database = app

[backup.cases]
database = cases
compress = zstd
keep_last = 1

[backup.notes]
database = sqlite://$SCRATCH/notes.db

[backup.www]
source = $SCRATCH/www/uploads
exclude = *.tmp
CONF
  printf '%s\n' "$@" >>"$SCRATCH/ops.conf"
}
write_conf
export OPS_CONFIG=$SCRATCH/ops.conf

for d in 01 02 03; do
  run env OPS_NOW=2026-05-${d}T01:00:00Z opsbackup run --quiet --metrics-dir "$SCRATCH"
  assert_rc 0
  assert_out_eq ""
  assert_eq "$ERR" "" "--quiet: nothing on stderr when all went well"
done
assert_eq "$(ls "$B/app" | grep -c manifest)" 2 "app: keep_daily = 2 from [backup]"
assert_eq "$(ls "$B/cases" | grep -c manifest)" 1 "cases: its own keep_last = 1"
assert_eq "$(ls "$B/cases" | grep -c '\.sql\.zst$')" 1 "cases: its own compression"
assert_eq "$(ls "$B/notes" | grep -c manifest)" 2 "notes: the [backup] default"
assert_eq "$(ls "$B/www" | grep -c '\.tar\.gz$')" 2 "www: a files job, pruned like the others"
assert_eq "$(tar -tzf "$B/www/www-20260503T010000Z.tar.gz" | sort | tr '\n' ' ')" "uploads/ uploads/2026/ uploads/2026/a.pdf " \
  "the files job archived its source without the excluded file"
assert_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verified"]["ok"])' "$B/app/app-20260503T010000Z.manifest.json")" True \
  "the new backup was verified"

PROM=$SCRATCH/opsbackup.prom
assert_file_exists "$PROM"
grep -q '^ops_backup_backup_ok{name="app"} 1$' "$PROM" || fail "no backup_ok for app in $(cat "$PROM")"
grep -q '^ops_backup_backup_bytes{name="cases"} [1-9][0-9]*$' "$PROM" || fail "no backup_bytes for cases"
assert_eq "$(grep -c '^# TYPE ops_backup_backup_ok gauge$' "$PROM")" 1 "one TYPE line per metric family"
grep -q '^ops_backup_exit_status 0$' "$PROM" || fail "exit status metric"

# Without --quiet: one line per job.
run env OPS_NOW=2026-05-04T01:00:00Z opsbackup run --format tsv
assert_rc 0
assert_eq "$(cut -f1,2 "$OUT_FILE" | tail -n +2 | tr '\t\n' ': ')" "app:ok cases:ok notes:ok www:ok " "a line per job"

# A job that fails: exit 2, the others still run, nothing pruned for the failed one.
printf 'wrong\n' >"$SCRATCH/wrong.pass"
chmod 600 "$SCRATCH/wrong.pass"
write_conf "" "[backup.broken]" "database = $(pg_dsn "$PGDB")" "password_file = $SCRATCH/wrong.pass"
run env OPS_NOW=2026-05-05T01:00:00Z opsbackup run --quiet --metrics-dir "$SCRATCH"
assert_rc 2
assert_err_contains "broken: cannot connect"
assert_eq "$(grep -c 'error:' "$ERR_FILE")" 1 "one error line: the broken job"
assert_file_exists "$B/app/app-20260505T010000Z.manifest.json"
grep -q '^ops_backup_backup_ok{name="broken"} 0$' "$PROM" || fail "backup_ok 0 for the broken job"
grep -q '^ops_backup_exit_status 2$' "$PROM" || fail "exit status 2 in the metrics"

# Configuration errors: exit 3, naming file and line, before anything runs.
before=$(tree_state "$B")
write_conf "" "[backup.typo]" "database = app" "keep_dialy = 3"
run env OPS_NOW=2026-05-06T01:00:00Z opsbackup run
assert_rc 3
assert_err_contains "ops.conf:$(grep -n keep_dialy "$SCRATCH/ops.conf" | cut -d: -f1): unknown key 'keep_dialy' in [backup.typo]"
write_conf "" "[backup.both]" "database = app" "source = /etc"
run opsbackup run
assert_rc 3
assert_err_contains "needs either 'database' or 'source'"
write_conf "" "[backup.x]" "database = app" "compress = brotli"
run opsbackup run
assert_rc 3
assert_err_contains "brotli"
assert_tree_unchanged "$before" "$B" "no backup made, nothing pruned"

# --lock: an overlapping run is skipped with a warning (exit 1).
write_conf
exec 9>"$SCRATCH/run.lock"
flock 9
run opsbackup run --lock-file "$SCRATCH/run.lock"
assert_rc 1
assert_err_contains "skipping this run"
exec 9>&-

# --keep-* on the command line replace the keep_* of ops.conf (keep_daily = 2 there).
run opsbackup prune -n --keep-last 1 app
assert_rc 0
assert_eq "$(grep -c ' keep ' "$OUT_FILE")" 1 "only the command line's rule: keep the last one"
run opsbackup prune -n app
assert_rc 0
assert_eq "$(grep -c ' keep ' "$OUT_FILE")" 2 "without --keep-*: the file's keep_daily = 2"
