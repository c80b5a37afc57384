#!/usr/bin/env bash
# opsaudit logins from its two sources that are not files:
#  (a) a real journal file, written by this test with systemd-journal-remote
#      from journal export format and checked with journalctl --file; the
#      failures per address compared with the maintenance guide's
#      grep | awk | sort | uniq -c pipeline over journalctl's own output;
#  (b) an application's SecurityEvent table on the PostgreSQL and MariaDB
#      test servers, as an [audit.NAME] section and as --db/--sql; bad SQL,
#      an unreachable database and a bad success flag.
# The library calls behind them are tested value by value in
# tests/integration/opsaudit_sources_test.cpp.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
[[ -x ${OPSAUDIT:-} ]] || fail "OPSAUDIT is not set to the opsaudit binary"
JOURNAL_REMOTE=/lib/systemd/systemd-journal-remote
[[ -x $JOURNAL_REMOTE ]] || fail "$JOURNAL_REMOTE is missing (scripts/bootstrap installs systemd-journal-remote)"
command -v journalctl >/dev/null || fail "journalctl is missing"
command -v jq >/dev/null || fail "jq is missing (scripts/bootstrap installs it)"

export OPS_NOW=2026-12-06T12:00:00Z TZ=UTC
# An hour before OPS_NOW, as "2026-12-06 11:00:00" (ago 1h) or epoch microseconds (ago_us 1h).
ago() { date -u -d "$OPS_NOW - $1" '+%Y-%m-%d %H:%M:%S'; }
ago_us() { echo "$(date -u -d "$OPS_NOW - $1" +%s)000000"; }

# --- (a) the journal ------------------------------------------------------------
# Journal export format, one entry per call: entry AGO IDENTIFIER PID MESSAGE.
seq=0
entry() {
  seq=$((seq + 1))
  printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=6b1c2a0d4e5f40a1b2c3d4e5f6a7b8c9\n' \
    "$(ago_us "$1")" "$seq"
  printf '_HOSTNAME=web1\nSYSLOG_IDENTIFIER=%s\n_COMM=%s\n_PID=%s\nSYSLOG_PID=%s\nMESSAGE=%s\n\n' "$2" "$2" "$3" "$3" "$4"
}
{
  # The week before: 198.51.100.20 logs in as deploy (so it is not new this week).
  entry '10 days' sshd-session 900 'Accepted publickey for deploy from 198.51.100.20 port 50000 ssh2: ED25519 SHA256:abc'
  # This week: six attempts from 203.0.113.9, one connection each (OpenSSH 9.8+: sshd-session).
  for i in 1 2 3 4 5 6; do
    entry "$((30 - i)) minutes" sshd-session $((4240 + i)) "Failed password for root from 203.0.113.9 port $((4000 + i)) ssh2"
  done
  # then it gets in as root.
  entry '10 minutes' sshd-session 4250 'Accepted password for root from 203.0.113.9 port 4100 ssh2'
  # Two failures from 192.0.2.7 through PAM and sshd (Debian 12's OpenSSH 9.2 logs as sshd), one attempt each.
  entry '50 minutes' sshd 5001 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.7  user=admin'
  entry '50 minutes' sshd 5001 'Failed password for admin from 192.0.2.7 port 5100 ssh2'
  entry '49 minutes' sshd 5002 'Failed password for admin from 192.0.2.7 port 5101 ssh2'
  # deploy from its known address.
  entry '5 minutes' sshd-session 4300 'Accepted publickey for deploy from 198.51.100.20 port 50001 ssh2: ED25519 SHA256:abc'
  # Not an authentication program: never read.
  entry '40 minutes' CRON 77 'Failed password for root from 192.0.2.99 port 1 ssh2'
} >auth.export
# (run would give it /dev/null for stdin.)
"$JOURNAL_REMOTE" -o auth.journal - <auth.export 2>remote.err || fail "systemd-journal-remote: $(cat remote.err)"
assert_file_exists auth.journal

# journalctl reads the file back: every entry, the last one as written.
run journalctl --file auth.journal -o cat
assert_rc 0
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" 13 "journalctl --file sees the 13 entries written"
assert_out_contains "Accepted publickey for deploy from 198.51.100.20 port 50001 ssh2"

run "$OPSAUDIT" logins auth.journal
assert_rc 2
assert_out_contains "logins since 2026-11-29 12:00 from auth.journal: 8 failures, 2 successes (threshold 5)"
assert_out_matches '^  CRITICAL +failed_logins +203\.0\.113\.9 +6 failures from 12-06 11:31 to 12-06 11:36, users root, from sshd; then a login as root at 12-06 11:50$'
assert_out_matches '^  WARNING +root_login +203\.0\.113\.9 '
assert_out_matches '^  INFO +new_address +203\.0\.113\.9 '
# deploy's address was seen in the week before: not new (203.0.113.9 is the only new one).
assert_eq "$(grep -c new_address <<<"$OUT")" 1 "one new address"
assert_out_matches '^    2026-12-06 11:55:00 +deploy +198\.51\.100\.20 +publickey +sshd$'
# CRON's line is not an authentication program's, whatever it says.
assert_out_not_contains "192.0.2.99"

# The same failures per address as grep | awk | sort | uniq -c over
# journalctl's syslog-style output of the same file (the PAM line and the
# Failed password line of PID 5001 are one attempt, and the pipeline
# counts only the latter: the same count).
"$OPSAUDIT" logins --threshold 1 --format json auth.journal >counts.json || [[ $? -le 2 ]]
ours=$(jq -r '.audits[0].details.addresses[] | "\(.failures) \(.address)"' counts.json | sort -k2)
theirs=$(journalctl --file auth.journal -o short --identifier sshd --identifier sshd-session |
  grep 'Failed password' | awk '{print $(NF-3)}' | sort | uniq -c | awk '{print $1, $2}' | sort -k2)
assert_eq "$ours" "$theirs" "the journal: our counts are the grep pipeline's over journalctl"

# A file that is not a journal: named, and why.
head -c 4096 /dev/urandom >noise.journal
run "$OPSAUDIT" logins noise.journal
assert_rc 2
assert_err_contains "cannot open journal file 'noise.journal': not a journal file, or a damaged one"
run "$OPSAUDIT" logins missing.journal
assert_rc 2
assert_err_contains "cannot read journal file 'missing.journal': No such file or directory"

# --- (b) an application's login events ------------------------------------------
new_pg_db PG_DB
new_mysql_db MY_DB
table='CREATE TABLE SecurityEvent (created_at TIMESTAMP NULL, ip VARCHAR(64), username VARCHAR(64), event VARCHAR(32))'
rows="('$(ago '20 days')', '198.51.100.7', 'alice', 'AUTH_FAILURE'),
  ('$(ago '3 hours')', '203.0.113.77', 'admin', 'AUTH_FAILURE'),
  ('$(ago '2 hours')', '203.0.113.77', 'admin', 'AUTH_FAILURE'),
  ('$(ago '90 minutes')', '203.0.113.77', 'admin', 'AUTH_FAILURE'),
  ('$(ago '80 minutes')', '203.0.113.77', 'root', 'AUTH_FAILURE'),
  ('$(ago '70 minutes')', '203.0.113.77', 'admin', 'AUTH_FAILURE'),
  ('$(ago '60 minutes')', '203.0.113.77', 'admin', 'AUTH_SUCCESS'),
  ('$(ago '30 minutes')', '192.0.2.50', 'carol', 'LOGOUT')"
pg_sql "SET TIME ZONE 'UTC'; $table; INSERT INTO SecurityEvent VALUES $rows" "$PG_DB"
mysql_sql "SET time_zone = '+00:00'; $table; INSERT INTO SecurityEvent VALUES $rows" "$MY_DB"
SQL="SELECT created_at, ip, username, event = 'AUTH_SUCCESS' FROM SecurityEvent WHERE event LIKE 'AUTH_%'"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
DOWN_PORT=$(free_port)
cat >dbs.conf <<CONF
[db.pg]
dsn = $(pg_dsn "$PG_DB")
password_file = $OPS_TEST_PG_PASSWORD_FILE

[db.my]
dsn = $(mysql_dsn "$MY_DB")
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE
CONF
cat dbs.conf - >ops.conf <<CONF

[audit.casework]
db = pg
sql = $SQL

[audit.patients]
db = my
sql = $SQL
CONF
unset PGPASSWORD PGPASSFILE
: >empty.log

# The command line's source (the databases only, no [audit.NAME]).
export OPS_CONFIG=$SCRATCH/dbs.conf
for db in pg my; do
  run "$OPSAUDIT" logins --db "$db" --sql "$SQL" empty.log
  assert_rc 2
  assert_out_contains "5 failures, 1 success (threshold 5)"
  assert_out_matches "^  CRITICAL +failed_logins +203\\.0\\.113\\.77 +5 failures from 12-06 09:00 to 12-06 10:50, users admin root, from app $db; then a login as admin at 12-06 11:00\$"
done
# A success flag that is not one: counted in a note, the good rows read.
run "$OPSAUDIT" logins --db pg --sql "SELECT created_at, ip, username,
  CASE event WHEN 'AUTH_SUCCESS' THEN 'yes' WHEN 'AUTH_FAILURE' THEN 'no' ELSE 'maybe' END FROM SecurityEvent" empty.log
assert_rc 2
assert_out_contains "1 row not understood"
assert_out_matches '^  CRITICAL +failed_logins +203\.0\.113\.77 +5 failures'

# Read-only: a query that writes is refused by the server, the table keeps its rows.
run "$OPSAUDIT" logins --db pg --sql "DELETE FROM SecurityEvent RETURNING created_at, ip, username, true" empty.log
assert_rc 2
assert_out_contains "cannot execute DELETE in a read-only transaction"
assert_eq "$(pg_sql 'SELECT count(*) FROM SecurityEvent' "$PG_DB")" 8 "the DELETE changed nothing"
run "$OPSAUDIT" logins --db my --sql "DELETE FROM SecurityEvent" empty.log
assert_rc 2
assert_out_contains "Cannot execute statement in a READ ONLY transaction"
assert_eq "$(mysql_sql 'SELECT count(*) FROM SecurityEvent' "$MY_DB")" 8 "the DELETE changed nothing"

export OPS_CONFIG=$SCRATCH/ops.conf

# Both sections of ops.conf at once: each table's rows count, beside the file's.
run "$OPSAUDIT" logins empty.log
assert_rc 2
assert_out_contains "from empty.log, app casework, app patients: 10 failures, 2 successes (threshold 5)"
assert_out_matches '^  CRITICAL +failed_logins +203\.0\.113\.77 +10 failures .*from app casework, app patients'

# Bad SQL and an unreachable database: the source named in one line, the
# other sources still read.
cat >>ops.conf <<CONF

[audit.typo]
db = pg
sql = SELECT created_at, ip, username, ok FROM SecurityEvnt

[audit.down]
db = postgresql://ops_test@127.0.0.1:$DOWN_PORT/nothing
sql = $SQL
CONF
run "$OPSAUDIT" logins empty.log
assert_rc 2
assert_out_matches '^  CRITICAL +not_audited +app typo +\[audit\.typo\] \(.*ops\.conf:[0-9]+\): SQL error on postgresql://.*securityevnt.* does not exist'
assert_out_matches "^  CRITICAL +not_audited +app down +\\[audit\\.down\\] \\(.*ops\\.conf:[0-9]+\\): cannot connect to postgresql://ops_test@127\\.0\\.0\\.1:$DOWN_PORT/nothing"
assert_out_matches '^  CRITICAL +failed_logins +203\.0\.113\.77 +10 failures'
