#!/usr/bin/env bash
# audit_changes.sh — opsaudit changes against AIDE on the tree of the du
# benchmark (200,000 files), in one run: recording a baseline
# (`changes --init` vs `aide --init`) and checking the tree against it
# (`changes` vs `aide --check`), with the same attributes: SHA-256,
# permissions, owner, size and mtime of files; permissions and owner of
# directories; symlink targets. Each side runs with a warm page cache
# (a first walk warms it), RUNS times (default 3); prints the median
# seconds, the peak memory and the ratios.
#
#   scripts/bench/audit_changes.sh
#
# Environment:
#   OPSAUDIT     the opsaudit binary to measure (default: a Release build made
#                in build-bench/ at the repository root, without the tests)
#   BENCH_DIR    where the tree is made or reused (default ${TMPDIR:-/tmp}/ops-bench-du,
#                the du benchmark's: scripts/bench/du-gen-tree.sh makes it)
#   BENCH_FILES  regular files in the tree (default 200000)
#   AIDE_WORKERS aide's num_workers (default 1: opsaudit hashes on one core too)
#   RUNS         runs of each side, the median quoted (default 3)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
BENCH_FILES=${BENCH_FILES:-200000}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/ops-bench-du}
AIDE_WORKERS=${AIDE_WORKERS:-1}
RUNS=${RUNS:-3}

die() { echo "audit_changes.sh: error: $*" >&2; exit 1; }
command -v aide >/dev/null || die "aide is not installed (scripts/bootstrap installs it)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is not installed (apt-get install time)"

if [[ -z ${OPSAUDIT:-} ]]; then
  echo "audit_changes.sh: building opsaudit (Release) in $repo/build-bench ..." >&2
  cmake -S "$repo" -B "$repo/build-bench" -DCMAKE_BUILD_TYPE=Release -DOPS_BUILD_TESTS=OFF >/dev/null
  cmake --build "$repo/build-bench" -j"$(nproc)" --target opsaudit >/dev/null
  OPSAUDIT=$repo/build-bench/tools/opsaudit/opsaudit
fi
[[ -x $OPSAUDIT ]] || die "no opsaudit binary at $OPSAUDIT"

"$here/du-gen-tree.sh" "$BENCH_DIR" "$BENCH_FILES"
tree=$BENCH_DIR/tree
work=$(mktemp -d "${TMPDIR:-/tmp}/audit-changes-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
: >"$work/empty.conf"
export OPS_CONFIG=$work/empty.conf

# aide.conf: the same attributes as the baseline. AIDE takes regular
# expressions: the tree's path is escaped for them.
re=$(printf '%s' "$tree" | sed 's/[][\.*^$+?(){}|]/\\&/g')
cat >"$work/aide.conf" <<CONF
database_in=file:$work/aide.db
database_out=file:$work/aide.db.new
gzip_dbout=no
report_url=stdout
num_workers=$AIDE_WORKERS
Files = p+u+g+s+m+sha256
Dirs = p+u+g
Links = p+u+g+l
$re f Files
$re d Dirs
$re l Links
CONF

# NAME CMD...: runs RUNS times (each after the command in $BEFORE, if any),
# records the median elapsed seconds and the largest max RSS KiB in
# secs[NAME], rss[NAME], and the last exit status in codes[NAME].
timed() {
  local name=$1 rc run lines=()
  shift
  for ((run = 0; run < RUNS; run++)); do
    [[ -z ${BEFORE:-} ]] || eval "$BEFORE"
    rc=0
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    # The last line: GNU time puts "Command exited with non-zero status N" before it.
    lines+=("$(tail -n 1 "$work/time")")
  done
  secs[$name]=$(printf '%s\n' "${lines[@]}" | sort -n | awk -v n="$RUNS" 'NR == int((n + 1) / 2) {print $1}')
  rss[$name]=$(printf '%s\n' "${lines[@]}" | awk '$2 > m {m = $2} END {print m}')
  codes[$name]=$rc
}
declare -A secs rss codes

find "$tree" -type f -print0 | xargs -0 cat >/dev/null  # a warm cache for both
entries=$(find "$tree" | wc -l)

BEFORE='rm -f "$work/ops.baseline"' timed ops_init "$OPSAUDIT" changes "$tree" --baseline "$work/ops.baseline" --init
BEFORE='rm -f "$work/aide.db.new"' timed aide_init aide --config "$work/aide.conf" --init
mv "$work/aide.db.new" "$work/aide.db"
# A few changes for both to find, so the check does its whole job.
victims=$(find "$tree/t05" -type f | sed -n 1,20p)  # sed reads it all: no SIGPIPE under pipefail
while read -r f; do echo changed >>"$f"; done <<<"$victims"
timed ops_check "$OPSAUDIT" changes --baseline "$work/ops.baseline"
timed aide_check aide --config "$work/aide.conf" --check
# Put the tree back as du-gen-tree made it (the du benchmark reuses it).
while read -r f; do truncate -s -8 "$f"; done <<<"$victims"

[[ ${codes[ops_init]} == 0 ]] || die "opsaudit changes --init exited ${codes[ops_init]}: $(head -c 300 "$work/ops_init.err")"
[[ ${codes[aide_init]} == 0 ]] || die "aide --init exited ${codes[aide_init]}: $(head -c 300 "$work/aide_init.err")"
[[ ${codes[ops_check]} == 1 ]] || die "opsaudit changes exited ${codes[ops_check]} (1 expected: 20 files changed)"
ours=$(grep -c 'content_changed' "$work/ops_check.out" || true)
theirs=$(grep -c '^f[^:]*: ' "$work/aide_check.out" || true)
[[ $ours == 20 && $theirs == 20 ]] || die "changed files found: opsaudit $ours, aide $theirs (20 made)"

echo
echo "opsaudit changes vs aide: $entries entries in $tree"
echo "warm cache, median of $RUNS runs each, aide num_workers=$AIDE_WORKERS; both found the 20 changed files"
echo
printf '%-22s %10s %14s\n' run seconds "max RSS KiB"
for t in ops_init aide_init ops_check aide_check; do
  printf '%-22s %10.2f %14d\n' "$t" "${secs[$t]}" "${rss[$t]}"
done
echo
awk -v oi="${secs[ops_init]}" -v ai="${secs[aide_init]}" -v oc="${secs[ops_check]}" -v ac="${secs[aide_check]}" \
    -v roi="${rss[ops_init]}" -v rai="${rss[aide_init]}" -v roc="${rss[ops_check]}" -v rac="${rss[aide_check]}" 'BEGIN {
  printf "time:  aide --init / changes --init = %.2fx   aide --check / changes = %.2fx   (above 1: opsaudit is faster)\n",
         ai / oi, ac / oc
  printf "RSS:   aide --init / changes --init = %.2fx   aide --check / changes = %.2fx   (above 1: opsaudit uses less)\n",
         rai / roi, rac / roc
}'
