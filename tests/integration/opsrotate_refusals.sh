#!/usr/bin/env bash
# opsrotate refuses a bad state file name, a bad -l FILE and a bad OPS_NOW
# before anything is rotated, locked or written (issue 14): exit 3, one error
# line naming the culprit, and the tree as it was — the log not rotated, the
# state file unchanged, no FILE.lock left behind — with no hang (every run
# under `timeout 20`). Each case failed on the old code: it rotated the log
# first (-s '', -l DIR, -l in a missing directory), hung (-l FIFO), exited 2
# (-s in a missing directory) or left STATE.lock behind (-s DIR, -s FIFO,
# OPS_NOW=garbage).
#
# Where opsrotate differs from logrotate 3.21 on purpose: `logrotate -l DIR`
# and `-l missing/dir/log` print an error and rotate all the same (exit 0),
# and `logrotate -l FIFO` blocks for ever; opsrotate refuses them (exit 3)
# before any log is touched. `logrotate -s ''` refuses too ("error creating
# stub state file", exit 3), as opsrotate now does.
#
# A configuration with a broken block is refused whole only with --strict;
# without it the block is skipped and the rest rotated (exit 2), checked at
# the end. -s /dev/null is logrotate's "keep no state", no device else.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

export TZ=UTC
: >"$_T_LIB/empty.conf"
export OPS_CONFIG=$_T_LIB/empty.conf
unset OPS_NOW
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_ROTATE_' || true)

L=$SCRATCH/logs/app.log
NX=$SCRATCH/nx   # never created
mkdir "$SCRATCH/logs" "$SCRATCH/adir"
mkfifo "$SCRATCH/fifo"
printf 'line 1\nline 2\n' >"$L"
ST=$SCRATCH/state
printf 'logrotate state -- version 2\n"%s" 2026-12-1-0:0:0\n' "$L" >"$ST"
printf '%s {\n  daily\n  rotate 3\n}\n' "$L" >"$SCRATCH/ok.conf"
printf '[rotate]\nstate = \n' >"$SCRATCH/empty-state.conf"
printf '[rotate]\nstate = %s/adir\n' "$SCRATCH" >"$SCRATCH/state-dir.conf"
printf '[rotate]\nlog = %s/adir\n' "$SCRATCH" >"$SCRATCH/log-dir.conf"
B=$SCRATCH/logs/bad.log
printf 'bad 1\n' >"$B"
printf '%s {\n  bogus\n  rotate 3\n}\n%s {\n  daily\n  rotate 3\n}\n' "$B" "$L" >"$SCRATCH/broken.conf"

# The tree as one text: each entry's path, type and mode, and the SHA-256 of
# a regular file (a FIFO is never opened).
tree_sum() {
  (cd "$SCRATCH" && find . -mindepth 1 -printf '%p %y %m\n' | LC_ALL=C sort
   find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}

# refused ERE LABEL CMD...: exit 3, stderr one "opsrotate: error:" line that
# matches ERE (then only hint lines), and the tree unchanged.
refused() {
  local pat=$1 label=$2 before after lines
  shift 2
  before=$(tree_sum)
  run timeout -k 5 20 "$@"
  ASSERTIONS=$((ASSERTIONS + 1))
  [[ $RC != 124 && $RC != 137 ]] || fail "$label: hung (killed by timeout)"
  assert_rc 3
  lines=$(grep -cv '^opsrotate: hint: ' "$ERR_FILE" || true)
  assert_eq "$lines" 1 "$label: one error line (and hints) on stderr"
  assert_err_matches "^opsrotate: error: .*($pat)"
  after=$(tree_sum)
  if [[ $before != "$after" ]]; then
    fail "$label: the tree changed: $(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | tr '\n' ';')"
  fi
  ASSERTIONS=$((ASSERTIONS + 1))
}

cd "$SCRATCH"

# --- the state file's name (items 1, 3, 4) ---------------------------------------------
refused "--state: the file name is empty" '-s empty' "$OPSROTATE" -f -s '' ok.conf
refused 'empty-state\.conf:2 \(state\): the file name is empty' '[rotate] state empty' \
  "$OPSROTATE" -f -c empty-state.conf ok.conf
refused "--state: 'adir' is a directory, not a regular file" '-s a directory, no adir.lock' "$OPSROTATE" -f -s adir ok.conf
refused "state-dir\.conf:2 \(state\): '$SCRATCH/adir' is a directory, not a regular file" '[rotate] state a directory' \
  "$OPSROTATE" -f -c state-dir.conf ok.conf
refused "--state: 'fifo' is a FIFO, not a regular file" '-s a FIFO, no fifo.lock' "$OPSROTATE" -f -s fifo ok.conf
refused "--state: cannot use '$NX/state': its directory $NX: No such file or directory" '-s in a missing directory' \
  "$OPSROTATE" -f -s "$NX/state" ok.conf
refused "--state: cannot use 'ok\.conf/state': ok\.conf is not a directory" \
  '-s below a file' "$OPSROTATE" -f -s ok.conf/state ok.conf
ln -s adir state-lock-dir.lock
: >state-lock-dir
refused 'lock file state-lock-dir\.lock of state file state-lock-dir is not a regular file' \
  'STATE.lock a symlink to a directory' "$OPSROTATE" -f -s state-lock-dir ok.conf
rm state-lock-dir.lock state-lock-dir
refused "--state: '/dev/zero' is a character device, not a regular file" '-s a device other than /dev/null' \
  "$OPSROTATE" -f -s /dev/zero ok.conf
# A dry run refuses what the run would refuse.
refused "--state: 'adir' is a directory, not a regular file" '-d -s a directory' "$OPSROTATE" -d -s adir ok.conf

# --- OPS_NOW: checked before the state's lock is created (item 3) -----------------------
refused "OPS_NOW: invalid time 'garbage'" 'OPS_NOW=garbage, no state.lock' \
  env OPS_NOW=garbage "$OPSROTATE" -f -s "$ST" ok.conf
refused "OPS_NOW: invalid time '2026-02-30" 'OPS_NOW on 30 February' \
  env OPS_NOW=2026-02-30T00:00:00Z "$OPSROTATE" -f -s "$ST" ok.conf
refused "OPS_NOW: invalid time 'garbage'" 'OPS_NOW=garbage, a new state file' \
  env OPS_NOW=garbage "$OPSROTATE" -f -s new-state ok.conf

# --- -l FILE (item 2; logrotate rotates anyway, or hangs on a FIFO) ------------------------
refused "--log: 'adir' is a directory, not a regular file" '-l a directory' "$OPSROTATE" -f -s "$ST" -l adir ok.conf
refused "log-dir\.conf:2 \(log\): '$SCRATCH/adir' is a directory, not a regular file" '[rotate] log a directory' \
  "$OPSROTATE" -f -s "$ST" -c log-dir.conf ok.conf
refused "--log: cannot use '$NX/log': its directory $NX: No such file or directory" '-l in a missing directory' \
  "$OPSROTATE" -f -s "$ST" -l "$NX/log" ok.conf
refused "--log: 'fifo' is a FIFO, not a regular file" '-l a FIFO: no hang' "$OPSROTATE" -f -s "$ST" -l fifo ok.conf
refused "--log: '/dev/null' is a character device, not a regular file" '-l a device' "$OPSROTATE" -f -s "$ST" -l /dev/null ok.conf
refused '--log: the file name is empty' '-l empty' "$OPSROTATE" -f -s "$ST" -l '' ok.conf
# A bad -l with a new state file: no state, no lock, no empty log made.
refused "--log: 'adir' is a directory, not a regular file" '-l a directory, a new state file' \
  "$OPSROTATE" -f -s new-state -l adir ok.conf
# A good -l with a bad state: the -l file is not created either.
refused "--state: 'adir' is a directory, not a regular file" '-s a directory, -l a new file' "$OPSROTATE" -f -s adir -l new.log ok.conf

# --- --strict: a broken block refuses the whole configuration ------------------------------
refused "broken\.conf:2: unknown directive 'bogus'" '--strict, a broken block beside a good one' \
  "$OPSROTATE" --strict -f -s "$ST" broken.conf
refused "broken\.conf:2: unknown directive 'bogus'" '--strict -d' "$OPSROTATE" --strict -d -s "$ST" broken.conf

# --- a lock another run holds is never removed --------------------------------------------
# The holder is one process (sleep, holding fd 9), so killing it frees the lock.
(exec 9>"$ST.lock" && flock 9 && exec sleep 30) &
holder=$!
at_exit kill "$holder"
for _ in $(seq 50); do flock -n "$ST.lock" true 2>/dev/null || break; sleep 0.1; done
refused "state file $ST is in use by another run" 'the state file locked by another run' \
  "$OPSROTATE" -f -s "$ST" ok.conf
assert_file_exists "$ST.lock"
kill "$holder"
wait "$holder" 2>/dev/null || true
rm "$ST.lock"

# --- and what is good still works: -l new file, state written, lock kept ----------------
run timeout 20 "$OPSROTATE" -f -s "$ST" -l new.log ok.conf
assert_rc 0
assert_file_exists "$L.1"
assert_file_exists "$SCRATCH/new.log"
assert_eq "$(cat new.log)" "opsrotate: reading config file ok.conf
$L: rotated: forced (-f)" 'the -l file has what the run said (verbose, as logrotate -l), then the report'
grep -q '^"'"$L"'" 20' "$ST" || fail 'the state file records the rotation'
ASSERTIONS=$((ASSERTIONS + 1))

# --- without --strict the broken block is skipped, the good one rotated (exit 2) -----------
printf 'line 3\n' >"$L"
run timeout 20 "$OPSROTATE" -f -s "$ST" broken.conf
assert_rc 2
assert_eq "$(head -n 1 "$ERR_FILE")" "opsrotate: error: broken.conf:2: unknown directive 'bogus'" 'the error first'
assert_err_contains "opsrotate: error: broken.conf:1: skipping the block of '$B' for its error"
assert_file_exists "$L.2"
assert_no_file "$B.1"
assert_eq "$(cat "$B")" 'bad 1' 'the broken block'"'"'s log is untouched'
grep -q "^\"$B\"" "$ST" && fail 'the state file records the skipped log'
ASSERTIONS=$((ASSERTIONS + 1))

# --- -s /dev/null: no state read or written, no lock, the log rotated ---------------------
printf 'line 4\n' >"$L"
run timeout 20 "$OPSROTATE" -f -s /dev/null ok.conf
assert_rc 0
assert_file_exists "$L.3"
[[ -c /dev/null ]] || fail '/dev/null is no longer a character device'
ASSERTIONS=$((ASSERTIONS + 1))
assert_no_file /dev/null.lock
finish
