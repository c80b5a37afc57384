#!/usr/bin/env bash
# Issue 14, item 13: every key of every section a tool reads from ops.conf
# ([TOOL], [TOOL.NAME], [db.NAME]) is checked when the file is read, whichever
# subcommand runs and whether or not it uses the key. Before, `[df] window =
# -1d`, `top = 1e999`, `threads = 0`, `[db.x] dsn = notadsn://foo` or a
# password in a DSN passed `opsdf -c X fs` and `opsbackup -c X list`. Each case
# here: exit 3, one error line naming FILE:LINE, the key and the value, and
# nothing changed on disk. The file is one: each tool checks the sections the
# others read too (opsbackup refuses a bad [df]). A malformed DSN (a bad sslmode) is exit 3 on the
# command line too; a server that cannot be reached stays exit 2.
# shellcheck source=tests/integration/lib.sh
. "$OPS_SOURCE_DIR/tests/integration/lib.sh"
# shellcheck source=tests/integration/refusals/refused.sh
. "$OPS_SOURCE_DIR/tests/integration/refusals/refused.sh"

C=$SCRATCH/ops.conf
mkdir "$SCRATCH/bk" "$SCRATCH/old" "$SCRATCH/lockdir"
touch "$SCRATCH/app.log"
printf '%s {\n  daily\n}\n' "$SCRATCH/app.log" >"$SCRATCH/logrotate.conf"
chmod 600 "$SCRATCH/logrotate.conf"
sqlite3 "$SCRATCH/lite.db" 'CREATE TABLE t (id INTEGER PRIMARY KEY)'

# The commands that read the file; none of them uses the keys below but the
# ones of its own subcommand.
DF=(opsdf -c "$C" fs)
DF_DU=(opsdf -c "$C" du "$SCRATCH/old")
BACKUP=(opsbackup -c "$C" list --dir "$SCRATCH/bk")
ROTATE=(opsrotate -c "$C" -s "$SCRATCH/rotate.state" "$SCRATCH/logrotate.conf")
ARCHIVE=(opsarchive -c "$C" files --older-than 1d --compress gzip "$SCRATCH/old")

# case TOOL 'CULPRITS' 'CONFIG': CONFIG (printf %b) as ops.conf, then refused.
case_() {
  local tool=$1 culprits=$2
  printf '%b\n' "$3" >"$C"
  case $tool in
    df) refused "$culprits" "${DF[@]}" ;;
    du) refused "$culprits" "${DF_DU[@]}" ;;
    backup) refused "$culprits" "${BACKUP[@]}" ;;
    rotate) refused "$culprits" "${ROTATE[@]}" ;;
    archive) refused "$culprits" "${ARCHIVE[@]}" ;;
  esac
}

# --- the control: good values of the same keys are accepted ---------------------------
cat >"$C" <<CONF
[db.x]
dsn = sqlite://$SCRATCH/lite.db
[df]
window = 7d
top = 5
threads = 2
warn_days = 10
crit_days = 2
inode_warn = 90%
database = x
[backup]
keep_last = 3
threads = 2
pg_format = custom
[backup.app]
database = x
[archive]
batch = 10
sleep = 0.5s
to_file = $SCRATCH/out.csv
[archive.rows]
database = x
table = t
where = 1=1
purge = yes
[rotate]
force = no
CONF
for cmd in "DF_DU" "BACKUP" "ARCHIVE"; do
  declare -n words=$cmd
  run timeout 20 "${words[@]}"
  assert_rc 0
done
rm -f "$SCRATCH/rotate.state"

# --- [df], read by every opsdf subcommand ----------------------------------------------
case_ df "$C:2 (window);'-1d'" '[df]\nwindow = -1d'
case_ df "$C:2 (window);'0s'" '[df]\nwindow = 0s'
case_ df "$C:2 (window);'1M'" '[df]\nwindow = 1M'
case_ df "$C:2 (top);'1e999'" '[df]\ntop = 1e999'
case_ df "$C:2 (top);'-1'" '[df]\ntop = -1'
case_ df "$C:3 (threads);'0'" '[df]\n# comment\nthreads = 0'
case_ df "$C:2 (threads);'257'" '[df]\nthreads = 257'
case_ df "$C:2 (depth);'1001'" '[df]\ndepth = 1001'
case_ df "$C:2 (depth);'two'" '[df]\ndepth = two'
case_ df "$C:2 (warn_days);'-1'" '[df]\nwarn_days = -1'
case_ df "$C:2 (crit_days);'nan'" '[df]\ncrit_days = nan'
case_ df "$C:2 (warn_days);'inf'" '[df]\nwarn_days = inf'
case_ df "$C:2 (warn);'80'" '[df]\nwarn = 80'
case_ df "$C:2 (crit);'150%'" '[df]\ncrit = 150%'
case_ df "$C:2 (inode_warn);'2G'" '[df]\ninode_warn = 2G'
case_ df "$C:2:;'maybe';'all'" '[df]\nall = maybe'
case_ du "$C:2:;'sometimes';'one_file_system'" '[df]\none_file_system = sometimes'
case_ df "$C:2 (database);'nosuch'" '[df]\ndatabase = nosuch'
case_ df "$C:2 (database);'mysql://u@h/db?ssl-mode=bogus'" '[df]\ndatabase = mysql://u@h/db?ssl-mode=bogus'
case_ df "$C:2 (format);'yaml'" '[df]\nformat = yaml'
case_ df "$C:2 (lock_file);$SCRATCH/nodir/x.lock" "[df]\nlock_file = $SCRATCH/nodir/x.lock"
case_ df "$C:2 (lock_file);$SCRATCH/lockdir" "[df]\nlock_file = $SCRATCH/lockdir"
case_ df "$C:2:;'loud';'syslog'" '[df]\nsyslog = loud'

# --- [db.NAME], read by every tool -----------------------------------------------------
for tool in df backup rotate archive du; do
  case_ $tool "$C:2:;dsn;'notadsn://foo';unknown scheme" '[db.x]\ndsn = notadsn://foo'
done
case_ df "$C:3:;dsn;password" '[db.x]\npassword_file = /etc/x\ndsn = postgresql://u:secret@h/db'
assert_err_not_contains "secret"
case_ backup "$C:2:;dsn;password" '[db.x]\ndsn = mysql://u:secret@h/db'
assert_err_not_contains "secret"
case_ archive "$C:2:;dsn;password" '[db.x]\ndsn = postgresql://u@h/db?password=secret'
assert_err_not_contains "secret"
case_ rotate "$C:2:;dsn;sslmode;'bogus'" '[db.x]\ndsn = postgresql://u@h/db?sslmode=bogus'
case_ df "$C:2:;dsn;gssencmode;'maybe'" '[db.x]\ndsn = postgresql://u@h/db?gssencmode=maybe'
case_ df "$C:2:;dsn;connect_timeout;'soon'" '[db.x]\ndsn = postgresql://u@h/db?connect_timeout=soon'
case_ df "$C:2:;dsn;target_session_attrs;'any-of'" '[db.x]\ndsn = postgresql://u@h/db?target_session_attrs=any-of'
case_ df "$C:2:;dsn;ssl-mode" '[db.x]\ndsn = mysql://u@h/db?ssl-mode=sometimes'
case_ df "$C:2:;dsn;mode" '[db.x]\ndsn = sqlite:///x.db?mode=rx'
case_ df "$C:2:;dsn;port" '[db.x]\ndsn = postgresql://u@h:99999/db'
case_ df "$C:1:;[db.x];dsn" '[db.x]\npassword_file = /etc/x'

# --- [backup] and [backup.NAME], read by every opsbackup subcommand ----------------------
case_ backup "$C:2 (threads);'0'" '[backup]\nthreads = 0'
case_ backup "$C:2 (level);'high'" '[backup]\nlevel = high'
case_ backup "$C:2 (compress);'rar'" '[backup]\ncompress = rar'
case_ backup "$C:2 (pg_format);'tar'" '[backup]\npg_format = tar'
case_ backup "$C:2 (keep_daily);'-2'" '[backup]\nkeep_daily = -2'
case_ backup "$C:2 (keep_weekly);'4w'" '[backup]\nkeep_weekly = 4w'
case_ backup "$C:2:;'perhaps';'globals'" '[backup]\nglobals = perhaps'
case_ backup "$C:2:;database;'nosuch'" '[backup.app]\ndatabase = nosuch'
case_ backup "$C:2:;database;sslmode;'bogus'" '[backup.app]\ndatabase = postgresql://u@h/db?sslmode=bogus'
case_ backup "$C:2:;database;password" '[backup.app]\ndatabase = mysql://u:pw@h/db'
case_ backup "$C:3:;keep_last;'x'" '[backup.app]\nsource = /srv\nkeep_last = x'
case_ backup "$C:5:;pg_format;'tar'" '[db.x]\ndsn = sqlite:///x.db\n[backup.app]\ndatabase = x\npg_format = tar'
case_ backup "$C:3:;one_file_system;'maybe'" '[backup.app]\nsource = /srv\none_file_system = maybe'
case_ backup "$C:1:;[backup.app];database;source" '[backup.app]\ncompress = gzip'

# --- [rotate], read by opsrotate -------------------------------------------------------
case_ rotate "$C:2:;'maybe';'force'" '[rotate]\nforce = maybe'
case_ rotate "$C:2 (state);$SCRATCH/lockdir" "[rotate]\nstate = $SCRATCH/lockdir"
case_ rotate "$C:2 (state);$SCRATCH/nodir/state" "[rotate]\nstate = $SCRATCH/nodir/state"
case_ rotate "$C:2 (log);$SCRATCH/nodir/log" "[rotate]\nlog = $SCRATCH/nodir/log"
case_ rotate "$C:2 (lock_file);$SCRATCH/nodir/l" "[rotate]\nlock_file = $SCRATCH/nodir/l"

# --- [archive] and [archive.NAME], read by every opsarchive subcommand ------------------
case_ archive "$C:2 (batch);'0'" '[archive]\nbatch = 0'
case_ archive "$C:2 (max_rows);'0'" '[archive]\nmax_rows = 0'
case_ archive "$C:2 (sleep);'forever'" '[archive]\nsleep = forever'
case_ archive "$C:2 (max_runtime);'soon'" '[archive]\nmax_runtime = soon'
case_ archive "$C:2 (to_file);/nonexistent/dir/x.csv.gz" '[archive]\nto_file = /nonexistent/dir/x.csv.gz'
case_ archive "$C:2 (file_format);'xml'" '[archive]\nfile_format = xml'
case_ archive "$C:2 (db);'notadsn://x'" '[archive]\ndb = notadsn://x'
case_ archive "$C:2 (table);'.t'" '[archive]\ntable = .t'
case_ archive "$C:2 (level);'99'" '[archive]\nlevel = 99'
case_ archive "$C:2 (delete_older_than);'6m'" '[archive]\ndelete_older_than = 6m'
case_ archive "$C:3:;database;'nosuch'" '[archive.a]\ntable = t\ndatabase = nosuch'
case_ archive "$C:3:;database;mode 'bad'" '[archive.a]\ntable = t\ndatabase = sqlite:///x.db?mode=bad'
case_ archive "$C:3:;to_db;sslmode" '[archive.a]\ntable = t\nto_db = postgresql://h/db?sslmode=yes'
case_ archive "$C:3:;older_than;'1M'" '[archive.logs]\ndir = /var/log/app\nolder_than = 1M'
case_ archive "$C:3:;compress;'rar'" '[archive.logs]\ndir = /var/log/app\ncompress = rar'
case_ archive "$C:3:;unknown key;'colour'" '[archive.logs]\ndir = /var/log/app\ncolour = blue'

# --- every tool checks the sections of the others ----------------------------------------
for tool in backup rotate archive; do
  case_ $tool "$C:2 (window);'-1d'" '[df]\nwindow = -1d'
  case_ $tool "$C:3:;unknown key 'windw' in [df]" '[df]\n# typo\nwindw = 7d'
done
for tool in df rotate archive; do
  case_ $tool "$C:2:;database;'nosuch'" '[backup.app]\ndatabase = nosuch'
  case_ $tool "$C:2 (keep_daily);'-2'" '[backup]\nkeep_daily = -2'
done
for tool in df backup rotate; do
  case_ $tool "$C:2 (batch);'0'" '[archive]\nbatch = 0'
  case_ $tool "$C:3:;older_than;'1M'" '[archive.logs]\ndir = /var/log/app\nolder_than = 1M'
done
# A path another tool creates is checked on this host by that tool only:
# opsrotate's state directory may be missing where only opsdf runs, and that
# must not stop opsdf. (Its other keys are checked by every tool.)
printf '[rotate]\nstate = %s\n' "$SCRATCH/lockdir" >"$C"
run timeout 20 "${DF_DU[@]}"
assert_rc 0
run timeout 20 "${BACKUP[@]}"
assert_rc 0
run timeout 20 opsarchive -c "$C" files --delete-older-than 1000d "$SCRATCH/old"
assert_rc 0
case_ rotate "$C:2 (state);$SCRATCH/lockdir" "[rotate]\nstate = $SCRATCH/lockdir"
# A section no tool reads is left alone: it may be for a tool to come.
# ([health.NAME], [audit.NAME] and [dbupkeep.NAME] were such until their tools came:
# now every tool checks them.)
printf '[future.web]\nurl = https://example.org/\n' >"$C"
run timeout 20 "${DF_DU[@]}"
assert_rc 0
printf '[health.web]\nurl = https://example.org/\n' >"$C"
refused "$C:1;has no 'check' key" "${DF_DU[@]}"
printf '[audit.web]\nurl = https://example.org/\n' >"$C"
refused "$C:2: unknown key 'url'" "${DF_DU[@]}"
printf '[dbupkeep.web]\nurl = https://example.org/\n' >"$C"
refused "$C:2: unknown key 'url'" "${DF_DU[@]}"
refused "$C:2: unknown key 'url'" "${BACKUP[@]}"

# --- the same from OPS_CONFIG ----------------------------------------------------------
printf '[df]\nwindow = -1d\n' >"$C"
refused "$C:2 (window);'-1d'" env OPS_CONFIG="$C" opsdf du "$SCRATCH/old"

# --- a DSN on the command line: malformed is exit 3, unreachable stays 2 -----------------
: >"$C"
refused "sslmode;'bogus'" opsdf -c "$C" db 'postgresql://u@127.0.0.1:1/db?sslmode=bogus'
refused "channel_binding;'always'" opsdf -c "$C" db 'postgresql://u@127.0.0.1:1/db?channel_binding=always'
refused "--database;sslmode;'bogus'" opsdf -c "$C" record --history "$SCRATCH/h.tsv" \
  --database 'postgresql://u@127.0.0.1:1/db?sslmode=bogus'
refused "sslmode;'bogus'" opsbackup -c "$C" db --dir "$SCRATCH/bk" 'postgresql://u@127.0.0.1:1/db?sslmode=bogus'
refused "--db;sslmode;'bogus'" opsarchive -c "$C" rows --db 'postgresql://u@127.0.0.1:1/db?sslmode=bogus' \
  --table t --where 1=1 --purge
run timeout 20 opsdf -c "$C" db 'postgresql://u@127.0.0.1:1/db?sslmode=disable'
assert_rc 2
assert_err_contains "cannot connect"
