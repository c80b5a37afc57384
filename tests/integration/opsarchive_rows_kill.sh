#!/usr/bin/env bash
# opsarchive rows killed (SIGKILL) at OPS_ARCHIVE_KILLS (default 100) random
# moments, spread over three scenarios (34, 33, 33), each archiving 200,000
# generated rows (ids with gaps, timestamps, NULLs, numbers, text with commas,
# quotes, newlines, tabs, CR, backslashes, unicode, empty strings) of which
# about 80% match --where:
#   1. table to table in one MariaDB database (copy and delete in one transaction),
#   2. MariaDB to a PostgreSQL table on the other server (copy committed there
#      first, replayed with ON CONFLICT DO NOTHING and compared after a kill),
#   3. PostgreSQL to a journaled .csv.gz file.
# Each scenario restarts the tool after every kill, then runs it once to
# completion. A pristine copy of the data is kept; at the end source and
# destination together hold every original row exactly once, with the same
# content, and the destination holds exactly the rows matching --where.
# Checked after every kill as well: (1) source + destination hold exactly the
# original number of rows; (2) at most one batch is in both; (3) the file is a
# whole gzip stream whenever no journal is left, and up to the journal's offset
# when one is. Temporary journal files left beside the archive by kills are
# counted and printed, not failed on.
#
# The delays are drawn so the kills spread over the whole archive: runs that
# find nothing and an uninterrupted run over a calibration table of each
# scenario measure the start-up time and the time a row takes; before each kill
# the delay is drawn uniformly from 0 to start-up + twice the time the rows left
# would take divided by the kills left. A kill counts as mid-run when the run
# died of it (exit status 137); a run that ended on its own must have succeeded.
# OPS_ARCHIVE_KILL_SEED fixes the delays drawn (not the machine's timing).
#
# Why 100 in all and not 100 a scenario: under the sanitizers a run takes 0.7 to
# 1.2 s to start (connect, describe the table, probe the statements) on a
# loaded 2-core machine, and 100 kills a scenario took 8.5 minutes there
# (100 in all: about 3.5 minutes); OPS_ARCHIVE_KILLS=300 gives each scenario 100.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
[[ -x ${OPSARCHIVE:-} ]] || fail "OPSARCHIVE is not set to the opsarchive binary"
command -v gzip >/dev/null || fail "gzip is missing"

export TZ=UTC
TOTAL_KILLS=${OPS_ARCHIVE_KILLS:-100}
((TOTAL_KILLS >= 3)) || fail "OPS_ARCHIVE_KILLS must be at least 3"
ROWS=${OPS_ARCHIVE_ROWS:-200000}
BATCH=${OPS_ARCHIVE_BATCH:-200}
CAL_ROWS=$((ROWS / 16))      # the calibration table: the first 1/16 of the rows
SEED=${OPS_ARCHIVE_KILL_SEED:-$(((RANDOM << 15) | RANDOM))}
RANDOM=$SEED
echo "opsarchive_rows_kill: seed $SEED, $ROWS rows a scenario, $TOTAL_KILLS kills in all, --batch $BATCH"

# "Now" is fixed for every run, so every run (and the checks) agree on which
# rows match: rows are spread over the year before it, the where clause takes
# those older than 73 days (80%), not the NULL ones.
export OPS_NOW=2025-06-01T00:00:00Z
NOW_EPOCH=$(date -u -d 2025-06-01T00:00:00Z +%s)
MY_WHERE="created_at < NOW() - INTERVAL 73 DAY"
PG_WHERE="created_at < now() - interval '73 days'"
# The same conditions for the checks, with "now" spelled out.
MY_MATCH="created_at < FROM_UNIXTIME($NOW_EPOCH) - INTERVAL 73 DAY"
PG_MATCH="created_at < timestamptz '2025-06-01 00:00:00+00' - interval '73 days'"

new_mysql_db MYDB
new_pg_db PGDB
cat >"$SCRATCH/ops.conf" <<CONF
[db.my]
dsn = $(mysql_dsn "$MYDB")
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE

[db.pg]
dsn = $(pg_dsn "$PGDB")
password_file = $OPS_TEST_PG_PASSWORD_FILE
CONF
export OPS_CONFIG=$SCRATCH/ops.conf

# --- the data ---------------------------------------------------------------------
# The same shape on both servers; a row's text is the same on both (seconds-only
# timestamps, two-decimal numbers), so rows copied across compare equal.
MY_COLUMNS='id BIGINT NOT NULL PRIMARY KEY, created_at DATETIME NULL, account INT NULL,
  amount DECIMAL(12,2) NULL, status VARCHAR(20) NOT NULL, note TEXT NULL'
MY_TABLE_OPTIONS='ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin'
PG_COLUMNS='id bigint PRIMARY KEY, created_at timestamp, account integer,
  amount numeric(12,2), status varchar(20) NOT NULL, note text'

mysql_sql "$(cat <<SQL
CREATE TABLE orig ($MY_COLUMNS) $MY_TABLE_OPTIONS;
INSERT INTO orig
SELECT seq * 7 + seq % 5,
  CASE WHEN seq % 53 = 0 THEN NULL
       ELSE TIMESTAMP'2024-06-01 00:00:00' + INTERVAL ((seq * 7919) % 31536000) SECOND END,
  CASE WHEN seq % 11 = 0 THEN NULL ELSE (seq * 31) % 1000 END,
  CASE WHEN seq % 13 = 0 THEN NULL ELSE ((seq * 37) % 1000000) / 100 - 5000 END,
  ELT(1 + seq % 4, 'open', 'closed', 'pending', ''),
  CASE seq % 10
    WHEN 0 THEN NULL
    WHEN 1 THEN CONCAT('note, with a comma ', seq)
    WHEN 2 THEN CONCAT('say "hi", ''quoted'' ', seq)
    WHEN 3 THEN CONCAT('line one\nline two ', seq, '\n')
    WHEN 4 THEN ''
    WHEN 5 THEN CONCAT(' leading and trailing ', seq, ' ')
    WHEN 6 THEN CONCAT('Zoë Ångström 患者 ', seq)
    WHEN 7 THEN CONCAT('back\\\\slash\ttab\r\n', seq)
    WHEN 8 THEN REPEAT(CONCAT('x', seq), 1 + seq % 50)
    ELSE CASE seq % 30 WHEN 9 THEN '\\\\N' WHEN 19 THEN 'NULL' ELSE CONCAT('"', seq) END
  END
FROM seq_1_to_$ROWS;
SQL
)" "$MYDB"

pg_sql "$(cat <<SQL
CREATE TABLE orig ($PG_COLUMNS);
INSERT INTO orig
SELECT g * 7 + g % 5,
  CASE WHEN g % 53 = 0 THEN NULL
       ELSE timestamp '2024-06-01 00:00:00' + ((g::bigint * 7919) % 31536000) * interval '1 second' END,
  CASE WHEN g % 11 = 0 THEN NULL ELSE (g * 31) % 1000 END,
  CASE WHEN g % 13 = 0 THEN NULL ELSE ((g::bigint * 37) % 1000000) / 100.0 - 5000 END,
  (ARRAY['open', 'closed', 'pending', ''])[1 + g % 4],
  CASE g % 10
    WHEN 0 THEN NULL
    WHEN 1 THEN 'note, with a comma ' || g
    WHEN 2 THEN 'say "hi", ''quoted'' ' || g
    WHEN 3 THEN E'line one\nline two ' || g || E'\n'
    WHEN 4 THEN ''
    WHEN 5 THEN ' leading and trailing ' || g || ' '
    WHEN 6 THEN 'Zoë Ångström 患者 ' || g
    WHEN 7 THEN E'back\\\\slash\ttab\r\n' || g
    WHEN 8 THEN repeat('x' || g, 1 + g % 50)
    ELSE CASE g % 30 WHEN 9 THEN '\\N' WHEN 19 THEN 'NULL' ELSE '"' || g END
  END
FROM generate_series(1, $ROWS) g;
SQL
)" "$PGDB"

CAL_MAX_ID=$((CAL_ROWS * 7 + 4))
# Scenario tables: a source copied from the pristine table, minus the
# calibration rows, which go to a table of their own.
mysql_sql "CREATE TABLE src1 ($MY_COLUMNS) $MY_TABLE_OPTIONS;
  INSERT INTO src1 SELECT * FROM orig;
  CREATE TABLE archive1 ($MY_COLUMNS) $MY_TABLE_OPTIONS;
  CREATE TABLE cal1 ($MY_COLUMNS) $MY_TABLE_OPTIONS;
  INSERT INTO cal1 SELECT * FROM orig WHERE id <= $CAL_MAX_ID;
  CREATE TABLE cal1_archive ($MY_COLUMNS) $MY_TABLE_OPTIONS;
  CREATE TABLE src2 ($MY_COLUMNS) $MY_TABLE_OPTIONS;
  INSERT INTO src2 SELECT * FROM orig;
  CREATE TABLE cal2 ($MY_COLUMNS) $MY_TABLE_OPTIONS;
  INSERT INTO cal2 SELECT * FROM orig WHERE id <= $CAL_MAX_ID" "$MYDB"
pg_sql "CREATE TABLE archive2 ($PG_COLUMNS);
  CREATE TABLE cal2_archive ($PG_COLUMNS);
  CREATE TABLE src3 (LIKE orig INCLUDING ALL);
  INSERT INTO src3 SELECT * FROM orig;
  CREATE TABLE cal3 (LIKE orig INCLUDING ALL);
  INSERT INTO cal3 SELECT * FROM orig WHERE id <= $CAL_MAX_ID;
  CREATE TABLE restored (LIKE orig)" "$PGDB"

total=$(mysql_sql "SELECT count(*) FROM orig" "$MYDB")
assert_eq "$total" "$ROWS" "rows generated on MariaDB"
assert_eq "$(pg_sql "SELECT count(*) FROM orig" "$PGDB")" "$ROWS" "rows generated on PostgreSQL"
my_matching=$(mysql_sql "SELECT count(*) FROM orig WHERE $MY_MATCH" "$MYDB")
pg_matching=$(pg_sql "SELECT count(*) FROM orig WHERE $PG_MATCH" "$PGDB")
((my_matching > ROWS * 7 / 10 && my_matching < ROWS * 9 / 10)) ||
  fail "the where clause matches $my_matching of $ROWS rows on MariaDB, not about 80%"
((pg_matching > ROWS * 7 / 10 && pg_matching < ROWS * 9 / 10)) ||
  fail "the where clause matches $pg_matching of $ROWS rows on PostgreSQL, not about 80%"

# One line a row: "id md5-of-the-row's-text", NULL told from every string.
MY_ROW_HASH="CONCAT(id, ' ', MD5(CONCAT_WS('|', id, IFNULL(CONCAT('v', created_at), 'n'),
  IFNULL(CONCAT('v', account), 'n'), IFNULL(CONCAT('v', amount), 'n'), CONCAT('v', status),
  IFNULL(CONCAT('v', note), 'n'))))"
PG_ROW_HASH="id || ' ' || md5(concat_ws('|', id, coalesce('v' || created_at::text, 'n'),
  coalesce('v' || account::text, 'n'), coalesce('v' || amount::text, 'n'), 'v' || status,
  coalesce('v' || note, 'n')))"
my_rows() { mysql_sql "SELECT $MY_ROW_HASH FROM $1 ${2:+WHERE $2}" "$MYDB" | LC_ALL=C sort; }
pg_rows() { pg_sql "SELECT $PG_ROW_HASH FROM $1 ${2:+WHERE $2}" "$PGDB" | LC_ALL=C sort; }

# --- killing ----------------------------------------------------------------------
now_ms() { date +%s%3N; }
rand_below() { echo $((((RANDOM << 15) | RANDOM) % $1)); }

# calibrate NAME SOURCE_COUNT_CMD -- ARGS_NOTHING -- ARGS_ALL: times a run that
# finds nothing (start-up) and one that archives the calibration table; sets
# STARTUP_MS and ROW_US (microseconds a row).
calibrate() {
  local name=$1 n t0 t1 t2 i
  shift
  n=$1
  shift
  local -a nothing=() all=()
  while [[ $1 != -- ]]; do nothing+=("$1"); shift; done
  shift
  all=("$@")
  # Start-up: the quickest of three runs that find nothing (a busy machine
  # only ever makes one slower).
  STARTUP_MS=
  for ((i = 0; i < 3; i++)); do
    t0=$(now_ms)
    run "$OPSARCHIVE" -q rows "${nothing[@]}"
    assert_rc 0
    t1=$(now_ms)
    ((STARTUP_MS && STARTUP_MS <= t1 - t0)) || STARTUP_MS=$((t1 - t0))
  done
  run "$OPSARCHIVE" -q rows "${all[@]}"
  assert_rc 0
  t2=$(now_ms)
  ROW_US=$(((t2 - t1 - STARTUP_MS) * 1000 / n))
  ((ROW_US > 0)) || ROW_US=1
  echo "$name: calibration: start-up ${STARTUP_MS} ms, $n rows in $((t2 - t1)) ms (${ROW_US} us a row)"
}

# kill_loop NAME KILLS -- ARGS: KILLS times, start opsarchive rows ARGS, kill it after
# a random delay, and call "${NAME}_remaining" (prints rows left to archive)
# before and "${NAME}_after_kill RUN" after each. Sets MID (kills that landed
# mid-run) and FINISHED (runs that ended on their own).
kill_loop() {
  local name=$1 k pid rc left span delay remaining
  KILLS=$2
  shift 3
  MID=0
  FINISHED=0
  : >"$SCRATCH/$name.runs.err"
  for ((k = 1; k <= KILLS; k++)); do
    remaining=$("${name}_remaining")
    left=$((KILLS - k + 1))
    span=$((STARTUP_MS + 2 * remaining * ROW_US / 1000 / left + 1))
    delay=$(rand_below "$span")
    echo "--- run $k: delay $delay ms, $remaining rows left" >>"$SCRATCH/$name.runs.err"
    "$OPSARCHIVE" -q rows "$@" </dev/null >/dev/null 2>>"$SCRATCH/$name.runs.err" &
    pid=$!
    sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
    kill -KILL "$pid" 2>/dev/null || true
    rc=0
    wait "$pid" 2>/dev/null || rc=$?
    case $rc in
      137) MID=$((MID + 1)) ;;
      0) FINISHED=$((FINISHED + 1)) ;;
      *)
        tail -n 20 "$SCRATCH/$name.runs.err" >&2
        fail "$name: run $k (seed $SEED) exited with status $rc on its own (stderr above)"
        ;;
    esac
    "${name}_after_kill" "$k"
  done
}

# check_once NAME ORIG_MATCHING ORIG_OTHER SOURCE_LEFT DESTINATION (sorted row files)
check_once() {
  local name=$1 om=$2 oo=$3 src=$4 dst=$5
  assert_eq "$(cut -d' ' -f1 "$dst" | uniq -d | wc -l)" 0 "$name: no key twice in the destination"
  assert_eq "$(cut -d' ' -f1 "$src" | uniq -d | wc -l)" 0 "$name: no key twice in the source"
  assert_eq "$(LC_ALL=C sort -m "$src" "$dst" | cut -d' ' -f1 | uniq -d | wc -l)" 0 \
    "$name: no key in both source and destination"
  assert_eq "$(LC_ALL=C comm -3 "$om" "$dst" | wc -l)" 0 \
    "$name: the destination holds exactly the matching rows, as they were (first differences: $(LC_ALL=C comm -3 "$om" "$dst" | sed -n 1,5p | tr '\n\t' ' |'))"
  assert_eq "$(LC_ALL=C comm -3 "$oo" "$src" | wc -l)" 0 \
    "$name: the source holds exactly the rows not matching, as they were (first differences: $(LC_ALL=C comm -3 "$oo" "$src" | sed -n 1,5p | tr '\n\t' ' |'))"
  assert_eq "$(($(wc -l <"$src") + $(wc -l <"$dst")))" "$ROWS" "$name: source + destination hold every row"
}

summary=()

# --- 1. table to table, one MariaDB database -----------------------------------------
calibrate s1 "$(mysql_sql "SELECT count(*) FROM cal1 WHERE $MY_MATCH" "$MYDB")" \
  --db my --table cal1 --where '1 = 0' --to-table cal1_archive --batch "$BATCH" -- \
  --db my --table cal1 --where "$MY_WHERE" --to-table cal1_archive --batch "$BATCH"
# shellcheck disable=SC2317  # called by kill_loop as ${name}_remaining
s1_remaining() { mysql_sql "SELECT count(*) FROM src1 WHERE $MY_MATCH" "$MYDB"; }
# shellcheck disable=SC2317  # called by kill_loop as ${name}_after_kill
s1_after_kill() {  # copy and delete commit as one: never a row in both or in neither
  local n
  n=$(mysql_sql "SELECT (SELECT count(*) FROM src1) + (SELECT count(*) FROM archive1)" "$MYDB")
  [[ $n == "$ROWS" ]] || fail "s1: after kill $1 (seed $SEED) source + destination hold $n rows, not $ROWS"
}
t0=$(now_ms)
kill_loop s1 "$((TOTAL_KILLS - 2 * (TOTAL_KILLS / 3)))" -- --db my --table src1 --where "$MY_WHERE" --to-table archive1 --batch "$BATCH"
before_final=$(mysql_sql "SELECT count(*) FROM archive1" "$MYDB")
run "$OPSARCHIVE" rows --db my --table src1 --where "$MY_WHERE" --to-table archive1 --batch "$BATCH"
assert_rc 0
my_rows orig "$MY_MATCH" >"$SCRATCH/s1.om"
my_rows orig "NOT ($MY_MATCH) OR created_at IS NULL" >"$SCRATCH/s1.oo"
my_rows src1 >"$SCRATCH/s1.src"
my_rows archive1 >"$SCRATCH/s1.dst"
check_once s1 "$SCRATCH/s1.om" "$SCRATCH/s1.oo" "$SCRATCH/s1.src" "$SCRATCH/s1.dst"
summary+=("table to table (MariaDB): $KILLS kills, $MID mid-run, $FINISHED finished on their own; $(wc -l <"$SCRATCH/s1.dst") rows moved ($before_final before the final run); $(($(now_ms) - t0)) ms")
((MID * 2 > KILLS)) || fail "s1: only $MID of $KILLS kills landed mid-run: the test did not test"

# --- 2. MariaDB to PostgreSQL -----------------------------------------------------
calibrate s2 "$(mysql_sql "SELECT count(*) FROM cal2 WHERE $MY_MATCH" "$MYDB")" \
  --db my --table cal2 --where '1 = 0' --to-db pg --to-table cal2_archive --batch "$BATCH" -- \
  --db my --table cal2 --where "$MY_WHERE" --to-db pg --to-table cal2_archive --batch "$BATCH"
# shellcheck disable=SC2317  # called by kill_loop as ${name}_remaining
s2_remaining() { mysql_sql "SELECT count(*) FROM src2 WHERE $MY_MATCH" "$MYDB"; }
# shellcheck disable=SC2317  # called by kill_loop as ${name}_after_kill
s2_after_kill() {  # the copy commits before the delete: at most one batch in both
  local n
  n=$(($(mysql_sql "SELECT count(*) FROM src2" "$MYDB") + $(pg_sql "SELECT count(*) FROM archive2" "$PGDB")))
  ((n >= ROWS && n <= ROWS + BATCH)) ||
    fail "s2: after kill $1 (seed $SEED) source + destination hold $n rows, not $ROWS to $((ROWS + BATCH))"
  ((n == ROWS)) || IN_BOTH=$((IN_BOTH + 1))
}
IN_BOTH=0
t0=$(now_ms)
kill_loop s2 "$((TOTAL_KILLS / 3))" -- --db my --table src2 --where "$MY_WHERE" --to-db pg --to-table archive2 --batch "$BATCH"
before_final=$(pg_sql "SELECT count(*) FROM archive2" "$PGDB")
run "$OPSARCHIVE" rows --db my --table src2 --where "$MY_WHERE" --to-db pg --to-table archive2 --batch "$BATCH"
assert_rc 0
cp "$SCRATCH/s1.om" "$SCRATCH/s2.om"
cp "$SCRATCH/s1.oo" "$SCRATCH/s2.oo"
my_rows src2 >"$SCRATCH/s2.src"
pg_rows archive2 >"$SCRATCH/s2.dst"
check_once s2 "$SCRATCH/s2.om" "$SCRATCH/s2.oo" "$SCRATCH/s2.src" "$SCRATCH/s2.dst"
summary+=("MariaDB to PostgreSQL: $KILLS kills, $MID mid-run, $FINISHED finished on their own; $(wc -l <"$SCRATCH/s2.dst") rows moved ($before_final before the final run); $IN_BOTH kills left a batch in both, replayed by the next run; $(($(now_ms) - t0)) ms")
((MID * 2 > KILLS)) || fail "s2: only $MID of $KILLS kills landed mid-run: the test did not test"

# --- 3. PostgreSQL to a .csv.gz file ----------------------------------------------
mkdir "$SCRATCH/files"
F=$SCRATCH/files/x.csv.gz
calibrate s3 "$(pg_sql "SELECT count(*) FROM cal3 WHERE $PG_MATCH" "$PGDB")" \
  --db pg --table cal3 --where '1 = 0' --to-file "$SCRATCH/cal.csv.gz" --batch "$BATCH" -- \
  --db pg --table cal3 --where "$PG_WHERE" --to-file "$SCRATCH/cal.csv.gz" --batch "$BATCH"
# shellcheck disable=SC2317  # called by kill_loop as ${name}_remaining
s3_remaining() { pg_sql "SELECT count(*) FROM src3 WHERE $PG_MATCH" "$PGDB"; }
# shellcheck disable=SC2317  # called by kill_loop as ${name}_after_kill
s3_after_kill() {  # whole members only, but for the one a journal names
  local offset
  [[ -e $F ]] || return 0
  if [[ -e $F.pending ]]; then
    JOURNALS=$((JOURNALS + 1))
    offset=$(grep -o '"offset":[0-9]*' "$F.pending" | cut -d: -f2)
    [[ -n $offset ]] || fail "s3: after kill $1 (seed $SEED) the journal has no offset: $(cat "$F.pending")"
    ((offset == 0)) || head -c "$offset" "$F" | gzip -t ||
      fail "s3: after kill $1 (seed $SEED) $F is broken before the journal's offset $offset"
  else
    gzip -t "$F" || fail "s3: after kill $1 (seed $SEED) $F is broken and no journal says so"
  fi
}
JOURNALS=0
t0=$(now_ms)
kill_loop s3 "$((TOTAL_KILLS / 3))" -- --db pg --table src3 --where "$PG_WHERE" --to-file "$F" --batch "$BATCH"
before_final=$((pg_matching - $(s3_remaining)))
run "$OPSARCHIVE" rows --db pg --table src3 --where "$PG_WHERE" --to-file "$F" --batch "$BATCH"
assert_rc 0
assert_no_file "$F.pending"
run gzip -t "$F"
assert_rc 0
assert_eq "$(zcat "$F" | sed -n 1p)" "id,created_at,account,amount,status,note" "s3: one header line at the start"
# Only the header names the columns: \copy … CSV HEADER skips the first line alone.
assert_eq "$(zcat "$F" | grep -c '^id,created_at,account,amount,status,note$')" 1 "s3: the header once"
zcat "$F" | PGPASSFILE=$(pg_passfile) psql -X -q -w -v ON_ERROR_STOP=1 -d "$(pg_dsn "$PGDB")" -c '\copy restored FROM STDIN WITH (FORMAT csv, HEADER true)' ||
  fail "s3: the file does not load back into PostgreSQL"
pg_rows orig "$PG_MATCH" >"$SCRATCH/s3.om"
pg_rows orig "NOT ($PG_MATCH) OR created_at IS NULL" >"$SCRATCH/s3.oo"
pg_rows src3 >"$SCRATCH/s3.src"
# restored has no primary key, so a row twice in the file shows in check_once.
pg_rows restored >"$SCRATCH/s3.dst"
check_once s3 "$SCRATCH/s3.om" "$SCRATCH/s3.oo" "$SCRATCH/s3.src" "$SCRATCH/s3.dst"
litter=$(find "$SCRATCH/files" -mindepth 1 ! -name x.csv.gz -printf "%f " | wc -w)
litter_names=$(find "$SCRATCH/files" -mindepth 1 ! -name x.csv.gz -printf "%f ")
summary+=("PostgreSQL to .csv.gz: $KILLS kills, $MID mid-run, $FINISHED finished on their own; $(wc -l <"$SCRATCH/s3.dst") rows moved ($before_final before the final run); $JOURNALS kills left a journal; $(($(now_ms) - t0)) ms; $litter other files left beside it${litter_names:+ ($litter_names)}")
((MID * 2 > KILLS)) || fail "s3: only $MID of $KILLS kills landed mid-run: the test did not test"
assert_eq "$litter" 0 "s3: nothing left beside the file ($litter_names)"

for line in "${summary[@]}"; do echo "opsarchive_rows_kill: $line"; done
finish
