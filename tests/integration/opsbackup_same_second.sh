#!/usr/bin/env bash
# Two backups of one NAME in the same second (the same OPS_NOW, so the same
# stamp in their names), with the database changed in between: the second
# must not replace the first. It fails (exit 2) and leaves the first backup
# as it was, byte for byte, and nothing else behind. (Issue "A backup is never
# silently replaced…", item 3: before, the second silently overwrote the first.)
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/bootstrap installs it)"
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf OPS_NOW=2026-11-25T02:15:00Z

SQ=$SCRATCH/lite.sqlite
B=$SCRATCH/backups
sqlite3 "$SQ" "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'first');"
run opsbackup db --dir "$B" --name lite "sqlite://$SQ"
assert_rc 0
before=$(cd "$B/lite" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
assert_eq "$(ls "$B/lite" | grep -c '\.manifest\.json$')" 1 "one backup made"

sqlite3 "$SQ" "INSERT INTO t VALUES (2, 'second');"
run opsbackup db --dir "$B" --name lite "sqlite://$SQ"
assert_rc 2
assert_err_contains "lite-20261125T021500Z"
assert_eq "$(printf '%s\n' "$ERR" | grep -c .)" 1 "one line on stderr"
after=$(cd "$B/lite" && find . -type f ! -name '.last-run.json' -print0 | sort -z | xargs -0 sha256sum)
assert_eq "$after" "$(printf '%s\n' "$before" | grep -v '\.last-run\.json$')" "the first backup is as it was, and nothing else is there"

run opsbackup verify --dir "$B" lite
assert_rc 0
finish
