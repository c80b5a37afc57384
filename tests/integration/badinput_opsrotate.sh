#!/usr/bin/env bash
# opsrotate's bad-input suite (issue 14, "Proof"): every case a line of the
# table, checked by badinput/runner.sh — the exit status, one stderr line naming
# the culprit, no raw control byte, nothing changed on disk (the logs, the state
# file), no hang. The cases run for real with -f, so a configuration that were
# accepted would rotate the log and change the tree.
#   BAD_ONLY=ERE bash tests/integration/badinput_opsrotate.sh   (through run-with-servers)
# runs only the matching labels; BAD_LIST=1 lists the cases.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
BAD_TOOL=opsrotate BAD_SECTION=rotate BAD_HUGE_KEY=force
# shellcheck source=tests/integration/badinput/runner.sh
. "$OPS_SOURCE_DIR/tests/integration/badinput/runner.sh"
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_ROTATE_' || true)

mkdir logs
L=$SCRATCH/logs/app.log
printf 'line 1\nline 2\n' >"$L"
ST=$SCRATCH/state
printf 'logrotate state -- version 2\n"%s" 2026-12-1-0:0:0\n' "$L" >"$ST"
# A good configuration, and one per bad directive (c-NAME.conf: the block of app.log with DIRECTIVE).
printf '%s {\n  daily\n  rotate 3\n}\n' "$L" >ok.conf
conf() {  # NAME DIRECTIVE...: c-NAME.conf, the block of app.log with those lines
  local name=$1; shift
  { printf '%s {\n' "$L"; printf '  %s\n' "$@"; printf '}\n'; } >"c-$name.conf"
}
conf unknown      'bogusdirective'
conf size-m       'size 1m'
conf size-neg     'size -1'
conf size-huge    'size 1e999'
conf size-empty   'size'
conf minsize-unit 'minsize 1x'
conf rotate-neg   'rotate -2'
conf rotate-abc   'rotate abc'
conf rotate-huge  'rotate 99999999999999999999'
conf start-neg    'start -1'
conf maxage-neg   'maxage -1'
conf weekly-9     'weekly 9'
conf daily-extra  'daily extra'
conf create-mode  'create 999 root root'
conf create-user  'create 0644 nosuchuser root'
conf create-group 'create 0644 root nosuchgroup'
conf create-esc   $'create 0644 \e[31mred root'
conf su-one       'su nosuchuser'
conf compresscmd  'compresscmd'
conf script       'prerotate' '  echo hi'
conf dateformat   'dateformat %'
conf shredcycles  'shredcycles abc'
conf taboo        'tabooext + .x'
conf include-nx   "include $SCRATCH/nx.conf"
conf include-fifo "include $SCRATCH/fifo"
printf '%s {\n  daily\n' "$L" >c-no-close.conf
printf '}\n' >c-stray-close.conf
printf 'relative.log {\n  daily\n}\n' >c-relative.conf
printf 'include %s/c-loop2.conf\n' "$SCRATCH" >c-loop1.conf
printf 'include %s/c-loop1.conf\n' "$SCRATCH" >c-loop2.conf
head -c 3000 /dev/urandom >c-binary.conf
printf '%s {\n  daily\n}\n\x00\n' "$L" >c-nul.conf
{ printf '%s {\n  rotate ' "$L"; head -c 10000000 /dev/zero | tr '\0' 9; printf '\n}\n'; } >c-huge.conf
cp ok.conf c-writable.conf && chmod 666 c-writable.conf
chmod 644 ./*.conf 2>/dev/null || true
chmod 666 c-writable.conf
chmod 000 unreadable.conf
printf '[rotate]\nstate = \n' >empty-state.conf
printf '[rotate]\nstate = %s/adir\n' "$SCRATCH" >state-dir.conf
printf '[rotate]\nmail_cmd = x\n' >rotate-unknown.conf
RUN=(opsrotate -f -s "$ST")
NX=$SCRATCH/nx   # never created: a tool that makes it changes the tree

# --- the command line ------------------------------------------------------------------------
bad 3 "'--bogus'"              'unknown option'                         opsrotate --bogus ok.conf
bad 3 'CONFIG'                 'no CONFIG: names the missing argument'  opsrotate -f -s "$ST"
bad 3 "'rotat'"                'unknown subcommand'                     opsrotate rotat ok.conf
bad 3 'missing\.conf'          'a missing relative CONFIG is named as a file (item 15)' "${RUN[@]}" missing.conf
bad 3 'missing\.conf'          'a good CONFIG and a missing one'        "${RUN[@]}" ok.conf missing.conf
bad 3 'fifo'                   'CONFIG a FIFO (item 11)'                "${RUN[@]}" fifo
bad 3 'dangling'               'CONFIG a dangling symlink'              "${RUN[@]}" dangling
bad 3 'unreadable\.conf'       'CONFIG unreadable (as nobody)'          "${AS_NOBODY[@]}" opsrotate -d -s "$ST" unreadable.conf
bad 3 'c-writable\.conf.*0666' 'CONFIG writable by others'              "${RUN[@]}" c-writable.conf
bad 3 'missing.*line\.conf'    'CONFIG missing, a newline in its name (item 12)' "${RUN[@]}" $'missing\nline.conf'
bad 3 'red\.conf|red'          'CONFIG missing, ESC in its name (item 12)' "${RUN[@]}" $'missing\e[31mred.conf'
bad 3 "'yaml'"                 '--format yaml'                          "${RUN[@]}" --format yaml ok.conf
bad 3 'adir'                   '-s a directory: refused, no DIR.lock left'               opsrotate -f -s adir ok.conf
bad 3 'fifo'                   '-s a FIFO: refused, no FIFO.lock left'                    opsrotate -f -s fifo ok.conf
bad 3 "$NX"                    '-s in a missing directory: usage, not failure' opsrotate -f -s "$NX/state" ok.conf
bad 3 "-s|--state|''"          '-s empty'                               opsrotate -f -s '' ok.conf
bad 3 'adir'                   '-l a directory: usage, not failure'     "${RUN[@]}" -l adir ok.conf
bad 3 'fifo'                   '-l a FIFO: refused, no hang (item 11)'  "${RUN[@]}" -l fifo ok.conf
bad 3 "$NX"                    '-l in a missing directory'              "${RUN[@]}" -l "$NX/log" ok.conf
bad 3 'aaaa…|…'                'a CONFIG name of 100 KB is shortened'   "${RUN[@]}" "$BAD_LONG_ARG"

# --- the logrotate configuration -------------------------------------------------------------
bad 3 "c-unknown.conf:2.*'bogusdirective'" 'unknown directive'          "${RUN[@]}" c-unknown.conf
bad 3 "c-size-m.conf:2.*'1m'"  'size 1m: lowercase m, as logrotate'    "${RUN[@]}" c-size-m.conf
bad 3 "c-size-neg.conf:2.*'-1'" 'size -1'                               "${RUN[@]}" c-size-neg.conf
bad 3 "c-size-huge.conf:2.*'1e999'" 'size 1e999'                        "${RUN[@]}" c-size-huge.conf
bad 3 'c-size-empty.conf:2.*size' 'size without a value'                "${RUN[@]}" c-size-empty.conf
bad 3 "c-minsize-unit.conf:2.*'1x'" 'minsize 1x'                        "${RUN[@]}" c-minsize-unit.conf
bad 3 "c-rotate-neg.conf:2.*'-2'" 'rotate -2'                           "${RUN[@]}" c-rotate-neg.conf
bad 3 "c-rotate-abc.conf:2.*'abc'" 'rotate abc'                         "${RUN[@]}" c-rotate-abc.conf
bad 3 "c-rotate-huge.conf:2"   'rotate 99999999999999999999'            "${RUN[@]}" c-rotate-huge.conf
bad 3 "c-start-neg.conf:2.*'-1'" 'start -1'                             "${RUN[@]}" c-start-neg.conf
bad 3 "c-maxage-neg.conf:2.*'-1'" 'maxage -1'                           "${RUN[@]}" c-maxage-neg.conf
bad 3 "c-weekly-9.conf:2.*'9'" 'weekly 9'                               "${RUN[@]}" c-weekly-9.conf
bad 3 "c-daily-extra.conf:2.*'extra'" 'daily with an extra value'       "${RUN[@]}" c-daily-extra.conf
bad 3 "c-create-mode.conf:2.*'999'" 'create 999: not octal'             "${RUN[@]}" c-create-mode.conf
bad 3 "c-create-user.conf:2.*'nosuchuser'" 'create with an unknown user' "${RUN[@]}" c-create-user.conf
bad 3 "c-create-group.conf:2.*'nosuchgroup'" 'create with an unknown group' "${RUN[@]}" c-create-group.conf
bad 3 'c-create-esc.conf:2.*red' 'create with ESC in the user (item 12)' "${RUN[@]}" c-create-esc.conf
bad 3 "c-su-one.conf:2.*'nosuchuser'" 'su without a group'              "${RUN[@]}" c-su-one.conf
bad 3 "c-compresscmd.conf:2.*compresscmd" 'compresscmd without a value' "${RUN[@]}" c-compresscmd.conf
bad 3 'c-script.conf:2.*endscript' 'prerotate without endscript'        "${RUN[@]}" c-script.conf
bad 3 "c-dateformat.conf:2.*'%'" 'dateformat with a bad specifier'      "${RUN[@]}" c-dateformat.conf
bad 3 "c-shredcycles.conf:2.*'abc'" 'shredcycles abc'                   "${RUN[@]}" c-shredcycles.conf
bad 3 'c-taboo.conf:2.*tabooext' 'tabooext inside a block'              "${RUN[@]}" c-taboo.conf
bad 3 "c-include-nx.conf:2.*nx\.conf" 'include of a missing file'       "${RUN[@]}" c-include-nx.conf
bad 3 'c-include-fifo.conf:2.*fifo' 'include of a FIFO (item 11)'       "${RUN[@]}" c-include-fifo.conf
bad 3 "c-no-close.conf:1.*'}'" "a block without '}'"                    "${RUN[@]}" c-no-close.conf
bad 3 "c-stray-close.conf:1.*'}'" "a '}' without a block"               "${RUN[@]}" c-stray-close.conf
bad 3 "c-relative.conf:1.*'relative.log'" 'a relative log pattern'      "${RUN[@]}" c-relative.conf
bad 3 'include loop'           'an include loop'                        "${RUN[@]}" c-loop1.conf
bad 3 'c-binary.conf'          'a binary file (item 12: no raw bytes)'  "${RUN[@]}" c-binary.conf
bad 3 'c-nul.conf.*NUL'        'a NUL byte'                             "${RUN[@]}" c-nul.conf
bad 3 'c-huge.conf:2'          'a 10 MB value is shortened (item 12)'   "${RUN[@]}" c-huge.conf
bad 3 'c-unknown.conf:2'       'a bad block refuses the good CONFIG beside it' "${RUN[@]}" ok.conf c-unknown.conf

# --- ops.conf [rotate] and the environment ---------------------------------------------------
bad 3 "unknown-key.conf:2.*'bogus_key'" 'ops.conf: unknown key'         "${RUN[@]}" -c unknown-key.conf ok.conf
bad 3 "rotate-unknown.conf:2.*'mail_cmd'" 'ops.conf: [rotate] mail_cmd' "${RUN[@]}" -c rotate-unknown.conf ok.conf
bad 3 'dup-section.conf:2'     'ops.conf: section twice'                "${RUN[@]}" -c dup-section.conf ok.conf
bad 3 'bad-syntax.conf:1'      'ops.conf: unterminated section header'  "${RUN[@]}" -c bad-syntax.conf ok.conf
bad 3 'garbage.conf:1'         'ops.conf: binary garbage (item 12)'     "${RUN[@]}" -c garbage.conf ok.conf
bad 3 'nul.conf:2'             'ops.conf: a NUL inside a value'         "${RUN[@]}" -c nul.conf ok.conf
bad 3 'huge-value.conf:2'      'ops.conf: a 10 MB value is shortened (item 12)' "${RUN[@]}" -c huge-value.conf ok.conf
bad 3 "bad-dsn.conf:2.*'notadsn" 'ops.conf: [db.x] bad DSN, checked when read (item 13)' "${RUN[@]}" -c bad-dsn.conf ok.conf
bad 3 'ctl-value.conf:2'       'ops.conf: control bytes in a value (item 12)' "${RUN[@]}" -c ctl-value.conf ok.conf
bad 3 'empty-state.conf:2'     'ops.conf: [rotate] state empty'         opsrotate -f -c empty-state.conf ok.conf
bad 3 'adir'                   'ops.conf: [rotate] state a directory'   opsrotate -f -c state-dir.conf ok.conf
bad 3 'fifo'                   'ops.conf: a FIFO (item 11)'             "${RUN[@]}" -c fifo ok.conf
bad 3 'missing\.conf'          'OPS_CONFIG missing'                     env OPS_CONFIG=missing.conf "${RUN[@]}" ok.conf
bad 3 "'garbage'"              'OPS_NOW=garbage'                        env OPS_NOW=garbage "${RUN[@]}" ok.conf
bad 3 "'2026-02-30"            'OPS_NOW 30 February'                    env OPS_NOW=2026-02-30T00:00:00Z "${RUN[@]}" ok.conf
bad 3 'OPS_ROTATE_FORCE'       'OPS_ROTATE_FORCE=maybe names the variable' env OPS_ROTATE_FORCE=maybe opsrotate -s "$ST" ok.conf

# --- common options ------------------------------------------------------------------------------
bad 3 "$NX"                    '--lock-file in a missing directory (item 15)' "${RUN[@]}" --lock-file "$NX/x.lock" ok.conf
bad 3 'adir'                   '--lock-file a directory (item 15)'      "${RUN[@]}" --lock-file adir ok.conf
bad 3 "$NX"                    '--metrics-dir missing'                  "${RUN[@]}" --metrics-dir "$NX" ok.conf

bad_finish
