#!/usr/bin/env bash
# opsbackup's bad-input suite (issue 14, "Proof"): every case a line of the
# table, checked by badinput/runner.sh — the exit status, one stderr line naming
# the culprit, no raw control byte, nothing changed on disk or in the PostgreSQL
# database, no hang.
#   BAD_ONLY=ERE tests/integration/run-with-servers bash tests/integration/badinput_opsbackup.sh
# runs only the matching labels; BAD_LIST=1 lists the cases.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
BAD_TOOL=opsbackup BAD_SECTION=backup BAD_HUGE_KEY=compress
# shellcheck source=tests/integration/badinput/runner.sh
. "$OPS_SOURCE_DIR/tests/integration/badinput/runner.sh"
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_BACKUP_' || true)
export TZ=UTC

# --- fixtures: a SQLite and a PostgreSQL database, a files backup, their backups -------------
B=$SCRATCH/bk
LITE=$SCRATCH/lite.db
sqlite3 "$LITE" "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a');"
mkdir -p src/www && echo hello >src/www/index.html
new_pg_db PGDB
PGDSN=$(pg_dsn "$PGDB")
PASS=$OPS_TEST_PG_PASSWORD_FILE
pg_sql "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b');" "$PGDB" >/dev/null
opsbackup -q db --dir "$B" --name lite "sqlite://$LITE"
opsbackup -q db --dir "$B" --name pg --password-file "$PASS" "$PGDSN"
opsbackup -q files up --dir "$B" --source "$SCRATCH/src"
LM=$(ls "$B"/lite/*.manifest.json)
PM=$(ls "$B"/pg/*.manifest.json)
UM=$(ls "$B"/up/*.manifest.json)
# A copy of the SQLite backup whose data was altered but still decompresses.
mkdir -p altered
cp "$LM" altered/
ALD=altered/$(basename "${LM%.manifest.json}").sqlite3.gz
gzip -dc "${LM%.manifest.json}.sqlite3.gz" | sed 's/a/b/g' | gzip -c >"$ALD"
bad_db_state() { pg_sql "SELECT * FROM t ORDER BY id" "$PGDB"; pg_sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'" "$PGDB"; }

printf '[backup]\nkeep_daily = -5\n' >keep-neg.conf
printf '[backup.x]\nsource = %s\nkeep_daily = abc\n' "$SCRATCH/src" >job-keep-abc.conf
printf '[backup]\ncompress = lz4\n' >compress-lz4.conf
printf '[backup]\nlevel = 0x10\n' >level-hex.conf
printf '[backup.x]\nsource = %s\ndatabase = sqlite://%s\n' "$SCRATCH/src" "$LITE" >job-both.conf
printf '[backup.x]\n' >job-neither.conf
printf '[backup.x]\ndatabase = nosuch\n' >job-unknown-db.conf
printf '[backup.x]\nsource = %s\nsorce = /etc\n' "$SCRATCH/src" >job-unknown-key.conf
printf '[backup.x]\nsource = %s\n[backup.x]\nsource = /etc\n' "$SCRATCH/src" >job-twice.conf
printf '[backup.bad/name]\nsource = %s\n' "$SCRATCH/src" >job-bad-name.conf
NX=$SCRATCH/nx   # never created: a tool that makes it changes the tree
PGX=postgresql://u@127.0.0.1:1/db   # no server there; the cases fail before connecting

# --- the command line ------------------------------------------------------------------------
bad 3 "'--bogus'"              'unknown option names it (item 15)'      opsbackup --bogus
bad 3 'subcommand'             'no subcommand'                          opsbackup
bad 3 "'dbb'"                  'unknown subcommand'                     opsbackup dbb
bad 3 "'dbb'"                  'help for an unknown subcommand'         opsbackup help dbb
bad 3 "'yaml'"                 '--format yaml'                          opsbackup list --dir "$B" --format yaml
bad 3 "'--bogus'"              'unknown option after the subcommand'    opsbackup list --dir "$B" --bogus
bad 3 'NAME'                   'db without NAME: names the missing argument' opsbackup db --dir "$B"
bad 3 "'b'"                    'db with an extra argument'              opsbackup db --dir "$B" a b
bad 3 "'extra'"                'prune with an extra argument'           opsbackup prune --dir "$B" lite --keep-last 1 extra

# --- db -----------------------------------------------------------------------------------------
bad 3 "'lz4'"                  'db --compress lz4'                      opsbackup db --dir "$B" --name n "sqlite://$LITE" --compress lz4
bad 3 '--level.*10'            'db --level 10 (gzip 1-9)'               opsbackup db --dir "$B" --name n "sqlite://$LITE" --level 10
bad 3 '--level.*-1'            'db --level -1'                          opsbackup db --dir "$B" --name n "sqlite://$LITE" --level -1
bad 3 "'1e999'"                'db --level 1e999'                       opsbackup db --dir "$B" --name n "sqlite://$LITE" --level 1e999
bad 3 '--threads.*0'           'db --threads 0'                         opsbackup db --dir "$B" --name n "sqlite://$LITE" --threads 0
bad 3 "'0x10'"                 'db --threads 0x10'                      opsbackup db --dir "$B" --name n "sqlite://$LITE" --threads 0x10
bad 3 "'\.\./evil'"            'db --name ../evil'                      opsbackup db --dir "$B" --name ../evil "sqlite://$LITE"
bad 3 "''"                     'db --name empty'                        opsbackup db --dir "$B" --name '' "sqlite://$LITE"
bad 3 'a.*b'                   'db --name with a newline (item 12)'     opsbackup db --dir "$B" --name $'a\nb' "sqlite://$LITE"
bad 3 'red'                    'db --name with ESC (item 12)'           opsbackup db --dir "$B" --name $'\e[31mred' "sqlite://$LITE"
bad 3 'aaaa…|…'                'db --name of 100 KB is shortened'       opsbackup db --dir "$B" --name "$BAD_LONG_ARG" "sqlite://$LITE"
bad 3 "'tar'"                  'db --pg-format tar'                     opsbackup db --dir "$B" --name n "sqlite://$LITE" --pg-format tar
bad 3 'fifo'                   'db --dir a FIFO'                        opsbackup db --dir "$SCRATCH/fifo" --name n "sqlite://$LITE"
bad 3 'lite.db'                'db --dir a regular file'                opsbackup db --dir "$LITE" --name n "sqlite://$LITE"
bad 3 'directory'              'db without --dir'                       opsbackup db --name n "sqlite://$LITE"
bad 3 "'notadsn'"              'db: unknown DSN scheme'                 opsbackup db --dir "$B" notadsn://foo
bad 3 "'bogus'"                'db: sslmode=bogus is a usage error (item 13)' opsbackup db --dir "$B" --name n "$PGX?sslmode=bogus"
BAD_ERR_NOT=secret \
bad 3 'password'               'db: a password inside the DSN, not echoed' opsbackup db --dir "$B" postgresql://u:secret@localhost/db
bad 3 "''"                     'db: empty DSN'                          opsbackup db --dir "$B" ''
bad 3 "'nosuch'"               'db: unknown [db.NAME]'                  opsbackup db --dir "$B" nosuch
bad 3 "$NX/pass"               'db --password-file missing'             opsbackup db --dir "$B" --name n --password-file "$NX/pass" "$PGDSN"
bad 3 'fifo'                   'db --password-file a FIFO: no hang (item 11 rule)'    opsbackup db --dir "$B" --name n --password-file fifo "$PGDSN"
bad 3 'adir'                   'db --password-file a directory'         opsbackup db --dir "$B" --name n --password-file adir "$PGDSN"
bad 3 "'garbage'"              'db with OPS_NOW=garbage: nothing written' env OPS_NOW=garbage opsbackup db --dir "$B" --name n "sqlite://$LITE"
bad 3 '99'                     'OPS_BACKUP_LEVEL=99'                    env OPS_BACKUP_LEVEL=99 opsbackup db --dir "$B" --name n "sqlite://$LITE"

# --- files --------------------------------------------------------------------------------------
bad 3 'source'                 'files without --source'                 opsbackup files up --dir "$B"
bad 3 "$NX"                    'files --source missing'                 opsbackup files up --dir "$B" --source "$NX"
bad 3 'fifo'                   'files --source a FIFO: not a directory' opsbackup files up --dir "$B" --source "$SCRATCH/fifo"
bad 3 'lite.db'                'files --source a regular file: not a directory' opsbackup files up --dir "$B" --source "$LITE"
bad 3 'src'                    'files --dir inside --source (item 7)'   opsbackup files up --dir "$SCRATCH/src/bk" --source "$SCRATCH/src"
bad 3 'src'                    'files: two sources stored under one name' opsbackup files up --dir "$B" --source "$SCRATCH/src" --source "$SCRATCH/./src"
bad 3 "'\.\./x'"               'files NAME ../x'                        opsbackup files ../x --dir "$B" --source "$SCRATCH/src"

# --- verify, list, prune -------------------------------------------------------------------------
bad 3 "$NX"                    'verify --dir missing'                   opsbackup verify --dir "$NX"
bad 3 "'nosuch'|nosuch"        'verify of an unknown NAME is usage (like item 8)' opsbackup verify --dir "$B" nosuch
bad 3 "$NX/x.manifest.json"    'verify of a FILE that is no backup'     opsbackup verify --dir "$B" "$NX/x.manifest.json"
bad 3 "$NX"                    'list --dir missing (item 8)'            opsbackup list --dir "$NX"
bad 3 'fifo'                   'list --dir a FIFO'                      opsbackup list --dir "$SCRATCH/fifo"
bad 3 'lite.db'                'list --dir a regular file'              opsbackup list --dir "$LITE"
bad 3 'nosuch'                 'prune of an unknown NAME (item 8)'      opsbackup prune --dir "$B" nosuch --keep-last 1
bad 3 '--keep-last 0|--keep-last.*0' 'prune --keep-last 0 names it (item 15)' opsbackup prune --dir "$B" lite --keep-last 0
bad 3 '--keep-last.*-2'        'prune --keep-last -2'                   opsbackup prune --dir "$B" lite --keep-last -2
bad 3 "'1e999'"                'prune --keep-daily 1e999'               opsbackup prune --dir "$B" lite --keep-daily 1e999
bad 3 "--keep-weekly.*''"      'prune --keep-weekly empty'              opsbackup prune --dir "$B" lite --keep-weekly ''
bad 3 'keep'                   'prune without a rule'                   opsbackup prune --dir "$B" lite
bad 3 "'\.\./x'"               'prune NAME ../x'                        opsbackup prune --dir "$B" ../x --keep-last 1

# --- restore -------------------------------------------------------------------------------------
bad 3 '--to'                   'restore without --to or --to-dir'       opsbackup restore --dir "$B" lite
bad 3 'not both|either'        'restore with --to and --to-dir'         opsbackup restore "$LM" --to "sqlite://$NX/n.db" --to-dir "$NX/d"
bad 3 'database backup'        'restore a database backup --to-dir'     opsbackup restore "$LM" --to-dir "$NX/d"
bad 3 'files backup|--to-dir'  'restore a files backup --to a database' opsbackup restore "$UM" --to "sqlite://$NX/n.db"
bad 3 "$NX/x.manifest.json"    'restore of a missing backup'            opsbackup restore "$NX/x.manifest.json" --to "sqlite://$NX/n.db"
bad 3 'lite.db'                'restore of a file that is no backup'    opsbackup restore "$LITE" --to "sqlite://$NX/n.db"
bad 3 'lite.db'                'restore --to an existing SQLite file'   opsbackup restore "$LM" --to "sqlite://$LITE"
bad 3 'adir'                   'restore --to a SQLite path that is a directory' opsbackup restore "$LM" --to "sqlite://$SCRATCH/adir"
bad 3 "'notadsn'"              'restore --to an unknown scheme'         opsbackup restore "$LM" --to notadsn://x
BAD_ERR_NOT=secret \
bad 3 'password'               'restore --to a DSN with a password'     opsbackup restore "$LM" --to postgresql://u:secret@h/db
bad 3 'not empty|/etc'         'restore --to-dir /etc (not empty)'      opsbackup restore "$UM" --to-dir /etc
bad 3 'fifo'                   'restore --to-dir a FIFO'                opsbackup restore "$UM" --to-dir "$SCRATCH/fifo"
bad 3 'lite.db'                'restore --to-dir a regular file'        opsbackup restore "$UM" --to-dir "$LITE"
bad 3 'not empty'              'restore into a PostgreSQL database with tables' opsbackup restore "$PM" --to "$PGDSN" --password-file "$PASS"
bad 3 'not empty'              'restore -n into a database with tables' opsbackup restore -n "$PM" --to "$PGDSN" --password-file "$PASS"
bad 3 'SQLite|sqlite'          'restore a SQLite backup into PostgreSQL: kinds differ' opsbackup restore "$LM" --to "$PGDSN" --password-file "$PASS"
bad 2 'SHA-256|bytes'          'restore of an altered backup (status 2, documented)' opsbackup restore "altered/$(basename "$LM")" --to "sqlite://$NX/n.db"

# --- ops.conf ----------------------------------------------------------------------------------
bad 3 "unknown-key.conf:2.*'bogus_key'" 'config: unknown key'           opsbackup -c unknown-key.conf list --dir "$B"
bad 3 'dup-section.conf:2'     'config: section twice'                  opsbackup -c dup-section.conf list --dir "$B"
bad 3 'bad-syntax.conf:1'      'config: unterminated section header'    opsbackup -c bad-syntax.conf list --dir "$B"
bad 3 'garbage.conf:1'         'config: binary garbage (item 12)'       opsbackup -c garbage.conf list --dir "$B"
bad 3 'nul.conf:2'             'config: a NUL inside a value'           opsbackup -c nul.conf list --dir "$B"
bad 3 'huge-value.conf:2'      'config: a 10 MB value is shortened (item 12)' opsbackup -c huge-value.conf list --dir "$B"
bad 3 "bad-dsn.conf:2.*'notadsn" 'config: [db.x] bad scheme, checked when read (item 13)' opsbackup -c bad-dsn.conf list --dir "$B"
BAD_ERR_NOT=secret \
bad 3 'dsn-password.conf:2'    'config: password in a DSN (item 13)'    opsbackup -c dsn-password.conf list --dir "$B"
bad 3 'ctl-value.conf:2'       'config: control bytes in a value (item 12)' opsbackup -c ctl-value.conf list --dir "$B"
bad 3 'keep-neg.conf:2'        'config: [backup] keep_daily = -5 (item 13)' opsbackup -c keep-neg.conf list --dir "$B"
bad 3 'job-keep-abc.conf:3'    'config: [backup.x] keep_daily = abc (item 13)' opsbackup -c job-keep-abc.conf list --dir "$B"
bad 3 'compress-lz4.conf:2'    'config: [backup] compress = lz4 (item 13)' opsbackup -c compress-lz4.conf list --dir "$B"
bad 3 'level-hex.conf:2'       'config: [backup] level = 0x10 (item 13)' opsbackup -c level-hex.conf list --dir "$B"
bad 3 'job-both.conf:1'        'config: job with database and source'   opsbackup -c job-both.conf run --dir "$B"
bad 3 'job-neither.conf:1'     'config: job with neither'               opsbackup -c job-neither.conf run --dir "$B"
bad 3 "job-unknown-db.conf:.*'nosuch'" 'config: job with an unknown database' opsbackup -c job-unknown-db.conf run --dir "$B"
bad 3 "job-unknown-key.conf:3.*'sorce'" 'config: job with an unknown key' opsbackup -c job-unknown-key.conf run --dir "$B"
bad 3 'job-twice.conf:3'       'config: job section twice'              opsbackup -c job-twice.conf run --dir "$B"
bad 3 'job-bad-name.conf:1'    'config: job named bad/name'             opsbackup -c job-bad-name.conf run --dir "$B"
bad 3 'unreadable.conf'        'config: unreadable (as nobody)'         "${AS_NOBODY[@]}" opsbackup -c unreadable.conf list --dir "$B"
bad 3 'adir'                   'config: a directory'                    opsbackup -c adir list --dir "$B"
bad 3 'fifo'                   'config: a FIFO (item 11)'               opsbackup -c fifo list --dir "$B"
bad 3 'missing\.conf'          'OPS_CONFIG missing'                     env OPS_CONFIG=missing.conf opsbackup list --dir "$B"
bad 3 'subcommand|\[backup'    'run without any job'                    opsbackup run

# --- common options ------------------------------------------------------------------------------
bad 3 "$NX"                    '--lock-file in a missing directory (item 15)' opsbackup --lock-file "$NX/x.lock" list --dir "$B"
bad 3 'adir'                   '--lock-file a directory (item 15)'      opsbackup --lock-file adir list --dir "$B"
bad 3 "$NX"                    '--metrics-dir missing'                  opsbackup --metrics-dir "$NX" list --dir "$B"

bad_finish
