#!/usr/bin/env bash
# opsarchive run: every [archive.NAME] of ops.conf in order — rows moved and
# purged on PostgreSQL and MariaDB, old files compressed and expired — every
# section checked before anything runs, one failing job not stopping the
# others, the worst status, -q, --lock and the metrics.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers

export OPS_NOW=2026-12-02T12:00:00Z
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_ARCHIVE_' || true)
new_pg_db PGDB
new_mysql_db MYDB
pg_sql "CREATE TABLE audit_logs (id int PRIMARY KEY, created_at timestamptz NOT NULL);
        INSERT INTO audit_logs SELECT g, timestamptz '2026-12-02 12:00+00' - g * interval '1 day' FROM generate_series(1, 200) g" "$PGDB"
mysql_sql "CREATE TABLE sessions (id int PRIMARY KEY, expires_at datetime NOT NULL);
           INSERT INTO sessions SELECT seq, TIMESTAMP'2026-12-02 12:00:00' + INTERVAL (CAST(seq AS SIGNED) - 50) HOUR FROM seq_1_to_100" "$MYDB"

write_conf() {
  cat >"$SCRATCH/ops.conf" <<CONF
[db.app]
dsn = $(pg_dsn "$PGDB")
password_file = $OPS_TEST_PG_PASSWORD_FILE

[db.web]
dsn = $(mysql_dsn "$MYDB")
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE

[archive]
batch = 40

[archive.audit]
database = app
table = audit_logs
where = created_at < now() - interval '90 days'
to_table = audit_logs_archive
create = yes

[archive.sessions]
database = web
table = sessions
where = expires_at < NOW()
purge = yes
CONF
  cat >>"$SCRATCH/ops.conf"
}
arch() { run "$OPSARCHIVE" -c "$SCRATCH/ops.conf" "$@"; }

# --- a bad section refuses the whole run, before the first job -------------------------
write_conf <<'CONF'

[archive.broken]
database = app
table = audit_logs
where = 1=1
to_table = x
colour = blue
CONF
arch run
assert_rc 3
assert_err_contains "ops.conf:30: unknown key 'colour' in [archive.broken]"
assert_eq "$(pg_sql "SELECT count(*) FROM audit_logs" "$PGDB")" 200 "nothing ran"
write_conf <<'CONF'

[archive.nodest]
database = app
table = audit_logs
where = 1=1
CONF
arch run
assert_rc 3
assert_err_contains "[archive.nodest]: no destination"
write_conf <<'CONF'

[archive.badvalues]
database = app
table = audit_logs
where = 1=1
purge = maybe
CONF
arch run
assert_rc 3
assert_err_contains "ops.conf:29: invalid value 'maybe' for 'purge' (expected true or false)"
assert_eq "$(pg_sql "SELECT count(*) FROM audit_logs" "$PGDB")" 200 "nothing ran"

# --- dry run: every job's plan, nothing changed ----------------------------------------
write_conf </dev/null
arch -n run
assert_rc 0
assert_out_contains "[archive.audit]"
assert_out_contains "[archive.sessions]"
assert_out_contains "matching     110 rows"
assert_out_contains "matching     49 rows"
assert_eq "$(mysql_sql "SELECT count(*) FROM sessions" "$MYDB")" 100 "dry run purged nothing"

# --- the jobs, in order; batch from [archive] ---------------------------------------------
mkdir "$SCRATCH/metrics"
arch --metrics-dir "$SCRATCH/metrics" run
assert_rc 0
assert_out_matches "^audit +rows +ok .* 110 rows of audit_logs to audit_logs_archive in 3 batches$"
assert_out_matches "^sessions +rows +ok .* 49 rows of sessions purged in 2 batches$"
assert_eq "$(pg_sql "SELECT count(*), min(id) FROM audit_logs_archive" "$PGDB")" "110|91" "audit logs archived"
assert_eq "$(mysql_sql "SELECT count(*) FROM sessions" "$MYDB")" 51 "expired sessions purged"
grep -q '^ops_archive_rows_archived 159$' "$SCRATCH/metrics/opsarchive.prom" || fail "rows_archived metric: $(cat "$SCRATCH/metrics/opsarchive.prom")"
grep -q '^ops_archive_jobs_failed 0$' "$SCRATCH/metrics/opsarchive.prom" || fail "jobs_failed metric"

# --- quiet when all is well ----------------------------------------------------------------
arch -q run
assert_rc 0
assert_out_eq ""

# --- one job failing does not stop the next; the status is the worst -----------------------
pg_sql "INSERT INTO audit_logs VALUES (1000, '2020-01-01'); INSERT INTO audit_logs_archive VALUES (1000, '2020-01-01')" "$PGDB"
mysql_sql "INSERT INTO sessions VALUES (1000, '2020-01-01')" "$MYDB"
arch run
assert_rc 2
assert_err_contains "audit: "
assert_out_matches "^audit +rows +FAILED "
assert_out_matches "^sessions +rows +ok .* 1 rows of sessions purged in 1 batches$"
assert_eq "$(pg_sql "SELECT count(*) FROM audit_logs WHERE id = 1000" "$PGDB")" 1 "the failed batch was rolled back"

# --- --lock: a run while another holds the lock is skipped -----------------------------------
flock "$SCRATCH/archive.lock" sleep 5 &
holder=$!
sleep 0.5
arch --lock-file "$SCRATCH/archive.lock" run
assert_rc 1
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true

# --- a files job beside the rows jobs ------------------------------------------------------
mkdir -p "$SCRATCH/logs"
for d in 01 02 03; do
  printf 'line of day %s\n' "$d" >"$SCRATCH/logs/app-2026-06-$d.log"
  touch -d "2026-06-$d 00:00:00Z" "$SCRATCH/logs/app-2026-06-$d.log"
done
printf 'recent\n' >"$SCRATCH/logs/app-2026-12-01.log"
touch -d "2026-12-01 00:00:00Z" "$SCRATCH/logs/app-2026-12-01.log"
printf 'very old\n' | gzip >"$SCRATCH/logs/app-2025-01-01.log.gz"
touch -d "2025-01-01 00:00:00Z" "$SCRATCH/logs/app-2025-01-01.log.gz"
write_conf <<CONF

[archive.applogs]
dir = $SCRATCH/logs
match = *.log
older_than = 90d
compress = zstd
delete_older_than = 365d
CONF
pg_sql "DELETE FROM audit_logs WHERE id = 1000" "$PGDB"
arch -n run
assert_rc 0
assert_out_contains "[archive.applogs]"
assert_out_contains "would-compress $SCRATCH/logs/app-2026-06-01.log"
assert_file_exists "$SCRATCH/logs/app-2026-06-01.log"
arch run
assert_rc 0
assert_out_matches "^applogs +files +ok .* 3 compressed, 0 archived, 1 deleted, "
assert_eq "$(cd "$SCRATCH/logs" && ls | tr '\n' ' ')" "app-2026-06-01.log.zst app-2026-06-02.log.zst app-2026-06-03.log.zst app-2026-12-01.log " "old logs compressed, the oldest expired"
assert_eq "$(zstdcat "$SCRATCH/logs/app-2026-06-02.log.zst")" "line of day 02" "content kept"
write_conf <<CONF

[archive.badfiles]
dir = $SCRATCH/logs
older_than = soon
CONF
arch run
assert_rc 3
assert_err_contains "ops.conf:27: older_than: invalid duration 'soon'"
