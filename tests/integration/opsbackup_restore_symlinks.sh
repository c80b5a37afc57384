#!/usr/bin/env bash
# opsbackup restore --to-dir on a deploy tree with symlinks (issue 14, item 2):
# an absolute symlink (current -> /var/www/app/releases/r1), relative ones
# inside and leading out (../x), dangling ones, restored exactly as they were
# (targets, mtimes), into a new or an empty directory, and by --force merged
# into a non-empty one. Nothing is written through a link: crafted archives
# (tests/integration/backup/craft_files_backup.py: manifests that agree) with an entry through a symlink of
# the archive (to outside or inside), a file after a symlink of the same
# name, hard links out of the tree or through a link, "..", absolute names
# are refused with exit 2, naming the entry; -n refuses the same. A restore
# that fails (a refused entry, a truncated archive, a full disk) leaves the
# target as it was (absent, empty, or its tree's checksum unchanged) and no
# temporary directory behind.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf TZ=UTC
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_BACKUP_' || true)
command -v python3 >/dev/null || fail "python3 is missing"
CRAFT=$OPS_SOURCE_DIR/tests/integration/backup/craft_files_backup.py
B=$SCRATCH/backups

# Every entry below DIR: name, type, link target, mode, size, mtime (symlinks' own).
listing() { (cd "$1" && find . -mindepth 1 -printf '%P %y %l %m %s %T@\n' | LC_ALL=C sort); }
# A tree "as it was": tree_state --mtime --below DIR, then assert_tree_unchanged (lib.sh):
# every entry below DIR, hidden ones included, its type, link target, mode, size, mtime
# (a symlink's own) and content.
# The names in DIR, hidden ones included (a temporary left behind shows here).
names() { (cd "$1" && LC_ALL=C ls -A); }

# --- a deploy tree -------------------------------------------------------------------
S=$SCRATCH/src/app
mkdir -p "$S/releases/r1/public" "$S/releases/r2" "$S/shared/uploads"
printf 'release one\n' >"$S/releases/r1/public/index.php"
printf 'release two\n' >"$S/releases/r2/index.php"
printf 'upload\n' >"$S/shared/uploads/a.jpg"
chmod 0750 "$S/releases/r2"
chmod 0640 "$S/shared/uploads/a.jpg"
ln -s /var/www/app/releases/r1 "$S/current"           # absolute: the usual deploy layout
ln -s releases/r2 "$S/next"                           # relative, inside
ln -s ../../shared/uploads "$S/releases/r1/uploads"   # relative, inside, up and down
ln -s ../outside-the-tree "$S/x"                      # relative, leading out
ln -s ../../../../../../etc/ops/app.conf "$S/releases/r2/config"  # far out
ln -s does-not-exist "$S/dangling"
touch -h -d '2020-05-06 07:08:09.5' "$S/current" "$S/x"
touch -d '2019-01-02 03:04:05' "$S/releases/r2" "$S/releases/r1/public/index.php"

run opsbackup files deploy --dir "$B" --source "$S"
assert_rc 0
run opsbackup verify --dir "$B" deploy
assert_rc 0

# --- restored exactly, into a new directory --------------------------------------------
mkdir "$SCRATCH/into"
R=$SCRATCH/into/new
run opsbackup restore -n --dir "$B" deploy --to-dir "$R"
assert_rc 0
assert_out_contains "would restore"
assert_eq "$(names "$SCRATCH/into")" "" "-n writes nothing"
run opsbackup restore --dir "$B" deploy --to-dir "$R"
assert_rc 0
assert_eq "$ERR" "" "nothing on stderr"
assert_out_matches "^restored deploy-.*\.tar\.gz into $R \([0-9]+ entries\)$"
assert_eq "$(listing "$R/app")" "$(listing "$S")" "every entry, link targets, modes and mtimes as they were"
run diff -r --no-dereference "$S" "$R/app"
assert_rc 0
assert_eq "$(readlink "$R/app/current")" /var/www/app/releases/r1 "the absolute symlink, unchanged"
assert_eq "$(readlink "$R/app/x")" ../outside-the-tree "the symlink leading out, unchanged"
assert_eq "$(readlink "$R/app/releases/r2/config")" ../../../../../../etc/ops/app.conf
assert_eq "$(stat -c %y "$R/app/current")" "$(stat -c %y "$S/current")" "a symlink's own mtime"
assert_eq "$(names "$SCRATCH/into")" "new" "no temporary left beside it"
assert_eq "$(stat -c %a "$R")" 700 "a new restore directory is 0700, as before"

# --- into an existing empty directory: it keeps its own mode ---------------------------
E=$SCRATCH/empty-target
mkdir -m 0751 "$E"
run opsbackup restore --dir "$B" deploy --to-dir "$E/"
assert_rc 0
assert_eq "$(listing "$E/app")" "$(listing "$S")" "the same tree in an existing directory"
assert_eq "$(names "$E")" "app" "no temporary left inside it"
assert_eq "$(stat -c %a "$E")" 751 "the existing directory keeps its mode"

# --- --force into a non-empty directory: merged, nothing followed ------------------------
F=$SCRATCH/live
mkdir -p "$F/app/releases" "$F/elsewhere"
printf 'mine\n' >"$F/app/releases/keep.txt"
printf 'old\n' >"$F/app/next"                             # a file the backup's symlink replaces
ln -s ../elsewhere "$F/app/shared-link"                   # not in the backup: stays
printf 'untouched\n' >"$F/elsewhere/index.php"
run opsbackup restore --dir "$B" deploy --to-dir "$F" --force
assert_rc 0
assert_eq "$(cat "$F/app/releases/keep.txt")" mine "what DIR held and the backup has not stays"
assert_eq "$(readlink "$F/app/next")" releases/r2 "a file replaced by the backup's symlink"
assert_eq "$(readlink "$F/app/shared-link")" ../elsewhere
assert_eq "$(cat "$F/elsewhere/index.php")" untouched
assert_eq "$(cat "$F/app/releases/r1/public/index.php")" "release one"
assert_eq "$(names "$F")" $'app\nelsewhere' "no temporary left"
# A symlink of DIR where the backup has a directory: refused before anything moves.
mkdir -p "$SCRATCH/live2/elsewhere"
ln -s elsewhere "$SCRATCH/live2/app"
printf 'x\n' >"$SCRATCH/live2/top.txt"
before=$(tree_state --mtime --below "$SCRATCH/live2")
run opsbackup restore --dir "$B" deploy --to-dir "$SCRATCH/live2" --force
assert_rc 2
assert_err_contains "cannot restore $SCRATCH/live2/app: the backup has a directory there, $SCRATCH/live2 has a symlink; nothing restored"
assert_tree_unchanged "$before" "$SCRATCH/live2" "the target as it was"
assert_eq "$(names "$SCRATCH/live2/elsewhere")" "" "nothing written through the symlink"

# --- crafted archives: refused, nothing written, the target as it was --------------------
craft() { python3 "$CRAFT" "$B" "$@"; }
J=$SCRATCH/jail
mkdir -p "$J/outside"
printf 'precious\n' >"$J/outside/target"
jail_before=$(tree_state --mtime --below "$J")
# refused NAME ENTRY WHY: restoring NAME into a new, an empty and (--force) a
# non-empty directory stops at ENTRY, exit 2, and leaves each as it was; -n says the same.
refused() {
  local name=$1 entry=$2 why=$3
  run opsbackup restore -n --dir "$B" "$name" --to-dir "$J/new-$name"
  assert_rc 2
  assert_err_contains "refusing entry \"$entry\": $why; nothing restored"
  run opsbackup restore --dir "$B" "$name" --to-dir "$J/new-$name"
  assert_rc 2
  assert_err_contains "refusing entry \"$entry\": $why; nothing restored"
  assert_eq "$(grep -c . "$ERR_FILE")" 1 "$name: one line"
  assert_tree_unchanged "$jail_before" "$J" "$name: nothing made beside the new target, nothing outside"
  mkdir "$J/empty"
  run opsbackup restore --dir "$B" "$name" --to-dir "$J/empty"
  assert_rc 2
  assert_eq "$(names "$J/empty")" "" "$name: the empty target stays empty"
  rmdir "$J/empty"
  mkdir -p "$J/full/d"
  printf 'data\n' >"$J/full/d/f"
  ln -s ../outside "$J/full/l"
  local before
  before=$(tree_state --mtime --below "$J/full")
  run opsbackup restore --dir "$B" "$name" --to-dir "$J/full" --force
  assert_rc 2
  assert_tree_unchanged "$before" "$J/full" "$name: the non-empty target as it was"
  rm -rf "$J/full"
  assert_tree_unchanged "$jail_before" "$J" "$name: nothing outside"
}
craft through-out <<'S'
dir a
file a/ok.txt
symlink a/link ../../outside
file a/link/target
S
refused through-out a/link/target "the way to it passes through the symlink a/link"
craft through-in <<'S'
dir real
symlink l real
file l/x
S
refused through-in l/x "the way to it passes through the symlink l"
craft through-abs <<'S'
symlink etc /etc
dir etc/cron.d
S
refused through-abs etc/cron.d/ "the way to it passes through the symlink etc"
craft same-name <<'S'
file first.txt
symlink x ../outside/target
file x overwritten
S
refused same-name x "an earlier entry has this name: one is never replaced by another"
craft dir-over-link <<'S'
symlink d ../outside
dir d
S
refused dir-over-link d/ "an earlier entry has this name: one is never replaced by another"
craft hard-out <<'S'
file ok.txt
hardlink h ../outside/target
S
refused hard-out h 'a hard link to a name with ".."'
craft hard-abs <<EOF2
hardlink h $J/outside/target
EOF2
refused hard-abs h "a hard link to an absolute name"
craft hard-through <<'S'
symlink l ../outside
hardlink h l/target
S
refused hard-through h "a hard link to l/target, and the way to it passes through the symlink l"
craft hard-missing <<'S'
hardlink h not-here
S
refused hard-missing h "a hard link to not-here, which no earlier entry restored"
craft dotdot <<'S'
file ok.txt
file ../evil
S
refused dotdot ../evil 'a name with ".."'
craft absolute <<EOF2
file ok.txt
file $J/outside/abs-evil
EOF2
refused absolute "$J/outside/abs-evil" "an absolute name"
assert_eq "$(cat "$J/outside/target")" precious "never written through a link"

# A refused restore sets nothing outside its own tree: libarchive sets the modes and times
# of directories last, by relative names; freed after leaving the build directory, it
# used to set them on the same names in the caller's working directory.
craft cwd-dirs <<'S'
dir a
dir a/b
file a/b/f
file ../evil
S
mkdir -p "$SCRATCH/cwd/a/b"
chmod 0711 "$SCRATCH/cwd/a" "$SCRATCH/cwd/a/b"
touch -d '2011-11-11 11:11:11' "$SCRATCH/cwd/a" "$SCRATCH/cwd/a/b"
cwd_before=$(tree_state --mtime --below "$SCRATCH/cwd")
cd "$SCRATCH/cwd"
run opsbackup restore --dir "$B" cwd-dirs --to-dir "$J/new-cwd-dirs"
cd "$SCRATCH"
assert_rc 2
assert_err_contains 'refusing entry "../evil"'
assert_tree_unchanged "$cwd_before" "$SCRATCH/cwd" "the caller's working directory as it was"
assert_tree_unchanged "$jail_before" "$J" "cwd-dirs: nothing restored"

# --- a truncated archive (its manifest agrees): nothing restored ---------------------------
printf 'file big.txt %s\nfile small.txt\n' "$(head -c 30000 /dev/zero | tr '\0' y)" |
  craft cut --cut 15000
run opsbackup restore -n --dir "$B" cut --to-dir "$J/new-cut"
assert_rc 2
assert_err_matches "big.txt: Truncated (tar archive|input file)"
run opsbackup restore --dir "$B" cut --to-dir "$J/made/for/it/new-cut"
assert_rc 2
assert_err_matches "big.txt: Truncated (tar archive|input file)"
assert_err_contains "nothing restored"
assert_tree_unchanged "$jail_before" "$J" "a truncated archive: nothing restored, no temporary, no parents made"

# --- a full disk (file size limit) during the restore: nothing restored --------------------
head -c 2000000 /dev/urandom >"$S/shared/uploads/big.bin"
run opsbackup files big --dir "$B" --source "$S"
assert_rc 0
run bash -c 'ulimit -f 512; exec "$@"' _ opsbackup restore --dir "$B" big --to-dir "$J/new-big"
assert_rc 2
assert_err_contains "cannot restore app/shared/uploads/big.bin: "
assert_tree_unchanged "$jail_before" "$J" "a full disk: nothing restored, no temporary"

finish
