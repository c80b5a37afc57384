#!/usr/bin/env bash
# opsdb's bad-input suite: every case a line of the table, checked by
# badinput/runner.sh — the exit status, one stderr line naming the culprit,
# no raw control byte, nothing changed on disk (the SQLite file) or in the
# PostgreSQL and MariaDB tables (their rows and when they were last vacuumed
# or analyzed), no hang.
#   BAD_ONLY=ERE tests/integration/run-with-servers bash tests/integration/badinput_opsdb.sh
# runs only the matching labels; BAD_LIST=1 lists the cases.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
BAD_TOOL=opsdb BAD_SECTION=dbupkeep BAD_HUGE_KEY=jobs
# shellcheck source=tests/integration/badinput/runner.sh
. "$OPS_SOURCE_DIR/tests/integration/badinput/runner.sh"
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_DBUPKEEP_' || true)

# --- fixtures: a SQLite file, a PostgreSQL and a MariaDB database --------------------------
LITE=$SCRATCH/lite.db
sqlite3 "$LITE" "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b');"
SQ=sqlite://$LITE
new_pg_db PGDB
new_mysql_db MYDB
pg_sql "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b');" "$PGDB" >/dev/null
mysql_sql "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b');" "$MYDB"
cat >dbs.conf <<EOF
[db.pg]
dsn = $(pg_dsn "$PGDB")
password_file = $OPS_TEST_PG_PASSWORD_FILE

[db.my]
dsn = $(mysql_dsn "$MYDB")
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE
EOF
bad_db_state() {
  pg_sql "SELECT 'pg', * FROM t ORDER BY id" "$PGDB"
  pg_sql "SELECT 'pg stats', vacuum_count, analyze_count FROM pg_stat_user_tables WHERE relname = 't'" "$PGDB"
  mysql_sql "SELECT 'my', t.* FROM t ORDER BY id" "$MYDB"
}
PG=(opsdb -c dbs.conf vacuum pg)
MY=(opsdb -c dbs.conf optimize my)
LT=(opsdb vacuum "$SQ")

job() {  # FILE LINES...: an ops.conf with the databases, then the given lines
  local f=$1; shift
  { cat dbs.conf; printf '%s\n' "$@"; } >"$f"
}
job j-no-db.conf '[dbupkeep.x]' 'verbs = analyze'
job j-verb.conf '[dbupkeep.x]' 'database = pg' 'verbs = analyse'
job j-verb-empty.conf '[dbupkeep.x]' 'database = pg' 'verbs = ,'
job j-unknown-db.conf '[dbupkeep.x]' 'database = nosuch'
job j-bad-dsn.conf '[dbupkeep.x]' 'database = notadsn://x'
job j-jobs.conf '[dbupkeep]' 'jobs = 0' '[dbupkeep.x]' 'database = pg'
job j-timeout.conf '[dbupkeep.x]' 'database = pg' 'lock_timeout = 0s'
job j-dead.conf '[dbupkeep.x]' 'database = pg' 'min_dead = 10'
job j-full.conf '[dbupkeep.x]' 'database = pg' 'full = maybe'
job j-key.conf '[dbupkeep.x]' 'database = pg' 'where = 1=1'
# A good section before a bad one: nothing runs, the good one neither.
job j-later-bad.conf '[dbupkeep.a]' 'database = pg' 'verbs = vacuum' '[dbupkeep.b]' 'database = pg' 'jobs = many'
NX=$SCRATCH/nx   # never created

# --- the command line ------------------------------------------------------------------------
bad 3 "'--bogus'"              'unknown option'                         opsdb --bogus
bad 3 'subcommand'             'no subcommand'                          opsdb
bad 3 "'vacum'"                'unknown subcommand'                     opsdb vacum "$SQ"
bad 3 'NAME|DSN|argument'      'vacuum without a database'              opsdb vacuum
bad 3 'extra|argument'         'vacuum with two databases'              "${LT[@]}" extra
bad 3 "'yaml'"                 '--format yaml'                          "${LT[@]}" --format yaml
bad 3 "'nosuch'"               'an unknown database name'               opsdb -c dbs.conf vacuum nosuch
bad 3 "'notadsn"               'an unknown DSN scheme'                  opsdb vacuum notadsn://x
BAD_ERR_NOT=secret \
bad 3 'password'               'a password in the DSN'                  opsdb vacuum postgresql://u:secret@h/db
bad 3 "'bogus'"                'sslmode=bogus'                          opsdb vacuum 'postgresql://u@127.0.0.1:1/db?sslmode=bogus'
bad 3 "$NX/pass"               '--password-file missing'                "${PG[@]}" --password-file "$NX/pass"
bad 3 'fifo'                   '--password-file a FIFO: no hang'        "${PG[@]}" --password-file fifo

# --- the verbs' options ----------------------------------------------------------------------
bad 3 "--table 'nosuch'"       'PostgreSQL --table matching nothing'    "${PG[@]}" --table nosuch
bad 3 "--table 'nosuch'"       'MariaDB --table matching nothing'       "${MY[@]}" --table t --table nosuch
bad 3 "--table 'nosuch'"       'SQLite analyze --table matching nothing' opsdb analyze "$SQ" --table nosuch
bad 3 'red'                    '--table with ESC'                       "${PG[@]}" --table $'t\e[31mred'
bad 3 "--table 't; DROP TABLE t'" '--table with SQL injection'          "${PG[@]}" --table 't; DROP TABLE t'
bad 3 '--lock-timeout.*0s'     '--lock-timeout 0s'                      "${PG[@]}" --lock-timeout 0s
bad 3 "'-5s'"                  '--lock-timeout -5s'                     "${PG[@]}" --lock-timeout -5s
bad 3 "'5'"                    '--lock-timeout 5: no unit'              "${PG[@]}" --lock-timeout 5
bad 3 "'1M'.*ambiguous"        '--lock-timeout 1M: ambiguous'           "${PG[@]}" --lock-timeout 1M
bad 3 '--jobs.*0'              '--jobs 0'                               "${PG[@]}" --jobs 0
bad 3 '--jobs.*65'             '--jobs 65'                              "${PG[@]}" --jobs 65
bad 3 "'two'"                  '--jobs two'                             "${PG[@]}" --jobs two
bad 3 "'10'"                   '--min-dead 10: a percentage'            "${PG[@]}" --min-dead 10
bad 3 "'150%'"                 '--min-dead 150%'                        "${PG[@]}" --min-dead 150%
bad 3 "'-1'"                   '--min-xid-age -1'                       "${PG[@]}" --min-xid-age -1
bad 3 "'1e9'"                  '--min-xid-age 1e9'                      "${PG[@]}" --min-xid-age 1e9

# --- run and its sections ---------------------------------------------------------------------
bad 3 "j-no-db.conf:.*'database'" 'run: a section without database'      opsdb -c j-no-db.conf run
bad 3 "j-verb.conf:.*'analyse'" 'run: a misspelt verb'                   opsdb -c j-verb.conf run
bad 3 'j-verb-empty.conf:.*no verb' 'run: verbs naming none'             opsdb -c j-verb-empty.conf run
bad 3 "'nosuch'"               'run: an unknown database'               opsdb -c j-unknown-db.conf run
bad 3 "j-bad-dsn.conf:.*'notadsn" 'run: a bad DSN'                       opsdb -c j-bad-dsn.conf run
bad 3 'j-jobs.conf:.*jobs'     'run: [dbupkeep] jobs = 0'               opsdb -c j-jobs.conf run
bad 3 'j-timeout.conf:.*lock_timeout' 'run: lock_timeout = 0s'          opsdb -c j-timeout.conf run
bad 3 "j-dead.conf:.*'10'"     'run: min_dead = 10'                     opsdb -c j-dead.conf run
bad 3 "j-full.conf:.*'maybe'"  'run: full = maybe'                      opsdb -c j-full.conf run
bad 3 "j-key.conf:.*'where'"   'run: an unknown key'                    opsdb -c j-key.conf run
bad 3 "j-later-bad.conf:.*'many'" 'run: a bad later section stops the good one' opsdb -c j-later-bad.conf run
bad 3 "\[dbupkeep|section"     'run without any section'                opsdb -c dbs.conf run
bad 3 "unknown-key.conf:2.*'bogus_key'" 'config: unknown key'           opsdb -c unknown-key.conf run
bad 3 'dup-section.conf:2'     'config: section twice'                  opsdb -c dup-section.conf run
bad 3 'bad-syntax.conf:1'      'config: unterminated section header'    opsdb -c bad-syntax.conf run
bad 3 'garbage.conf:1'         'config: binary garbage'                 opsdb -c garbage.conf run
bad 3 'nul.conf:2'             'config: a NUL inside a value'           opsdb -c nul.conf run
bad 3 'huge-value.conf:2'      'config: a 10 MB value is shortened'     opsdb -c huge-value.conf run
bad 3 "bad-dsn.conf:2.*'notadsn" 'config: [db.x] bad DSN'               opsdb -c bad-dsn.conf run
BAD_ERR_NOT=secret \
bad 3 'dsn-password.conf:2'    'config: password in a DSN'              opsdb -c dsn-password.conf run
bad 3 'ctl-value.conf:2'       'config: control bytes in a value'       opsdb -c ctl-value.conf run
bad 3 'unreadable.conf'        'config: unreadable (as nobody)'         "${AS_NOBODY[@]}" opsdb -c unreadable.conf run
bad 3 'fifo'                   'config: a FIFO'                         opsdb -c fifo run
bad 3 'missing\.conf'          'OPS_CONFIG missing'                     env OPS_CONFIG=missing.conf opsdb run
bad 3 "OPS_DBUPKEEP_JOBS.*'x'" 'OPS_DBUPKEEP_JOBS=x'                    env OPS_DBUPKEEP_JOBS=x "${LT[@]}"

# --- common options ------------------------------------------------------------------------------
bad 3 "$NX"                    '--lock-file in a missing directory'     "${LT[@]}" --lock-file "$NX/x.lock"
bad 3 'adir'                   '--lock-file a directory'                "${LT[@]}" --lock-file adir
bad 3 "$NX"                    '--metrics-dir missing'                  "${LT[@]}" --metrics-dir "$NX"

bad_finish
