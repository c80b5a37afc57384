#!/usr/bin/env bash
# A backup NAME that is not in the store (issue 14, item 8) is a mistyped
# name: list, verify, restore and prune exit 3 with one line naming it and
# the directory where it was looked for, and change nothing. A known NAME with
# no backups is not a usage error: list shows nothing, verify fails (exit 2:
# every backup run of it failed), restore has nothing to restore (exit 3).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/bootstrap installs it)"

cd "$SCRATCH"
: >empty.conf
export OPS_CONFIG=$SCRATCH/empty.conf
sqlite3 lite.db "CREATE TABLE t (x); INSERT INTO t VALUES (1);"
run opsbackup db --dir bk --name lite "sqlite://$SCRATCH/lite.db"
assert_rc 0
mkdir bk/empty
chmod 700 bk/empty
BEFORE=$(tree_state --mtime "$SCRATCH")

unknown() {  # unknown SUBCOMMAND [ARGS...]: refused, naming nope and $SCRATCH/bk/nope
  run opsbackup "$@"
  assert_rc 3
  assert_eq "$(wc -l <"$ERR_FILE")" 1 "one line on stderr: $*"
  assert_eq "$(cat "$ERR_FILE")" "opsbackup: error: no backups of nope: $SCRATCH/bk/nope does not exist" "the message: $*"
  assert_out_eq ""
  assert_tree_unchanged "$BEFORE" "$SCRATCH" "nothing changed: $*"
}

unknown list --dir bk nope
unknown list --dir bk lite nope
unknown verify --dir bk nope
unknown verify --dir bk --all lite nope
unknown restore --dir bk nope --to "sqlite://$SCRATCH/restored.db"
unknown restore --dir bk nope --to-dir "$SCRATCH/restored"
unknown restore -n --dir bk nope --to "sqlite://$SCRATCH/restored.db"
unknown prune --dir bk --keep-last 1 nope
assert_no_file restored.db
assert_no_file restored

# A known NAME without backups.
run opsbackup list --dir bk empty
assert_rc 0
assert_out_eq "NAME  TIME  AGE  SIZE  COMPRESSION  VERIFIED  STATUS  FILE"
run opsbackup verify --dir bk empty
assert_rc 2
assert_err_contains "no complete backup of empty in $SCRATCH/bk/empty"
run opsbackup restore --dir bk empty --to "sqlite://$SCRATCH/restored.db"
assert_rc 3
assert_err_contains "no complete backup of empty in $SCRATCH/bk/empty"
assert_no_file restored.db

# A missing DIR stays exit 3 naming it; a known NAME still works.
run opsbackup list --dir /nonexistent
assert_rc 3
assert_err_contains "backup directory /nonexistent does not exist"
run opsbackup verify --dir bk lite
assert_rc 0
assert_out_contains "ok"
