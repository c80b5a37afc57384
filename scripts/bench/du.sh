#!/usr/bin/env bash
# du.sh — opsdf du against GNU du and gdu on the same generated tree, in one run.
#
#   scripts/bench/du.sh
#
# Environment:
#   OPSDF        the opsdf binary to measure (default: a Release build made in
#                build-bench/ at the repository root, without the tests)
#   BENCH_DIR    where the tree is made or reused (default ${TMPDIR:-/tmp}/ops-bench-du)
#   BENCH_FILES  regular files in the tree (default 200000, at least 200000 for
#                figures worth quoting)
#   RUNS         timed runs per tool (default 7; the median is reported)
#
# Each tool scans the tree with a warm page cache: `opsdf du --depth 1`,
# `du -s` and `gdu --non-interactive --no-progress` (which, like opsdf, lists
# the top level). Times are hyperfine's medians; memory is the largest
# maximum RSS of three runs under /usr/bin/time. The totals of opsdf and du
# are compared first: a benchmark of a wrong answer is worthless.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
RUNS=${RUNS:-7}
BENCH_FILES=${BENCH_FILES:-200000}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/ops-bench-du}

die() { echo "du.sh: error: $*" >&2; exit 1; }
for tool in du gdu hyperfine awk; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/bootstrap bench installs it)"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is not installed (apt-get install time)"

if [[ -z ${OPSDF:-} ]]; then
  echo "du.sh: building opsdf (Release) in $repo/build-bench ..." >&2
  cmake -S "$repo" -B "$repo/build-bench" -DCMAKE_BUILD_TYPE=Release -DOPS_BUILD_TESTS=OFF >/dev/null
  cmake --build "$repo/build-bench" -j"$(nproc)" --target opsdf >/dev/null
  OPSDF=$repo/build-bench/tools/opsdf/opsdf
fi
[[ -x $OPSDF ]] || die "no opsdf binary at $OPSDF"

"$here/du-gen-tree.sh" "$BENCH_DIR" "$BENCH_FILES"
tree=$BENCH_DIR/tree

# --- correctness, and a warm cache for everyone ------------------------------------
ours=$("$OPSDF" du --format tsv --depth 0 "$tree" | awk -F'\t' 'NR == 2 { print $2 }')
theirs=$(du -s -B1 "$tree" | cut -f1)
[[ $ours == "$theirs" ]] || die "opsdf du says $ours bytes, du -s -B1 says $theirs"
gdu --non-interactive --no-progress "$tree" >/dev/null
entries=$(find "$tree" | wc -l)
dirs=$(find "$tree" -type d | wc -l)

# --- time ----------------------------------------------------------------------------
json=$(mktemp "${TMPDIR:-/tmp}/du-bench.XXXXXX.json")
trap 'rm -f "$json"' EXIT
q=$(printf '%q' "$tree")
hyperfine --style basic -N --warmup 2 --runs "$RUNS" --export-json "$json" \
  -n opsdf "$(printf '%q' "$OPSDF") du --depth 1 $q" \
  -n du "du -s $q" \
  -n gdu "gdu --non-interactive --no-progress $q" >&2

declare -A median
while read -r name secs; do
  median[$name]=$secs
done < <(awk '/"command":/ { gsub(/[",]/, "", $2); c = $2 }
              /"median":/ { gsub(/,/, "", $2); print c, $2 }' "$json")

# --- memory --------------------------------------------------------------------------
max_rss() {  # max RSS in KiB of the largest of three runs of CMD...
  local best=0 kib out _
  out=$(mktemp "${TMPDIR:-/tmp}/du-bench-rss.XXXXXX")
  for _ in 1 2 3; do
    /usr/bin/time -f %M -o "$out" "$@" >/dev/null 2>&1
    kib=$(tail -n 1 "$out")
    ((kib > best)) && best=$kib
  done
  rm -f "$out"
  echo "$best"
}
# The same on an empty directory: what the program costs before it scans
# anything (mostly its shared libraries), so the growth is the scan's own memory.
empty=$BENCH_DIR/empty
mkdir -p "$empty"
declare -A rss base
rss[opsdf]=$(max_rss "$OPSDF" du --depth 1 "$tree")
rss[du]=$(max_rss du -s "$tree")
rss[gdu]=$(max_rss gdu --non-interactive --no-progress "$tree")
base[opsdf]=$(max_rss "$OPSDF" du --depth 1 "$empty")
base[du]=$(max_rss du -s "$empty")
base[gdu]=$(max_rss gdu --non-interactive --no-progress "$empty")

# --- report --------------------------------------------------------------------------
echo
echo "opsdf du vs du vs gdu: $entries entries ($dirs directories) in $tree"
echo "warm cache, $(nproc) CPUs, median of $RUNS runs; totals agree ($ours bytes)"
echo
printf '%-6s %12s %12s %18s\n' tool "median ms" "max RSS KiB" "RSS - empty KiB"
for t in opsdf du gdu; do
  printf '%-6s %12.1f %12d %18d\n' "$t" "$(awk -v s="${median[$t]}" 'BEGIN { print s * 1000 }')" \
    "${rss[$t]}" "$((rss[$t] - base[$t]))"
done
echo
awk -v o="${median[opsdf]}" -v d="${median[du]}" -v g="${median[gdu]}" \
    -v ro="${rss[opsdf]}" -v rd="${rss[du]}" -v rg="${rss[gdu]}" 'BEGIN {
  printf "time: du / opsdf = %.2fx   gdu / opsdf = %.2fx   (above 1: opsdf is faster)\n", d / o, g / o
  printf "RSS:  du / opsdf = %.2fx   gdu / opsdf = %.2fx   (above 1: opsdf uses less)\n", rd / ro, rg / ro
}'
