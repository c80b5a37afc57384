#!/usr/bin/env bash
# opsaudit db against the real MariaDB and PostgreSQL test servers, with
# accounts crafted for this run (names unique to it: the servers are shared
# by tests running in parallel, and every other account is left alone):
# no password, anonymous, any host, ALL PRIVILEGES, SUPER, a unix_socket
# account that must not count as "no password", PostgreSQL superusers,
# CREATEROLE and BYPASSRLS; what an unprivileged auditor cannot read; trust
# lines in pg_hba.conf on a cluster of this test's own (initdb --auth=trust);
# then roles and grants added and removed between two runs, and a snapshot
# that is corrupt or cannot be read.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
[[ -x ${OPSAUDIT:-} ]] || fail "OPSAUDIT is not set to the opsaudit binary"
[[ -n ${OPS_TEST_SERVERS_DIR:-} ]] || fail "OPS_TEST_SERVERS_DIR is not set"
# shellcheck source=tests/integration/pg_pair.bash
. "$(dirname "$0")/pg_pair.bash"

# Admin access to the shared servers: through their sockets, as the system
# user that started them (MariaDB's unix_socket, PostgreSQL's peer).
SERVERS_RUN=$(readlink -f "$OPS_TEST_SERVERS_DIR/run")
ME=$(id -un)
PG_SUPER=$ME
((EUID == 0)) && PG_SUPER=postgres
my_admin() { mariadb --no-defaults --socket="$SERVERS_RUN/mysql/mysqld.sock" -u "$ME" -N -B -e "$1"; }
# pg_admin (lib.sh): psql as the superuser, over the socket.

S=oa$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')  # this run's prefix
ANON_HOST=$S.invalid                              # an anonymous account no real client matches
SECRET=pw-$S-7d1f
(umask 077 && echo "$SECRET" >"$SCRATCH/auditor.pass")

_t_split_dsn "$OPS_TEST_MYSQL_DSN"
MY_HOST=$_t_host MY_PORT=$_t_port
_t_split_dsn "$OPS_TEST_PG_DSN"
PG_HOST=$_t_host PG_PORT=$_t_port PG_DB=$_t_db

cleanup_mysql() {
  local u
  for u in "'${S}_nopw'@'localhost'" "''@'$ANON_HOST'" "'${S}_any'@'%'" "'${S}_all'@'10.9.%'" \
    "'${S}_adm'@'localhost'" "'${S}_sock'@'localhost'" "'${S}_super'@'localhost'" "'${S}_new'@'localhost'" \
    "'${S}_low'@'%'" "'${S}_or'@'localhost'" "'${S}_locked'@'localhost'"; do
    my_admin "DROP USER IF EXISTS $u" || true
  done
}
cleanup_pg() {
  local r
  for r in aud nopw cr rls grp new low; do pg_admin "DROP ROLE IF EXISTS ${S}_$r" >/dev/null || true; done
}
at_exit cleanup_mysql
at_exit cleanup_pg

cat >"$SCRATCH/ops.conf" <<CONF
[db.my]
dsn = $OPS_TEST_MYSQL_DSN
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE

[db.mylow]
dsn = mysql://${S}_low@$MY_HOST:$MY_PORT/
password_file = $SCRATCH/auditor.pass

[db.pg]
dsn = postgresql://${S}_aud@$PG_HOST:$PG_PORT/$PG_DB
password_file = $SCRATCH/auditor.pass

[db.pglow]
dsn = $OPS_TEST_PG_DSN
password_file = $OPS_TEST_PG_PASSWORD_FILE
CONF
export OPS_CONFIG=$SCRATCH/ops.conf
unset PGPASSWORD PGPASSFILE

# audit ARGS…: one run, TSV (audit, severity, kind, subject, detail, fix).
audit() { run timeout 60 "$OPSAUDIT" --format tsv db "$@"; }
# sev KIND SUBJECT: the severity of that finding in the last run (empty: none).
sev() { awk -F'\t' -v k="$1" -v s="$2" 'NR > 1 && $3 == k && $4 == s { print $2 }' "$OUT_FILE"; }
# field KIND SUBJECT N: column N of that finding.
field() { awk -F'\t' -v k="$1" -v s="$2" -v n="$3" 'NR > 1 && $3 == k && $4 == s { print $n }' "$OUT_FILE"; }
assert_finding() {  # KIND SUBJECT SEVERITY [FIX]
  assert_eq "$(sev "$1" "$2")" "$3" "$1 $2"
  (($# < 4)) || assert_eq "$(field "$1" "$2" 6)" "$4" "the fix of $1 $2"
}
assert_no_finding() { assert_eq "$(sev "$1" "$2")" "" "no $1 for $2"; }
assert_no_secret() {
  [[ $OUT$ERR != *"$SECRET"* ]] || fail "a password was printed"
  ASSERTIONS=$((ASSERTIONS + 1))
}

# --- MariaDB ---------------------------------------------------------------------
my_admin "
CREATE USER '${S}_nopw'@'localhost';
CREATE USER ''@'$ANON_HOST';
CREATE USER '${S}_any'@'%' IDENTIFIED BY 'x-$S';
CREATE USER '${S}_all'@'10.9.%' IDENTIFIED BY 'x-$S';
GRANT ALL PRIVILEGES ON *.* TO '${S}_all'@'10.9.%';
CREATE USER '${S}_adm'@'localhost' IDENTIFIED BY 'x-$S';
GRANT ALL PRIVILEGES ON *.* TO '${S}_adm'@'localhost';
CREATE USER '${S}_sock'@'localhost' IDENTIFIED VIA unix_socket;
GRANT ALL PRIVILEGES ON *.* TO '${S}_sock'@'localhost';
CREATE USER '${S}_super'@'localhost' IDENTIFIED BY 'x-$S';
GRANT SUPER ON *.* TO '${S}_super'@'localhost';
CREATE USER '${S}_low'@'%' IDENTIFIED BY '$SECRET';
CREATE USER '${S}_or'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
CREATE USER '${S}_locked'@'localhost' ACCOUNT LOCK;
"
SNAP=$SCRATCH/state/audit-db.snapshot
mkdir "$SCRATCH/state"

# The first run records the snapshot and says so (notes are in the text and
# JSON reports; TSV is the findings only).
run "$OPSAUDIT" db my --snapshot "$SNAP"
assert_rc 2  # critical findings, --fail-on warning (the default)
assert_out_contains "note: $SNAP: first run, recorded "
assert_file_exists "$SNAP"
assert_eq "$(stat -c %a "$SNAP")" 600 "the snapshot is 0600"
if grep -q -- "x-$S\|\*[0-9A-F]\{40\}" "$SNAP"; then fail "the snapshot holds a password or its hash"; fi

audit my --snapshot none
assert_rc 2
assert_no_secret
assert_finding no_password "'${S}_nopw'@'localhost'" critical "ALTER USER '${S}_nopw'@'localhost' IDENTIFIED BY 'NEW-PASSWORD';"
assert_finding anonymous_user "''@'$ANON_HOST'" critical "DROP USER ''@'$ANON_HOST';"
assert_no_finding no_password "''@'$ANON_HOST'"  # one finding for it: dropping it is the fix
assert_finding any_host "'${S}_any'@'%'" warning "RENAME USER '${S}_any'@'%' TO '${S}_any'@'ADDRESS';"
assert_no_finding no_password "'${S}_any'@'%'"
assert_finding all_privileges "'${S}_all'@'10.9.%'" critical \
  "REVOKE ALL PRIVILEGES, GRANT OPTION FROM '${S}_all'@'10.9.%';"
assert_finding all_privileges "'${S}_adm'@'localhost'" warning
assert_finding superuser "'${S}_super'@'localhost'" warning "REVOKE SUPER ON *.* FROM '${S}_super'@'localhost';"
# A unix_socket account has no password and is no hole: the system checks who
# connects. Its ALL PRIVILEGES is info, as Debian's root@localhost.
assert_no_finding no_password "'${S}_sock'@'localhost'"
assert_finding all_privileges "'${S}_sock'@'localhost'" info
assert_no_finding no_password "'root'@'localhost'"
# An empty password as one alternative of several is a way in without one.
assert_finding no_password "'${S}_or'@'localhost'" critical
assert_no_finding no_password "'${S}_locked'@'localhost'"  # a locked account cannot log in

# Twin: the CIS MySQL benchmark's query for accounts without a password, on
# this run's accounts. The same accounts, but for two deliberate differences:
# a locked account (which cannot log in) is not reported, and an anonymous
# account is reported once, as anonymous_user (its fix is DROP USER).
cis=$(my_admin "SELECT concat(quote(User), '@', quote(Host)) FROM mysql.user
  WHERE ((plugin IN ('mysql_native_password', 'mysql_old_password') AND (LENGTH(Password) = 0 OR Password IS NULL))
     OR (plugin = 'sha256_password' AND LENGTH(authentication_string) = 0))
    AND (User LIKE '${S}\\_%' OR (User = '' AND Host = '$ANON_HOST'))" | sort)
ours=$(awk -F'\t' -v mine="'${S}_" -v anon="''@'$ANON_HOST'" \
  'NR > 1 && ($3 == "no_password" || $3 == "anonymous_user") && (index($4, mine) == 1 || $4 == anon) { print $4 }' \
  "$OUT_FILE" | sort)
assert_eq "$ours" "$(grep -v "_locked'@" <<<"$cis")" "the CIS query's accounts, less the locked one"
assert_eq "$(grep -c "'${S}_locked'@'localhost'" <<<"$cis")" 1 "the CIS query lists the locked account"
[[ $(field all_privileges "'${S}_sock'@'localhost'" 5) == *"only through unix_socket"* ]] \
  || fail "the unix_socket account's detail says how it logs in"
ASSERTIONS=$((ASSERTIONS + 1))

# The text report: findings worst first, each fix under "to fix:".
run "$OPSAUDIT" db my --snapshot none
assert_rc 2
assert_out_matches "^  CRITICAL +anonymous_user +''@'$ANON_HOST'"
assert_out_contains "    DROP USER ''@'$ANON_HOST';"
# --fail-on critical still fails; a snapshot of none writes nothing.
run "$OPSAUDIT" db my --snapshot none --fail-on critical
assert_rc 2

# Between two runs: an account added, a privilege granted, an account dropped.
my_admin "CREATE USER '${S}_new'@'localhost' IDENTIFIED BY 'x-$S'; GRANT SELECT ON \`ops_test\`.* TO '${S}_any'@'%';
DROP USER '${S}_super'@'localhost';"
audit my --snapshot "$SNAP"
assert_rc 2
assert_finding role_added "'${S}_new'@'localhost'" warning
assert_finding grant_added "'${S}_any'@'%'" warning
[[ $(field grant_added "'${S}_any'@'%'" 5) == "SELECT on \`ops_test\`.* granted since the last run ("* ]] \
  || fail "grant_added names the privilege and the object: $(field grant_added "'${S}_any'@'%'" 5)"
ASSERTIONS=$((ASSERTIONS + 1))
assert_finding role_removed "'${S}_super'@'localhost'" info
assert_no_finding role_added "'${S}_nopw'@'localhost'"  # known since the first run
# A third run: nothing of ours changed, nothing reported as changed.
run "$OPSAUDIT" db my --snapshot "$SNAP"
assert_out_not_contains "first run"
assert_out_not_contains "'${S}_new'@'localhost'  added since"
assert_out_not_contains "'${S}_super'@'localhost'  removed since"
assert_out_not_contains "'${S}_any'@'%'  SELECT on"

# An auditor that may not read the mysql schema: what it cannot read is a
# note, and what information_schema shows it is still audited.
audit mylow --snapshot none
assert_rc 1
assert_finding any_host "'${S}_low'@'%'" warning
run "$OPSAUDIT" db mylow --snapshot none
assert_out_matches "note: mysql.user could not be read \(.*denied.*\): passwords, plugins and superusers not audited"
assert_no_secret

# --- PostgreSQL ------------------------------------------------------------------
pg_admin "
CREATE ROLE ${S}_aud LOGIN SUPERUSER PASSWORD '$SECRET';
CREATE ROLE ${S}_nopw LOGIN;
CREATE ROLE ${S}_cr LOGIN CREATEROLE PASSWORD 'x-$S';
CREATE ROLE ${S}_rls LOGIN BYPASSRLS PASSWORD 'x-$S';
CREATE ROLE ${S}_grp NOLOGIN SUPERUSER;
" >/dev/null
PSNAP=$SCRATCH/state/pg.snapshot
audit pg --snapshot "$PSNAP"
assert_rc 2
assert_no_secret
assert_finding superuser "${S}_aud" critical "ALTER ROLE \"${S}_aud\" NOSUPERUSER;"
assert_finding superuser "${S}_grp" warning
assert_finding superuser "$PG_SUPER" info  # the bootstrap superuser
assert_finding createrole "${S}_cr" warning "ALTER ROLE \"${S}_cr\" NOCREATEROLE;"
assert_finding bypassrls "${S}_rls" warning "ALTER ROLE \"${S}_rls\" NOBYPASSRLS;"
# No password in PostgreSQL lets nobody in by password: info, not a hole.
assert_finding no_password "${S}_nopw" info
assert_no_finding no_password "${S}_cr"
# The shared server's pg_hba.conf (peer, scram-sha-256) has no trust line,
# and a superuser reads it: no note that it could not.
assert_eq "$(awk -F'\t' '$3 == "trust"' "$OUT_FILE")" "" "no trust line on the shared server"
run "$OPSAUDIT" db pg --snapshot none
assert_out_not_contains "could not be read"

# An unprivileged auditor: passwords and pg_hba.conf are notes, not guesses.
run "$OPSAUDIT" db pglow --snapshot none
assert_out_contains "note: pg_authid could not be read ("
assert_out_contains "note: pg_hba.conf could not be read through pg_hba_file_rules (permission denied"
audit pglow --snapshot none
assert_no_finding no_password "${S}_nopw"
assert_finding createrole "${S}_cr" warning

# Between two runs: a role added and granted membership, a role dropped.
pg_admin "CREATE ROLE ${S}_new LOGIN PASSWORD 'x-$S'; GRANT ${S}_cr TO ${S}_nopw; DROP ROLE ${S}_rls;" >/dev/null
audit pg --snapshot "$PSNAP"
assert_finding role_added "${S}_new" warning
assert_finding grant_added "${S}_nopw" warning
[[ $(field grant_added "${S}_nopw" 5) == "member on role ${S}_cr granted since the last run ("* ]] \
  || fail "the membership is named: $(field grant_added "${S}_nopw" 5)"
ASSERTIONS=$((ASSERTIONS + 1))
assert_finding role_removed "${S}_rls" info
pg_admin "REVOKE ${S}_cr FROM ${S}_nopw" >/dev/null
audit pg --snapshot "$PSNAP"
assert_finding grant_removed "${S}_nopw" info
assert_no_finding role_added "${S}_new"

# One snapshot file for both servers, as `opsaudit run` uses it: pg is new
# to it (a first run of its own, nothing reported as added), my is compared.
my_admin "CREATE USER '${S}_super'@'localhost' IDENTIFIED BY 'x-$S'"
run timeout 60 "$OPSAUDIT" run --auth-log none --databases my --databases pg --snapshot "$SNAP"
assert_rc 2
assert_out_contains "note: $SNAP: first run for pg, recorded "
assert_out_matches "^  WARNING +role_added +'${S}_super'@'localhost' +added since the last run"
assert_out_not_contains "role_added  ${S}_new"
run timeout 60 "$OPSAUDIT" --format tsv run --auth-log none --databases my --databases pg --snapshot "$SNAP"
assert_rc 2
assert_finding anonymous_user "''@'$ANON_HOST'" critical
assert_finding superuser "${S}_aud" critical
assert_eq "$(awk -F'\t' '$3 ~ /^(role|grant)_(added|removed)$/ && $4 ~ /'"$S"'/' "$OUT_FILE")" "" \
  "nothing of this test's changed since the run before"

# --- trust lines: a cluster of this test's own, made with initdb --auth=trust ----
pg_pair_primary
audit "postgresql://postgres@/app?host=$pair&port=5432" --snapshot none
assert_rc 2
assert_finding trust "$pair/primary/pg_hba.conf:$(grep -n '^local *all *all' "$pair/primary/pg_hba.conf" | cut -d: -f1)" \
  critical "$pair/primary/pg_hba.conf:$(grep -n '^local *all *all' "$pair/primary/pg_hba.conf" | cut -d: -f1): local all all peer  (instead of trust; then SELECT pg_reload_conf();)"
assert_out_matches $'\ttrust\t[^\t]*pg_hba.conf:[0-9]+\t"host all all 127.0.0.1 255.255.255.255 trust"'
# After the fix the hint names, the trust lines are gone.
sed -i -E 's/^(local +all +all +)trust/\1peer/; s/^(host .*)trust$/\1scram-sha-256/' "$pair/primary/pg_hba.conf"
audit "postgresql://postgres@/app?host=$pair&port=5432" --snapshot none
assert_eq "$(awk -F'\t' '$3 == "trust" && $5 ~ /all all/' "$OUT_FILE")" "" "no trust line left for all databases"

# --- a snapshot that cannot be used: one line, exit 2, the file left as it is ----
echo 'not json {' >"$SCRATCH/bad.snapshot"
before=$(sha256sum <"$SCRATCH/bad.snapshot")
audit pglow --snapshot "$SCRATCH/bad.snapshot" --fail-on critical
assert_rc 2
assert_eq "$(awk -F'\t' '$3 == "snapshot_unusable"' "$OUT_FILE" | wc -l)" 1 "one line about the snapshot"
[[ $(field snapshot_unusable "$SCRATCH/bad.snapshot" 5) == "snapshot $SCRATCH/bad.snapshot is corrupt: parse error at line 1"* ]] \
  || fail "the line says the snapshot is corrupt: $(field snapshot_unusable "$SCRATCH/bad.snapshot" 5)"
ASSERTIONS=$((ASSERTIONS + 1))
assert_eq "$(field snapshot_unusable "$SCRATCH/bad.snapshot" 6)" "mv -- $SCRATCH/bad.snapshot $SCRATCH/bad.snapshot.bad"
assert_eq "$(sha256sum <"$SCRATCH/bad.snapshot")" "$before" "a corrupt snapshot is not overwritten"
assert_finding createrole "${S}_cr" warning  # the accounts are still audited
# A snapshot of another program (valid JSON, not ours).
echo '{"targets": {}}' >"$SCRATCH/other.snapshot"
audit pglow --snapshot "$SCRATCH/other.snapshot"
assert_rc 2
[[ $(field snapshot_unusable "$SCRATCH/other.snapshot" 5) == *"not an opsaudit db snapshot"* ]] || fail "not ours"
ASSERTIONS=$((ASSERTIONS + 1))
# A snapshot that cannot be read (a directory in its place).
mkdir "$SCRATCH/dir.snapshot"
audit pglow --snapshot "$SCRATCH/dir.snapshot"
assert_rc 2
assert_eq "$(field snapshot_unusable "$SCRATCH/dir.snapshot" 5)" \
  "snapshot cannot be read: $SCRATCH/dir.snapshot is not a regular file; nothing compared and the file left as it is"

# --- what cannot be audited at all -----------------------------------------------
run "$OPSAUDIT" db sqlite:///nonexistent.db
assert_rc 3
assert_err_contains "SQLite has no accounts to audit"
run "$OPSAUDIT" db nosuch
assert_rc 3
assert_err_contains "unknown database 'nosuch'"
run "$OPSAUDIT" db "mysql://${S}_low@127.0.0.1:1/"
assert_rc 2
assert_err_contains "cannot connect to mysql://${S}_low@127.0.0.1:1"
