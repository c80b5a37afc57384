#!/usr/bin/env bash
# health.sh — one opshealth run against the same checks as separate
# monitoring-plugins processes, on the same targets, in one run.
#
#   scripts/bench/health.sh
#
# Environment:
#   OPSHEALTH   the opshealth binary to measure (default: a Release build made in
#               build-bench/ at the repository root, without the tests)
#   RUNS        timed runs per command (default 30; medians are reported)
#
# The checks: load, disk /, a process count, PostgreSQL and MariaDB (connect
# and a round trip), on throwaway servers started here (scripts/test-servers).
# The peers are check_load, check_disk, check_procs, check_pgsql and
# check_mysql, each its own process, as Nagios or a cron script runs them: their
# time is the sum of their medians. opshealth runs the same checks once, from
# [health.NAME] sections, concurrently. The CPU check is left out: its time is
# its sampling interval. Before timing, each side's states are compared: a
# benchmark of a wrong answer is worthless.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
RUNS=${RUNS:-30}
PLUGINS=/usr/lib/nagios/plugins

die() { echo "health.sh: error: $*" >&2; exit 1; }
command -v hyperfine >/dev/null || die "hyperfine is not installed (scripts/bootstrap bench installs it)"
for p in check_load check_disk check_procs check_pgsql check_mysql; do
  [[ -x $PLUGINS/$p ]] || die "$PLUGINS/$p is missing (monitoring-plugins-basic/-standard: scripts/bootstrap)"
done

if [[ -z ${OPSHEALTH:-} ]]; then
  echo "health.sh: building opshealth (Release) in $repo/build-bench ..." >&2
  cmake -S "$repo" -B "$repo/build-bench" -DCMAKE_BUILD_TYPE=Release -DOPS_BUILD_TESTS=OFF >/dev/null
  cmake --build "$repo/build-bench" -j"$(nproc)" --target opshealth >/dev/null
  OPSHEALTH=$repo/build-bench/tools/opshealth/opshealth
fi
[[ -x $OPSHEALTH ]] || die "no opshealth binary at $OPSHEALTH"

work=$(mktemp -d "${TMPDIR:-/tmp}/health-bench.XXXXXX")
servers=$work/servers
cleanup() {
  "$repo/scripts/test-servers" stop --state-dir "$servers" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"$repo/scripts/test-servers" start --state-dir "$servers" >/dev/null
set -a
# shellcheck disable=SC1091
. "$servers/env"
set +a
pg_password=$(cat "$OPS_TEST_PG_PASSWORD_FILE")
my_password=$(cat "$OPS_TEST_MYSQL_PASSWORD_FILE")

# Thresholds far from the machine's state, the same on both sides.
conf=$work/ops.conf
cat >"$conf" <<CONF
[db.pg]
dsn = $OPS_TEST_PG_DSN
password_file = $OPS_TEST_PG_PASSWORD_FILE

[db.my]
dsn = $OPS_TEST_MYSQL_DSN
password_file = $OPS_TEST_MYSQL_PASSWORD_FILE

[health.load]
check = load
warn = 500,500,500
crit = 900,900,900

[health.disk]
check = disk
target = /
warn = 99%
crit = 100%

[health.procs]
check = process
target = postgres
crit = 1:

[health.pg]
check = db
target = pg

[health.my]
check = db
target = my
CONF

peers=(
  "$PLUGINS/check_load -w 500,500,500 -c 900,900,900"
  "$PLUGINS/check_disk -w 1% -c 0% -p /"
  "$PLUGINS/check_procs -C postgres -c 1:"
  "$PLUGINS/check_pgsql -H $OPS_TEST_PG_HOST -P $OPS_TEST_PG_PORT -d $OPS_TEST_PG_DATABASE -l $OPS_TEST_PG_USER -p $pg_password"
  "$PLUGINS/check_mysql -H $OPS_TEST_MYSQL_HOST -P $OPS_TEST_MYSQL_PORT -d $OPS_TEST_MYSQL_DATABASE -u $OPS_TEST_MYSQL_USER -p $my_password"
)
ours=("$OPSHEALTH" -c "$conf")

# --- correctness: every check OK on both sides ------------------------------------
for p in "${peers[@]}"; do
  # shellcheck disable=SC2086
  out=$($p) || die "the peer is not OK: $p: $out"
done
out=$("${ours[@]}") || die "opshealth is not OK: $out"
# The db check gives a row per aspect (connections, transactions, queries,
# wraparound besides the round trip): it does more than check_pgsql and
# check_mysql, whose work is the round trip alone.
for row in load 'disk /' 'process procs' 'db pg' 'db my'; do
  grep -q "^$row  *OK " <<<"$out" || die "no OK row '$row' in: $out"
done

# --- time ---------------------------------------------------------------------------
json=$work/times.json
args=(-n opshealth "${ours[*]}")
for p in "${peers[@]}"; do args+=(-n "$(basename "${p%% *}")" "$p"); done
hyperfine --style basic -N --warmup 3 --runs "$RUNS" --export-json "$json" "${args[@]}" >&2

declare -A median
while read -r name secs; do median[$name]=$secs; done < <(jq -r '.results[] | "\(.command) \(.median)"' "$json")
sum=0
for p in "${peers[@]}"; do
  n=$(basename "${p%% *}")
  sum=$(awk -v a="$sum" -v b="${median[$n]}" 'BEGIN { print a + b }')
done
echo
printf '%-34s %10s\n' "checks: load, disk /, procs, pgsql, mysql" "median"
for p in "${peers[@]}"; do
  n=$(basename "${p%% *}")
  printf '  %-32s %8.2f ms\n' "$n" "$(awk -v s="${median[$n]}" 'BEGIN { print s * 1000 }')"
done
printf '  %-32s %8.2f ms\n' "the five plugins, one after another" "$(awk -v s="$sum" 'BEGIN { print s * 1000 }')"
printf '  %-32s %8.2f ms\n' "opshealth, one run" "$(awk -v s="${median[opshealth]}" 'BEGIN { print s * 1000 }')"
printf 'ratio (plugins / opshealth): %.1fx\n' "$(awk -v a="$sum" -v b="${median[opshealth]}" 'BEGIN { print a / b }')"
