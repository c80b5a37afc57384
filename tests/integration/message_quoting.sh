#!/usr/bin/env bash
# Issue 14, item 12. A message echoes what it was given: an argument, a file
# name, a configuration value. Those used to reach the terminal raw: an escape
# sequence coloured it, a newline split the one-line message in two, a NUL cut
# it short, and a 10 MB configuration value was echoed in full. Now every
# message is one printable line: control bytes escaped (\x1b, \n, \x00), long
# values shortened with "…".
# shellcheck source=tests/integration/lib.sh
. "$OPS_SOURCE_DIR/tests/integration/lib.sh"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf   # not the host's /etc/ops/ops.conf

one_printable_line() {  # LABEL: stderr of the last run is one line, no control byte in it
  local lines controls
  lines=$(wc -l <"$ERR_FILE")
  assert_eq "$lines" 1 "lines of stderr ($1)"
  # Every byte below 0x20 but the final newline, and DEL: none may be left.
  controls=$(head -c -1 "$ERR_FILE" | tr -d '\040-\176\200-\377' | wc -c)
  assert_eq "$controls" 0 "control bytes on stderr ($1)"
}

# --- an escape sequence in an argument ----------------------------------------------
for tool in opsdf opsbackup opsrotate opsarchive; do
  run "$tool" $'\x01\x1b[31mred'
  assert_rc 3
  assert_err_contains "'\\x01\\x1b[31mred'"
  # The hint line that follows an unknown subcommand is the second line.
  assert_eq "$(head -n 1 "$ERR_FILE" | tr -d '\040-\176' | wc -c)" 1 "control bytes ($tool)"
done

# --- a newline and an escape in a file name ------------------------------------------
run opsdf du "$SCRATCH/a"$'\n'"b"$'\x1b'"[2J"
assert_rc 3
assert_err_contains "$SCRATCH/a\\nb\\x1b[2J"
one_printable_line "newline in a path"

# --- a NUL inside a configuration value: refused, not cut short -----------------------
# (It used to be accepted: the DSN or path was silently cut at the NUL.)
printf '[df]\nwindow = 1\0d\n' >"$SCRATCH/nul.conf"
run opsdf -c "$SCRATCH/nul.conf" forecast --history "$SCRATCH/empty.conf"
assert_rc 3
assert_err_contains "nul.conf:2: contains a NUL byte"
printf '[db.app]\ndsn = sqlite:///x.db\0hidden\n' >"$SCRATCH/nul.conf"
run opsdf -c "$SCRATCH/nul.conf" fs
assert_rc 3
assert_err_contains "nul.conf:2: contains a NUL byte"
head -n 1 "$ERR_FILE" >"$SCRATCH/first"
assert_eq "$(tr -d '\040-\176\200-\377\n' <"$SCRATCH/first" | wc -c)" 0 "control bytes (NUL in value)"

# --- a 10 MB configuration value is not echoed in full --------------------------------
{ printf '[df]\nwindow = '; head -c 10000000 /dev/zero | tr '\0' 7; printf 'd\n'; } >"$SCRATCH/big.conf"
run opsdf -c "$SCRATCH/big.conf" forecast --history "$SCRATCH/empty.conf"
assert_rc 3
assert_err_contains "big.conf:2"
assert_err_contains "…"
size=$(wc -c <"$ERR_FILE")
((size < 2000)) || fail "stderr is $size bytes for a 10 MB value"
