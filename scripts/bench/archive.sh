#!/usr/bin/env bash
# archive.sh — opsarchive rows against pt-archiver on MariaDB, in one run: move the
# old rows of a generated audit-log table to its archive table with each tool, on
# the same data, and print rows/s and the ratio.
#
#   scripts/bench/archive.sh
#   BENCH_ROWS=100000 RUNS=1 PT_DEFAULT_SECS=10 scripts/bench/archive.sh   (a quick look)
#
# The defaults took 13 minutes on a busy 2-CPU machine (load average 3 to 5), with
# new throwaway servers and the data made anew (30 to 50 s); each run refills the
# table first (5 to 20 s), which is not timed.
#
# Environment:
#   OPSARCHIVE       the opsarchive binary to measure (default: a Release build made in
#                    build-bench/ at the repository root, without the tests)
#   BENCH_ROWS       rows of audit_logs (default 1000000)
#   BENCH_OLD_PCT    percent of them older than 90 days, the rows to archive (default 85)
#   BENCH_BATCH      rows a batch: pt-archiver's --limit, opsarchive's --batch (default 1000)
#   BENCH_SETTINGS   what to measure, in this order each round (default
#                    "opsarchive pt-bulk pt-bulk-insert pt-default"; see below)
#   PT_DEFAULT_SECS  pt-archiver's --run-time with its defaults, which move a row a
#                    statement and a transaction: too slow to move everything (default 60)
#   RUNS             timed runs of each setting (default 3; medians are reported)
#   BENCH_BUFFER_POOL, BENCH_REDO_LOG
#                    InnoDB buffer pool and redo log size for the run (default 2G and
#                    512M: the tables must fit in memory, and the test servers' 64M/32M
#                    would measure page flushing instead); set with SET GLOBAL through
#                    the servers' root socket, and put back afterwards when the servers
#                    are reused. Empty: leave the server as it is.
#   OPS_TEST_MYSQL_DSN, OPS_TEST_MYSQL_PASSWORD_FILE, OPS_TEST_SERVERS_DIR
#                    a server to use (as scripts/test-servers prints them); when unset,
#                    throwaway servers are started for the run and stopped after it.
#                    The data goes into a database ops_test_archive next to ops_test and
#                    is reused by the next run when it has the same size and was made in
#                    the last 20 hours (see "The data").
#
# The settings, all with --where "created_at < NOW() - INTERVAL 90 DAY", from
# audit_logs to audit_logs_archive on the same server:
#   opsarchive      opsarchive -c ops.conf rows --db bench --table audit_logs
#                   --where ... --to-table audit_logs_archive --batch 1000
#                   (ops.conf has a [db.bench] section with dsn and password_file)
#   pt-bulk         pt-archiver --source h=,P=,u=,F=my.cnf,D=,t=audit_logs,L=1
#                   --charset utf8 --no-check-charset --dest t=audit_logs_archive
#                   --where ... --bulk-insert --bulk-delete --limit 1000 --commit-each
#   pt-bulk-insert  the same without --bulk-delete: the setting the issue quotes
#                   (pt-archiver 3.2.1 turns --bulk-delete on with --bulk-insert anyway)
#   pt-default      pt-archiver --source h=,P=,u=,F=my.cnf,D=,t=audit_logs,A=utf8mb4
#                   --dest ... --where ... with its defaults (--limit 1 --txn-size 1:
#                   a row a statement and a commit) for PT_DEFAULT_SECS seconds
#                   (--run-time); rows/s from the rows it moved
# Every pt-archiver run has --no-version-check (it would otherwise call percona.com).
# Passwords are in a 0600 file (F= in pt-archiver's DSN, password_file for opsarchive),
# never on a command line. L=1 lets the client send LOAD DATA LOCAL INFILE, which
# --bulk-insert uses; the server must have local_infile=1 (MariaDB's default; checked).
# --charset utf8 --no-check-charset is the one way pt-archiver 3.2.1 bulk-inserts
# non-ASCII utf8mb4 text intact (as far as it fits utf8mb3: the data has no 4-byte
# characters). With A=utf8mb4 it dies ("Wide character in print": its LOAD DATA file
# has no encoding layer), with --charset utf8mb4 too ("Cannot find encoding"), and
# with no charset at all it reads through a latin1 connection and archives '?' for
# every character outside Latin-1, which the check below catches.
#
# The data: audit_logs(id BIGINT AUTO_INCREMENT PRIMARY KEY, created_at DATETIME NOT
# NULL, user_id INT, action VARCHAR(32), entity VARCHAR(64), entity_id BIGINT,
# ip VARCHAR(45), details TEXT NULL, KEY(created_at)), InnoDB, utf8mb4. ids rise with
# created_at, as an application writes them; rows come at an even rate over
# 90 * 100 / (100 - BENCH_OLD_PCT) days (600 for 85%) up to the moment they are made,
# except for two days without rows around the cut-off (91 to 89 days back), so that
# the rows the where clause picks do not change while NOW() moves on (for a day after
# they are made). details is a JSON-like text of 100 to 300 bytes, NULL in 10% of the
# rows, with some non-ASCII names in it; user_id and ip are NULL in 3%. A seeded
# RAND() makes the same BENCH_ROWS give the same data. It is made once, with
# INSERT ... SELECT from MariaDB's sequence engine, into audit_logs_pristine; before
# every run audit_logs is refilled from it (TRUNCATE + INSERT ... SELECT, in id
# order) and audit_logs_archive emptied, then the server is let settle (dirty pages
# flushed, purge done) so every run starts from the same state.
#
# After every run, before its time counts: no id in both tables; audit_logs and
# audit_logs_archive together hold exactly the rows of audit_logs_pristine (count,
# and sums of CRC32 and of an MD5 prefix of every row's columns); every archived row
# matches the where clause; and, when the run was to finish, the archive holds
# exactly the rows that match it. A run that fails either way stops the benchmark
# with the command and its output.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
RUNS=${RUNS:-3}
BENCH_ROWS=${BENCH_ROWS:-1000000}
BENCH_OLD_PCT=${BENCH_OLD_PCT:-85}
BENCH_BATCH=${BENCH_BATCH:-1000}
BENCH_SETTINGS=${BENCH_SETTINGS:-opsarchive pt-bulk pt-bulk-insert pt-default}
PT_DEFAULT_SECS=${PT_DEFAULT_SECS:-60}
BENCH_BUFFER_POOL=${BENCH_BUFFER_POOL-2G}
BENCH_REDO_LOG=${BENCH_REDO_LOG-512M}
BENCH_DB=ops_test_archive
WHERE='created_at < NOW() - INTERVAL 90 DAY'
DATA_VERSION=1   # bump when the generator changes, so old data is not reused

die() { echo "archive.sh: error: $*" >&2; exit 1; }
note() { echo "archive.sh: $*" >&2; }
posint() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
posint "$BENCH_ROWS" || die "BENCH_ROWS must be a positive integer"
posint "$RUNS" || die "RUNS must be a positive integer"
posint "$PT_DEFAULT_SECS" || die "PT_DEFAULT_SECS must be a positive integer"
{ posint "$BENCH_BATCH" && ((BENCH_BATCH >= 2)); } || die "BENCH_BATCH must be an integer of 2 or more (pt-archiver's bulk options refuse --limit 1)"
{ posint "$BENCH_OLD_PCT" && ((BENCH_OLD_PCT < 100)); } || die "BENCH_OLD_PCT must be an integer from 1 to 99"
bytes() {  # bytes SIZE: 512M, 1G, 1048576 -> bytes
  [[ $1 =~ ^([0-9]+)([KMG]?)$ ]] || die "not a size: '$1' (use e.g. 512M or 1G)"
  local n=${BASH_REMATCH[1]}
  case ${BASH_REMATCH[2]} in K) n=$((n << 10)) ;; M) n=$((n << 20)) ;; G) n=$((n << 30)) ;; esac
  echo "$n"
}
pool_bytes='' redo_bytes=''
[[ -n $BENCH_BUFFER_POOL ]] && pool_bytes=$(bytes "$BENCH_BUFFER_POOL")
[[ -n $BENCH_REDO_LOG ]] && redo_bytes=$(bytes "$BENCH_REDO_LOG")

settings=()
do_ops=0
for s in $BENCH_SETTINGS; do
  case $s in
    opsarchive) do_ops=1 ;;
    pt-bulk|pt-bulk-insert|pt-default) ;;
    *) die "unknown setting '$s' in BENCH_SETTINGS (opsarchive, pt-bulk, pt-bulk-insert, pt-default)" ;;
  esac
  settings+=("$s")
done
((${#settings[@]})) || die "BENCH_SETTINGS names nothing to measure"

for tool in mariadb pt-archiver awk sort; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/bootstrap bench installs it)"
done
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

if ((do_ops)) && [[ -z ${OPSARCHIVE:-} ]]; then
  note "building opsarchive (Release) in $repo/build-bench ..."
  cmake -S "$repo" -B "$repo/build-bench" -DCMAKE_BUILD_TYPE=Release -DOPS_BUILD_TESTS=OFF >/dev/null
  cmake --build "$repo/build-bench" -j"$(nproc)" --target opsarchive >/dev/null
  OPSARCHIVE=$repo/build-bench/tools/opsarchive/opsarchive
fi
((do_ops)) && { [[ -x $OPSARCHIVE ]] || die "no opsarchive binary at $OPSARCHIVE"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ops-bench-archive.XXXXXX")
servers=
sampler=
restore_globals=
cleanup() {
  if [[ -n $sampler ]]; then kill "$sampler" 2>/dev/null || true; fi
  if [[ -n $restore_globals ]]; then admin -e "$restore_globals" || note "warning: could not put back: $restore_globals"; fi
  if [[ -n $servers ]]; then "$repo/scripts/test-servers" stop --state-dir "$servers" || true; fi
  rm -rf -- "$work"
}
trap cleanup EXIT

# --- the server -----------------------------------------------------------------------
if [[ -z ${OPS_TEST_MYSQL_DSN:-} ]]; then
  servers=$work/servers
  note "starting throwaway servers in $servers ..."
  "$repo/scripts/test-servers" start --state-dir "$servers" >/dev/null
  set -a
  # shellcheck disable=SC1091
  . "$servers/env"
  set +a
fi
[[ -r ${OPS_TEST_MYSQL_PASSWORD_FILE:-} ]] || die "OPS_TEST_MYSQL_PASSWORD_FILE is not a readable file"
[[ ${OPS_TEST_MYSQL_DSN:-} =~ ^(mysql|mariadb)://([^@/:]+)@([^/:?]+)(:([0-9]+))?/[^/?]+$ ]] \
  || die "OPS_TEST_MYSQL_DSN is not of the form mysql://USER@HOST[:PORT]/DB: ${OPS_TEST_MYSQL_DSN:-}"
MY_USER=${BASH_REMATCH[2]} MY_HOST=${BASH_REMATCH[3]} MY_PORT=${BASH_REMATCH[5]:-3306}
MY_DSN=mysql://$MY_USER@$MY_HOST:$MY_PORT/$BENCH_DB

# The password in a [client] option file, 0600: for the mariadb client, and for
# pt-archiver through F= in its DSN.
(umask 077 && mkdir "$work/secrets")
pw=$(head -n 1 "$OPS_TEST_MYSQL_PASSWORD_FILE")
pw=${pw//\\/\\\\}
(umask 077 && printf '[client]\npassword="%s"\n' "${pw//\"/\\\"}" >"$work/secrets/my.cnf")
MY_CNF=$work/secrets/my.cnf
unset pw
sql() { mariadb --defaults-extra-file="$MY_CNF" --host="$MY_HOST" --port="$MY_PORT" --user="$MY_USER" \
          --protocol=tcp --default-character-set=utf8mb4 -N -B "$@"; }
dbsql() { sql "$@" "$BENCH_DB"; }

# The servers' root, through the socket, for SET GLOBAL (the ops_test account may not).
admin_sock=
if [[ -n ${OPS_TEST_SERVERS_DIR:-} && -S $OPS_TEST_SERVERS_DIR/run/mysql/mysqld.sock ]]; then
  admin_sock=$OPS_TEST_SERVERS_DIR/run/mysql/mysqld.sock
fi
admin() { mariadb --no-defaults --socket="$admin_sock" --user="$(id -un)" -N -B "$@"; }
if [[ -n $admin_sock ]] && ! admin -e 'SELECT 1' >/dev/null 2>&1; then admin_sock=; fi

sql -e "CREATE DATABASE IF NOT EXISTS $BENCH_DB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" \
  || die "cannot create database $BENCH_DB on $MY_HOST:$MY_PORT"
[[ $(sql -e 'SELECT @@local_infile') == 1 ]] \
  || die "the server has local_infile=0: pt-archiver --bulk-insert needs LOAD DATA LOCAL INFILE (SET GLOBAL local_infile = 1)"

if [[ -n $pool_bytes$redo_bytes ]]; then
  if [[ -z $admin_sock ]]; then
    note "warning: no root socket of the test servers (OPS_TEST_SERVERS_DIR): InnoDB settings left as they are"
  else
    read -r old_pool old_redo < <(admin -e 'SELECT @@innodb_buffer_pool_size, @@innodb_log_file_size')
    set_globals='' restore=''
    if [[ -n $pool_bytes && $old_pool != "$pool_bytes" ]]; then
      set_globals+="SET GLOBAL innodb_buffer_pool_size = $pool_bytes; "
      restore+="SET GLOBAL innodb_buffer_pool_size = $old_pool; "
    fi
    if [[ -n $redo_bytes && $old_redo != "$redo_bytes" ]]; then
      set_globals+="SET GLOBAL innodb_log_file_size = $redo_bytes; "
      restore+="SET GLOBAL innodb_log_file_size = $old_redo; "
    fi
    if [[ -n $set_globals ]]; then
      admin -e "$set_globals" || die "could not change the InnoDB settings: $set_globals"
      [[ -z $servers ]] && restore_globals=$restore   # throwaway servers need nothing back
      # The buffer pool is resized in the background.
      for ((i = 0; i < 600; i++)); do
        [[ -z $pool_bytes || $(sql -e 'SELECT @@innodb_buffer_pool_size') == "$pool_bytes" ]] && break
        sleep 0.1
      done
    fi
  fi
fi

# --- the data -------------------------------------------------------------------------
COLS='id, created_at, user_id, action, entity, entity_id, ip, details'
# One line: rows, sum of CRC32, sum of the first 48 bits of MD5, of every row's columns
# (QUOTE tells NULL from 'NULL' and keeps the columns apart).
checksum_sql() {  # checksum_sql TABLE-EXPRESSION [WHERE-CONDITION]
  echo "SELECT COUNT(*), IFNULL(SUM(CRC32(r)), 0), IFNULL(SUM(CAST(CONV(LEFT(MD5(r), 12), 16, 10) AS UNSIGNED)), 0)
        FROM (SELECT CONCAT_WS('|', t.id, t.created_at, QUOTE(t.user_id), QUOTE(t.action), QUOTE(t.entity),
                     QUOTE(t.entity_id), QUOTE(t.ip), QUOTE(t.details)) AS r
              FROM $1 ${2:+WHERE $2}) c"
}

old_rows=$((BENCH_ROWS * BENCH_OLD_PCT / 100))
((old_rows >= 1 && old_rows < BENCH_ROWS)) || die "BENCH_ROWS=$BENCH_ROWS and BENCH_OLD_PCT=$BENCH_OLD_PCT leave no rows to archive or none to keep"
total_days=$((9000 / (100 - BENCH_OLD_PCT)))
old_span=$(((total_days - 90) * 86400))   # seconds the old rows cover, ending 91 days back
new_span=$((89 * 86400))                    # the recent rows: 89 days back to now
want="v$DATA_VERSION rows=$BENCH_ROWS old=$old_rows"

generate() {
  local chunk=100000 a b
  note "generating $BENCH_ROWS rows of audit_logs_pristine ($old_rows older than 90 days) ..."
  local t0=$SECONDS
  dbsql <<'EOF'
DROP TABLE IF EXISTS bench_meta, audit_logs, audit_logs_archive, audit_logs_pristine;
CREATE TABLE audit_logs_pristine (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  created_at DATETIME NOT NULL,
  user_id INT,
  action VARCHAR(32),
  entity VARCHAR(64),
  entity_id BIGINT,
  ip VARCHAR(45),
  details TEXT NULL,
  KEY (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE bench_meta (
  generated VARCHAR(100) NOT NULL,
  anchor DATETIME NOT NULL,
  all_sum VARCHAR(100) NOT NULL,
  old_sum VARCHAR(100) NOT NULL
) ENGINE = InnoDB;
EOF
  {
    echo "SET SESSION rand_seed1 = 421234567, rand_seed2 = 94321987;"
    echo "SET @anchor = NOW();"
    echo "SET @words = 'Called the client back about the overdue invoice; José García asked for a copy of the signed contract and the minutes of the last review. Status changed after the appointment with Zoë Müller was moved to next week. Attachment uploaded by Łukasz Nowak replaced the scanned letter; the old version was kept for the file. Address corrected at the request of Søren Jensen, confirmed by phone. Priority raised because the deadline falls before the hearing.';"
    for ((a = 1; a <= BENCH_ROWS; a += chunk)); do
      b=$((a + chunk - 1))
      ((b > BENCH_ROWS)) && b=$BENCH_ROWS
      cat <<EOF
INSERT INTO audit_logs_pristine ($COLS)
SELECT seq,
  IF(seq <= $old_rows,
     @anchor - INTERVAL 91 DAY - INTERVAL FLOOR(($old_rows - seq) * $old_span / $old_rows) SECOND,
     @anchor - INTERVAL 89 DAY + INTERVAL FLOOR((seq - $old_rows) * $new_span / $((BENCH_ROWS - old_rows))) SECOND),
  u, action, entity, entity_id, IF(u IS NULL, NULL, ip), details
FROM (SELECT seq,
        IF(RAND() < 0.03, NULL, 1 + FLOOR(POW(RAND(), 2) * 20000)) AS u,
        ELT(1 + FLOOR(RAND() * 12), 'login', 'logout', 'view', 'view', 'view', 'view', 'update', 'update',
            'update', 'create', 'delete', 'export') AS action,
        ELT(1 + FLOOR(RAND() * 8), 'case', 'patient', 'document', 'invoice', 'user', 'appointment', 'note',
            'attachment') AS entity,
        1 + FLOOR(RAND() * 5000000) AS entity_id,
        IF(RAND() < 0.9,
           CONCAT_WS('.', 1 + FLOOR(RAND() * 223), FLOOR(RAND() * 256), FLOOR(RAND() * 256), FLOOR(RAND() * 256)),
           CONCAT('2001:db8:', HEX(FLOOR(RAND() * 65536)), ':', HEX(FLOOR(RAND() * 65536)), '::', HEX(1 + FLOOR(RAND() * 65535)))) AS ip,
        IF(RAND() < 0.1, NULL,
           CONCAT('{"request_id":"', MD5(CONCAT(seq, '/', RAND())),
                  '","user_agent":"', ELT(1 + FLOOR(RAND() * 5), 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0',
                      'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5) Safari/604.1',
                      'python-requests/2.31', 'curl/7.88.1'),
                  '","field":"', ELT(1 + FLOOR(RAND() * 7), 'status', 'assignee', 'name', 'address', 'due_date', 'priority', 'email'),
                  '","old":"', ELT(1 + FLOOR(RAND() * 8), 'open', 'Müller', 'García', 'pending', '2024-03-01', 'high', 'Nowak', 'n/a'),
                  '","new":"', ELT(1 + FLOOR(RAND() * 8), 'closed', 'Jensen', 'Łukasz', 'approved', '2025-11-30', 'low', 'Zoë', 'Smith'),
                  '","comment":"', SUBSTRING(@words, 1 + FLOOR(RAND() * 250), FLOOR(RAND() * 150)), '"}')) AS details
      FROM seq_${a}_to_${b}) g
ORDER BY seq;
EOF
    done
    echo "INSERT INTO bench_meta VALUES ('incomplete', @anchor, '', '');"
    echo "CREATE TABLE audit_logs LIKE audit_logs_pristine;"
    echo "CREATE TABLE audit_logs_archive LIKE audit_logs_pristine;"
  } | dbsql || die "generating the data failed"
  # The fingerprints every run is checked against.
  local all old
  all=$(dbsql -e "$(checksum_sql 'audit_logs_pristine t')" | tr '\t' ' ')
  old=$(dbsql -e "$(checksum_sql 'audit_logs_pristine t' "$WHERE")" | tr '\t' ' ')
  dbsql -e "UPDATE bench_meta SET generated = '$want', all_sum = '$all', old_sum = '$old'"
  note "... $((SECONDS - t0)) s"
}

have=$(dbsql -e "SELECT generated FROM bench_meta WHERE anchor > NOW() - INTERVAL 20 HOUR" 2>/dev/null || true)
if [[ $have == "$want" ]] && dbsql -e 'SELECT 1 FROM audit_logs, audit_logs_archive LIMIT 0' >/dev/null 2>&1; then
  note "reusing the data in $BENCH_DB ($want)"
else
  generate
fi
read -r all_cnt all_crc all_md5 < <(dbsql -e 'SELECT all_sum FROM bench_meta')
read -r old_cnt old_crc old_md5 < <(dbsql -e 'SELECT old_sum FROM bench_meta')
((all_cnt == BENCH_ROWS && old_cnt == old_rows)) \
  || die "audit_logs_pristine holds $all_cnt rows, $old_cnt to archive; expected $BENCH_ROWS and $old_rows"
# The where clause must still pick the same rows (the gap around the cut-off).
now_old=$(dbsql -e "SELECT COUNT(*) FROM audit_logs_pristine WHERE $WHERE")
((now_old == old_rows)) || die "the where clause now picks $now_old rows of audit_logs_pristine, not $old_rows (stale data? drop database $BENCH_DB)"
read -r details_avg details_null < <(dbsql -e 'SELECT ROUND(AVG(LENGTH(details))), SUM(details IS NULL) FROM audit_logs_pristine')
dbsql -e 'ANALYZE TABLE audit_logs_pristine' >/dev/null
table_mb=$(dbsql -e "SELECT ROUND((data_length + index_length) / 1e6) FROM information_schema.tables
                     WHERE table_schema = '$BENCH_DB' AND table_name = 'audit_logs_pristine'")

# --- one run: restore, settle, time, check ---------------------------------------------
restore() {
  dbsql -e "TRUNCATE audit_logs_archive; TRUNCATE audit_logs;
            INSERT INTO audit_logs ($COLS) SELECT $COLS FROM audit_logs_pristine ORDER BY id;" \
    || die "could not refill audit_logs from audit_logs_pristine"
}

# Let InnoDB finish the previous run's work, so that no run pays for the one before:
# purge of the deleted rows (history list), then the refilled tables written out
# (FLUSH TABLES ... FOR EXPORT writes a table's dirty pages), then, through the root
# socket when there is one, the rest of the dirty pages (undo, system) with page
# flushing turned up for the while. Each wait gives up after 2 minutes, saying so.
status() { sql -e "SHOW GLOBAL STATUS LIKE '$1'" | cut -f2; }
settle() {
  local i hist dirty
  for ((i = 0; i < 240; i++)); do
    hist=$(status Innodb_history_list_length)
    ((hist < 1000)) && break
    sleep 0.5
  done
  ((hist < 1000)) || note "warning: purge did not finish in 2 minutes (history list length $hist)"
  dbsql -e 'FLUSH TABLES audit_logs, audit_logs_archive, audit_logs_pristine FOR EXPORT; UNLOCK TABLES' \
    || die "FLUSH TABLES ... FOR EXPORT failed"
  [[ -n $admin_sock ]] || return 0
  admin -e 'SET GLOBAL innodb_io_capacity_max = 100000, innodb_io_capacity = 50000,
                       innodb_max_dirty_pages_pct_lwm = 0.001, innodb_max_dirty_pages_pct = 0'
  for ((i = 0; i < 240; i++)); do
    dirty=$(status Innodb_buffer_pool_pages_dirty)
    ((dirty < 100)) && break
    sleep 0.5
  done
  admin -e "SET GLOBAL innodb_max_dirty_pages_pct = $max_dirty, innodb_max_dirty_pages_pct_lwm = $max_dirty_lwm,
                       innodb_io_capacity = $io_cap, innodb_io_capacity_max = $io_cap_max"
  ((dirty < 100)) || note "warning: $dirty pages still dirty after 2 minutes"
}
read -r max_dirty max_dirty_lwm io_cap io_cap_max < <(sql -e 'SELECT @@innodb_max_dirty_pages_pct,
  @@innodb_max_dirty_pages_pct_lwm, @@innodb_io_capacity, @@innodb_io_capacity_max')

# Check the tables after a run of SETTING; print the rows it moved. FULL=1: it was to
# move every matching row.
check() {  # check SETTING FULL
  local s=$1 full=$2 both src_cnt src_crc src_md5 arc_cnt arc_crc arc_md5 stray p_cnt p_crc p_md5
  both=$(dbsql -e 'SELECT COUNT(*) FROM audit_logs s JOIN audit_logs_archive a ON a.id = s.id')
  ((both == 0)) || die "$s: $both rows are in both audit_logs and audit_logs_archive"
  read -r src_cnt src_crc src_md5 < <(dbsql -e "$(checksum_sql 'audit_logs t')")
  read -r arc_cnt arc_crc arc_md5 < <(dbsql -e "$(checksum_sql 'audit_logs_archive t')")
  if ((src_cnt + arc_cnt != all_cnt)); then
    die "$s: audit_logs ($src_cnt) and audit_logs_archive ($arc_cnt) hold $((src_cnt + arc_cnt)) rows, audit_logs_pristine $all_cnt"
  fi
  # Sums of 48-bit values over many rows, beyond the 2^53 of awk's doubles: SQL's DECIMAL adds them.
  [[ $(sql -e "SELECT $src_crc + $arc_crc = $all_crc AND $src_md5 + $arc_md5 = $all_md5") == 1 ]] \
    || die "$s: the rows of audit_logs and audit_logs_archive together differ from audit_logs_pristine's (checksums)"
  stray=$(dbsql -e "SELECT COUNT(*) FROM audit_logs_archive WHERE NOT ($WHERE)")
  ((stray == 0)) || die "$s: $stray archived rows do not match the where clause"
  if ((full)); then
    [[ "$arc_cnt $arc_crc $arc_md5" == "$old_cnt $old_crc $old_md5" ]] \
      || die "$s: audit_logs_archive does not hold exactly the $old_cnt rows that match the where clause (it has $arc_cnt)"
  else
    # A run cut short: the rows it moved are those of the pristine table, unchanged.
    read -r p_cnt p_crc p_md5 < <(dbsql -e "$(checksum_sql 'audit_logs_pristine t JOIN audit_logs_archive a ON a.id = t.id')")
    [[ "$arc_cnt $arc_crc $arc_md5" == "$p_cnt $p_crc $p_md5" ]] \
      || die "$s: the archived rows differ from the same rows of audit_logs_pristine (checksums)"
    ((arc_cnt > 0)) || die "$s: moved no rows"
  fi
  echo "$arc_cnt"
}

q() { printf '%q' "$1"; }
# Options every pt-archiver run gets: source and destination, the where clause.
pt_src="h=$MY_HOST,P=$MY_PORT,u=$MY_USER,F=$MY_CNF,D=$BENCH_DB,t=audit_logs"
pt_common=(--no-version-check --dest t=audit_logs_archive --where "$WHERE")
pt_bulk=(--source "$pt_src,L=1" --charset utf8 --no-check-charset "${pt_common[@]}")
printf '[db.bench]\ndsn = %s\npassword_file = %s\n' "$MY_DSN" "$OPS_TEST_MYSQL_PASSWORD_FILE" >"$work/ops.conf"

declare -A cmd label full
cmd[opsarchive]="$(q "${OPSARCHIVE:-opsarchive}") -c $(q "$work/ops.conf") rows --db bench --table audit_logs --where $(q "$WHERE") --to-table audit_logs_archive --batch $BENCH_BATCH"
cmd[pt-bulk]="pt-archiver ${pt_bulk[*]@Q} --bulk-insert --bulk-delete --limit $BENCH_BATCH --commit-each"
cmd[pt-bulk-insert]="pt-archiver ${pt_bulk[*]@Q} --limit $BENCH_BATCH --bulk-insert --commit-each"
cmd[pt-default]="pt-archiver --source $(q "$pt_src,A=utf8mb4") ${pt_common[*]@Q} --run-time ${PT_DEFAULT_SECS}s"
label[opsarchive]="opsarchive rows --batch $BENCH_BATCH"
label[pt-bulk]="pt-archiver --bulk-insert --bulk-delete --limit $BENCH_BATCH --commit-each"
label[pt-bulk-insert]="pt-archiver --limit $BENCH_BATCH --bulk-insert --commit-each"
label[pt-default]="pt-archiver defaults (--run-time ${PT_DEFAULT_SECS}s)"
full=([opsarchive]=1 [pt-bulk]=1 [pt-bulk-insert]=1 [pt-default]=0)

now_ns() { date +%s%N; }
declare -A secs rates moved
note "$BENCH_ROWS rows ($old_rows to move, about $table_mb MB of table), ${#settings[@]} settings x $RUNS runs"
for ((r = 1; r <= RUNS; r++)); do
  for s in "${settings[@]}"; do
    t0=$SECONDS
    restore
    t_restore=$((SECONDS - t0))
    settle
    t_settle=$((SECONDS - t0 - t_restore))
    log=$work/$s.$r.log
    (while cut -d' ' -f1 /proc/loadavg; do sleep 5; done >>"$work/load") &
    sampler=$!
    t0=$(now_ns)
    rc=0
    bash -c "${cmd[$s]}" >"$log" 2>&1 || rc=$?
    if ((rc)); then
      kill "$sampler" 2>/dev/null || true; sampler=
      echo "archive.sh: $s failed (exit $rc): ${cmd[$s]}" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
    t1=$(now_ns)
    kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=
    f=${full[$s]}
    # pt-archiver's defaults may finish the job when the data is small.
    [[ $s == pt-default && $(dbsql -e 'SELECT COUNT(*) FROM audit_logs_archive') == "$old_rows" ]] && f=1
    if ! n=$(check "$s" "$f"); then
      echo "archive.sh: the command was: ${cmd[$s]}" >&2
      [[ -s $log ]] && { echo "---- its output ----" >&2; tail -n 20 "$log" >&2; }
      exit 1
    fi
    t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    rate=$(awk -v n="$n" -v t="$t" 'BEGIN { printf "%.0f", n / t }')
    secs[$s]+="$t " rates[$s]+="$rate " moved[$s]+="$n "
    note "run $r/$RUNS $s: $n rows in $t s, $rate rows/s (checked; refill ${t_restore}s, settle ${t_settle}s, load $(cut -d' ' -f1-3 /proc/loadavg))"
  done
done

# --- report ------------------------------------------------------------------------------
median() { printf '%s\n' "$@" | LC_ALL=C sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
declare -A med_secs med_rate med_moved
for s in "${settings[@]}"; do
  # shellcheck disable=SC2086
  med_secs[$s]=$(median ${secs[$s]}) med_rate[$s]=$(median ${rates[$s]}) med_moved[$s]=$(median ${moved[$s]})
done
server=$(sql -e 'SELECT VERSION()' | cut -d- -f1)
read -r pool redo flush < <(sql -e 'SELECT @@innodb_buffer_pool_size, @@innodb_log_file_size, @@innodb_flush_log_at_trx_commit')
echo
echo "opsarchive against pt-archiver: $(nproc) CPUs, MariaDB $server, $(pt-archiver --version), median of $RUNS runs"
echo "InnoDB: buffer pool $((pool >> 20)) MB, redo log $((redo >> 20)) MB, innodb_flush_log_at_trx_commit = $flush"
echo "audit_logs: $BENCH_ROWS rows, about $table_mb MB (data + indexes); $old_rows match \"$WHERE\"; details $details_avg bytes on average, NULL in $details_null rows"
echo "load average: $load_at_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (1, 5, 15 min);" \
  "1-min load while timing: $(awk '{ s += $1; if ($1 > m) m = $1; n++ } END { if (n) printf "%.2f mean, %.2f max", s / n, m; else print "-" }' "$work/load")"
printf '%-66s %10s %9s %9s %12s\n' setting "rows moved" "median s" "rows/s" "ops / this"
for s in "${settings[@]}"; do
  ratio=-
  if ((do_ops)) && [[ $s != opsarchive ]]; then
    ratio=$(awk -v o="${med_rate[opsarchive]}" -v p="${med_rate[$s]}" 'BEGIN { printf "%.2fx", o / p }')
  fi
  printf '%-66s %10s %9.2f %9s %12s\n' "${label[$s]}" "${med_moved[$s]}" "${med_secs[$s]}" "${med_rate[$s]}" "$ratio"
done
best=
for s in pt-bulk pt-bulk-insert; do
  [[ -n ${med_rate[$s]:-} ]] || continue
  if [[ -z $best ]] || ((${med_rate[$s]} > ${med_rate[$best]})); then best=$s; fi
done
echo
if [[ -n $best ]] && ((do_ops)); then
  awk -v o="${med_rate[opsarchive]}" -v p="${med_rate[$best]}" -v b="${label[$best]}" -v n="$BENCH_BATCH" 'BEGIN {
    r = o / p
    printf "opsarchive: %d rows/s, %.2fx pt-archiver'"'"'s best at batch %d (%s: %d rows/s); target 2x: %s\n",
           o, r, n, b, p, r >= 2 ? "met" : "NOT met" }'
elif [[ -n $best ]]; then
  echo "pt-archiver's best at batch $BENCH_BATCH: ${label[$best]}, ${med_rate[$best]} rows/s (opsarchive not measured)"
fi
