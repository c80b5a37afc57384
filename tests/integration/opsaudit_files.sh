#!/usr/bin/env bash
# opsaudit perms and changes on real trees made here: crafted modes and owners
# (the test runs as root and gives files to nobody), symlinks (one to
# /etc/shadow, a loop), hard links, names with a newline and a quote. changes
# is compared with AIDE (aide --init/--check) on the same tree; each place
# where the two differ on purpose is named below.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

[[ $(id -u) == 0 ]] || fail "this test makes files owned by others: it runs as root"
command -v aide >/dev/null || fail "aide is not installed (scripts/bootstrap installs it)"
A=$OPSAUDIT
TAB=$'\t'
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf

# The fix column of the tsv rows whose kind is $1 and subject is $2.
fix_of() { awk -F'\t' -v k="$1" -v s="$2" '$3 == k && $4 == s { print $6 }' "$OUT_FILE"; }
# The rows "severity kind subject" of the tsv report, sorted.
rows() { awk -F'\t' 'NR > 1 { print $2, $3, $4 }' "$OUT_FILE" | sort; }

# ============================== perms ==============================
W=$SCRATCH/www
mkdir -p "$W/app/bin" "$W/app/public" "$W/app/shared" "$W/app/other/deep" "$W/app/cache" "$W/outside"
echo 'APP_KEY=base64:abc' >"$W/app/.env"; chmod 0644 "$W/app/.env"
echo 'APP_KEY=' >"$W/app/.env.example"; chmod 0644 "$W/app/.env.example"
echo 'APP_KEY=prod' >"$W/app/.env.production"; chmod 0640 "$W/app/.env.production"
printf -- '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' >"$W/app/cert.pem"; chmod 0644 "$W/app/cert.pem"
printf -- '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' >"$W/app/key.pem"; chmod 0644 "$W/app/key.pem"
echo secret >"$W/app/server.key"; chmod 0660 "$W/app/server.key"
printf "DATABASES = {'default': {'NAME': 'app', 'PASSWORD': 's3cret'}}\n" >"$W/app/settings.py"; chmod 0644 "$W/app/settings.py"
printf "DATABASES = {'default': {'PASSWORD': os.environ['DB_PASSWORD']}}\n" >"$W/app/other/settings.py"
chmod 0644 "$W/app/other/settings.py"
printf "<?php define('DB_PASSWORD', 'hunter2');\n" >"$W/app/wp-config.php"; chmod 0604 "$W/app/wp-config.php"
printf '[client]\nuser = app\n' >"$W/app/my.cnf"; chmod 0644 "$W/app/my.cnf"
echo data >"$W/app/upload.txt"; chmod 0666 "$W/app/upload.txt"
chmod 0777 "$W/app/public"
chmod 1777 "$W/app/shared"
cp /bin/true "$W/app/bin/rootsuid"; chmod 4755 "$W/app/bin/rootsuid"
cp /bin/true "$W/app/bin/nobodysuid"; chown nobody "$W/app/bin/nobodysuid"; chmod 4755 "$W/app/bin/nobodysuid"
cp /bin/true "$W/app/bin/gid"; chmod 2755 "$W/app/bin/gid"
# Symlinks are never followed: not to /etc/shadow, not to a world-writable
# file outside the tree, not round a loop.
ln -s /etc/shadow "$W/app/shadow"
echo x >"$W/outside/open"; chmod 0666 "$W/outside/open"
ln -s ../outside/open "$W/app/link-to-open"
ln -s loop "$W/app/loop"
ln -s b "$W/app/a"; ln -s a "$W/app/b"
# An excluded directory is never entered.
echo x >"$W/app/cache/open"; chmod 0666 "$W/app/cache/open"
# Names a shell would misread and a terminal would obey.
odd=$W/app/$'it\x27s a\nname'
mkdir "$odd"; echo 'K=v' >"$odd/.env"; chmod 0604 "$odd/.env"
dash=$W/-dashdir; mkdir "$dash"; echo k >"$dash/x.key"; chmod 0644 "$dash/x.key"

run "$A" perms --format tsv --exclude cache --exclude "$W/outside" "$W/app"
assert_rc 2
# (tsv escapes the backslash that shown() put before the n.)
expected="critical secret_exposed $W/app/.env
critical secret_exposed $W/app/it's a\\\\nname/.env
critical secret_exposed $W/app/key.pem
critical secret_exposed $W/app/settings.py
critical secret_exposed $W/app/wp-config.php
critical setuid $W/app/bin/rootsuid
critical world_writable $W/app/public
critical world_writable $W/app/upload.txt
warning secret_exposed $W/app/server.key
warning setgid $W/app/bin/gid
warning setuid $W/app/bin/nobodysuid"
assert_eq "$(rows)" "$expected" "perms finds exactly these (no symlink followed, nothing excluded entered)"
assert_out_not_contains "shadow"
assert_out_not_contains "cache"
assert_out_not_contains "cert.pem"          # a certificate alone is public
assert_out_not_contains ".env.example"      # a template
assert_out_not_contains "other/settings.py" # the password comes from the environment
assert_out_not_contains "my.cnf"            # no password in it
assert_eq "$(fix_of secret_exposed "$W/app/.env")" "chmod 0640 $W/app/.env" "the group keeps read, others lose all"
assert_eq "$(fix_of secret_exposed "$W/app/wp-config.php")" "chmod 0600 $W/app/wp-config.php"
assert_eq "$(fix_of world_writable "$W/app/public")" "chmod o-w $W/app/public"
assert_eq "$(fix_of setuid "$W/app/bin/rootsuid")" "chmod u-s $W/app/bin/rootsuid"
# The Lynis difference: modes are compared bit by bit per class, not as octal
# numbers. 0644 is "less" than 0750 as a number, yet lets others read; a
# secret may be at most rwxr----- and 0644 fails, 0640 (.env.production) passes.
assert_out_contains "others may read (mode 0644, at most rwxr----- wanted)"
assert_out_not_contains ".env.production"

# The same cases through Lynis's own check (HasCorrectFilePermissions, the
# function behind its permfile= test FILE-7524), with our limit for a secret
# as its profile value: Lynis prints both modes as octal digits and compares
# them as decimal numbers (644 <= 740), so it passes the .env that lets others
# read, and even 0666 (666 <= 740: anyone may write); we fail both. Both of us
# fail 0777 and pass 0640.
lynis_functions=/usr/share/lynis/include/functions
[[ -r $lynis_functions ]] || fail "lynis is not installed (scripts/bootstrap installs it)"
lynis_ok() {  # FILE LIMIT: 0 when Lynis finds the mode of FILE within LIMIT
  bash -c 'set +u; . "$1"; LogText() { :; }; Debug() { :; }; ReportException() { :; }
    OS=Linux STATBINARY=$(command -v stat) EGREPBINARY="grep -E" AWKBINARY=awk FINDBINARY=find LSBINARY=ls
    SHELL_IS_BUSYBOX=0; HasCorrectFilePermissions "$2" "$3"' lynis "$lynis_functions" "$1" "$2"
}
lynis_ok "$W/app/.env" rwxr----- || fail "Lynis was expected to pass the 0644 .env against rwxr-----"
lynis_ok "$W/app/.env.production" rwxr----- || fail "Lynis was expected to pass the 0640 file"
lynis_ok "$W/app/upload.txt" rwxr----- || fail "Lynis was expected to pass 0666 against rwxr-----"
! lynis_ok "$W/app/public" rwxr----- || fail "Lynis was expected to fail 0777 against rwxr-----"
assert_out_contains "$W/app/upload.txt${TAB}file writable by anyone (mode 0666)"
assert_out_contains "$W/app/.env${TAB}environment file: others may read (mode 0644"  # we fail what Lynis passes
assert_out_not_contains ".env.production"                                             # we both pass 0640

# The fix command of an odd name, pasted into a shell, fixes that file and no other.
run "$A" perms "$W/app"
fix=$(grep -F "chmod 0600 \$'" "$OUT_FILE" | sed 's/^ *//')
assert_eq "$fix" "chmod 0600 \$'$W/app/it\\'s a\\x0aname/.env'" "the fix is one printable line, \$'…'-quoted"
assert_out_contains "$W/app/it's a\\nname/.env"   # the subject shown with the newline escaped
bash -c "$fix"
assert_eq "$(stat -c %a "$odd/.env")" 600 "the quoted fix command changed the odd file"
run "$A" perms --format tsv "$dash"
assert_eq "$(fix_of secret_exposed "$dash/x.key")" "chmod 0640 $dash/x.key" "an absolute path needs no --"
(cd "$W" && run "$A" perms --format tsv -- -dashdir && assert_eq "$(fix_of secret_exposed -dashdir/x.key)" \
  "chmod 0640 -- -dashdir/x.key" "a path starting with - comes after --")

# --owner: one chown -R for a subtree wholly wrong, one chown per other entry.
O=$SCRATCH/owned
mkdir -p "$O/site/uploads/2026" "$O/site/code" "$O/site/mixed/cache"
touch "$O/site/uploads/2026/a.jpg" "$O/site/uploads/b.jpg" "$O/site/code/index.php" "$O/site/mixed/one" \
  "$O/site/mixed/cache/tmp"
chown -R www-data:www-data "$O/site"
chown -R nobody "$O/site/uploads"
chown nobody "$O/site/mixed" "$O/site/mixed/cache/tmp"
chown root:root "$O/site/code/index.php"
run "$A" perms --format tsv --owner www-data --exclude "$O/site/mixed/cache" "$O/site"
assert_rc 1
assert_eq "$(rows)" "warning wrong_owner $O/site/code/index.php
warning wrong_owner $O/site/mixed
warning wrong_owner $O/site/uploads" "the wholly wrong subtree is one finding; an excluded entry keeps mixed apart"
assert_eq "$(fix_of wrong_owner "$O/site/uploads")" "chown -R www-data $O/site/uploads"
assert_eq "$(fix_of wrong_owner "$O/site/mixed")" "chown www-data $O/site/mixed"
run "$A" perms --owner www-data:adm "$O/site/code"
assert_out_contains "chown -R www-data:adm $O/site/code"
run "$A" perms --owner no-such-user-here "$O/site"
assert_rc 3
assert_err_contains "--owner: unknown user 'no-such-user-here'"

# ops.conf, its password files and opsbackup's store, read from the configuration in use.
E=$SCRATCH/etc-ops
mkdir -p "$E" "$SCRATCH/backups/app/2026"
echo secret >"$E/app.pass"; chmod 0644 "$E/app.pass"
cat >"$E/ops.conf" <<CONF
[db.app]
dsn = postgresql://app@localhost/app
password_file = $E/app.pass

[backup]
dir = $SCRATCH/backups
CONF
chmod 0644 "$E/ops.conf"
echo dump >"$SCRATCH/backups/app/2026/app.sql.gz"; chmod 0640 "$SCRATCH/backups/app/2026/app.sql.gz"
chmod 0700 "$SCRATCH/backups" "$SCRATCH/backups/app"; chmod 0750 "$SCRATCH/backups/app/2026"
run "$A" -c "$E/ops.conf" perms --format tsv "$E" "$SCRATCH/backups"
assert_rc 2
assert_eq "$(rows)" "critical secret_exposed $E/app.pass
critical secret_exposed $E/ops.conf
warning backup_dir_open $SCRATCH/backups/app/2026
warning backup_exposed $SCRATCH/backups/app/2026/app.sql.gz" "secrets of the configuration and the backup store"
assert_out_contains "password file of [db.app]"
assert_eq "$(fix_of backup_dir_open "$SCRATCH/backups/app/2026")" "chmod 0700 $SCRATCH/backups/app/2026"
run "$A" perms "$SCRATCH/no-such-tree"
assert_rc 2
assert_err_contains "cannot audit '$SCRATCH/no-such-tree': No such file or directory"

# ============================== changes ==============================
T=$SCRATCH/tree
B=$SCRATCH/state/audit.baseline
mkdir -p "$T/etc" "$T/bin" "$T/data/sub" "$T/skip" "$SCRATCH/state"
echo 'port 22' >"$T/etc/sshd_config"
echo 'hosts' >"$T/etc/hosts"
echo 'same' >"$T/etc/touched"
printf '#!/bin/sh\necho hi\n' >"$T/bin/tool"; chmod 0755 "$T/bin/tool"
cp /bin/true "$T/bin/suid"; chmod 4755 "$T/bin/suid"
echo 'one' >"$T/data/file"; ln "$T/data/file" "$T/data/hardlink"
echo 'a' >"$T/data/sub/a"; echo 'gone' >"$T/data/gone"
echo 'mode' >"$T/data/mode"; echo 'own' >"$T/data/own"; chmod 0644 "$T/data/mode"
ln -s /etc/shadow "$T/etc/shadow-link"
ln -s loop "$T/etc/loop"
echo x >"$T/skip/noise"
mkfifo "$T/data/fifo"
weird=$T/data/$'new\nline\ttab \\ \xff'
echo w >"$weird"

run "$A" -n changes "$T" --baseline "$B" --exclude "$T/skip" --init
assert_rc 0
assert_out_contains "would be recorded in (dry run: nothing written)"
assert_no_file "$B"
run "$A" changes "$T" --baseline "$B" --exclude "$T/skip" --init
assert_rc 0
sha=$(sha256sum "$B" | cut -d' ' -f1)
assert_out_contains "baseline recorded in $B"
assert_out_contains "its sha256 $sha"
assert_eq "$(stat -c %a "$B")" 600 "the baseline is 0600"
assert_eq "$(head -n 1 "$B")" "opsaudit-baseline 1"
assert_eq "$(grep -c "^[fdlpscb]${TAB}.*${TAB}$T/skip" "$B" || true)" 0 "an excluded path is not recorded"
assert_eq "$(grep "^exclude" "$B")" "exclude${TAB}$T/skip" "the baseline says what it left out"
assert_eq "$(grep "${TAB}$T/etc/shadow-link\$" "$B" | cut -f1,7)" "l${TAB}/etc/shadow" "a symlink's target, not followed"
assert_eq "$(grep -c '^p' "$B")" 1 "the fifo is recorded (and was not opened)"
hash_file=$(sha256sum "$T/data/file" | cut -d' ' -f1)
assert_eq "$(grep -c "$hash_file" "$B")" 2 "a hard link has its own entry with the same hash"
assert_out_not_contains "shadow"

run "$A" changes "$T" --baseline "$B" --init
assert_rc 3
assert_err_contains "exists: --update accepts"

# A standing update in ops.conf would accept every change each week: refused,
# and the baseline is left as it was.
printf '[audit]\nbaseline = %s\nupdate = yes\n' "$B" >"$SCRATCH/standing.conf"
before=$(sha256sum "$B")
run "$A" -c "$SCRATCH/standing.conf" changes
assert_rc 3
assert_err_contains "$SCRATCH/standing.conf:3 (update): --update is given on the command line only"
assert_eq "$(sha256sum "$B")" "$before" "a refused standing update leaves the baseline"

run "$A" changes --baseline "$B" --expect-sha256 "$sha"
assert_rc 0
assert_out_contains "no findings"
assert_out_contains "(baseline $B, sha256 $sha)"

# Every kind of change once.
echo 'port 2222' >"$T/etc/sshd_config"
printf '#!/bin/sh\necho pwned\n' >"$T/bin/tool"
echo 'hosts2' >"$T/etc/hosts"; touch -d '2020-01-01' "$T/etc/hosts"
touch -d '2021-01-01' "$T/etc/touched"
chmod 0666 "$T/data/mode"
chown nobody "$T/data/own"
rm "$T/data/gone"
echo new >"$T/data/added"
cp /bin/true "$T/bin/newsuid"; chmod 4755 "$T/bin/newsuid"
ln "$T/data/file" "$T/data/hardlink2"
ln -sfn /etc/passwd "$T/etc/shadow-link"
rm "$T/data/sub/a"; ln -s /etc "$T/data/sub/a"
echo more >>"$T/skip/noise"
echo w2 >"$weird"
run "$A" changes --baseline "$B" --format tsv
assert_rc 2
assert_eq "$(rows)" "critical added $T/bin/newsuid
critical content_changed $T/bin/tool
critical link_changed $T/etc/shadow-link
critical mode_changed $T/data/mode
critical owner_changed $T/data/own
critical type_changed $T/data/sub/a
info touched $T/etc/touched
warning added $T/data/added
warning added $T/data/hardlink2
warning content_changed $T/data/"'new\\nline\\ttab \\ \\xff'"
warning content_changed $T/etc/hosts
warning content_changed $T/etc/sshd_config
warning removed $T/data/gone" "each change once, with its severity"
assert_eq "$(fix_of mode_changed "$T/data/mode")" "chmod 0644 $T/data/mode" "the fix puts the recorded mode back"
assert_eq "$(fix_of owner_changed "$T/data/own")" "chown root:root $T/data/own"

# AIDE on the same tree, with the same attributes (sha256, permissions,
# owner, size, mtime of files; permissions and owner of directories; target
# of symlinks): the same paths added, removed and changed. Where AIDE's usual
# rules differ (a directory's mtime and link count, a file's link count), we
# record neither on purpose: a directory's mtime moves with every entry added
# or removed, and those entries are reported themselves; a new hard link is
# reported as added. The config below leaves them out of AIDE's rules too.
AIDE_DIR=$SCRATCH/aide; mkdir "$AIDE_DIR"
# Back to the state of the baseline, for aide's own --init.
aide_tree() {
  cat >"$AIDE_DIR/aide.conf" <<CONF
database_in=file:$AIDE_DIR/aide.db
database_out=file:$AIDE_DIR/aide.db.new
gzip_dbout=no
report_url=stdout
report_summarize_changes=yes
Files = p+u+g+s+m+sha256
Dirs = p+u+g
Links = p+u+g+l
!$T/skip
$T f Files
$T d Dirs
$T l Links
$T p p+u+g
CONF
}
aide_tree
run "$A" --dry-run changes --baseline "$B" --update
assert_rc 0
assert_out_contains "would be accepted into (dry run: nothing written)"
assert_eq "$(sha256sum "$B" | cut -d' ' -f1)" "$sha" "a dry run leaves the baseline alone"
run "$A" changes --baseline "$B" --update
assert_rc 0
assert_out_contains "accepted into $B"
new_sha=$(sha256sum "$B" | cut -d' ' -f1)
assert_out_contains "its sha256 $new_sha"
run "$A" changes --baseline "$B" --expect-sha256 "$new_sha"
assert_rc 0
assert_out_contains "no findings"
aide --config "$AIDE_DIR/aide.conf" --init >/dev/null 2>&1 || fail "aide --init failed"
mv "$AIDE_DIR/aide.db.new" "$AIDE_DIR/aide.db"
# A second round of changes, seen by both.
echo 'port 22' >"$T/etc/sshd_config"
chmod 0600 "$T/etc/hosts"
chown nobody "$T/bin/tool"
rm "$T/data/added"
echo later >"$T/data/later"
ln -sfn /etc/group "$T/etc/shadow-link"
echo more >>"$T/skip/noise"
aide --config "$AIDE_DIR/aide.conf" --check >"$AIDE_DIR/report" 2>&1 || true
aide_list() {  # added|removed|changed: the file paths AIDE lists under that heading
  awk -v want="$1" '
    /^Added entries:/ { s = "added"; next } /^Removed entries:/ { s = "removed"; next }
    /^Changed entries:/ { s = "changed"; next } /^Detailed information/ { s = ""; next }
    s == want && /^[fdlp][^:]*: / { sub(/^[^:]*: /, ""); print }' "$AIDE_DIR/report" | sort
}
run "$A" changes --baseline "$B" --format tsv
assert_rc 2
ours() { awk -F'\t' -v k="$1" 'NR > 1 && $3 ~ k { print $4 }' "$OUT_FILE" | sort; }
assert_eq "$(ours '^added$')" "$(aide_list added)" "added: the same as aide"
assert_eq "$(ours '^removed$')" "$(aide_list removed)" "removed: the same as aide"
assert_eq "$(ours '_changed$')" "$(aide_list changed)" "changed: the same as aide"
[[ -n $(aide_list changed) && -n $(aide_list added) && -n $(aide_list removed) ]] || fail "aide's report was not read"

# A baseline edited by hand: a line not understood, a hash that is not one,
# an entry twice, a truncated file, another version, a mismatch with
# --expect-sha256 after an edit that still parses.
cp "$B" "$SCRATCH/good.baseline"
edit() { cp "$SCRATCH/good.baseline" "$B"; }
edit; sed -i "0,/^f\t/s/^f\t\(.*\)\t[0-9a-f]\{64\}\t/f\t\1\tzz\t/" "$B"
line=$(grep -n "${TAB}zz${TAB}" "$B" | cut -d: -f1)
run "$A" changes --baseline "$B"
assert_rc 2
assert_err_contains "$B:$line: bad SHA-256 'zz'"
assert_eq "$(wc -l <"$ERR_FILE")" 1 "one line"
edit; echo 'garbage line' >>"$B"
run "$A" changes --baseline "$B"
assert_rc 2
assert_err_contains "$B:$(wc -l <"$B"): 'garbage line' is not an entry"
edit; grep "${TAB}$T/etc/hosts\$" "$SCRATCH/good.baseline" >>"$B"
run "$A" changes --baseline "$B"
assert_rc 2
assert_err_contains "is listed twice"
edit; head -c -5 "$SCRATCH/good.baseline" >"$B"
run "$A" changes --baseline "$B"
assert_rc 2
assert_err_contains "the last line is cut short"
edit; sed -i '1s/ 1$/ 9/' "$B"
run "$A" changes --baseline "$B"
assert_rc 2
assert_err_contains "$B:1: version '9' is not one this opsaudit reads"
edit; sed -i "/${TAB}${T//\//\\/}\/etc\/hosts\$/d" "$B"
run "$A" changes --baseline "$B"
assert_rc 2   # parses: hosts now looks added
assert_out_contains "added"
run "$A" changes --baseline "$B" --expect-sha256 "$new_sha"
assert_rc 2
assert_err_contains "its SHA-256 is $(sha256sum "$B" | cut -d' ' -f1), not $new_sha (--expect-sha256): the baseline was changed"
edited_sha=$(sha256sum "$B" | cut -d' ' -f1)
run "$A" changes --baseline "$B" --update --expect-sha256 "$new_sha"
assert_rc 2
assert_eq "$(sha256sum "$B" | cut -d' ' -f1)" "$edited_sha" "a refused --update leaves the baseline as it was"
# The same refusal inside `run` is a not_audited finding, and the rest still runs.
run "$A" run --auth-log none --changes "$T" --baseline "$B" --expect-sha256 "$new_sha" --perms "$W/app/bin" --format tsv
assert_rc 2
assert_out_contains "not_audited"
assert_out_contains "setuid"
edit

# A check names the baseline's trees, or none.
run "$A" changes "$T/etc" --baseline "$B"
assert_rc 3
assert_err_contains "records $T excluding $T/skip; this run names $T/etc"

# The baseline kept inside the audited tree is not a change of its own.
run "$A" changes "$T" --baseline "$T/inside.baseline" --exclude "$T/skip" --init
assert_rc 0
run "$A" changes --baseline "$T/inside.baseline" --update
run "$A" changes --baseline "$T/inside.baseline"
assert_rc 0
assert_out_contains "no findings"
rm "$T/inside.baseline"

# Files we cannot read: noted, compared by size and mtime only, no crash.
U=$SCRATCH/unread
mkdir -p "$U/closed" "$SCRATCH/nobody"
echo s >"$U/secret"; chmod 0600 "$U/secret"
echo p >"$U/public"; chmod 0644 "$U/public"
echo c >"$U/closed/inside"; chmod 0700 "$U/closed"
chmod 0755 "$SCRATCH" "$SCRATCH/.." 2>/dev/null || true
chown nobody "$SCRATCH/nobody"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
run as_nobody "$A" changes "$U" --baseline "$SCRATCH/nobody/b" --init
assert_rc 0
assert_out_contains "1 file could not be read, their content is not compared (only size and mtime), the first: $U/secret: Permission denied"
assert_out_contains "1 entry could not be read, the first: $U/closed: Permission denied"
assert_eq "$(grep "${TAB}$U/secret\$" "$SCRATCH/nobody/b" | cut -f7)" "?" "unread content is recorded as ?"
echo ss >"$U/secret"
run as_nobody "$A" changes --baseline "$SCRATCH/nobody/b"
assert_rc 1
assert_out_contains "(content not read)"

# --one-file-system: a mount below the PATH is not entered.
M=$SCRATCH/mnt
mkdir -p "$M/tmpfs"; echo x >"$M/top"
mount -t tmpfs none "$M/tmpfs" || fail "cannot mount a tmpfs (the test runs as root)"
at_exit umount "$M/tmpfs"
echo y >"$M/tmpfs/below"; chmod 0666 "$M/tmpfs/below"
run "$A" perms -x "$M"
assert_rc 0
run "$A" perms "$M"
assert_rc 2
assert_out_contains "$M/tmpfs/below"
