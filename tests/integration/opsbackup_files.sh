#!/usr/bin/env bash
# opsbackup files on a real tree: everything a web application's files can be
# (nested directories, modes, owners, a symlink, hard links, an xattr, an ACL,
# old mtimes, a sparse and a large file, unicode names) archived as pax that
# GNU tar reads, verified, and restored exactly; --exclude; the restore's
# refusals (non-empty directory, "..", absolute names, writing through a
# symlink; more in opsbackup_restore_symlinks.sh); an unreadable file as a warning (run as nobody through setpriv;
# this script runs as root); a full disk as a clean failure. Files changing
# while being read are covered by tests/unit/test_files_backup.cpp.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_BACKUP_' || true)

((EUID == 0)) || fail "opsbackup_files.sh must run as root (owners, and opsbackup as nobody through setpriv)"
for tool in setfattr getfattr setfacl getfacl setpriv tar python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/bootstrap installs it)"
done

# The trees live where nobody can reach them: $SCRATCH may be under /root.
TREE=$(mktemp -d "${TMPDIR:-/tmp}/opsbackup-files.XXXXXX")
chmod 755 "$TREE"
at_exit rm -rf "$TREE"
at_exit chmod -R u+rwx "$TREE"

manifest_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
B=$SCRATCH/backups
S=$TREE/src/www

# --- the tree ------------------------------------------------------------------------
mkdir -p "$S/app/lib/deep/er" "$S/private" "$S/cache/sessions" "$TREE/src/etc"
printf 'hello\n' >"$S/index.php"
printf 'secret config\n' >"$S/app/config.php"
chmod 0640 "$S/app/config.php"
chmod 0750 "$S/private"
printf 'deep\n' >"$S/app/lib/deep/er/x.txt"
ln -s ../index.php "$S/app/index-link"
printf 'linked\n' >"$S/app/hard1"
ln "$S/app/hard1" "$S/private/hard2"
printf 'with attributes\n' >"$S/app/attrs"
setfattr -n user.checksum -v abc123 "$S/app/attrs"
setfacl -m u:nobody:r "$S/app/attrs"
setfacl -d -m g:nogroup:rx "$S/private"
printf 'owned\n' >"$S/app/nobodys"
chown nobody:nogroup "$S/app/nobodys"
touch -d '2001-02-03 04:05:06.123456789' "$S/app/old.txt"
head -c 3000000 /dev/urandom >"$S/large.bin"
truncate -s 20M "$S/sparse.img"
printf 'middle' | dd of="$S/sparse.img" bs=1 seek=10000000 conv=notrunc status=none
printf 'unicode\n' >"$S/app/Ünïcödé ☃ 名前.txt"
printf 'temporary\n' >"$S/app/draft.tmp"
printf 'session\n' >"$S/cache/sessions/sess_1"
printf 'host\n' >"$TREE/src/etc/hosts"
touch -d '2010-01-01 00:00:00' "$S/app/lib/deep"  # a directory's mtime, restored after its content

# --- back it up ------------------------------------------------------------------------
run opsbackup files site --dir "$B" --source "$S" --source "$TREE/src/etc/" --exclude '*.tmp' --exclude cache
assert_rc 0
assert_err_eq_empty() { assert_eq "$ERR" "" "nothing on stderr"; }
assert_err_eq_empty
M=$(ls "$B"/site/site-*.manifest.json)
DATA=${M%.manifest.json}.tar.gz
assert_file_exists "$DATA"
assert_eq "$(stat -c %a "$B/site")" 700 "the backup directory is 0700"
assert_eq "$(stat -c %a "$DATA")" 600 "the archive is 0600"
assert_eq "$(stat -c %a "$M")" 600 "the manifest is 0600"
assert_eq "$(manifest_field "$M" kind)" files
assert_eq "$(manifest_field "$M" dump_format)" pax
assert_eq "$(manifest_field "$M" source)" "$S, $TREE/src/etc"
assert_eq "$(manifest_field "$M" dumper)" "$(python3 -c 'print("libarchive")') $(dpkg-query -W -f='${Version}' libarchive13 | cut -d- -f1)"
assert_eq "$(manifest_field "$M" compression)" gzip
assert_eq "$(manifest_field "$M" sha256)" "$(sha256sum "$DATA" | cut -d' ' -f1)" "sha256 = sha256sum"
assert_eq "$(manifest_field "$M" size)" "$(stat -c %s "$DATA")"
assert_eq "$(manifest_field "$M" warnings)" "[]"
# www/ app/ lib/ deep/ er/ x.txt index-link config.php hard1 attrs nobodys old.txt Ünïcödé…
# index.php large.bin sparse.img private/ hard2, etc/ hosts
assert_eq "$(manifest_field "$M" file_count)" 20 "file_count: every entry, the excluded ones not"

# GNU tar reads it, without a complaint, with the links as links.
run tar -tzvf "$DATA"
assert_rc 0
assert_eq "$ERR" "" "GNU tar reads it silently"
assert_eq "$(grep -c . "$OUT_FILE")" 20 "tar lists file_count entries"
assert_out_matches '^lrwxrwxrwx root/root +0 .* www/app/index-link -> \.\./index\.php$'
assert_out_matches '^h.* www/private/hard2 link to www/app/hard1$|^h.* www/app/hard1 link to www/private/hard2$'
assert_out_matches '^-rw-r----- root/root .* www/app/config\.php$'
assert_out_matches '^drwxr-x--- root/root .* www/private/$'
assert_out_matches '^-rw-r--r-- nobody/nogroup .* www/app/nobodys$'
assert_out_matches ' 2001-02-03 04:05 www/app/old\.txt$'
assert_out_contains "www/app/Ünïcödé ☃ 名前.txt"
assert_out_contains "etc/hosts"
assert_out_not_contains ".tmp"
assert_out_not_contains "cache"
assert_eq "$(tar -xzOf "$DATA" www/sparse.img | cmp - "$S/sparse.img" && echo same)" same "GNU tar extracts the same bytes"

run opsbackup verify --dir "$B" site
assert_rc 0
assert_out_matches "^site +$DATA +ok +checksum ok, 20 entries read"

# --- restore: exactly what was there ---------------------------------------------------
R=$SCRATCH/restored
run opsbackup restore --dir "$B" site --to-dir "$R"
assert_rc 0
assert_out_eq "restored $(basename "$DATA") into $R (20 entries)"
run diff -r --no-dereference -x '*.tmp' -x cache "$S" "$R/www"
assert_rc 0
run diff -r "$TREE/src/etc" "$R/etc"
assert_rc 0
# Modes, owners, sizes, mtimes (to the nanosecond), link targets, of every entry.
listing() { (cd "$1" && find . \( -name '*.tmp' -o -name cache \) -prune -o -printf '%P %M %u:%g %s %T@ %l\n' | sort); }
assert_eq "$(listing "$R/www")" "$(listing "$S")" "modes, owners, sizes, mtimes and link targets"
assert_eq "$(readlink "$R/www/app/index-link")" "../index.php" "the symlink's target"
assert_eq "$(stat -c %i "$R/www/app/hard1")" "$(stat -c %i "$R/www/private/hard2")" "the hard links share an inode"
assert_eq "$(getfattr --absolute-names -d "$R/www/app/attrs" | tail -n +2)" \
  "$(getfattr --absolute-names -d "$S/app/attrs" | tail -n +2)" "the xattr"
assert_eq "$(getfacl -p --omit-header "$R/www/app/attrs")" "$(getfacl -p --omit-header "$S/app/attrs")" "the ACL"
assert_eq "$(getfacl -p --omit-header "$R/www/private")" "$(getfacl -p --omit-header "$S/private")" "the default ACL"
(( $(stat -c %b "$R/www/sparse.img") * 512 < 1000000 )) || fail "the sparse file is sparse again"
ASSERTIONS=$((ASSERTIONS + 1))

# A non-empty directory is refused, with nothing changed; --force restores into it.
printf 'mine\n' >"$SCRATCH/busy-file"
mkdir "$SCRATCH/busy" && mv "$SCRATCH/busy-file" "$SCRATCH/busy/"
run opsbackup restore "$M" --to-dir "$SCRATCH/busy"
assert_rc 3
assert_err_contains "error: $SCRATCH/busy is not empty: not restoring into it"
assert_eq "$(ls -A "$SCRATCH/busy")" "busy-file" "nothing restored"
run opsbackup restore "$M" --to-dir "$SCRATCH/busy" --force
assert_rc 0
assert_file_exists "$SCRATCH/busy/www/index.php"
# --to and --to-dir: exactly one.
run opsbackup restore "$M"
assert_rc 3
run opsbackup restore "$M" --to sqlite:///nowhere.db --to-dir "$SCRATCH/r2"
assert_rc 3
assert_no_file "$SCRATCH/r2"

# --- bad usage: nothing written ----------------------------------------------------------
mkdir -p "$TREE/other/www"
run opsbackup files dup --dir "$B" --source "$S" --source "$TREE/other/www"
assert_rc 3
assert_err_contains "would both be stored as www/"
assert_no_file "$B/dup"
run opsbackup files gone --dir "$B" --source "$TREE/no-such-dir"
assert_rc 3
assert_no_file "$B/gone"

# --- crafted archives: the restore refuses them, nothing lands outside ---------------------
# craft NAME SPEC: a backup DIR/NAME with a manifest that agrees, whose archive python's
# tarfile writes from SPEC (lines "file NAME", "symlink NAME TARGET"; see the helper).
craft() { printf '%s\n' "$2" | python3 "$OPS_SOURCE_DIR/tests/integration/backup/craft_files_backup.py" "$B" "$1"; }
mkdir -p "$SCRATCH/jail/outside"
refused() {  # NAME ENTRY: the restore of NAME stops at ENTRY, exit 2, nothing outside
  run opsbackup restore --dir "$B" "$1" --to-dir "$SCRATCH/jail/into-$1"
  assert_rc 2
  assert_err_contains "refusing entry \"$2\""
  assert_eq "$(find "$SCRATCH/jail" -mindepth 1 -not -path "$SCRATCH/jail/into-*" -printf '%P\n' | sort)" "outside" \
    "$1: nothing written outside the restore directory"
}
# A restore is all or nothing now: a refused entry leaves no restore directory at all
# (what came before it used to stay), and a symlink is data whatever its target: the
# entry written through it is the one refused (the symlink itself used to be).
craft dotdot $'file ok.txt\nfile ../evil\nfile after.txt'
refused dotdot "../evil"
assert_no_file "$SCRATCH/jail/evil"
assert_no_file "$SCRATCH/jail/into-dotdot"
craft absolute "file $SCRATCH/jail/outside/abs-evil"
refused absolute "$SCRATCH/jail/outside/abs-evil"
assert_no_file "$SCRATCH/jail/outside/abs-evil"
craft symlink $'symlink a/link ../../outside\nfile a/link/through'
refused symlink "a/link/through"
assert_no_file "$SCRATCH/jail/outside/through"
assert_no_file "$SCRATCH/jail/into-symlink"
craft abs-symlink $'symlink etc /etc\nfile etc/pwned'
refused abs-symlink "etc/pwned"
assert_no_file /etc/pwned

# --- verify: an archive cut short fails, even with a manifest that agrees ------------------
python3 - "$DATA" "$B/cut" <<'PY'
import gzip, hashlib, json, os, sys, glob
data, out = sys.argv[1:]
plain = gzip.decompress(open(data, "rb").read())
cut = plain[: len(plain) // 2 + 100]  # inside large.bin or sparse.img
os.makedirs(out, exist_ok=True)
blob = gzip.compress(cut)
open(f"{out}/cut-20260101T000000Z.tar.gz", "wb").write(blob)
m = json.load(open(data[: -len(".tar.gz")] + ".manifest.json"))
m.update(name="cut", file="cut-20260101T000000Z.tar.gz", size=len(blob), plain_size=len(cut),
         sha256=hashlib.sha256(blob).hexdigest())
json.dump(m, open(f"{out}/cut-20260101T000000Z.manifest.json", "w"))
PY
run opsbackup verify --dir "$B" cut
assert_rc 2
assert_out_matches "^cut .* FAILED "
assert_err_contains "Truncated tar archive"

# --- an unreadable file and directory, as nobody: warnings, a valid archive ----------------
U=$TREE/u/site
mkdir -p "$U/pub" "$U/locked"
printf 'readable\n' >"$U/pub/a"
printf 'secret\n' >"$U/pub/secret"
printf 'hidden\n' >"$U/locked/h"
chmod -R a+rX "$TREE/u"
chmod 000 "$U/pub/secret" "$U/locked"
NB=$TREE/nobody-backups
mkdir "$NB" && chown nobody:nogroup "$NB"
# The binary may sit below a directory nobody cannot enter (/root): run a copy.
cp "$(command -v opsbackup)" "$TREE/opsbackup"
chmod 755 "$TREE/opsbackup"
: >"$TREE/empty.conf"
chmod 644 "$TREE/empty.conf"
as_nobody() { OPS_CONFIG=$TREE/empty.conf setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
run as_nobody "$TREE/opsbackup" files site --dir "$NB" --source "$U"
assert_rc 1
assert_err_contains "opsbackup: warning: cannot read $U/pub/secret: Permission denied; not archived"
assert_err_contains "opsbackup: warning: cannot read directory $U/locked: Permission denied"
assert_eq "$(grep -c . "$ERR_FILE")" 2 "two warnings, nothing else"
NM=$(ls "$NB"/site/site-*.manifest.json)
assert_eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["warnings"]))' "$NM")" 2 \
  "the warnings are in the manifest"
assert_eq "$(manifest_field "$NM" file_count)" 4 "site/ locked/ pub/ pub/a"
run tar -tzf "${NM%.manifest.json}.tar.gz"
assert_rc 0
assert_out_eq $'site/\nsite/locked/\nsite/pub/\nsite/pub/a'
run opsbackup verify --dir "$NB" site
assert_rc 0

# --- a full disk (file size limit): exit 2, no manifest, no temporary file -----------------
run bash -c 'ulimit -f 64; exec "$@"' _ opsbackup files full --dir "$B" --source "$S"
assert_rc 2
assert_err_contains "File too large"
assert_eq "$(ls -A "$B/full")" ".last-run.json" "nothing but the record of the failed run"
assert_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ok"])' "$B/full/.last-run.json")" False
