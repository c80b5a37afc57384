#!/usr/bin/env bash
# Every way a database backup can fail — wrong password, server down, dumper
# missing, dumper killed, dumper stopping early, dumper failing, disk full —
# ends with exit 2 and one line that says why (with the dumper's own last
# words), no manifest, no partial file, and the older backup untouched. And
# the password never appears on a command line: the dumpers get it through a
# 0600 file that is gone afterwards.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
B=$SCRATCH/backups
OPSBACKUP=$(command -v opsbackup)
REAL_PG_DUMP=$(command -v pg_dump)
REAL_MARIADB_DUMP=$(command -v mariadb-dump)

new_pg_db PGDB
pg_sql "CREATE TABLE t (id int PRIMARY KEY, body text);
        INSERT INTO t SELECT g, repeat(md5(g::text), 30) FROM generate_series(1, 20000) g;" "$PGDB"
PG=$(pg_dsn "$PGDB")
PASS=$OPS_TEST_PG_PASSWORD_FILE

run opsbackup db --dir "$B" --name app --password-file "$PASS" "$PG"
assert_rc 0
OLD_MANIFEST=$(ls "$B"/app/*.manifest.json)
OLD_DATA=${OLD_MANIFEST%.manifest.json}.sql.gz
OLD_STATE=$(cd "$B/app" && sha256sum -- *)

# After a failed run: exit 2, exactly one error line, and the directory as before.
assert_failed_cleanly() {  # WHAT
  assert_rc 2
  assert_eq "$(grep -c 'error:' "$ERR_FILE")" 1 "$1: one error line"
  assert_out_eq ""
  assert_eq "$(cd "$B/app" && sha256sum -- *)" "$OLD_STATE" "$1: no new file, the old backup untouched"
  assert_eq "$(ls -A "$B/app" | grep -v '^\.last-run\.json$' | grep -c '^\.' || true)" 0 "$1: no temporary file left"
}

# Fake dumpers: a directory put first on PATH, each script standing in for pg_dump.
fake_pg_dump() {  # BODY: shell code run for a real dump (not for --version)
  mkdir -p "$SCRATCH/fake"
  cat >"$SCRATCH/fake/pg_dump" <<SH
#!/bin/sh
if [ "\$1" = --version ]; then exec "$REAL_PG_DUMP" --version; fi
$1
SH
  chmod +x "$SCRATCH/fake/pg_dump"
}
with_fake() { PATH="$SCRATCH/fake:$PATH" "$@"; }

# --- wrong password --------------------------------------------------------------------
printf 'not-the-password\n' >"$SCRATCH/wrong.pass"
chmod 600 "$SCRATCH/wrong.pass"
run opsbackup db --dir "$B" --name app --password-file "$SCRATCH/wrong.pass" "$PG"
assert_failed_cleanly "wrong password"
assert_err_contains "password authentication failed"
assert_err_not_contains "not-the-password"

# --- server down -----------------------------------------------------------------------
run opsbackup db --dir "$B" --name app --password-file "$PASS" "postgresql://ops_test@127.0.0.1:1/$PGDB"
assert_failed_cleanly "server down"
assert_err_contains "cannot connect to postgresql://ops_test@127.0.0.1:1/$PGDB"

# --- dumper missing --------------------------------------------------------------------
mkdir -p "$SCRATCH/nobin"
run env PATH="$SCRATCH/nobin" "$OPSBACKUP" db --dir "$B" --name app --password-file "$PASS" "$PG"
assert_failed_cleanly "dumper missing"
assert_err_contains "cannot find pg_dump in PATH (install the postgresql-client package)"

# --- dumper killed half-way ------------------------------------------------------------
fake_pg_dump "\"$REAL_PG_DUMP\" \"\$@\" | head -c 30000; kill -9 \$\$"
run with_fake opsbackup db --dir "$B" --name app --password-file "$PASS" "$PG"
assert_failed_cleanly "dumper killed"
assert_err_contains "pg_dump was killed by signal 9"

# --- dumper stops early but says it succeeded ------------------------------------------
fake_pg_dump "\"$REAL_PG_DUMP\" \"\$@\" | head -c 30000; exit 0"
run with_fake opsbackup db --dir "$B" --name app --password-file "$PASS" "$PG"
assert_failed_cleanly "dumper output cut off"
assert_err_contains "the dump is incomplete"

# --- dumper fails: its own last stderr line is the reason ------------------------------
fake_pg_dump "echo 'pg_dump: warning: something harmless' >&2; echo 'pg_dump: error: query failed: ERROR:  permission denied for table t' >&2; exit 1"
run with_fake opsbackup db --dir "$B" --name app --password-file "$PASS" "$PG"
assert_failed_cleanly "dumper error"
assert_err_contains "pg_dump exited with status 1: pg_dump: error: query failed: ERROR:  permission denied for table t"

# --- disk full (a file size limit: writes fail with EFBIG) -----------------------------
run bash -c 'ulimit -f 64; exec "$@"' _ opsbackup db --dir "$B" --name app --password-file "$PASS" "$PG"
assert_failed_cleanly "disk full"
assert_err_contains "File too large"

# --- no password on any command line, and the password file is private and removed ----
fake_pg_dump "{ echo \"argv: \$*\"; echo \"passfile: \$PGPASSFILE\"; stat -c 'mode: %a' \"\$PGPASSFILE\"; env | grep -c '^PGPASSWORD=' | sed 's/^/pgpassword: /'; } >\"$SCRATCH/seen\"; exec \"$REAL_PG_DUMP\" \"\$@\""
run with_fake env PGPASSWORD=from-the-environment opsbackup db --dir "$B" --name app-secret --password-file "$PASS" "$PG"
assert_rc 0
password=$(cat "$PASS")
grep -qF -- "$password" "$SCRATCH/seen" && fail "the password reached the dumper's argv or environment: $(cat "$SCRATCH/seen")"
assert_eq "$(grep '^mode:' "$SCRATCH/seen")" "mode: 600" "the dumper's password file is 0600"
assert_eq "$(grep '^pgpassword:' "$SCRATCH/seen")" "pgpassword: 0" "PGPASSWORD is not passed on (the file wins)"
passfile=$(sed -n 's/^passfile: //p' "$SCRATCH/seen")
[[ -n $passfile ]] || fail "the dumper got no PGPASSFILE"
assert_no_file "$passfile"
assert_no_file "$(dirname "$passfile")"

new_mysql_db MYDB
mysql_sql "CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO t VALUES (1), (2);" "$MYDB"
mkdir -p "$SCRATCH/fake"
cat >"$SCRATCH/fake/mariadb-dump" <<SH
#!/bin/sh
if [ "\$1" = --version ]; then exec "$REAL_MARIADB_DUMP" --version; fi
echo "argv: \$*" >"$SCRATCH/seen-my"
f=\$(echo "\$1" | sed -n 's/^--defaults-extra-file=//p')
stat -c 'mode: %a' "\$f" >>"$SCRATCH/seen-my"
echo "file: \$f" >>"$SCRATCH/seen-my"
exec "$REAL_MARIADB_DUMP" "\$@"
SH
chmod +x "$SCRATCH/fake/mariadb-dump"
run with_fake opsbackup db --dir "$B" --name cases --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE" "$(mysql_dsn "$MYDB")"
assert_rc 0
grep -qF -- "$(cat "$OPS_TEST_MYSQL_PASSWORD_FILE")" "$SCRATCH/seen-my" && fail "the MySQL password reached argv"
assert_eq "$(grep '^mode:' "$SCRATCH/seen-my")" "mode: 600" "mariadb-dump's option file is 0600"
assert_no_file "$(sed -n 's/^file: //p' "$SCRATCH/seen-my")"

# MySQL wrong password: the same clean failure.
run opsbackup db --dir "$B" --name cases --password-file "$SCRATCH/wrong.pass" "$(mysql_dsn "$MYDB")"
assert_rc 2
assert_err_contains "Access denied"
assert_eq "$(ls "$B/cases" | grep -c manifest)" 1 "MySQL: still only the good backup"
