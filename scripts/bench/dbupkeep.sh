#!/usr/bin/env bash
# dbupkeep.sh — opsdb analyze against the tools a cron line runs today, in one
# run, on the same 200 tables: vacuumdb --analyze-only on PostgreSQL (also with
# -j 2 against opsdb analyze --jobs 2) and mysqlcheck --analyze on MariaDB.
# Prints the median time of each and the ratios.
#
#   scripts/bench/dbupkeep.sh
#   BENCH_TABLES=50 RUNS=1 scripts/bench/dbupkeep.sh     (a quick look)
#
# Environment:
#   OPSDB          the opsdb binary to measure (default: a Release build made in
#                  build-bench/ at the repository root, without the tests)
#   BENCH_TABLES   tables in each database (default 200)
#   BENCH_ROWS     rows in each table (default 2000; id, a number, 60 bytes of text,
#                  an index on the number: about 250 KB a table with its indexes)
#   RUNS           timed runs of each command (default 3; medians are reported)
#   OPS_TEST_PG_DSN, OPS_TEST_PG_PASSWORD_FILE, OPS_TEST_MYSQL_DSN,
#   OPS_TEST_MYSQL_PASSWORD_FILE
#                  servers to use (as scripts/test-servers prints them); when unset,
#                  throwaway servers are started for the run and stopped after it.
#                  The tables go into a database ops_test_dbupkeep next to ops_test
#                  on each server, made anew by every run and dropped at the end.
#
# The commands, each over the same BENCH_TABLES tables (t001 …) of that database:
#   PostgreSQL  opsdb -c ops.conf analyze pg          ([db.pg]: dsn, password_file)
#               vacuumdb --analyze-only -t t001 … -t tNNN   (one connection, as opsdb)
#               opsdb -c ops.conf analyze pg --jobs 2
#               vacuumdb --analyze-only -j 2 -t t001 … -t tNNN
#   MariaDB     opsdb -c ops.conf analyze my
#               mysqlcheck --analyze ops_test_dbupkeep   (every table of the database:
#                                                          the same BENCH_TABLES)
# vacuumdb gets the tables by -t, so that neither side analyzes the system
# catalogues the other leaves alone. The peers get the password the way their
# users give it: a PGPASSFILE, a [client] option file (0600, removed at the end).
# Each round runs every command once, in turn; before timing, each command runs
# once and is checked: every table analyzed (PostgreSQL: last_analyze moved on
# for each; MariaDB: opsdb says "done" for each, mysqlcheck names each, no error).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
RUNS=${RUNS:-3}
BENCH_TABLES=${BENCH_TABLES:-200}
BENCH_ROWS=${BENCH_ROWS:-2000}
BENCH_DB=ops_test_dbupkeep

die() { echo "dbupkeep.sh: error: $*" >&2; exit 1; }
note() { echo "dbupkeep.sh: $*" >&2; }
posint() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
posint "$RUNS" || die "RUNS must be a positive integer"
posint "$BENCH_TABLES" && ((BENCH_TABLES <= 999)) || die "BENCH_TABLES must be an integer from 1 to 999"
posint "$BENCH_ROWS" || die "BENCH_ROWS must be a positive integer"
for tool in psql vacuumdb mariadb mysqlcheck awk sort; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/bootstrap installs it)"
done
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

if [[ -z ${OPSDB:-} ]]; then
  note "building opsdb (Release) in $repo/build-bench ..."
  cmake -S "$repo" -B "$repo/build-bench" -DCMAKE_BUILD_TYPE=Release -DOPS_BUILD_TESTS=OFF >/dev/null
  cmake --build "$repo/build-bench" -j2 --target opsdb >/dev/null
  OPSDB=$repo/build-bench/tools/opsdb/opsdb
fi
[[ -x $OPSDB ]] || die "no opsdb binary at $OPSDB"

work=$(mktemp -d "${TMPDIR:-/tmp}/ops-bench-dbupkeep.XXXXXX")
servers=
dropped=
cleanup() {
  if [[ -n $dropped ]]; then eval "$dropped" >/dev/null 2>&1 || true; fi
  if [[ -n $servers ]]; then "$repo/scripts/test-servers" stop --state-dir "$servers" >/dev/null 2>&1 || true; fi
  rm -rf -- "$work"
}
trap cleanup EXIT

# --- the servers -------------------------------------------------------------------------
if [[ -z ${OPS_TEST_PG_DSN:-} || -z ${OPS_TEST_MYSQL_DSN:-} ]]; then
  servers=$work/servers
  note "starting throwaway servers in $servers ..."
  "$repo/scripts/test-servers" start --state-dir "$servers" >/dev/null
  set -a
  # shellcheck disable=SC1091
  . "$servers/env"
  set +a
fi
for f in OPS_TEST_PG_PASSWORD_FILE OPS_TEST_MYSQL_PASSWORD_FILE; do
  [[ -r ${!f:-} ]] || die "$f is not a readable file"
done
dsn_re='^[a-z]+://([^@/:]+)@([^/:?]+)(:([0-9]+))?/[^/?]+$'
[[ $OPS_TEST_PG_DSN =~ $dsn_re ]] || die "OPS_TEST_PG_DSN is not of the form postgresql://USER@HOST[:PORT]/DB"
PG_USER=${BASH_REMATCH[1]} PG_HOST=${BASH_REMATCH[2]} PG_PORT=${BASH_REMATCH[4]:-5432}
[[ $OPS_TEST_MYSQL_DSN =~ $dsn_re ]] || die "OPS_TEST_MYSQL_DSN is not of the form mysql://USER@HOST[:PORT]/DB"
MY_USER=${BASH_REMATCH[1]} MY_HOST=${BASH_REMATCH[2]} MY_PORT=${BASH_REMATCH[4]:-3306}

(umask 077 && mkdir "$work/secrets")
pw=$(head -n 1 "$OPS_TEST_PG_PASSWORD_FILE")
pw=${pw//\\/\\\\}
(umask 077 && printf '%s:%s:*:%s:%s\n' "$PG_HOST" "$PG_PORT" "$PG_USER" "${pw//:/\\:}" >"$work/secrets/pgpass")
pw=$(head -n 1 "$OPS_TEST_MYSQL_PASSWORD_FILE")
pw=${pw//\\/\\\\}
(umask 077 && printf '[client]\nuser=%s\npassword="%s"\nhost=%s\nport=%s\nprotocol=tcp\n' \
  "$MY_USER" "${pw//\"/\\\"}" "$MY_HOST" "$MY_PORT" >"$work/secrets/my.cnf")
unset pw
export PGPASSFILE=$work/secrets/pgpass
MY_CNF=$work/secrets/my.cnf
PG_ARGS=(-h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER")
pg() { psql -X -q -At -w -v ON_ERROR_STOP=1 "${PG_ARGS[@]}" "$@"; }
my() { mariadb --defaults-extra-file="$MY_CNF" -N -B "$@"; }

cat >"$work/ops.conf" <<CONF
[db.pg]
dsn = postgresql://$PG_USER@$PG_HOST:$PG_PORT/$BENCH_DB
password_file = $OPS_TEST_PG_PASSWORD_FILE

[db.my]
dsn = mysql://$MY_USER@$MY_HOST:$MY_PORT/$BENCH_DB
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE
CONF

# --- the data ------------------------------------------------------------------------------
tables=()
for ((i = 1; i <= BENCH_TABLES; i++)); do tables+=("$(printf 't%03d' "$i")"); done
note "making $BENCH_TABLES tables of $BENCH_ROWS rows on PostgreSQL and MariaDB ..."
t0=$SECONDS
pg -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB"
dropped="psql -X -q -w ${PG_ARGS[*]@Q} -d postgres -c 'DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)';"
for t in "${tables[@]}"; do
  echo "CREATE TABLE $t (id int PRIMARY KEY, n int NOT NULL, body text NOT NULL);"
  echo "INSERT INTO $t SELECT g, (g * 7919) % 1000, repeat(md5(g::text), 2) FROM generate_series(1, $BENCH_ROWS) g;"
  echo "CREATE INDEX ${t}_n ON $t (n);"
done | pg -d "$BENCH_DB" >/dev/null
# Autovacuum would analyze them while we time: these tables are ours alone.
for t in "${tables[@]}"; do echo "ALTER TABLE $t SET (autovacuum_enabled = off);"; done | pg -d "$BENCH_DB" >/dev/null

my -e "DROP DATABASE IF EXISTS $BENCH_DB; CREATE DATABASE $BENCH_DB"
dropped+=" mariadb --defaults-extra-file=${MY_CNF@Q} -e 'DROP DATABASE IF EXISTS $BENCH_DB';"
for t in "${tables[@]}"; do
  echo "CREATE TABLE $t (id int PRIMARY KEY, n int NOT NULL, body text NOT NULL, KEY (n)) ENGINE = InnoDB STATS_AUTO_RECALC = 0;"
  echo "INSERT INTO $t SELECT seq, (seq * 7919) % 1000, REPEAT(MD5(seq), 2) FROM seq_1_to_$BENCH_ROWS;"
done | my "$BENCH_DB"
note "... $((SECONDS - t0)) s"

# --- the commands ----------------------------------------------------------------------------
t_args=()
for t in "${tables[@]}"; do t_args+=(-t "$t"); done
q() { printf '%q' "$1"; }
names=(opsdb-pg vacuumdb opsdb-pg-j2 vacuumdb-j2 opsdb-my mysqlcheck)
declare -A cmd label
cmd[opsdb-pg]="$(q "$OPSDB") -c $(q "$work/ops.conf") analyze pg"
cmd[vacuumdb]="vacuumdb --analyze-only ${PG_ARGS[*]@Q} -d $BENCH_DB ${t_args[*]}"
cmd[opsdb-pg-j2]="$(q "$OPSDB") -c $(q "$work/ops.conf") analyze pg --jobs 2"
cmd[vacuumdb-j2]="vacuumdb --analyze-only -j 2 ${PG_ARGS[*]@Q} -d $BENCH_DB ${t_args[*]}"
cmd[opsdb-my]="$(q "$OPSDB") -c $(q "$work/ops.conf") analyze my"
cmd[mysqlcheck]="mysqlcheck --defaults-extra-file=$(q "$MY_CNF") --analyze $BENCH_DB"
label[opsdb-pg]="opsdb analyze (PostgreSQL)"
label[vacuumdb]="vacuumdb --analyze-only"
label[opsdb-pg-j2]="opsdb analyze --jobs 2 (PostgreSQL)"
label[vacuumdb-j2]="vacuumdb --analyze-only -j 2"
label[opsdb-my]="opsdb analyze (MariaDB)"
label[mysqlcheck]="mysqlcheck --analyze"

# Runs NAME once into $work/NAME.log; stops the benchmark when it fails.
run_one() {
  local rc=0
  bash -c "${cmd[$1]}" >"$work/$1.log" 2>&1 || rc=$?
  if ((rc)); then
    echo "dbupkeep.sh: $1 failed (exit $rc): ${cmd[$1]}" >&2
    tail -n 20 "$work/$1.log" >&2
    exit 1
  fi
}

# --- correctness: each command analyzes every table --------------------------------------------
pg_analyzed_since() {  # tables of the database analyzed after the epoch second $1
  pg -d "$BENCH_DB" -c "SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze >= to_timestamp($1)"
}
for n in opsdb-pg vacuumdb opsdb-pg-j2 vacuumdb-j2; do
  since=$(pg -d "$BENCH_DB" -c "SELECT floor(extract(epoch FROM clock_timestamp()))")
  sleep 1   # last_analyze must be later than since: a whole second later
  run_one "$n"
  sleep 1   # the statistics reach pg_stat_user_tables when a backend goes idle, within a second
  got=$(pg_analyzed_since "$since")
  ((got == BENCH_TABLES)) || die "$n analyzed $got of the $BENCH_TABLES tables: ${cmd[$n]}"
done
run_one opsdb-my
done_tables=$(grep -Ec "^$BENCH_DB\.t[0-9]{3} +done " "$work/opsdb-my.log" || true)
((done_tables == BENCH_TABLES)) || die "opsdb analyze did $done_tables of the $BENCH_TABLES tables on MariaDB (see: $(head -c 300 "$work/opsdb-my.log"))"
run_one mysqlcheck
for t in "${tables[@]}"; do
  grep -q "^$BENCH_DB\.$t\b" "$work/mysqlcheck.log" || die "mysqlcheck did not report table $t (see: $(head -c 300 "$work/mysqlcheck.log"))"
done
if grep -Eq 'error|Error' "$work/mysqlcheck.log"; then
  die "mysqlcheck reported an error: $(grep -E 'error|Error' "$work/mysqlcheck.log" | head -n 3)"
fi

# --- time ------------------------------------------------------------------------------------------
now_ns() { date +%s%N; }
declare -A secs
note "$BENCH_TABLES tables x $BENCH_ROWS rows; ${#names[@]} commands x $RUNS runs"
for ((r = 1; r <= RUNS; r++)); do
  for n in "${names[@]}"; do
    t0=$(now_ns)
    run_one "$n"
    t1=$(now_ns)
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    secs[$n]+="$s "
    note "run $r/$RUNS ${label[$n]}: $s s"
  done
done

# --- report ----------------------------------------------------------------------------------------
median() { printf '%s\n' "$@" | LC_ALL=C sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
declare -A med
for n in "${names[@]}"; do
  # shellcheck disable=SC2086
  med[$n]=$(median ${secs[$n]})
done
ratio() { awk -v p="${med[$1]}" -v o="${med[$2]}" 'BEGIN { printf "%.2fx", p / o }'; }
echo
echo "opsdb analyze against vacuumdb and mysqlcheck: $(nproc) CPUs, PostgreSQL $(pg -d "$BENCH_DB" -c 'SHOW server_version' | cut -d' ' -f1)," \
  "MariaDB $(my -e 'SELECT VERSION()' | cut -d- -f1), median of $RUNS runs"
echo "$BENCH_TABLES tables of $BENCH_ROWS rows each (a primary key and an index), the same on both servers"
echo "load average: $load_at_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
printf '%-40s %10s %22s\n' command "median s" "peer / opsdb"
printf '%-40s %10.3f %22s\n' "${label[opsdb-pg]}" "${med[opsdb-pg]}" -
printf '%-40s %10.3f %22s\n' "${label[vacuumdb]}" "${med[vacuumdb]}" "$(ratio vacuumdb opsdb-pg)"
printf '%-40s %10.3f %22s\n' "${label[opsdb-pg-j2]}" "${med[opsdb-pg-j2]}" -
printf '%-40s %10.3f %22s\n' "${label[vacuumdb-j2]}" "${med[vacuumdb-j2]}" "$(ratio vacuumdb-j2 opsdb-pg-j2)"
printf '%-40s %10.3f %22s\n' "${label[opsdb-my]}" "${med[opsdb-my]}" -
printf '%-40s %10.3f %22s\n' "${label[mysqlcheck]}" "${med[mysqlcheck]}" "$(ratio mysqlcheck opsdb-my)"
echo "(a ratio above 1x: opsdb is faster; below 1x: the peer is)"
