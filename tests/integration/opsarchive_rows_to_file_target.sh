#!/usr/bin/env bash
# Issue 14, item 9: `opsarchive rows --to-file` refuses a destination that is
# not a regular file or a new path (/dev/full, /dev/null, a FIFO, a directory,
# a symlink to any of them or to a regular file), before anything is written
# and before any row is touched: exit 3, one line naming the path; the rows
# stay in the source (PostgreSQL, MariaDB, SQLite) and no file appears
# (PATH.pending included). Before the fix /dev/full took the run as far as
# writing /dev/full.pending. Also: an unreadable journal PATH.pending is one
# line naming the file and the JSON error, not nlohmann's raw exception text.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/bootstrap installs it)"

export OPS_NOW=2026-12-02T12:00:00Z
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_ARCHIVE_' || true)

new_pg_db PGDB
new_mysql_db MYDB
LITE=$SCRATCH/app.db
cat >"$SCRATCH/ops.conf" <<CONF
[db.pg]
dsn = $(pg_dsn "$PGDB")
password_file = $OPS_TEST_PG_PASSWORD_FILE

[db.my]
dsn = $(mysql_dsn "$MYDB")
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE

[db.lite]
dsn = sqlite://$LITE
CONF
arch() { run timeout 10 "$OPSARCHIVE" -c "$SCRATCH/ops.conf" "$@"; }

pg_sql "CREATE TABLE events (id bigint PRIMARY KEY, note text);
        INSERT INTO events SELECT g, 'n' || g FROM generate_series(1, 50) g;" "$PGDB"
mysql_sql "CREATE TABLE events (id bigint PRIMARY KEY, note text);
           INSERT INTO events SELECT seq, CONCAT('n', seq) FROM seq_1_to_50;" "$MYDB"
sqlite3 "$LITE" "CREATE TABLE events (id INTEGER PRIMARY KEY, note TEXT);
                 WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 50)
                 INSERT INTO events SELECT i, 'n' || i FROM g;"
rows_of() {
  case $1 in
    pg) pg_sql "SELECT count(*), sum(id) FROM events" "$PGDB" ;;
    my) mysql_sql "SELECT count(*), sum(id) FROM events" "$MYDB" | tr '\t' '|' ;;
    lite) sqlite3 "$LITE" "SELECT count(*), sum(id) FROM events" ;;
  esac
}

# The places a run could leave something: the scratch tree, listed.
T=$SCRATCH/targets
mkdir "$T" "$T/dir"
mkfifo "$T/fifo"
touch "$T/regular.csv"
ln -s /dev/full "$T/to-full"
ln -s /dev/null "$T/to-null"
ln -s fifo "$T/to-fifo"
ln -s dir "$T/to-dir"
ln -s regular.csv "$T/to-regular"
ln -s missing.csv "$T/dangling"
# Mtimes too: a directory's own size, which tree_state leaves out, changes only with them.
before=$(tree_state --mtime "$T")
# /dev is shared with whatever else runs on the host (an older opsarchive may
# have left a /dev/full.pending there): what is checked is that these runs
# create or replace nothing there, by inode and time.
dev_pending() { stat -c '%n %i %y' /dev/full.pending /dev/null.pending 2>/dev/null || true; }
dev_before=$(dev_pending)

refused() {  # DB PATH KIND: the run is refused whole, one line naming PATH
  local db=$1 path=$2 kind=$3
  arch rows --db "$db" --table events --where "1=1" --to-file "$path"
  assert_rc 3
  assert_eq "$(grep -c 'error:' "$ERR_FILE")" 1 "one error line ($db, $path)"
  assert_eq "$(grep -vc -e 'error:' -e 'hint:' "$ERR_FILE" || true)" 0 "nothing but the error and its hint ($db, $path)"
  assert_err_contains "opsarchive: error: --to-file: '$path' is $kind, not a regular file"
  assert_eq "$OUT" "" "nothing on stdout ($db, $path)"
}
for db in pg my lite; do
  want=$(rows_of "$db")
  refused "$db" /dev/full "a character device"
  refused "$db" /dev/null "a character device"
  refused "$db" "$T/fifo" "a FIFO"
  refused "$db" "$T/dir" "a directory"
  refused "$db" "$T/to-full" "a symlink to /dev/full"
  refused "$db" "$T/to-null" "a symlink to /dev/null"
  refused "$db" "$T/to-fifo" "a symlink to fifo"
  refused "$db" "$T/to-dir" "a symlink to dir"
  refused "$db" "$T/to-regular" "a symlink to regular.csv"
  refused "$db" "$T/dangling" "a symlink to missing.csv"
  # A dry run checks the same.
  arch rows --db "$db" --table events --where "1=1" --to-file /dev/full -n
  assert_rc 3
  assert_err_contains "--to-file: '/dev/full' is a character device"
  assert_eq "$(rows_of "$db")" "$want" "$db: the rows are untouched"
done
assert_eq "$(rows_of pg)" "50|1275" "PostgreSQL rows untouched"
assert_eq "$(rows_of my)" "50|1275" "MariaDB rows untouched"
assert_eq "$(rows_of lite)" "50|1275" "SQLite rows untouched"
assert_eq "$(dev_pending)" "$dev_before" "no /dev/full.pending or /dev/null.pending written"
assert_tree_unchanged "$before" "$T" "nothing created or changed beside the targets"

# The same in an [archive.NAME] job of ops.conf.
cat >>"$SCRATCH/ops.conf" <<CONF

[archive.full]
database = lite
table = events
where = 1=1
to_file = /dev/full
CONF
run timeout 10 "$OPSARCHIVE" -c "$SCRATCH/ops.conf" run
assert_rc 3
assert_err_contains "'/dev/full' is a character device, not a regular file"
assert_eq "$(rows_of lite)" "50|1275" "SQLite rows untouched by the job"
assert_eq "$(dev_pending)" "$dev_before" "no /dev/full.pending written by the job"
sed -i '/^\[archive.full\]/,$d' "$SCRATCH/ops.conf"

# A regular file and a new path still work, for every engine.
for db in pg my lite; do
  arch rows --db "$db" --table events --where "id <= 10" --to-file "$SCRATCH/$db.csv"
  assert_rc 0
  assert_eq "$(wc -l <"$SCRATCH/$db.csv")" 11 "$db: header and 10 rows in the new file"
  assert_no_file "$SCRATCH/$db.csv.pending"
done
arch rows --db lite --table events --where "id <= 12" --to-file "$T/regular.csv"
assert_rc 0
assert_eq "$(wc -l <"$T/regular.csv")" 3 "an existing empty regular file: header and 2 rows"

# --- an unreadable journal: one line naming the file and the JSON error -------------
printf 'not json\n' >"$SCRATCH/lite.csv.pending"
arch rows --db lite --table events --where "id <= 20" --to-file "$SCRATCH/lite.csv"
assert_rc 2
assert_eq "$(wc -l <"$ERR_FILE")" 1 "one line on stderr"
assert_err_matches "^opsarchive: error: $SCRATCH/lite\.csv\.pending: unreadable journal: parse error at line 1, column 2: syntax error while parsing value - invalid literal; last read: 'no'$"
assert_err_not_contains "json.exception"
printf '{"offset": 0}' >"$SCRATCH/lite.csv.pending"
arch rows --db lite --table events --where "id <= 20" --to-file "$SCRATCH/lite.csv"
assert_rc 2
assert_eq "$(wc -l <"$ERR_FILE")" 1 "one line on stderr"
assert_err_matches "^opsarchive: error: $SCRATCH/lite\.csv\.pending: unreadable journal: key 'keys' not found$"
assert_eq "$(rows_of lite)" "38|1197" "SQLite: no row moved while the journal is unreadable"
