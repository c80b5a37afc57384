#!/usr/bin/env bash
# A backup directory inside a files backup's source tree (issue 14, item 7):
# the archive would hold itself and its own temporary, each run about
# doubling. opsbackup files (and run, and -n) refuse it with exit 3 and one
# line naming both, before anything is written; the comparison is of real
# paths, so a --dir reached through a symlink into the source is caught too.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
: >empty.conf
export OPS_CONFIG=$SCRATCH/empty.conf
mkdir -p site/uploads/2026 elsewhere
echo scan >site/uploads/2026/a.pdf
ln -s site/uploads into-source
# Mtimes too: a directory's own size, which tree_state leaves out, changes only with them.
BEFORE=$(tree_state --mtime "$SCRATCH")

refused() {  # refused DIR SOURCE SHOWN [OPTIONS...]: files --dir DIR --source SOURCE is refused, naming SHOWN
  local dir=$1 source=$2 shown=$3
  shift 3
  run opsbackup "$@" files up --source "$source" --dir "$dir"
  assert_rc 3
  assert_eq "$(wc -l <"$ERR_FILE")" 1 "one line on stderr for --dir $dir"
  assert_err_matches "^opsbackup: error: backup directory .* source .*: the backup would archive itself$"
  assert_err_contains "$dir"
  assert_err_contains "source $SCRATCH/$shown:"
  assert_out_eq ""
  assert_tree_unchanged "$BEFORE" "$SCRATCH" "nothing written for --dir $dir"
}
refused site/uploads site/uploads site/uploads            # the source itself
refused "$SCRATCH/site/uploads/" site/uploads site/uploads # the same, absolute, with a slash
refused site/uploads/bk site/uploads site/uploads         # inside it, not yet there
refused site/uploads/2026 site/uploads site/uploads       # inside it, an existing directory
refused site site/uploads/../../site site                 # the source given with ..
refused into-source/bk site/uploads site/uploads          # through a symlink into the source
refused site/uploads/bk into-source into-source           # a source that is a symlink
refused site/uploads/bk site/uploads site/uploads -n      # a dry run says the same
assert_err_contains "inside the source"

# run refuses the job before anything runs, naming the section.
cat >rel.conf <<CONF
[backup]
dir = $SCRATCH/into-source/backups

[backup.up]
source = $SCRATCH/site/uploads
CONF
BEFORE=$(tree_state --mtime "$SCRATCH")
run opsbackup -c rel.conf run
assert_rc 3
assert_err_contains "rel.conf:4: [backup.up]: backup directory $SCRATCH/into-source/backups is inside the source $SCRATCH/site/uploads"
assert_tree_unchanged "$BEFORE" "$SCRATCH" "run wrote nothing"

# Beside the source, and a source inside the backup directory, are fine.
run opsbackup files up --source site/uploads --dir elsewhere
assert_rc 0
run opsbackup files inner --source elsewhere/up --dir elsewhere
assert_rc 0
