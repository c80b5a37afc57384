#!/usr/bin/env bash
# opsrotate's bad-input suite (issue 14, "Proof"): every case a line of the
# table, checked by badinput/runner.sh — the exit status, one stderr line naming
# the culprit, no raw control byte, nothing changed on disk (the logs, the state
# file), no hang. The cases run for real with -f, so a configuration that were
# accepted would rotate the log and change the tree.
#
# A broken block or file of the logrotate configuration (issue 17) is a
# `broken` line: run as it is, the broken block (or file) is skipped and the
# rest rotated, exit 2 (see `skipped`); the same input with --strict is
# refused whole, exit 3, nothing changed (runner.sh's `bad`).
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
# A good configuration, and one per bad directive (c-NAME.conf: the block of app.log with DIRECTIVE;
# s-NAME.conf: the same, then a good block of other.log, which must rotate when app.log's is skipped).
printf '%s {\n  daily\n  rotate 3\n}\n' "$L" >ok.conf
O=$SCRATCH/logs/other.log
printf 'other 1\n' >"$O"
printf '%s {\n  daily\n  rotate 3\n}\n' "$O" >other.conf
conf() {  # NAME DIRECTIVE...: c-NAME.conf, the block of app.log with those lines; s-NAME.conf
  local name=$1; shift
  { printf '%s {\n' "$L"; printf '  %s\n' "$@"; printf '}\n'; } >"c-$name.conf"
  cat "c-$name.conf" other.conf >"s-$name.conf"
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
conf dateformat-path 'dateext' 'dateformat -%Y/%m/%d'
conf dateformat-long 'dateext' "dateformat -$(printf '%.0s%%Y' {1..7})"
conf shredcycles  'shredcycles abc'
conf taboo        'tabooext + .x'
conf include-nx   "include $SCRATCH/nx.conf"
conf include-fifo "include $SCRATCH/fifo"
printf '%s {\n  daily\n' "$L" >c-no-close.conf
printf '}\n' >c-stray-close.conf
printf 'relative.log {\n  daily\n}\n' | cat - other.conf >s-relative.conf
printf 'include %s/c-loop2.conf\n' "$SCRATCH" >c-loop1.conf
printf 'include %s/c-loop1.conf\n' "$SCRATCH" >c-loop2.conf
{ head -c 3000 /dev/urandom; printf '\0'; } >c-binary.conf   # a NUL for certain: refused at once
printf '%s {\n  daily\n}\n\x00\n' "$L" >c-nul.conf
{ printf '%s {\n  rotate ' "$L"; head -c 10000000 /dev/zero | tr '\0' 9; printf '\n}\n'; } >c-huge.conf
cat c-huge.conf other.conf >s-huge.conf
cp ok.conf c-writable.conf && chmod 666 c-writable.conf
chmod 644 ./*.conf 2>/dev/null || true
chmod 666 c-writable.conf
chmod 000 unreadable.conf
printf '[rotate]\nstate = \n' >empty-state.conf
printf '[rotate]\nstate = %s/adir\n' "$SCRATCH" >state-dir.conf
printf '[rotate]\nmail_cmd = x\n' >rotate-unknown.conf
RUN=(opsrotate -f -s "$ST")

# skipped ERE LABEL CONFIG...: without --strict, the broken block or file is
# skipped and the rest rotated: exit 2; stderr only "opsrotate: error:" and
# hint lines, the first naming the culprit (ERE), one saying what is skipped,
# no raw control byte; app.log (the broken block's) untouched, other.log
# rotated and recorded in the state file. The tree is put back afterwards.
skipped() {
  local pat=$1 label="$2: skipped, the rest rotated" reasons=() first others ctl
  shift 2
  BAD_N=$((BAD_N + 1))
  if [[ -n ${BAD_LIST:-} ]]; then printf '%3d  2  %s\n' "$BAD_N" "$label"; return 0; fi
  if [[ -n ${BAD_ONLY:-} && ! $label =~ $BAD_ONLY ]]; then return 0; fi
  ((_bad_baseline_taken)) || _bad_take_baseline
  run timeout -k 5 20 "${SKIP_RUN[@]}" "$@"
  LAST_CMD=$(_t_quote "${SKIP_RUN[@]}" "$@")
  ASSERTIONS=$((ASSERTIONS + 6))
  [[ $RC == 2 ]] || reasons+=("exit status $RC, expected 2")
  first=$(head -n 1 "$ERR_FILE" | tr -d '\0')
  [[ $first =~ ^opsrotate:\ error:\  ]] || reasons+=("first stderr line is not 'opsrotate: error: ...'")
  grep -Eq -- "$pat" <<<"$first" || reasons+=("the first error line does not name the culprit: no match for /$pat/")
  others=$(tr -d '\0' <"$ERR_FILE" | grep -Ecv '^opsrotate: (error|hint): ' || true)
  ((others == 0)) || reasons+=("stderr has $others lines that are neither errors nor hints")
  # What is skipped: a block, a file, or what an include names (its error says it).
  grep -Eq '^opsrotate: error: [^ ]+: (skipping (the block|this block|the whole file)|cannot include|include loop)' \
    "$ERR_FILE" || reasons+=("no line says what is skipped")
  ctl=$(LC_ALL=C tr -d '\n\t\040-\176\200-\377' <"$ERR_FILE" | od -An -c | tr -s ' ' | head -c 80)
  [[ -z $ctl ]] || reasons+=("raw control bytes on stderr:$ctl")
  (($(stat -c %s "$ERR_FILE") < BAD_MAX_ERR)) || reasons+=("stderr is $(stat -c %s "$ERR_FILE") bytes")
  [[ $(cat "$L") == $'line 1\nline 2' && ! -e $L.1 ]] || reasons+=("app.log, in the broken block, was rotated")
  [[ -f $O.1 && $(cat "$O.1") == 'other 1' ]] || reasons+=("other.log, in a good block, was not rotated")
  grep -q "^\"$O\" " "$ST" || reasons+=("the state file does not record other.log")
  _bad_verdict "$label" "${reasons[@]}"
  _bad_restore_tree
}
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
# broken ERE LABEL CONFIG...: both runs of one broken input (see the header).
SKIP_RUN=(opsrotate -f -s "$ST")
STRICT=(opsrotate --strict -f -s "$ST")
broken() {
  local pat=$1 label=$2
  shift 2
  skipped "$pat" "$label" "$@"
  bad 3 "$pat" "$label, --strict: refused whole" "${STRICT[@]}" "$@"
}
# An error inside the block: the block of app.log is skipped, other.log's after it in the same file rotated.
broken "s-unknown.conf:2.*'bogusdirective'" 'unknown directive'        s-unknown.conf
broken "s-size-m.conf:2.*'1m'"  'size 1m: lowercase m, as logrotate'    s-size-m.conf
broken "s-size-neg.conf:2.*'-1'" 'size -1'                              s-size-neg.conf
broken "s-size-huge.conf:2.*'1e999'" 'size 1e999'                       s-size-huge.conf
broken 's-size-empty.conf:2.*size' 'size without a value'               s-size-empty.conf
broken "s-minsize-unit.conf:2.*'1x'" 'minsize 1x'                       s-minsize-unit.conf
broken "s-rotate-neg.conf:2.*'-2'" 'rotate -2'                          s-rotate-neg.conf
broken "s-rotate-abc.conf:2.*'abc'" 'rotate abc'                        s-rotate-abc.conf
broken "s-rotate-huge.conf:2"   'rotate 99999999999999999999'           s-rotate-huge.conf
broken "s-start-neg.conf:2.*'-1'" 'start -1'                            s-start-neg.conf
broken "s-maxage-neg.conf:2.*'-1'" 'maxage -1'                          s-maxage-neg.conf
broken "s-weekly-9.conf:2.*'9'" 'weekly 9'                              s-weekly-9.conf
broken "s-daily-extra.conf:2.*'extra'" 'daily with an extra value'      s-daily-extra.conf
broken "s-create-mode.conf:2.*'999'" 'create 999: not octal'            s-create-mode.conf
broken "s-create-user.conf:2.*'nosuchuser'" 'create with an unknown user' s-create-user.conf
broken "s-create-group.conf:2.*'nosuchgroup'" 'create with an unknown group' s-create-group.conf
broken 's-create-esc.conf:2.*red' 'create with ESC in the user (item 12)' s-create-esc.conf
broken "s-su-one.conf:2.*'nosuchuser'" 'su without a group'             s-su-one.conf
broken "s-compresscmd.conf:2.*compresscmd" 'compresscmd without a value' s-compresscmd.conf
broken "s-dateformat.conf:2.*'%'" 'dateformat with a bad specifier'     s-dateformat.conf
broken "s-dateformat-path.conf:3.*'-%Y/%m/%d'.*path" 'dateformat that makes a path' s-dateformat-path.conf
broken "s-dateformat-long.conf:3.*too long" 'dateformat too long, as logrotate finds when rotating' s-dateformat-long.conf
broken "s-shredcycles.conf:2.*'abc'" 'shredcycles abc'                  s-shredcycles.conf
broken 's-taboo.conf:2.*tabooext' 'tabooext inside a block'             s-taboo.conf
broken "s-include-nx.conf:2.*nx\.conf" 'include of a missing file'      s-include-nx.conf
broken 's-include-fifo.conf:2.*fifo' 'include of a FIFO (item 11)'      s-include-fifo.conf
broken 's-huge.conf:2'          'a 10 MB value is shortened (item 12)'  s-huge.conf
broken "s-relative.conf:1.*'relative.log'" 'a relative log pattern: a block all the same' s-relative.conf
# A file whose blocks cannot be delimited, or an error outside any block: that file is skipped, other.conf rotated.
broken 'c-script.conf:2.*endscript' 'prerotate without endscript'       c-script.conf other.conf
broken "c-no-close.conf:1.*'}'" "a block without '}'"                   c-no-close.conf other.conf
broken "c-stray-close.conf:1: unexpected } \(missing previous '\{'\)" "a '}' without a block" c-stray-close.conf other.conf
broken 'include loop'           'an include loop'                       c-loop1.conf other.conf
broken 'c-binary.conf.*NUL'     'a binary file (item 12: no raw bytes)' c-binary.conf other.conf
broken 'c-nul.conf.*NUL'        'a NUL byte'                            c-nul.conf other.conf
broken 'c-unknown.conf:2'       'a bad block beside a good CONFIG'      c-unknown.conf other.conf

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
