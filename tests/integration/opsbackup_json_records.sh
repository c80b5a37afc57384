#!/usr/bin/env bash
# The store's JSON files and their messages: a last-run record that is not
# valid JSON or not a record is ignored with one warning line naming the file
# and the JSON error, never nlohmann's raw "[json.exception…]" text; bytes that
# are not UTF-8 (a source path, a DSN in a failure message) no longer make the
# manifest or the last-run record unwritable (it failed with "internal error:
# [json.exception.type_error.316] invalid UTF-8 byte"): they are written as
# U+FFFD.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/bootstrap installs it)"

cd "$SCRATCH"
: >empty.conf
export OPS_CONFIG=$SCRATCH/empty.conf
B=$SCRATCH/bk
sqlite3 lite.db "CREATE TABLE t (x); INSERT INTO t VALUES (1);"
for d in 01 02; do
  run env OPS_NOW=2026-05-${d}T01:00:00Z opsbackup db --dir "$B" --name lite "sqlite://$SCRATCH/lite.db"
  assert_rc 0
done

bad_record() {  # bad_record TEXT MESSAGE: a .last-run.json holding TEXT is ignored with one line saying MESSAGE
  printf '%s' "$1" >"$B/lite/.last-run.json"
  run opsbackup -n prune --dir "$B" --keep-last 1 lite
  assert_rc 1
  assert_eq "$(wc -l <"$ERR_FILE")" 1 "one line on stderr for $1"
  assert_err_contains "opsbackup: warning: ignoring $B/lite/.last-run.json: $2"
  assert_err_not_contains "json.exception"
  assert_out_matches "^lite-20260501T010000Z .* remove$"
}
bad_record '{"started": "2026-05-02T01:00:00Z", "ok": tru' "not valid JSON: parse error at line 1, column"
bad_record '' "not valid JSON: parse error at line 1, column 1"
bad_record '{"started": 1, "ok": true}' "not a last-run record: type must be string, but is number"
bad_record '{"started": "2026-05-02T01:00:00Z"}' "not a last-run record: key 'ok' not found"
bad_record '[1, 2]' "not a last-run record:"

# A failure message holding a byte that is not UTF-8 is recorded (escaped as
# every message is, ops::shown: the record holds what stderr showed).
run opsbackup db --dir "$B" --name lite "sqlite://$SCRATCH/gone"$'\xff'".db"
assert_rc 2
assert_err_contains "cannot connect to sqlite://$SCRATCH/gone"
assert_err_not_contains "json.exception"
python3 - "$B/lite/.last-run.json" <<'PY' || fail "the failed run is not recorded as failed"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] is False and "gone\\xff.db" in r["error"], r
PY

# A source whose name is not UTF-8 is backed up; its manifest is written.
mkdir -p "tree"$'\xfe'"/sub"
echo one >"tree"$'\xfe'"/sub/a"
run opsbackup files --dir "$B" --source "tree"$'\xfe' tree
assert_rc 0
assert_err_not_contains "json.exception"
run opsbackup verify --dir "$B" tree
assert_rc 0
run opsbackup restore --dir "$B" tree --to-dir "$SCRATCH/back"
assert_rc 0
assert_eq "$(cat "$SCRATCH/back/tree"$'\xfe'"/sub/a")" one "the tree is restored under its own name"
