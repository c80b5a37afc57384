#!/usr/bin/env bash
# Issue 14, item 15: a refusal names what is wrong. `opsbackup --bogus` said
# "missing subcommand"; `opsrotate missing.conf` said "unknown subcommand
# 'missing.conf'"; `prune --keep-last 0` said "no --keep-* rule given". And a
# path that cannot be used (--lock-file in a missing directory or naming a
# directory, opsrotate -s DIR or -s /missing/dir/state, opsarchive rows
# --to-file /nonexistent/dir/x.csv.gz) was a failure (exit 2) found half-way:
# it is bad usage (exit 3), refused before any work starts. Each case: exit 3,
# one error line naming the culprit, nothing changed on disk.
# shellcheck source=tests/integration/lib.sh
. "$OPS_SOURCE_DIR/tests/integration/lib.sh"
# shellcheck source=tests/integration/refusals/refused.sh
. "$OPS_SOURCE_DIR/tests/integration/refusals/refused.sh"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf  # not the host's /etc/ops/ops.conf
mkdir "$SCRATCH/bk" "$SCRATCH/bk/app" "$SCRATCH/old" "$SCRATCH/adir"
touch "$SCRATCH/app.log"
printf '%s {\n  daily\n}\n' "$SCRATCH/app.log" >"$SCRATCH/logrotate.conf"
chmod 600 "$SCRATCH/logrotate.conf"
sqlite3 "$SCRATCH/lite.db" 'CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2)'
LITE=sqlite://$SCRATCH/lite.db
NODIR=$SCRATCH/nodir

# --- an unknown option is named, wherever it stands -----------------------------------
for tool in opsbackup opsarchive; do
  refused "unknown option '--bogus'" $tool --bogus
  assert_err_not_contains "missing subcommand"
  refused "unknown option '--bogus'" $tool --bogus=1
  refused "unknown option '-Z'" $tool -Z
  refused "unknown option '--bogus'" $tool -q --bogus
done
refused "'--bogus'" opsbackup --bogus list --dir "$SCRATCH/bk"
refused "'--bogus'" opsarchive --bogus run
refused "'--bogus'" opsdf --bogus
refused "'--bogus'" opsdf --bogus du "$SCRATCH/old"
refused "'--bogus'" opsrotate --bogus "$SCRATCH/logrotate.conf"
refused "'--frobnicate'" opsbackup prune --frobnicate app --dir "$SCRATCH/bk"
refused "'--frobnicate'" opsarchive rows --frobnicate

# --- a file argument that does not exist is named as a file ------------------------------
refused "missing.conf;No such file" opsrotate missing.conf
assert_err_not_contains "subcommand"
refused "missing;No such file" opsrotate missing
assert_err_not_contains "subcommand"
refused "sub/missing.conf;No such file" opsrotate sub/missing.conf
refused "missing.txt;No such file" opsdf missing.txt
assert_err_not_contains "subcommand"
# A near miss of a subcommand is still a typo.
refused "unknown subcommand 'rotat'" opsrotate rotat
refused "unknown subcommand 'lst'" opsbackup lst

# --- --keep-* 0 alone keeps nothing: the rule is named ------------------------------------
refused "--keep-last;0 keeps nothing" opsbackup prune --keep-last 0 --dir "$SCRATCH/bk" app
assert_err_not_contains "no --keep-* rule given"
refused "--keep-daily;0 keeps nothing" opsbackup prune --keep-daily 0 --keep-weekly 0 --dir "$SCRATCH/bk" app
printf '[backup]\nkeep_monthly = 0\n' >"$SCRATCH/keep0.conf"
refused "$SCRATCH/keep0.conf:2;keep_monthly;0 keeps nothing" opsbackup -c "$SCRATCH/keep0.conf" prune --dir "$SCRATCH/bk" app
refused "--keep-daily;'-2'" opsbackup prune --keep-daily -2 --dir "$SCRATCH/bk" app
refused "--keep-last;'x'" opsbackup prune --keep-last x --dir "$SCRATCH/bk" app

# --- a bad value of each numeric option names the option and the value --------------------
refused "--depth;'x'" opsdf du --depth x "$SCRATCH/old"
refused "--depth;'-1'" opsdf du --depth -1 "$SCRATCH/old"
refused "--top;'1e999'" opsdf du --top 1e999 "$SCRATCH/old"
refused "--threads;'0'" opsdf du --threads 0 "$SCRATCH/old"
refused "--top;'ten'" opsdf db --top ten "$LITE"
refused "--window;'-1d'" opsdf forecast --window -1d --history "$SCRATCH/h.tsv"
refused "--window;'0s'" opsdf forecast --window 0s --history "$SCRATCH/h.tsv"
refused "--warn-days;'-1'" opsdf forecast --warn-days -1 --history "$SCRATCH/h.tsv"
refused "--crit-days;'nan'" opsdf forecast --crit-days nan --history "$SCRATCH/h.tsv"
refused "--warn;'80'" opsdf fs --warn 80
refused "--inode-crit;'2G'" opsdf fs --inode-crit 2G
refused "OPS_DF_TOP;'x'" env OPS_DF_TOP=x opsdf du "$SCRATCH/old"
refused "--threads;'0'" opsbackup db --threads 0 --dir "$SCRATCH/bk" "$LITE"
refused "--threads;'300'" opsbackup files --threads 300 --dir "$SCRATCH/bk" --source "$SCRATCH/old" up
refused "--level;'x'" opsbackup db --level x --dir "$SCRATCH/bk" "$LITE"
refused "--compress;'rar'" opsbackup db --compress rar --dir "$SCRATCH/bk" "$LITE"
refused "--pg-format;'tar'" opsbackup db --pg-format tar --dir "$SCRATCH/bk" "$LITE"
refused "--batch;'0'" opsarchive rows --batch 0 --db "$LITE" --table t --where 1=1 --purge
refused "--max-rows;'0'" opsarchive rows --max-rows 0 --db "$LITE" --table t --where 1=1 --purge
refused "--sleep;'x'" opsarchive rows --sleep x --db "$LITE" --table t --where 1=1 --purge
refused "--max-runtime;'-5min'" opsarchive rows --max-runtime -5min --db "$LITE" --table t --where 1=1 --purge
refused "--file-format;'xml'" opsarchive rows --file-format xml --db "$LITE" --table t --where 1=1 \
  --to-file "$SCRATCH/x.csv"
refused "--level;'99'" opsarchive files --level 99 --compress gzip --older-than 1d "$SCRATCH/old"
refused "--older-than;'6m'" opsarchive files --older-than 6m --compress gzip "$SCRATCH/old"
assert_eq "$(sqlite3 "$SCRATCH/lite.db" 'SELECT count(*) FROM t')" 2 "no row purged"

# --- paths that cannot be used are bad usage, refused before any work ---------------------
for cmd in "opsdf du $SCRATCH/old" "opsbackup list --dir $SCRATCH/bk" \
  "opsrotate $SCRATCH/logrotate.conf" "opsarchive files --older-than 1d --compress gzip $SCRATCH/old"; do
  read -ra words <<<"$cmd"
  refused "--lock-file;$NODIR/x.lock" "${words[0]}" --lock-file "$NODIR/x.lock" "${words[@]:1}"
  refused "--lock-file;$SCRATCH/adir;directory" "${words[0]}" --lock-file "$SCRATCH/adir" "${words[@]:1}"
done
refused "--state;$SCRATCH/adir;directory" opsrotate -s "$SCRATCH/adir" "$SCRATCH/logrotate.conf"
refused "--state;/missing/dir/state" opsrotate -s /missing/dir/state "$SCRATCH/logrotate.conf"
refused "--state;$NODIR/state" opsrotate --state "$NODIR/state" "$SCRATCH/logrotate.conf"
refused "--log;$NODIR/log" opsrotate -l "$NODIR/log" -s "$SCRATCH/state" "$SCRATCH/logrotate.conf"
refused "--to-file;/nonexistent/dir/x.csv.gz" opsarchive rows --db "$LITE" --table t --where 1=1 \
  --to-file /nonexistent/dir/x.csv.gz
refused "--to-file;$SCRATCH/adir;directory" opsarchive rows --db "$LITE" --table t --where 1=1 \
  --to-file "$SCRATCH/adir"
assert_eq "$(sqlite3 "$SCRATCH/lite.db" 'SELECT count(*) FROM t')" 2 "no row moved"

# The same paths, when they can be used, are: the checks refuse only what they should.
run timeout 20 opsrotate -s "$SCRATCH/state" --lock-file "$SCRATCH/rotate.lock" "$SCRATCH/logrotate.conf"
assert_rc 0
assert_file_exists "$SCRATCH/state"
run timeout 20 opsarchive rows --db "$LITE" --table t --where 1=1 --to-file "$SCRATCH/rows.csv"
assert_rc 0
assert_eq "$(sqlite3 "$SCRATCH/lite.db" 'SELECT count(*) FROM t')" 0 "rows moved to the file"
