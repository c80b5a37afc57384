#!/usr/bin/env bash
# Issue 14, item 11 in opsrotate: no file opsrotate opens by name hangs on a
# FIFO. A log that is a FIFO or a device (named, or matched by a glob) is
# skipped with a warning naming it (exit 1) and left in place; a FIFO where a
# rotated log was expected is refused when it would be mailed, and left alone
# when a run tidies up after a killed one. Every run is under timeout 10: a
# hang shows as exit 124.
#
# Deliberate difference from logrotate (3.21, Debian 12): logrotate renames a
# FIFO or device node like a log (app.log -> app.log.1) and then hangs on
# compressing it (3.22 fails instead: its test-0112); opsrotate skips it with
# a warning and moves nothing. See man opsrotate(1).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

export TZ=UTC
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
export OPS_NOW=2026-03-04T06:25:00Z
D=$SCRATCH/logs
mkdir -p "$D"
listing() { (cd "$D" && find . -printf '%p %y %s\n' | sort); }

# --- a log that is a FIFO or a device: skipped with a warning, never opened ----------
mkfifo "$D/pipe.log"
printf 'line\n' >"$D/app.log"
cat >"$SCRATCH/fifo.conf" <<CONF
$D/pipe.log {
  daily
  rotate 2
  compress
  copytruncate
}
$D/app.log $D/null.log {
  daily
  rotate 2
  compress
  create 0640
  missingok
}
CONF
ln -s /dev/null "$D/null-link"
# A device node where a log is expected (mknod needs root; a container may refuse it).
if mknod "$D/null.log" c 1 3 2>/dev/null; then device=yes; else device=no; fi
before=$(listing)
run timeout 10 "$OPSROTATE" -f -s "$SCRATCH/state" "$SCRATCH/fifo.conf"
assert_rc 1
assert_err_contains "opsrotate: warning: $SCRATCH/fifo.conf:1: skipping $D/pipe.log because it is a FIFO, not a regular file"
if [[ $device == yes ]]; then
  assert_err_contains "opsrotate: warning: $SCRATCH/fifo.conf:7: skipping $D/null.log because it is a character device, not a regular file"
  assert_eq "$(grep -c 'warning:' "$ERR_FILE")" 2 "one warning a skipped file"
else
  assert_eq "$(grep -c 'warning:' "$ERR_FILE")" 1 "one warning a skipped file"
fi
assert_err_not_contains "error:"
[[ -p $D/pipe.log ]] || fail "the FIFO was moved"
assert_no_file "$D/pipe.log.1"
assert_no_file "$D/pipe.log.1.gz"
assert_file_exists "$D/app.log.1.gz"   # the regular log of the same run rotated
if [[ $device == yes ]]; then
  [[ -c $D/null.log ]] || fail "the device was moved"
  assert_no_file "$D/null.log.1"
fi
# The dry run says the same and changes nothing.
rm -f "$D"/app.log.1.gz
before=$(listing)
run timeout 10 "$OPSROTATE" -d -f -s "$SCRATCH/state" "$SCRATCH/fifo.conf"
assert_rc 1
assert_err_contains "skipping $D/pipe.log because it is a FIFO"
assert_eq "$(listing)" "$before" "the dry run changed nothing"

# A glob that matches a FIFO.
cat >"$SCRATCH/glob.conf" <<CONF
$D/*.log {
  daily
  rotate 2
  nocompress
  missingok
}
CONF
run timeout 10 "$OPSROTATE" -f -s "$SCRATCH/state" "$SCRATCH/glob.conf"
assert_rc 1
assert_err_contains "skipping $D/pipe.log because it is a FIFO, not a regular file"
[[ -p $D/pipe.log ]] || fail "the FIFO matched by a glob was moved"
assert_file_exists "$D/app.log.1"
rm -f "$D"/* "$SCRATCH/state"

# The twin run that shows the difference: logrotate (nocompress, so that it
# does not hang) moves the FIFO to pipe.log.1; opsrotate leaves it in place.
command -v logrotate >/dev/null || fail "logrotate is missing (scripts/bootstrap installs it)"
mkdir "$SCRATCH/twin"
mkfifo "$SCRATCH/twin/pipe.log" "$D/pipe.log"
for dir in "$SCRATCH/twin" "$D"; do
  printf '%s/pipe.log {\n  daily\n  rotate 2\n  nocompress\n}\n' "$dir" >"$dir.conf"
done
run timeout 10 logrotate -f -s "$SCRATCH/twin.state" "$SCRATCH/twin.conf"
assert_rc 0
[[ -p $SCRATCH/twin/pipe.log.1 ]] || fail "logrotate no longer renames a FIFO: update this test and man opsrotate(1)"
run timeout 10 "$OPSROTATE" -f -s "$SCRATCH/state" "$D.conf"
assert_rc 1
[[ -p $D/pipe.log ]] || fail "opsrotate moved the FIFO"
assert_no_file "$D/pipe.log.1"
rm -f "$D"/* "$SCRATCH/state"

# --- a FIFO where a rotated log was expected --------------------------------------------
# mail: app.log.1 (a FIFO) shifts to app.log.2, falls out of `rotate 1` and is
# mailed: refused at once, not read.
printf '#!/bin/sh\ncat >/dev/null\n' >"$SCRATCH/mailer"
chmod 755 "$SCRATCH/mailer"
printf 'line\n' >"$D/app.log"
mkfifo "$D/app.log.1"
cat >"$SCRATCH/mail.conf" <<CONF
$D/app.log {
  daily
  rotate 1
  mail ops@example.org
}
CONF
run timeout 10 "$OPSROTATE" -f -m "$SCRATCH/mailer" -s "$SCRATCH/state" "$SCRATCH/mail.conf"
assert_rc 2
assert_err_contains "$D/app.log.2 is not a regular file"
[[ -p $D/app.log.2 ]] || fail "the FIFO was removed though it could not be mailed"
rm -f "$D"/* "$SCRATCH/state"

# recovery: a plain app.log.2 beside app.log.2.gz is removed by the next run
# only when the .gz holds exactly its bytes; a FIFO by that name is not read.
printf 'line\n' >"$D/app.log"
mkfifo "$D/app.log.2"
printf 'old\n' | gzip >"$D/app.log.2.gz"
cat >"$SCRATCH/recover.conf" <<CONF
$D/app.log {
  daily
  rotate 5
  compress
}
CONF
run timeout 10 "$OPSROTATE" -f -s "$SCRATCH/state" "$SCRATCH/recover.conf"
[[ $RC != 124 ]] || fail "the run hung on the FIFO"
[[ -p $D/app.log.2 || -p $D/app.log.3 ]] || fail "the FIFO was removed"
assert_file_exists "$D/app.log.1.gz"
