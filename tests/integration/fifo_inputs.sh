#!/usr/bin/env bash
# Issue 14, items 11 and 14. A FIFO given where a tool reads a file by name
# (-c / OPS_CONFIG for every tool, opsrotate -s, opsdf forecast --history)
# used to hang in open(2) waiting for a writer: now it is refused at once,
# exit 3, one line naming it. And a duration of '1M' / '6m' used to mean
# minutes on opsarchive files --delete-older-than: now it is refused (exit 3)
# with 'min' and 'mo' suggested, and nothing is deleted.
# shellcheck source=tests/integration/lib.sh
. "$OPS_SOURCE_DIR/tests/integration/lib.sh"

FIFO=$SCRATCH/fifo
mkfifo "$FIFO"
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf   # not the host's /etc/ops/ops.conf
touch "$SCRATCH/app.log"
printf '%s {\n  daily\n}\n' "$SCRATCH/app.log" >"$SCRATCH/logrotate.conf"
chmod 600 "$SCRATCH/logrotate.conf"

# Every case runs under timeout 10: a hang shows as exit 124, not a stuck test.
refused_fifo() {  # LABEL: the last run refused $FIFO in one line, exit 3
  assert_rc 3
  # "FIFO is not a regular file" when read, "'FIFO' is a FIFO, not a regular
  # file" when it names a file the tool would create (opsrotate -s).
  assert_err_contains "$FIFO"
  assert_err_matches "is (a FIFO, )?not a regular file"
  assert_eq "$(printf '%s\n' "$ERR" | wc -l)" 1 "lines of stderr ($1)"
}

# --- -c FIFO and OPS_CONFIG=FIFO, all four tools -------------------------------------
for cmd in "opsdf fs" "opsbackup list" "opsrotate rotate $SCRATCH/logrotate.conf" "opsarchive run"; do
  read -r tool sub arg <<<"$cmd"
  run timeout 10 "$tool" -c "$FIFO" "$sub" ${arg:+"$arg"}
  refused_fifo "$tool -c"
  run env OPS_CONFIG="$FIFO" timeout 10 "$tool" "$sub" ${arg:+"$arg"}
  refused_fifo "$tool OPS_CONFIG"
done

# --- opsrotate -s FIFO (the state file) ------------------------------------------------
run timeout 10 opsrotate -s "$FIFO" "$SCRATCH/logrotate.conf"
refused_fifo "opsrotate -s"

# --- opsdf forecast --history FIFO -----------------------------------------------------
run timeout 10 opsdf forecast --history "$FIFO"
refused_fifo "opsdf forecast --history"

# --- 'm' alone is neither minutes nor months -------------------------------------------
mkdir "$SCRATCH/old"
touch -d '2 hours ago' "$SCRATCH/old/a.log"
for d in 1M 6m; do
  run timeout 10 opsarchive files --delete-older-than "$d" "$SCRATCH/old"
  assert_rc 3
  assert_err_contains "invalid duration '$d'"
  assert_err_contains "ambiguous"
  assert_err_contains "'min'"
  assert_err_contains "'mo'"
  assert_file_exists "$SCRATCH/old/a.log"
done
run timeout 10 opsarchive files --delete-older-than 1min "$SCRATCH/old"
assert_rc 0
assert_no_file "$SCRATCH/old/a.log"
finish
