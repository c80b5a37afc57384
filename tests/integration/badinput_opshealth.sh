#!/usr/bin/env bash
# opshealth's bad-input suite: every case a line of the table, checked by
# badinput/runner.sh — the exit status, one stderr line naming the culprit,
# no raw control byte, nothing changed on disk, no hang. A check that cannot
# reach its target is not bad input (it is a CRITICAL row, exit 2): these are
# the values refused before any check runs.
#   BAD_ONLY=ERE bash tests/integration/run-with-servers bash tests/integration/badinput_opshealth.sh
# runs only the matching labels; BAD_LIST=1 lists the cases.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
BAD_TOOL=opshealth BAD_SECTION=health BAD_HUGE_KEY=timeout
# shellcheck source=tests/integration/badinput/runner.sh
. "$OPS_SOURCE_DIR/tests/integration/badinput/runner.sh"
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_HEALTH_' || true)

NX=$SCRATCH/nx   # never created
conf() { local name=$1; shift; printf '%s\n' "$@" >"$name"; }
conf no-check.conf '[health.x]' 'warn = 80%'
conf unknown-check.conf '[health.x]' 'check = dsk'
conf check-ctl.conf '[health.x]' $'check = d\e[31msk'
conf wrong-key.conf '[health.x]' 'check = memory' 'contains = Login'
conf bad-range.conf '[health.x]' 'check = disk' 'warn = 80'
conf bad-unit.conf '[health.x]' 'check = memory' 'crit = 2s'
conf target-none.conf '[health.x]' 'check = load' 'target = x'
conf bad-timeout.conf '[health.x]' 'check = cpu' 'timeout = soon'
conf bad-on-timeout.conf '[health.x]' 'check = cpu' 'on_timeout = ok'
conf bad-interval.conf '[health.x]' 'check = cpu' 'interval = 0s'
conf dup-check.conf '[health.x]' 'check = cpu' 'check = load'
conf own-timeout.conf '[health]' 'timeout = -1s'
conf own-format.conf '[health]' 'format = nagois'
conf bad-pattern.conf '[health.x]' 'check = log' 'target = x.log' 'pattern = (ERROR'
conf log-no-target.conf '[health.x]' 'check = log'
: >x.log
conf per-core-maybe.conf '[health.x]' 'check = load' 'per_core = maybe'
export OPS_CONFIG=$SCRATCH/empty.conf   # never the host's /etc/ops/ops.conf
unset OPS_NOW

# --- the command line ------------------------------------------------------------------------
bad 3 "'--bogus'"              'unknown option'                         opshealth --bogus
bad 3 "'--bogus'"              'unknown option after the check'         opshealth memory --bogus
bad 3 "'dsk'"                  'unknown check'                          opshealth dsk
bad 3 "'yaml'"                 '--format yaml'                          opshealth --format yaml
bad 3 "'nagois'"               '--format nagois'                        opshealth --format nagois
bad 3 "'x'"                    'memory takes no argument'               opshealth memory x
bad 3 "'x'"                    'all takes no argument'                  opshealth all x
bad 3 'aaaa…|…'                'a 100 KB argument is shortened'         opshealth cpu "$BAD_LONG_ARG"

# --- thresholds ------------------------------------------------------------------------------
bad 3 "'80'"                   'disk --warn 80: % or a size?'           opshealth disk --warn 80
bad 3 "'500ms'"                'memory --crit 500ms: not a unit of memory' opshealth memory --crit 500ms
bad 3 "'2G'"                   'cpu --warn 2G'                          opshealth cpu --warn 2G
bad 3 "'10%:5%'"               'a range with start above end'           opshealth memory --warn 10%:5%
bad 3 "'@'"                    'a lone @'                               opshealth memory --warn @
bad 3 "'~'"                    'a lone ~'                               opshealth memory --warn '~'
bad 3 "'1e999%'"               'an infinite bound'                      opshealth memory --warn 1e999%
bad 3 "'5,4'"                  'load --warn with two of three'          opshealth load --warn 5,4
bad 3 "'5%'"                   'load --warn 5%: a load has no unit'     opshealth load --warn 5%
bad 3 "'abc'"                  'load --crit abc'                        opshealth load --crit abc
bad 3 "'2G'"                   'disk --inode-warn 2G'                   opshealth disk --inode-warn 2G
bad 3 'interval'               'cpu --interval 0s'                      opshealth cpu --interval 0s
bad 3 "'5'"                    'cpu --interval 5: a bare number'        opshealth cpu --interval 5
bad 3 "'-1s'"                  '--timeout -1s'                          opshealth memory --timeout -1s
bad 3 "'ok'"                   '--on-timeout ok'                        opshealth memory --on-timeout ok
bad 3 "'\(ERROR'"              'log --pattern with an unclosed ('      opshealth log x.log --pattern '(ERROR'
bad 3 "'15m'"                  'log --window 15m: minutes or months?'   opshealth log x.log --window 15m
bad 3 "'0s'|--window"          'log --window 0s'                        opshealth log x.log --window 0s
bad 3 "'6xx'"                  'log --status 6xx'                       opshealth log x.log --status 6xx
bad 3 'x\.log'                 'log with two files'                     opshealth log x.log x.log

# --- ops.conf --------------------------------------------------------------------------------
bad 3 'no-check.conf:1.*check'        'config: [health.x] without check'      opshealth -c no-check.conf
bad 3 "unknown-check.conf:2.*'dsk'"   'config: unknown check'                 opshealth -c unknown-check.conf
bad 3 'check-ctl.conf:2'              'config: control bytes in check'        opshealth -c check-ctl.conf
bad 3 "wrong-key.conf:3.*'contains'"  'config: a key the check does not take' opshealth -c wrong-key.conf
bad 3 "bad-range.conf:3.*'80'"        'config: warn = 80 for a disk'          opshealth -c bad-range.conf
bad 3 "bad-unit.conf:3.*'2s'"         'config: crit = 2s for memory'          opshealth -c bad-unit.conf
bad 3 "target-none.conf:3.*'target'"  'config: target for a check without'    opshealth -c target-none.conf
bad 3 "bad-timeout.conf:3.*'soon'"    'config: timeout = soon'                opshealth -c bad-timeout.conf
bad 3 "bad-on-timeout.conf:3.*'ok'"   'config: on_timeout = ok'               opshealth -c bad-on-timeout.conf
bad 3 'bad-interval.conf:3'           'config: interval = 0s'                 opshealth -c bad-interval.conf
bad 3 "dup-check.conf:3.*'check'"     'config: check twice'                   opshealth -c dup-check.conf
bad 3 "own-timeout.conf:2.*'-1s'"     'config: [health] timeout = -1s'        opshealth -c own-timeout.conf
bad 3 "own-format.conf:2.*'nagois'"   'config: [health] format = nagois'      opshealth -c own-format.conf
bad 3 "per-core-maybe.conf:3.*'maybe'" 'config: per_core = maybe'            opshealth -c per-core-maybe.conf
bad 3 "bad-pattern.conf:4.*'\(ERROR'" 'config: a bad pattern'            opshealth -c bad-pattern.conf
bad 3 'log-no-target.conf:1.*target' 'config: a log check without its file' opshealth -c log-no-target.conf
bad 3 "unknown-key.conf:2.*'bogus_key'" 'config: unknown key in [health]'     opshealth -c unknown-key.conf
bad 3 'dup-section.conf:2'     'config: section twice'                  opshealth -c dup-section.conf
bad 3 'bad-syntax.conf:1'      'config: unterminated section header'    opshealth -c bad-syntax.conf
bad 3 'garbage.conf:1'         'config: binary garbage'                 opshealth -c garbage.conf
bad 3 'nul.conf:2'             'config: a NUL inside a value'           opshealth -c nul.conf
bad 3 'huge-value.conf:2'      'config: a 10 MB value is shortened'     opshealth -c huge-value.conf
bad 3 'ctl-value.conf:2'       'config: control bytes in a value'       opshealth -c ctl-value.conf
bad 3 'adir'                   'config: a directory'                    opshealth -c adir
bad 3 'fifo'                   'config: a FIFO'                         opshealth -c fifo
bad 3 'dangling'               'config: a dangling symlink'             opshealth -c dangling

# --- environment and common options ----------------------------------------------------------
bad 3 "'80'"                   'OPS_HEALTH_WARN=80 for a disk'          env OPS_HEALTH_WARN=80 opshealth disk
bad 3 "'soon'"                 'OPS_HEALTH_TIMEOUT=soon'                env OPS_HEALTH_TIMEOUT=soon opshealth memory
bad 3 "$NX"                    '--metrics-dir missing'                  opshealth --metrics-dir "$NX" memory
bad 3 'fifo'                   '--metrics-dir a FIFO'                   opshealth --metrics-dir fifo memory

bad_finish
