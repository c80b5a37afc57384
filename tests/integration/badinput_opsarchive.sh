#!/usr/bin/env bash
# opsarchive's bad-input suite (issue 14, "Proof"): every case a line of the
# table, checked by badinput/runner.sh — the exit status, one stderr line naming
# the culprit, no raw control byte, nothing changed on disk (the SQLite file,
# the files to age) or in the PostgreSQL and MariaDB tables, no hang.
#   BAD_ONLY=ERE tests/integration/run-with-servers bash tests/integration/badinput_opsarchive.sh
# runs only the matching labels; BAD_LIST=1 lists the cases.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
BAD_TOOL=opsarchive BAD_SECTION=archive BAD_HUGE_KEY=batch
# shellcheck source=tests/integration/badinput/runner.sh
. "$OPS_SOURCE_DIR/tests/integration/badinput/runner.sh"
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_ARCHIVE_' || true)

# --- fixtures: old files, a SQLite file, a PostgreSQL and a MariaDB table ----------------------
mkdir old
printf 'old line\n' >old/a.log
touch -d '100 days ago' old/a.log
LITE=$SCRATCH/lite.db
sqlite3 "$LITE" "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b');
                 CREATE TABLE arch (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE nokey (v TEXT);"
SQ=sqlite://$LITE
new_pg_db PGDB
new_mysql_db MYDB
pg_sql "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b');
        CREATE TABLE arch (id int PRIMARY KEY, v text);" "$PGDB" >/dev/null
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
  pg_sql "SELECT 'pg arch', count(*) FROM arch" "$PGDB"
  mysql_sql "SELECT 'my', t.* FROM t ORDER BY id" "$MYDB"
}
PG=(opsarchive -c dbs.conf rows --db pg)
MY=(opsarchive -c dbs.conf rows --db my)
ROWS=(opsarchive rows --db "$SQ" --table t --where "1=1")
FILES=(opsarchive files old)

job() {  # FILE LINES...: an ops.conf with a good files job after the given lines
  local f=$1; shift
  { printf '%s\n' "$@"; printf '[archive.logs]\ndir = %s/old\nolder_than = 1d\ncompress = gzip\n' "$SCRATCH"; } >"$f"
}
job j-compress.conf '[archive.x]' "dir = $SCRATCH/old" 'older_than = 1d' 'compress = lz4'
job j-rows-dir.conf '[archive.x]' "dir = $SCRATCH/old" 'table = t'
job j-two-dest.conf '[archive.x]' "database = $SQ" 'table = t' 'where = 1=1' 'purge = yes' 'to_table = arch'
job j-purge-maybe.conf '[archive.x]' "database = $SQ" 'table = t' 'where = 1=1' 'purge = maybe'
job j-batch-zero.conf '[archive]' 'batch = 0'
job j-missing-dir.conf '[archive.x]' "dir = $SCRATCH/nx" 'older_than = 1d' 'compress = gzip'
job j-delete-m.conf '[archive.x]' "dir = $SCRATCH/old" 'delete_older_than = 1M'
job j-where-empty.conf '[archive.x]' "database = $SQ" 'table = t' 'where =' 'purge = yes'
job j-unknown-db.conf '[archive.x]' 'database = nosuch' 'table = t' 'where = 1=1' 'purge = yes'
job j-sleep-neg.conf '[archive]' 'sleep = -1s'
NX=$SCRATCH/nx   # never created: a tool that makes it changes the tree

# --- the command line ------------------------------------------------------------------------
bad 3 "'--bogus'"              'unknown option names it (item 15)'      opsarchive --bogus
bad 3 'subcommand'             'no subcommand'                          opsarchive
bad 3 "'rowz'"                 'unknown subcommand'                     opsarchive rowz
bad 3 "'--bogus'"              'unknown option after the subcommand'    "${ROWS[@]}" --purge --bogus
bad 3 "'yaml'"                 '--format yaml'                          "${ROWS[@]}" --purge --format yaml
bad 3 'extra'                  'rows with an extra argument'            "${ROWS[@]}" --purge extra

# --- rows: what and where ----------------------------------------------------------------------
bad 3 '--db'                   'rows without --db'                      opsarchive rows --table t --where 1=1 --purge
bad 3 '--table'                'rows without --table'                   opsarchive rows --db "$SQ" --where 1=1 --purge
bad 3 '--where'                'rows without --where'                   opsarchive rows --db "$SQ" --table t --purge
bad 3 '--where'                'rows with an empty --where'             opsarchive rows --db "$SQ" --table t --where '' --purge
bad 3 'destination'            'rows without a destination'             "${ROWS[@]}"
bad 3 'more than one destination|--purge.*--to-table' 'rows with two destinations' "${ROWS[@]}" --purge --to-table arch
bad 3 'nosuch'                 'rows: unknown table'                    opsarchive rows --db "$SQ" --table nosuch --where 1=1 --purge
bad 3 'DROP TABLE'             'rows: table name with SQL injection'    opsarchive rows --db "$SQ" --table 't; DROP TABLE t' --where 1=1 --purge
bad 3 'red'                    'rows: table name with ESC (item 12)'    opsarchive rows --db "$SQ" --table $'t\e[31mred' --where 1=1 --purge
bad 3 'nosuchcol'              'rows: --where with an unknown column'   opsarchive rows --db "$SQ" --table t --where 'nosuchcol = 1' --purge
bad 3 'DROP TABLE'             'rows: --where with a second statement'  opsarchive rows --db "$SQ" --table t --where '1=1; DROP TABLE t' --purge
bad 3 'nokey'                  'rows: table without a key'              opsarchive rows --db "$SQ" --table nokey --where 1=1 --purge
bad 3 "'?t'? .*source|source table" 'rows: --to-table is the source'    "${ROWS[@]}" --to-table t
bad 3 'nosuch'                 'rows: --to-table missing, no --create'  "${ROWS[@]}" --to-table nosuch
bad 3 "'notadsn'"              'rows: --db unknown scheme'              opsarchive rows --db notadsn://x --table t --where 1=1 --purge
bad 3 "'nosuch'"               'rows: --db unknown name'                opsarchive rows --db nosuch --table t --where 1=1 --purge
BAD_ERR_NOT=secret \
bad 3 'password'               'rows: --db with a password in the DSN'  opsarchive rows --db postgresql://u:secret@h/db --table t --where 1=1 --purge
bad 3 "'bogus'"                'rows: sslmode=bogus is a usage error (item 13)' opsarchive rows --db 'postgresql://u@127.0.0.1:1/db?sslmode=bogus' --table t --where 1=1 --purge
bad 3 "$NX/pass"               'rows: --password-file missing'          opsarchive rows --db postgresql://u@127.0.0.1:1/db --password-file "$NX/pass" --table t --where 1=1 --purge
bad 3 'fifo'                   'rows: --password-file a FIFO: no hang (item 11 rule)' opsarchive rows --db postgresql://u@127.0.0.1:1/db --password-file fifo --table t --where 1=1 --purge
bad 3 'nosuch'                 'rows: PostgreSQL unknown table'         "${PG[@]}" --table nosuch --where 1=1 --purge
bad 3 'DROP'                   'rows: PostgreSQL table name with SQL injection' "${PG[@]}" --table 't"; DROP TABLE t; --' --where 1=1 --purge
bad 3 'DROP|multiple|syntax'   'rows: PostgreSQL --where with a second statement' "${PG[@]}" --table t --where '1=1; DROP TABLE t' --purge
bad 3 'nosuchcol'              'rows: PostgreSQL --where unknown column' "${PG[@]}" --table t --where 'nosuchcol = 1' --purge
bad 3 'DROP|syntax'            'rows: MariaDB --where with a second statement' "${MY[@]}" --table t --where '1=1; DROP TABLE t' --purge
bad 3 'SYSDATE'                'rows: MariaDB --where with SYSDATE()'    "${MY[@]}" --table t --where 'id < SYSDATE()' --purge
bad 3 'nosuch'                 'rows: MariaDB --to-table missing'       "${MY[@]}" --table t --where 1=1 --to-table nosuch

# --- rows: numbers, durations, files ----------------------------------------------------------------
bad 3 '--batch.*0'             'rows --batch 0'                         "${ROWS[@]}" --purge --batch 0
bad 3 '--batch.*100001'        'rows --batch above 100000'              "${ROWS[@]}" --purge --batch 100001
bad 3 "'1e999'"                'rows --batch 1e999'                     "${ROWS[@]}" --purge --batch 1e999
bad 3 "'0x10'"                 'rows --batch 0x10'                      "${ROWS[@]}" --purge --batch 0x10
bad 3 "'-1s'"                  'rows --sleep -1s'                       "${ROWS[@]}" --purge --sleep -1s
bad 3 "'1M'"                   'rows --sleep 1M: ambiguous'             "${ROWS[@]}" --purge --sleep 1M
bad 3 "'6m'"                   'rows --max-runtime 6m: ambiguous (item 14)' "${ROWS[@]}" --purge --max-runtime 6m
bad 3 "'0'"                    'rows --max-runtime 0: no unit'          "${ROWS[@]}" --purge --max-runtime 0
bad 3 '--max-rows.*-1'         'rows --max-rows -1'                     "${ROWS[@]}" --purge --max-rows -1
bad 3 "'abc'"                  'rows --limit-lag abc'                   "${ROWS[@]}" --purge --limit-lag abc
bad 3 "'xml'"                  'rows --file-format xml'                 "${ROWS[@]}" --to-file out.csv --file-format xml
bad 3 '/dev/full'              'rows --to-file /dev/full (item 9)'      "${ROWS[@]}" --to-file /dev/full
bad 3 '/dev/null'              'rows --to-file /dev/null (item 9)'      "${ROWS[@]}" --to-file /dev/null
bad 3 'fifo'                   'rows --to-file a FIFO (item 9)'         "${ROWS[@]}" --to-file "$SCRATCH/fifo"
bad 3 'adir'                   'rows --to-file a directory'             "${ROWS[@]}" --to-file "$SCRATCH/adir"
bad 3 "$NX"                    'rows --to-file in a missing directory (item 15)' "${ROWS[@]}" --to-file "$NX/x.csv.gz"

# --- files ----------------------------------------------------------------------------------------
bad 3 'nothing to do|--compress' 'files without an action'              "${FILES[@]}" --older-than 1d
bad 3 'DIR'                    'files without DIR'                      opsarchive files --older-than 1d --compress
bad 3 "$NX"                    'files of a missing DIR'                 opsarchive files "$NX" --older-than 1d --compress
bad 3 'fifo'                   'files of a FIFO'                        opsarchive files fifo --older-than 1d --compress
bad 3 'a\.log'                 'files of a regular file'                opsarchive files old/a.log --older-than 1d --compress
bad 3 'red'                    'files of a missing DIR with ESC (item 12)' opsarchive files $'nx\e[31mred' --older-than 1d --compress
bad 3 'new.*line'              'files of a missing DIR with a newline (item 12)' opsarchive files $'new\nline' --older-than 1d --compress
bad 3 "'-1d'"                  'files --older-than -1d'                 "${FILES[@]}" --older-than -1d --compress
bad 3 "'1M'.*ambiguous"        'files --older-than 1M (item 14)'        "${FILES[@]}" --older-than 1M --compress
bad 3 "'1M'.*ambiguous"        'files --delete-older-than 1M (item 14)' "${FILES[@]}" --delete-older-than 1M
bad 3 "'6m'.*ambiguous"        'files --delete-older-than 6m (item 14)' "${FILES[@]}" --delete-older-than 6m
bad 3 "'1e999d'"               'files --delete-older-than 1e999d'       "${FILES[@]}" --delete-older-than 1e999d
bad 3 "--delete-older-than.*''" 'files --delete-older-than empty'       "${FILES[@]}" --delete-older-than ''
bad 3 '--delete-older-than.*0' 'files --delete-older-than 0s: a zero age would delete every file' "${FILES[@]}" --delete-older-than 0s
bad 3 "'lz4'"                  'files --compress=lz4'                   "${FILES[@]}" --older-than 1d --compress=lz4
bad 3 '15'                     'files --level 15 for gzip'              "${FILES[@]}" --older-than 1d --compress --level 15
bad 3 '--delete-older-than 2d' 'files: delete before compress'          "${FILES[@]}" --older-than 5d --compress --delete-older-than 2d
bad 3 'x\.zip'                 'files --into-tar x.zip'                 "${FILES[@]}" --older-than 1d --into-tar x.zip
bad 3 "$NX"                    'files --into-tar in a missing directory' "${FILES[@]}" --older-than 1d --into-tar "$NX/x.tar.gz"
bad 3 'lite.db|exists'         'files --into-tar an existing file'      "${FILES[@]}" --older-than 1d --into-tar lite.db
bad 3 'exclude|--compress.*--into-tar' 'files --compress and --into-tar' "${FILES[@]}" --older-than 1d --compress --into-tar x.tar

# --- ops.conf and run ---------------------------------------------------------------------------
bad 3 "j-compress.conf:4.*'lz4'" 'run: compress = lz4'                  opsarchive -c j-compress.conf run
bad 3 "j-rows-dir.conf:.*'(dir|table)'" 'run: dir and table in one job' opsarchive -c j-rows-dir.conf run
bad 3 'j-two-dest.conf:.*destination' 'run: two destinations'           opsarchive -c j-two-dest.conf run
bad 3 "j-purge-maybe.conf:5.*'maybe'" 'run: purge = maybe'              opsarchive -c j-purge-maybe.conf run
bad 3 'j-batch-zero.conf:2'    'run: [archive] batch = 0 (item 13)'     opsarchive -c j-batch-zero.conf run
bad 3 'j-sleep-neg.conf:2'     'run: [archive] sleep = -1s (item 13)'   opsarchive -c j-sleep-neg.conf run
bad 3 "j-missing-dir.conf:.*$NX" 'run: a job on a missing dir, nothing done' opsarchive -c j-missing-dir.conf run
bad 3 "j-delete-m.conf:.*'1M'" 'run: delete_older_than = 1M (item 14)'  opsarchive -c j-delete-m.conf run
bad 3 'j-where-empty.conf:.*where' 'run: empty where'                   opsarchive -c j-where-empty.conf run
bad 3 "j-unknown-db.conf:.*'nosuch'" 'run: unknown database'            opsarchive -c j-unknown-db.conf run
bad 3 "unknown-key.conf:2.*'bogus_key'" 'config: unknown key'           opsarchive -c unknown-key.conf run
bad 3 'dup-section.conf:2'     'config: section twice'                  opsarchive -c dup-section.conf run
bad 3 'bad-syntax.conf:1'      'config: unterminated section header'    opsarchive -c bad-syntax.conf run
bad 3 'garbage.conf:1'         'config: binary garbage (item 12)'       opsarchive -c garbage.conf run
bad 3 'nul.conf:2'             'config: a NUL inside a value'           opsarchive -c nul.conf run
bad 3 'huge-value.conf:2'      'config: a 10 MB value is shortened (item 12)' opsarchive -c huge-value.conf run
bad 3 "bad-dsn.conf:2.*'notadsn" 'config: [db.x] bad DSN, checked when read (item 13)' opsarchive -c bad-dsn.conf run
BAD_ERR_NOT=secret \
bad 3 'dsn-password.conf:2'    'config: password in a DSN (item 13)'    opsarchive -c dsn-password.conf run
bad 3 'ctl-value.conf:2'       'config: control bytes in a value (item 12)' opsarchive -c ctl-value.conf run
bad 3 'unreadable.conf'        'config: unreadable (as nobody)'         "${AS_NOBODY[@]}" opsarchive -c unreadable.conf run
bad 3 'fifo'                   'config: a FIFO (item 11)'               opsarchive -c fifo run
bad 3 'missing\.conf'          'OPS_CONFIG missing'                     env OPS_CONFIG=missing.conf opsarchive run
bad 3 "'garbage'"              'OPS_NOW=garbage'                        env OPS_NOW=garbage "${FILES[@]}" --older-than 1d --compress
bad 3 "\[archive|section"      'run without any job'                    opsarchive run

# --- common options ------------------------------------------------------------------------------
bad 3 "$NX"                    '--lock-file in a missing directory (item 15)' "${FILES[@]}" --older-than 1d --compress --lock-file "$NX/x.lock"
bad 3 'adir'                   '--lock-file a directory (item 15)'      "${FILES[@]}" --older-than 1d --compress --lock-file adir
bad 3 "$NX"                    '--metrics-dir missing'                  "${FILES[@]}" --older-than 1d --compress --metrics-dir "$NX"

bad_finish
