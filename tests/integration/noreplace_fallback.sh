#!/usr/bin/env bash
# Publishing without replacing where the filesystem has no RENAME_NOREPLACE
# (NFS, several FUSE filesystems, older kernels: renameat2 fails with EINVAL).
# An LD_PRELOAD shim (shims/noreplace_einval.c, compiled here with cc) makes
# the glibc renameat2 wrapper fail so for every RENAME_NOREPLACE call and
# counts the calls into a file, so the test proves it was hit (a raw
# syscall(SYS_renameat2) would bypass it). Under it, ops::rename_noreplace
# falls back to link + unlink, and:
#   - opsrotate rotates with compress and create (exit 0), every earlier
#     rotation kept under its shifted name, and a compressed target that
#     appeared meanwhile (made by prerotate) is kept byte for byte (exit 2);
#   - opsarchive files compresses, collects into a tar, and leaves an
#     existing NAME.gz with other content byte for byte (a warning);
#   - opsbackup files backs up (exit 0, verify ok), and a second backup of the
#     same second fails instead of replacing the first (kept byte for byte);
#   - opsbackup restore --to-dir moves the restored tree (a directory) into a
#     new directory and into an existing empty one.
#
# ASan: the tools are built with AddressSanitizer, whose runtime insists on
# coming first in the library list; a non-ASan shim in LD_PRELOAD before it
# aborts the tool ("ASan runtime does not come first in initial library
# list"). verify_asan_link_order=0 turns that check off: the shim only
# defines renameat2, which ASan does not intercept, so nothing is lost.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

export TZ=UTC
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_BACKUP_' || true)
command -v cc >/dev/null || fail "cc is missing (build-essential)"

SHIM=$SCRATCH/noreplace_einval.so
cc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$SHIM" "$OPS_SOURCE_DIR/tests/integration/shims/noreplace_einval.c" -ldl ||
  fail "cannot build the shim"
HITS=$SCRATCH/shim.log
# shimmed CMD...: CMD with the shim in front of glibc's renameat2.
shimmed() {
  env LD_PRELOAD="$SHIM" NOREPLACE_SHIM_LOG="$HITS" \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@"
}
hits() { grep -c '^noreplace$' "$HITS" 2>/dev/null || true; }
gz() { printf '%s\n' "$1" | gzip -n; }

# --- the shim works: a RENAME_NOREPLACE rename fails with EINVAL, and is counted --
mkdir "$SCRATCH/probe"
: >"$SCRATCH/probe/a"
(cd "$SCRATCH/probe" && shimmed python3 -c '
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
sys.exit(0 if libc.renameat2(-100, b"a", -100, b"b", 1) == -1 and ctypes.get_errno() == 22 else 1)') ||
  fail "renameat2(RENAME_NOREPLACE) under the shim did not fail with EINVAL"
assert_eq "$(hits)" 1 "the shim counted the probe's call"
assert_file_exists "$SCRATCH/probe/a"
rm -f "$HITS"

# --- opsrotate: a full rotation with compress and create ------------------------
L=$SCRATCH/logs
mkdir "$L"
printf 'new\n' >"$L/app.log"
gz one >"$L/app.log.1.gz"
gz two >"$L/app.log.2.gz"
printf 'race new\n' >"$L/race.log"
cat >"$SCRATCH/rotate.conf" <<CONF
$L/app.log {
  rotate 5
  compress
  create 0640
}
$L/race.log {
  rotate 5
  compress
  prerotate
    printf 'intruder\n' | gzip -n >"$L/race.log.1.gz"
  endscript
}
CONF
gz intruder >"$SCRATCH/intruder.gz"
run shimmed opsrotate -f -s "$SCRATCH/state" "$SCRATCH/rotate.conf"
assert_rc 2
(($(hits) > 0)) || fail "opsrotate never reached the shim"
assert_eq "$(zcat "$L/app.log.1.gz")" new "app.log.1.gz holds the rotated log"
assert_eq "$(zcat "$L/app.log.2.gz")" one "the earlier .1.gz moved to .2.gz, not overwritten"
assert_eq "$(zcat "$L/app.log.3.gz")" two "the earlier .2.gz moved to .3.gz, not overwritten"
assert_eq "$(stat -c %s "$L/app.log")" 0 "a new, empty app.log was created"
assert_eq "$(stat -c %a "$L/app.log")" 640 "with the mode asked for"
assert_no_file "$L/app.log.1"
assert_err_contains "cannot compress $L/race.log.1: $L/race.log.1.gz exists (it is kept)"
cmp -s "$L/race.log.1.gz" "$SCRATCH/intruder.gz" || fail "the .gz made meanwhile was overwritten"
assert_eq "$(cat "$L/race.log.1")" "race new" "the rotated race.log stays, uncompressed"
assert_eq "$(find "$L" -name '.*' | wc -l)" 0 "no temporary file left"

# The same rotation without the race: exit 0.
rm -f "$HITS"
sed -i '/prerotate/,/endscript/d' "$SCRATCH/rotate.conf"
rm "$L/race.log.1" "$L/race.log.1.gz"
printf 'race two\n' >"$L/race.log"
run shimmed opsrotate -f -s "$SCRATCH/state" "$SCRATCH/rotate.conf"
assert_rc 0
(($(hits) > 0)) || fail "opsrotate never reached the shim"
assert_eq "$(zcat "$L/app.log.4.gz")" two "every earlier rotation shifted once more"
assert_eq "$(zcat "$L/race.log.1.gz")" "race two" "race.log rotated and compressed"
assert_eq "$(find "$L" -name '.*' | wc -l)" 0 "no temporary file left"

# --- opsarchive files: compress, and an existing NAME.gz with other content -------
export OPS_NOW=2026-01-31T12:00:00Z
A=$SCRATCH/old
mkdir -p "$A" "$SCRATCH/tarred"
printf 'a\n' >"$A/a.log"
printf 'b\n' >"$A/b.log"
gz other >"$A/b.log.gz"
cp "$A/b.log.gz" "$SCRATCH/b.log.gz.before"
printf 't\n' >"$SCRATCH/tarred/t.log"
touch -d 2025-09-01T00:00:00 "$A/a.log" "$A/b.log" "$SCRATCH/tarred/t.log"
rm -f "$HITS"
run shimmed opsarchive files "$A" --older-than 90d --compress
assert_rc 1
(($(hits) > 0)) || fail "opsarchive never reached the shim"
assert_eq "$(zcat "$A/a.log.gz")" a "a.log compressed"
assert_no_file "$A/a.log"
assert_err_contains "$A/b.log.gz exists with other content; $A/b.log not compressed"
cmp -s "$A/b.log.gz" "$SCRATCH/b.log.gz.before" || fail "the existing b.log.gz was overwritten"
assert_eq "$(cat "$A/b.log")" b "b.log kept"
rm -f "$HITS"
run shimmed opsarchive files "$SCRATCH/tarred" --older-than 90d --into-tar "$SCRATCH/old.tar.gz"
assert_rc 0
(($(hits) > 0)) || fail "opsarchive --into-tar never reached the shim"
assert_eq "$(tar -xzOf "$SCRATCH/old.tar.gz" t.log)" t "the tar holds t.log"
assert_no_file "$SCRATCH/tarred/t.log"
assert_eq "$(find "$A" "$SCRATCH" -maxdepth 1 -name '.*' | wc -l)" 0 "no temporary file left"

# --- opsbackup files: a backup, and a second one of the same second ---------------
S=$SCRATCH/site
mkdir "$S"
printf 'hello\n' >"$S/index.php"
BK=$SCRATCH/backups
rm -f "$HITS"
run shimmed opsbackup files site --dir "$BK" --source "$S"
assert_rc 0
(($(hits) > 0)) || fail "opsbackup never reached the shim"
DATA=$BK/site/site-20260131T120000Z.tar.gz
MANIFEST=$BK/site/site-20260131T120000Z.manifest.json
assert_file_exists "$DATA"
assert_file_exists "$MANIFEST"
run shimmed opsbackup verify --dir "$BK" site
assert_rc 0
cp "$DATA" "$SCRATCH/data.before"
cp "$MANIFEST" "$SCRATCH/manifest.before"  # verify recorded its result in it
printf 'changed\n' >"$S/index.php"
run shimmed opsbackup files site --dir "$BK" --source "$S"
assert_rc 2
assert_err_contains "cannot write $DATA: it exists"
cmp -s "$DATA" "$SCRATCH/data.before" || fail "the first backup's data was overwritten"
cmp -s "$MANIFEST" "$SCRATCH/manifest.before" || fail "the first backup's manifest was overwritten"
assert_eq "$(find "$BK/site" -name '.*.tmp.*' | wc -l)" 0 "no temporary file left"

# --- opsbackup restore --to-dir: the tree, a directory, moved in without replacing ----
# A directory cannot be linked: the fallback claims the name with mkdir, then renames.
rm -f "$HITS"
run shimmed opsbackup restore "$MANIFEST" --to-dir "$SCRATCH/restored"
assert_rc 0
(($(hits) > 0)) || fail "opsbackup restore never reached the shim"
assert_eq "$(cat "$SCRATCH/restored/site/index.php")" hello "restored into a new directory"
assert_eq "$(find "$SCRATCH" -maxdepth 1 -name '.restored.tmp.*' | wc -l)" 0 "no temporary directory left"
mkdir "$SCRATCH/empty-target"
run shimmed opsbackup restore "$MANIFEST" --to-dir "$SCRATCH/empty-target"
assert_rc 0
assert_eq "$(cat "$SCRATCH/empty-target/site/index.php")" hello "restored into an existing empty directory"
assert_eq "$(ls -A "$SCRATCH/empty-target")" site "no temporary directory left inside it"

finish
