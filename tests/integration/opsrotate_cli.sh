#!/usr/bin/env bash
# opsrotate's command line: logrotate's options, a dry run a person can read
# (and its JSON), configuration errors (a broken block skipped, the rest
# rotated; with --strict all refused before anything changes), the
# state-file lock, a failing script reported with exit 2 while the other logs
# still rotate, a bad state line and a compressor's stderr reported as errors,
# and logs refused for safety (symlink, hard link, a directory others may
# write to).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

export TZ=UTC
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
D=$SCRATCH/logs
mkdir -p "$D"
export OPS_NOW=2026-03-04T06:25:00Z

# --- a dry run prints decisions, reasons and operations, and changes nothing --------
printf 'x\n%.0s' {1..2000} >"$D/app.log"
printf 'small\n' >"$D/quiet.log"
cat >"$SCRATCH/app.conf" <<CONF
$D/app.log {
  size 1k
  rotate 2
  compress
  create 0640
}
$D/quiet.log {
  daily
}
CONF
printf 'logrotate state -- version 2\n"%s" 2026-3-4-1:0:0\n' "$D/quiet.log" >"$SCRATCH/state"
cp "$SCRATCH/state" "$SCRATCH/state.before"
run "$OPSROTATE" -d -s "$SCRATCH/state" "$SCRATCH/app.conf"
assert_rc 0
assert_out_contains "$D/app.log: rotate: size 3.9K >= 1.0K"
assert_out_contains "  rename $D/app.log -> $D/app.log.1"
assert_out_contains "  create $D/app.log 0640 $(id -un):$(id -gn) (uid = $(id -u) gid = $(id -g))"
assert_out_contains "  compress $D/app.log.1 -> $D/app.log.1.gz"
assert_out_contains "$D/quiet.log: skip: rotated 5h ago, daily"
assert_file_exists "$D/app.log"
assert_no_file "$D/app.log.1"
assert_eq "$(cat "$SCRATCH/state")" "$(cat "$SCRATCH/state.before")" "a dry run leaves the state file alone"

run "$OPSROTATE" -n --format json -s "$SCRATCH/state" "$SCRATCH/app.conf"
assert_rc 0
assert_eq "$(jq -r '.logs[] | select(.result == "rotate") | .operations | map(.op) | join(",")' "$OUT_FILE")" \
  "rename,create,compress" "JSON: the operations of the log that is due"

# Options may follow the configuration, as with logrotate; a relative config name works.
(cd "$SCRATCH" && "$OPSROTATE" app.conf -s "$SCRATCH/state" -v -l "$SCRATCH/rotate.log" >"$SCRATCH/out" 2>&1) || fail "relative config name: $(cat "$SCRATCH/out")"
grep -qx "$D/app.log: rotated: size 3.9K >= 1.0K (compressed .*)" "$SCRATCH/rotate.log" || fail "-l FILE gets what is printed: $(cat "$SCRATCH/rotate.log")"
assert_eq "$(gzip -dc "$D/app.log.1.gz" | wc -l)" 2000 "rotated and compressed"
assert_eq "$(stat -c %a "$D/app.log")" 640 "created with create's mode"
grep -q "^\"$D/app.log\" 2026-3-4-6:25:0$" "$SCRATCH/state" || fail "state records the rotation: $(cat "$SCRATCH/state")"

# --- configuration errors: each named with file and line; with --strict one
# line, exit 3, nothing touched; without, the broken block is skipped and the
# rest rotated, exit 2 --------------------------------------------------------------
printf 'x\n%.0s' {1..2000} >"$D/app.log"
cp "$SCRATCH/state" "$SCRATCH/state.before"
printf '%s {\n  size 10m\n}\n' "$D/app.log" >"$SCRATCH/bad.conf"
run "$OPSROTATE" --strict -s "$SCRATCH/state" "$SCRATCH/app.conf" "$SCRATCH/bad.conf"
assert_rc 3
assert_err_contains "$SCRATCH/bad.conf:2:"
assert_eq "$(grep -c "error:" "$ERR_FILE")" 1 "one error line (and a hint)"
assert_err_contains "write '10M'"
assert_eq "$(cat "$SCRATCH/state")" "$(cat "$SCRATCH/state.before")" "state untouched after a config error"
assert_no_file "$D/app.log.2.gz"
printf '%s {\n  daily\n  rotat 3\n}\n' "$D/app.log" >"$SCRATCH/bad.conf"
run "$OPSROTATE" --strict -s "$SCRATCH/state" "$SCRATCH/bad.conf"
assert_rc 3
assert_err_contains "$SCRATCH/bad.conf:3:"
assert_err_contains "rotate"
# Without --strict: app.conf's block of app.log rotates, bad.conf's is skipped whole.
run "$OPSROTATE" -s "$SCRATCH/state" "$SCRATCH/app.conf" "$SCRATCH/bad.conf"
assert_rc 2
assert_eq "$(head -n 1 "$ERR_FILE")" "opsrotate: error: $SCRATCH/bad.conf:3: unknown directive 'rotat'" "the error first"
assert_err_contains "opsrotate: error: $SCRATCH/bad.conf:1: skipping the block of '$D/app.log' for its error"
assert_out_contains "$D/app.log: rotated: size 3.9K >= 1.0K"
assert_file_exists "$D/app.log.2.gz"
# -d lists every error too, and changes nothing.
cp "$SCRATCH/state" "$SCRATCH/state.before"
printf '%s {\n  size 10m\n  rotat 3\n}\n%s {\n  bogus\n}\n' "$D/app.log" "$D/quiet.log" >"$SCRATCH/bad.conf"
run "$OPSROTATE" -d -s "$SCRATCH/state" "$SCRATCH/bad.conf"
assert_rc 2
assert_eq "$(grep -c '^opsrotate: error: .*bad.conf:[0-9]*: [^s]' "$ERR_FILE")" 3 "-d: every error listed"
assert_eq "$(grep -c '^opsrotate: error: .*: skipping the block' "$ERR_FILE")" 2 "-d: every block skipped"
assert_eq "$(cat "$SCRATCH/state")" "$(cat "$SCRATCH/state.before")" "-d leaves the state file alone"
run "$OPSROTATE" -s "$SCRATCH/state" "$SCRATCH/missing.conf"
assert_rc 3
assert_err_contains "missing.conf"

# --- -l FILE records the run from its start, a refused configuration too; -s
# given twice takes the last and -v twice is -v, as in logrotate -----------------
printf '%s\n  daily\n}\n' "$D/quiet.log" >"$SCRATCH/no-brace.conf"
run "$OPSROTATE" --strict -s "$SCRATCH/state" -l "$SCRATCH/refused.log" "$SCRATCH/no-brace.conf"
assert_rc 3
# (The error lines as on stderr, where a long path is shortened.)
assert_eq "$(cat "$SCRATCH/refused.log")" "opsrotate: reading config file $SCRATCH/no-brace.conf
$(cat "$ERR_FILE")" "-l FILE: the files read and why the run was refused"
assert_err_contains "opsrotate: error: $SCRATCH/no-brace.conf:1: missing '{' after log files definition"
assert_err_contains "opsrotate: error: $SCRATCH/no-brace.conf:3: unexpected } (missing previous '{')"
printf '%s {\n  daily\n}\n' "$D/quiet.log" >"$SCRATCH/quiet.conf"
run "$OPSROTATE" -v -v -s "$SCRATCH/first.state" -s "$SCRATCH/last.state" "$SCRATCH/quiet.conf"
assert_rc 0
assert_err_contains "opsrotate: reading config file $SCRATCH/quiet.conf"
assert_no_file "$SCRATCH/first.state"
grep -q "^\"$D/quiet.log\" " "$SCRATCH/last.state" || fail "-s twice: the last one is the state file"

# --- the state file lock ------------------------------------------------------------
flock "$SCRATCH/state.lock" sleep 5 &
holder=$!
sleep 0.3
run "$OPSROTATE" -s "$SCRATCH/state" "$SCRATCH/app.conf"
assert_rc 3
assert_err_contains "in use by another run"
run "$OPSROTATE" --wait-for-state-lock -f -s "$SCRATCH/state" "$SCRATCH/app.conf"
assert_rc 0
wait "$holder"

# --- a failing script: reported with its output, the other logs still rotate, exit 2 -
for n in good bad; do echo "line" >"$D/$n.log"; done
cat >"$SCRATCH/scripts.conf" <<CONF
$D/bad.log {
  size 1
  rotate 1
  postrotate
    echo "cannot reload app-bad" >&2
    exit 7
  endscript
}
$D/good.log {
  size 1
  rotate 1
}
CONF
run "$OPSROTATE" -s "$SCRATCH/state" "$SCRATCH/scripts.conf"
assert_rc 2
assert_err_contains "opsrotate: error: $D/bad.log: error running non-shared postrotate script for $D/bad.log ($SCRATCH/scripts.conf:1): exited with status 7: cannot reload app-bad"
assert_file_exists "$D/good.log.1"
assert_file_exists "$D/bad.log.1"

# --- a script's stdout is ours, as logrotate's (stderr when stdout is JSON) --------
echo "line" >"$D/said.log"
cat >"$SCRATCH/said.conf" <<CONF
$D/said.log {
  rotate 1
  postrotate
    echo "reloaded for \$2"
  endscript
}
CONF
run "$OPSROTATE" -f -s "$SCRATCH/said.state" "$SCRATCH/said.conf"
assert_rc 0
assert_out_contains "reloaded for $D/said.log.1"
assert_err_not_contains "reloaded"
echo "line" >"$D/said.log"
run "$OPSROTATE" -f --format json -s "$SCRATCH/said.state" "$SCRATCH/said.conf"
assert_rc 0
assert_err_contains "reloaded for $D/said.log.1"
assert_out_not_contains "reloaded"
jq -e . "$OUT_FILE" >/dev/null || fail "--format json with a talking script is not one JSON document"
# Started with stdin and stdout closed, the script's output and our results
# go nowhere, never into a file opened meanwhile.
echo "line" >"$D/said.log"
"$OPSROTATE" -f -s "$SCRATCH/said.state" "$SCRATCH/said.conf" <&- >&- 2>"$SCRATCH/closed.err" || fail "opsrotate with stdin and stdout closed failed: $(cat "$SCRATCH/closed.err")"
assert_eq "$(cat "$D/said.log.1")" "line" "the rotation with stdout closed"
assert_eq "$(grep -c . "$SCRATCH/said.state")" "2" "the state file with stdout closed"

# --- a bad state line, a compressor's stderr: errors on stderr, the run goes on -------
mkdir -p "$SCRATCH/bin"
printf '#!/bin/sh\necho "gzip: warning: disk is slow" >&2\nexec gzip "$@"\n' >"$SCRATCH/bin/noisy-gzip"
chmod +x "$SCRATCH/bin/noisy-gzip"
printf 'line\n' >"$D/noisy.log"
cat >"$SCRATCH/noisy.conf" <<CONF
$D/noisy.log {
  compress
  compresscmd $SCRATCH/bin/noisy-gzip
  compressoptions -c
  rotate 1
}
CONF
printf 'logrotate state -- version 2\n"%s\n' "$D/cut.lo" >"$SCRATCH/noisy.state"
run "$OPSROTATE" -f -s "$SCRATCH/noisy.state" "$SCRATCH/noisy.conf"
assert_rc 2
assert_err_contains "opsrotate: error: bad line 2 in state file $SCRATCH/noisy.state: "
assert_err_contains "opsrotate: error: Compressing $D/noisy.log.1 with $SCRATCH/bin/noisy-gzip: gzip: warning: disk is slow"
assert_eq "$(gzip -dc "$D/noisy.log.1.gz")" "line" "rotated and compressed all the same"

# --- logs refused for safety -------------------------------------------------------
mkdir -p "$SCRATCH/open" "$SCRATCH/safe"
chmod 1777 "$SCRATCH/open"
echo line >"$SCRATCH/open/app.log"
echo line >"$SCRATCH/safe/real.log"
ln -s "$SCRATCH/safe/real.log" "$SCRATCH/safe/link.log"
echo line >"$SCRATCH/safe/hard.log"
ln "$SCRATCH/safe/hard.log" "$SCRATCH/safe/hard2"
cat >"$SCRATCH/unsafe.conf" <<CONF
size 1
$SCRATCH/open/app.log {
}
$SCRATCH/safe/link.log {
}
$SCRATCH/safe/hard.log {
}
CONF
run "$OPSROTATE" -v -s "$SCRATCH/state" "$SCRATCH/unsafe.conf"
assert_rc 2
assert_err_contains "$SCRATCH/open/app.log: skipping $SCRATCH/open/app.log because its parent directory has insecure permissions"
# A symlink and a hard-linked log are skipped as logrotate skips them: no
# error, said with -v (logrotate's test-0023, -0024, -0090).
assert_err_not_contains "link.log"
assert_err_not_contains "hard.log"
assert_out_contains "$SCRATCH/safe/link.log: skip: it is a symbolic link"
assert_out_contains "$SCRATCH/safe/hard.log: skip: it has 2 hard links (set allowhardlink to rotate it anyway)"
assert_no_file "$SCRATCH/open/app.log.1"
assert_no_file "$SCRATCH/safe/link.log.1"
assert_no_file "$SCRATCH/safe/real.log.1"
assert_no_file "$SCRATCH/safe/hard.log.1"
assert_eq "$(cat "$SCRATCH/safe/real.log")" "line" "the symlink's target untouched"
sed "/open/,/^}/d" "$SCRATCH/unsafe.conf" >"$SCRATCH/links.conf"
run "$OPSROTATE" -s "$SCRATCH/state" "$SCRATCH/links.conf"
assert_rc 0
assert_out_eq ""
assert_no_file "$SCRATCH/safe/link.log.1"
assert_no_file "$SCRATCH/safe/hard.log.1"
printf 'allowhardlink\nrotate 1\n' | cat - "$SCRATCH/links.conf" >"$SCRATCH/allow.conf"
run "$OPSROTATE" -s "$SCRATCH/state" "$SCRATCH/allow.conf"
assert_rc 0
assert_file_exists "$SCRATCH/safe/hard.log.1"
assert_no_file "$SCRATCH/safe/link.log.1"

# --- the state file keeps its mode and ACL ----------------------------------------
# As logrotate's does (its test-0048): a monitoring user given read access with
# setfacl keeps it; read access for others is dropped (a reader could flock it).
echo line >"$SCRATCH/acl.log"
printf '%s {\n  rotate 1\n  size 1\n}\n' "$SCRATCH/acl.log" >"$SCRATCH/acl.conf"
printf 'logrotate state -- version 2\n' >"$SCRATCH/acl.state"
chmod 0600 "$SCRATCH/acl.state"
setfacl -m u:nobody:r "$SCRATCH/acl.state"
run "$OPSROTATE" -s "$SCRATCH/acl.state" "$SCRATCH/acl.conf"
assert_rc 0
assert_file_exists "$SCRATCH/acl.log.1"
assert_eq "$(getfacl -cp "$SCRATCH/acl.state" | paste -sd, -)" "user::rw-,user:nobody:r--,group::---,mask::r--,other::---," \
  "the new state file has the old one's ACL"
printf 'line\n' >"$SCRATCH/acl.log"
chmod 0604 "$SCRATCH/acl.state"
setfacl -b "$SCRATCH/acl.state"
run "$OPSROTATE" -s "$SCRATCH/acl.state" "$SCRATCH/acl.conf"
assert_rc 0
assert_eq "$(stat -c %a "$SCRATCH/acl.state")" "600" "read access for others dropped"
finish
