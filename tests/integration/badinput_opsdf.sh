#!/usr/bin/env bash
# opsdf's bad-input suite (issue 14, "Proof"): every case a line of the table,
# checked by badinput/runner.sh — the exit status, one stderr line naming the
# culprit, no raw control byte, nothing changed on disk, no hang.
#   BAD_ONLY=ERE bash tests/integration/run-with-servers bash tests/integration/badinput_opsdf.sh
# runs only the matching labels; BAD_LIST=1 lists the cases.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
BAD_TOOL=opsdf BAD_SECTION=df BAD_HUGE_KEY=warn
# shellcheck source=tests/integration/badinput/runner.sh
. "$OPS_SOURCE_DIR/tests/integration/badinput/runner.sh"
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_DF_' || true)

# A good history to forecast from (made before the baseline), and a missing directory.
opsdf record -q --history h.tsv adir
printf '[df]\nwindow = -1d\n' >window-neg.conf
printf '[df]\ntop = 1e999\n' >top-huge.conf
printf '[df]\nthreads = 0\n' >threads-zero.conf
printf '[df]\ndepth = 0x10\n' >depth-hex.conf
printf '[df]\nwarn = 80\n' >warn-bare.conf
printf '[df]\nall = maybe\n' >all-maybe.conf
NX=$SCRATCH/nx   # never created: a tool that makes it changes the tree
PGX=postgresql://u@127.0.0.1:1/db   # no server there; the cases fail before connecting

# --- the command line ------------------------------------------------------------------------
bad 3 "'--bogus'"              'unknown option'                         opsdf --bogus
bad 3 "'--bogus'"              'unknown option after the subcommand'    opsdf fs --bogus
bad 3 "'fz'"                   'unknown subcommand'                     opsdf fz
bad 3 "'fz'"                   'help for an unknown subcommand'         opsdf help fz
bad 3 "'yaml'"                 '--format yaml'                          opsdf --format yaml
bad 3 "'--format'"             '--format without its value'             opsdf --format
bad 3 'quiet.*verbose|verbose.*quiet' '-q and -v together'              opsdf fs -q -v
bad 3 'PATH'                   'du without PATH: names the missing argument' opsdf du
bad 3 'NAME'                   'db without NAME: names the missing argument' opsdf db
bad 3 "'b'"                    'db with an extra argument'              opsdf db a b
bad 3 "'extra'"                'forecast with an extra argument'        opsdf forecast --history h.tsv extra
bad 3 'aaaa…|…'                'a 100 KB argument is shortened'         opsdf fs "$BAD_LONG_ARG"

# --- thresholds ----------------------------------------------------------------------------------
bad 3 "'80'"                   '--warn 80: a bare number'               opsdf fs --warn 80
bad 3 "'101%'"                 '--warn 101%'                            opsdf fs --warn 101%
bad 3 "'-5%'"                  '--warn -5%'                             opsdf fs --warn -5%
bad 3 "'1e999'"                '--crit 1e999'                           opsdf fs --crit 1e999
bad 3 "--warn.*''"             '--warn empty'                           opsdf fs --warn ''
bad 3 "'0x10'"                 '--warn 0x10'                            opsdf fs --warn 0x10
bad 3 "'5Q'"                   '--warn 5Q: unknown unit'                opsdf fs --warn 5Q
bad 3 '--crit.*--warn'         '--warn 90% --crit 50%: warning less strict' opsdf fs --warn 90% --crit 50%
bad 3 '--inode-warn'           '--inode-warn 2G: inodes are percentages' opsdf fs --inode-warn 2G
bad 3 "'200%'"                 '--inode-crit 200%'                      opsdf fs --inode-crit 200%

# --- paths -----------------------------------------------------------------------------------------
bad 3 "$NX/path"               'fs of a missing path'                   opsdf fs "$NX/path"
bad 3 'red'                    'fs of a name with ESC and \x01 (item 12)' opsdf fs $'\x01\e[31mred'
bad 3 'new.*line'              'fs of a missing name with a newline (item 12)' opsdf fs $'new\nline'
bad 3 "$NX"                    'du of a missing path'                   opsdf du "$NX"
bad 3 "'-1'|-1 is out of range" 'du --depth -1'                         opsdf du --depth -1 adir
bad 3 "'1e999'"                'du --depth 1e999'                       opsdf du --depth 1e999 adir
bad 3 "'0x10'"                 'du --depth 0x10'                        opsdf du --depth 0x10 adir
bad 3 "'abc'"                  'du --top abc'                           opsdf du --top abc adir
bad 3 "--top.*''"              'du --top empty'                         opsdf du --top '' adir
bad 3 '--threads.*0'           'du --threads 0'                         opsdf du --threads 0 adir
bad 3 "'99999999999999999999'" 'du --threads huge'                      opsdf du --threads 99999999999999999999 adir

# --- databases ----------------------------------------------------------------------------------------
bad 3 "'notadsn'"              'db: unknown DSN scheme'                 opsdf db notadsn://foo
bad 3 "'bogus'"                'db: bogus sslmode is a usage error (item 13)' opsdf db "$PGX?sslmode=bogus"
BAD_ERR_NOT=secret \
bad 3 'password'               'db: a password inside the DSN, not echoed' opsdf db postgresql://u:secret@localhost/db
bad 3 "''"                     'db: empty name'                         opsdf db ''
bad 3 "'nosuchname'"           'db: unknown [db.NAME]'                  opsdf db nosuchname
bad 3 "'sqlite://relative.db'" 'db: relative SQLite DSN'                opsdf db sqlite://relative.db
bad 3 "'notaport'"             'db: port not a number'                  opsdf db mysql://u@h:notaport/db
bad 3 "'99999'"                'db: port out of range'                  opsdf db postgresql://u@h:99999/db
bad 3 "'bogus'"                'db: SQLite mode=bogus'                  opsdf db "sqlite://$SCRATCH/x.db?mode=bogus"
bad 3 'foo'                    'db: unknown DSN parameter'              opsdf db "$PGX?foo=bar"
bad 3 "'-1'|-1 is out of range" 'db --top -1'                           opsdf db "$PGX" --top -1
bad 3 "$NX/pass"               'db --password-file missing'             opsdf db "$PGX" --password-file "$NX/pass"
bad 3 'fifo'                   'db --password-file a FIFO: no hang (item 11 rule)'    opsdf db "$PGX" --password-file fifo
bad 3 'adir'                   'db --password-file a directory'         opsdf db "$PGX" --password-file adir
bad 2 "$NX/x.db"               'db: missing SQLite file (status 2: cannot connect)' opsdf db "sqlite://$NX/x.db"
bad 2 'adir'                   'db: SQLite DSN naming a directory (status 2: cannot connect)' opsdf db "sqlite://$SCRATCH/adir"

# --- record and forecast -------------------------------------------------------------------------
bad 3 'fifo'                   'record --history a FIFO (item 11)'      opsdf record --history fifo adir
bad 3 'adir'                   'record --history a directory: usage, not failure' opsdf record --history adir adir
bad 3 "'nosuch'"               'record --database unknown: nothing written' opsdf record --history new.tsv --database nosuch
bad 3 "$NX"                    'record of a missing DIR: nothing written' opsdf record --history new.tsv "$NX"
bad 3 'fifo'                   'forecast --history a FIFO (item 11)'    opsdf forecast --history fifo
bad 3 'missing.tsv'            'forecast --history missing'             opsdf forecast --history missing.tsv
bad 3 'adir'                   'forecast --history a directory'         opsdf forecast --history adir
bad 3 'dangling'               'forecast --history a dangling symlink'  opsdf forecast --history dangling
bad 3 "'-1d'"                  'forecast --window -1d'                  opsdf forecast --history h.tsv --window -1d
bad 3 "'1M'.*ambiguous"        'forecast --window 1M: ambiguous unit'   opsdf forecast --history h.tsv --window 1M
bad 3 "'6m'.*ambiguous"        'forecast --window 6m: ambiguous unit'   opsdf forecast --history h.tsv --window 6m
bad 3 '--window'               'forecast --window 0d'                   opsdf forecast --history h.tsv --window 0d
bad 3 "'1e999d'"               'forecast --window 1e999d'               opsdf forecast --history h.tsv --window 1e999d
bad 3 "'99999999999y'"         'forecast --window huge'                 opsdf forecast --history h.tsv --window 99999999999y
bad 3 '--warn-days'            'forecast --warn-days -1'                opsdf forecast --history h.tsv --warn-days -1
bad 3 "'1e999'"                'forecast --warn-days 1e999'             opsdf forecast --history h.tsv --warn-days 1e999
bad 3 "'abc'"                  'forecast --crit-days abc'               opsdf forecast --history h.tsv --crit-days abc
bad 3 '--crit-days 7'          'forecast: --crit-days above --warn-days' opsdf forecast --history h.tsv --warn-days 1 --crit-days 7

# --- ops.conf --------------------------------------------------------------------------------------
bad 3 "unknown-key.conf:2.*'bogus_key'" 'config: unknown key'           opsdf -c unknown-key.conf fs
bad 3 'dup-section.conf:2'     'config: section twice'                  opsdf -c dup-section.conf fs
bad 3 'bad-syntax.conf:1'      'config: unterminated section header'    opsdf -c bad-syntax.conf fs
bad 3 'no-equals.conf:2'       'config: line without ='                 opsdf -c no-equals.conf fs
bad 3 'no-section.conf:1'      'config: key outside a section'          opsdf -c no-section.conf fs
bad 3 'garbage.conf:1'         'config: binary garbage (item 12: no raw bytes)' opsdf -c garbage.conf fs
bad 3 'nul.conf:2'             'config: a NUL inside a value'           opsdf -c nul.conf fs
bad 3 'huge-value.conf:2'      'config: a 10 MB value is shortened (item 12)' opsdf -c huge-value.conf fs
bad 3 "bad-dsn.conf:2.*'notadsn"  'config: [db.x] dsn unknown scheme, checked when read (item 13)' opsdf -c bad-dsn.conf fs
BAD_ERR_NOT=secret \
bad 3 'dsn-password.conf:2'    'config: password in a DSN, checked when read (item 13)' opsdf -c dsn-password.conf fs
bad 3 'bad-sslmode.conf:2.*bogus' 'config: sslmode=bogus, checked when read (item 13)' opsdf -c bad-sslmode.conf fs
bad 3 'db-no-dsn.conf:1'       'config: [db.x] without dsn'             opsdf -c db-no-dsn.conf fs
bad 3 "dup-key.conf:3.*'dsn'"  'config: key twice'                      opsdf -c dup-key.conf fs
bad 3 'ctl-value.conf:2'       'config: control bytes in a value (item 12)' opsdf -c ctl-value.conf fs
bad 3 'window-neg.conf:2'      'config: [df] window = -1d (item 13)'    opsdf -c window-neg.conf fs
bad 3 'top-huge.conf:2'        'config: [df] top = 1e999 (item 13)'     opsdf -c top-huge.conf fs
bad 3 'threads-zero.conf:2'    'config: [df] threads = 0 (item 13)'     opsdf -c threads-zero.conf fs
bad 3 'depth-hex.conf:2'       'config: [df] depth = 0x10 (item 13)'    opsdf -c depth-hex.conf fs
bad 3 "warn-bare.conf:2.*'80'" 'config: [df] warn = 80'                 opsdf -c warn-bare.conf fs
bad 3 "all-maybe.conf:2.*'maybe'" 'config: [df] all = maybe: not a switch' opsdf -c all-maybe.conf fs
bad 3 'unreadable.conf'        'config: unreadable (as nobody)'         "${AS_NOBODY[@]}" opsdf -c unreadable.conf fs
bad 3 'adir'                   'config: a directory'                    opsdf -c adir fs
bad 3 'fifo'                   'config: a FIFO (item 11)'               opsdf -c fifo fs
bad 3 'dangling'               'config: a dangling symlink'             opsdf -c dangling fs
bad 3 'missing.*line\.conf'    'config: missing, a newline in its name (item 12)' opsdf -c $'missing\nline.conf' fs
bad 3 'missing\.conf'          'OPS_CONFIG missing'                     env OPS_CONFIG=missing.conf opsdf fs
bad 3 'fifo'                   'OPS_CONFIG a FIFO (item 11)'            env OPS_CONFIG="$SCRATCH/fifo" opsdf fs

# --- environment -----------------------------------------------------------------------------------
bad 3 "'garbage'"              'OPS_NOW=garbage'                        env OPS_NOW=garbage opsdf forecast --history h.tsv
bad 3 "'2026-13-45"            'OPS_NOW month 13'                       env OPS_NOW=2026-13-45T00:00:00Z opsdf forecast --history h.tsv
bad 3 "'80'"                   'OPS_DF_WARN=80 (a bare number)'         env OPS_DF_WARN=80 opsdf fs
bad 3 "'-1'|-1 is out of range" 'OPS_DF_DEPTH=-1'                       env OPS_DF_DEPTH=-1 opsdf du adir

# --- common options --------------------------------------------------------------------------------
bad 3 "$NX"                    '--lock-file in a missing directory (item 15)' opsdf --lock-file "$NX/x.lock" fs
bad 3 'adir'                   '--lock-file a directory (item 15)'      opsdf --lock-file adir fs
bad 3 "$NX"                    '--metrics-dir missing'                  opsdf --metrics-dir "$NX" fs
bad 3 'fifo'                   '--metrics-dir a FIFO'                   opsdf --metrics-dir fifo fs

bad_finish
