#!/usr/bin/env bash
# rotate.sh — opsrotate against logrotate on the same generated logs, in one run.
#
#   scripts/bench/rotate.sh
#
# Environment:
#   OPSROTATE   the opsrotate binary (default: a Release build in build-bench/)
#   BENCH_DIR   where the logs are made (default ${TMPDIR:-/tmp}/ops-bench-rotate)
#   LOGS        number of logs (default 20)
#   LOG_MIB     size of each log in MiB (default 20)
#   RUNS        timed runs per tool (default 5; the median is reported)
#   WRITE_SECS  seconds the writer runs in the copytruncate loss test (default 3)
#   SCALE_LOGS  log counts of the scale test (default "10000 50000"; "" skips it)
#   SCALE_RUNS  timed runs per tool and count in the scale test (default 3)
#   PARTS       which parts run (default "compress copytruncate scale")
#
# 1. Compression: LOGS logs of LOG_MIB MiB of generated web-server lines, one
#    `compress` block; `logrotate -f` and `opsrotate -f` each rotate a fresh
#    copy; wall time (median), ratio, total compressed size of each.
# 2. copytruncate: a writer appends numbered lines at full speed while each
#    tool rotates the log with copytruncate (10 rotations each); lines lost
#    are counted with seqwriter --check.
# 3. Scale: SCALE_LOGS small logs in one directory, matched by one glob
#    (`create`, `rotate 5`, one earlier rotation of each already there);
#    `-f -d` (the plan alone) and `-f` (the renames and creates) on fresh
#    copies of the same generated tree; medians and ratios.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
RUNS=${RUNS:-5}
LOGS=${LOGS:-20}
LOG_MIB=${LOG_MIB:-20}
WRITE_SECS=${WRITE_SECS:-3}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/ops-bench-rotate}
PARTS=${PARTS:-compress copytruncate scale}
part() { [[ " $PARTS " == *" $1 "* ]]; }
PATH=$PATH:/usr/sbin

die() { echo "rotate.sh: error: $*" >&2; exit 1; }
for tool in logrotate gzip awk; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/bootstrap bench installs it)"
done

if [[ -z ${OPSROTATE:-} ]] || { part copytruncate && [[ -z ${SEQWRITER:-} ]]; }; then
  echo "rotate.sh: building opsrotate and seqwriter (Release) in $repo/build-bench ..." >&2
  # seqwriter is a test program: the other benchmarks configure build-bench
  # without tests, so say it each time.
  targets=(opsrotate)
  tests=OFF
  if part copytruncate; then targets+=(seqwriter); tests=ON; fi
  cmake -S "$repo" -B "$repo/build-bench" -DCMAKE_BUILD_TYPE=Release -DOPS_BUILD_TESTS=$tests >/dev/null
  cmake --build "$repo/build-bench" -j"$(nproc)" --target "${targets[@]}" >/dev/null
  OPSROTATE=${OPSROTATE:-$repo/build-bench/tools/opsrotate/opsrotate}
  SEQWRITER=${SEQWRITER:-$repo/build-bench/tests/seqwriter}
fi
[[ -x $OPSROTATE ]] || die "no opsrotate binary at $OPSROTATE"
! part copytruncate || [[ -x $SEQWRITER ]] || die "no seqwriter binary at $SEQWRITER"

mkdir -p "$BENCH_DIR"
median() { LC_ALL=C sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now_ms() { date +%s%3N; }

if part compress; then
master=$BENCH_DIR/master
if [[ ! -f $master/log$LOGS.log || $(stat -c %s "$master/log1.log") != $((LOG_MIB << 20)) ]]; then
  echo "rotate.sh: generating $LOGS logs of $LOG_MIB MiB ..." >&2
  rm -rf "$master" && mkdir -p "$master"
  # Combined log format with varied IPs, paths, statuses and agents: real logs
  # compress about 10:1, not 1000:1 like a repeated line.
  awk -v bytes=$((LOG_MIB << 20)) -v seed=42 'BEGIN {
    srand(seed)
    split("GET GET GET POST PUT DELETE", m, " ")
    split("/ /index.php /api/v1/cases /api/v1/patients /login /static/app.js /static/site.css /search?q= /admin/reports /healthz", p, " ")
    split("200 200 200 200 304 302 404 500 201 401", s, " ")
    split("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0|Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0|curl/7.88.1|Mozilla/5.0 (iPhone; CPU iPhone OS 17_5) Safari/604.1|python-requests/2.31", a, "|")
    n = 0; t = 0
    while (n < bytes) {
      line = sprintf("%d.%d.%d.%d - - [24/Nov/2026:%02d:%02d:%02d +0000] \"%s %s%d HTTP/1.1\" %s %d \"-\" \"%s\"",
        int(rand()*223)+1, int(rand()*256), int(rand()*256), int(rand()*256), int(t/3600)%24, int(t/60)%60, t%60,
        m[int(rand()*6)+1], p[int(rand()*10)+1], int(rand()*100000), s[int(rand()*10)+1], int(rand()*50000)+200, a[int(rand()*5)+1])
      if (n + length(line) + 1 > bytes) line = substr(line, 1, bytes - n - 1)
      print line; n += length(line) + 1; t += int(rand()*3)
    }
  }' >"$master/log1.log"
  for ((i = 2; i <= LOGS; i++)); do cp "$master/log1.log" "$master/log$i.log"; done
fi

fresh() {  # fresh DIR: a copy of the master logs and the config for them
  rm -rf "$1" && mkdir -p "$1" && cp "$master"/*.log "$1/"
  printf '%s/*.log {\n  rotate 5\n  compress\n  create\n}\n' "$1" >"$1.conf"
  rm -f "$1.state"
}

echo "rotate.sh: $LOGS logs x $LOG_MIB MiB, $RUNS runs each, $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
declare -A times sizes
for ((r = 1; r <= RUNS; r++)); do
  for tool in logrotate opsrotate; do
    dir=$BENCH_DIR/$tool
    fresh "$dir"
    sync
    start=$(now_ms)
    if [[ $tool == logrotate ]]; then logrotate -f -s "$dir.state" "$dir.conf"
    else "$OPSROTATE" -q -f -s "$dir.state" "$dir.conf"; fi
    times[$tool]+="$(($(now_ms) - start)) "
    sizes[$tool]=$(cat "$dir"/*.gz | wc -c)
    # The same content, whatever the tool.
    [[ $(gzip -dc "$dir/log1.log.1.gz" | cksum) == $(cksum <"$master/log1.log") ]] || die "$tool: log1.log.1.gz is not log1.log"
  done
done
lr=$(printf '%s\n' ${times[logrotate]} | median)
ops=$(printf '%s\n' ${times[opsrotate]} | median)
printf '\n%-10s %10s %14s\n' tool "wall ms" "compressed"
printf '%-10s %10d %14d\n' logrotate "$lr" "${sizes[logrotate]}" opsrotate "$ops" "${sizes[opsrotate]}"
echo "runs (ms): logrotate ${times[logrotate]}; opsrotate ${times[opsrotate]}"
awk -v a="$lr" -v b="$ops" -v sa="${sizes[logrotate]}" -v sb="${sizes[opsrotate]}" 'BEGIN {
  printf "speed: opsrotate %.2fx faster than logrotate (median of runs); size: %+.2f%%\n", a / b, (sb - sa) * 100 / sa }'

fi

# --- copytruncate under a writer -----------------------------------------------
if part copytruncate; then
echo
echo "copytruncate with a writer at full speed ($WRITE_SECS s, 10 rotations per tool):"
for tool in logrotate opsrotate; do
  dir=$BENCH_DIR/ct-$tool
  rm -rf "$dir" "$dir.state" && mkdir -p "$dir"
  printf '%s/app.log {\n  rotate 1000\n  copytruncate\n}\n' "$dir" >"$dir.conf"
  "$SEQWRITER" "$dir/app.log" "$WRITE_SECS" >"$dir.count" &
  writer=$!
  sleep 0.2
  for ((k = 0; k < 10; k++)); do
    if [[ $tool == logrotate ]]; then logrotate -f -s "$dir.state" "$dir.conf"
    else "$OPSROTATE" -q -f -s "$dir.state" "$dir.conf"; fi
    sleep "$(awk -v s="$WRITE_SECS" 'BEGIN { print (s - 0.5) / 10 }')"
  done
  wait "$writer"
  printf '%-10s %10s lines written: ' "$tool" "$(cat "$dir.count")"
  # Oldest first: the highest number first, the live log last.
  mapfile -t files < <(find "$dir" -name 'app.log.*' | sort -t. -k3,3nr)
  # seqwriter --check exits 1 when lines are missing: that is the figure, not an error.
  { "$SEQWRITER" --check "$(cat "$dir.count")" "${files[@]}" "$dir/app.log" || true; } | tr '\n' ' '
  echo
done
df -T "$BENCH_DIR" | awk 'NR == 2 { print "(filesystem of " $7 ": " $2 ")" }'
fi

# --- many logs matched by one glob ------------------------------------------------
SCALE_LOGS=${SCALE_LOGS-10000 50000}
SCALE_RUNS=${SCALE_RUNS:-3}
scale_tree() {  # scale_tree N DIR: N one-line logs, each with an earlier rotation
  rm -rf "$2" "$2.state" && mkdir -p "$2"
  (cd "$2" && seq -f 'app%06g.log' "$1" | xargs -n 1000 sh -c 'for f; do echo line >"$f"; echo old >"$f.1"; done' sh)
  printf '%s/*.log {\n  rotate 5\n  create\n}\n' "$2" >"$2.conf"
}
part scale || SCALE_LOGS=""
for n in $SCALE_LOGS; do
  echo
  echo "scale: $n logs in one directory, one glob, $SCALE_RUNS runs each (median ms):"
  master_n=$BENCH_DIR/scale-$n
  [[ -f $master_n/app$(printf '%06d' "$n").log.1 && ! -e $master_n/app$(printf '%06d' $((n + 1))).log ]] ||
    scale_tree "$n" "$master_n"
  printf '%-10s %12s %12s\n' tool "-f -d ms" "-f ms"
  declare -A dry real
  for tool in logrotate opsrotate; do
    dry[$tool]="" real[$tool]=""
    for ((r = 1; r <= SCALE_RUNS; r++)); do
      dir=$BENCH_DIR/scale-run
      rm -rf "$dir" "$dir.state" && cp -a "$master_n" "$dir"
      printf '%s/*.log {\n  rotate 5\n  create\n}\n' "$dir" >"$dir.conf"
      for mode in dry real; do
        args=(-f)
        [[ $mode == dry ]] && args+=(-d)
        sync
        start=$(now_ms)
        if [[ $tool == logrotate ]]; then logrotate "${args[@]}" -s "$dir.state" "$dir.conf" >/dev/null 2>&1
        else "$OPSROTATE" -q "${args[@]}" -s "$dir.state" "$dir.conf" >/dev/null; fi
        elapsed=$(($(now_ms) - start))
        [[ $mode == dry ]] && dry[$tool]+="$elapsed " || real[$tool]+="$elapsed "
      done
      # Every log rotated, whatever the tool: N new rotations, N older ones shifted.
      [[ $(find "$dir" -name '*.log.2' | wc -l) == "$n" ]] || die "$tool: not every log was rotated in the scale test"
    done
    d=$(printf '%s\n' ${dry[$tool]} | median)
    w=$(printf '%s\n' ${real[$tool]} | median)
    printf '%-10s %12d %12d\n' "$tool" "$d" "$w"
    eval "scale_${tool}_dry=$d scale_${tool}_real=$w"
  done
  # shellcheck disable=SC2154  # set by the eval above
  awk -v ld="$scale_logrotate_dry" -v od="$scale_opsrotate_dry" -v lr="$scale_logrotate_real" -v oreal="$scale_opsrotate_real" \
    'BEGIN { printf "opsrotate/logrotate time: -f -d %.2f, -f %.2f (at most 1 is the target)\n", od / ld, oreal / lr }'
done
