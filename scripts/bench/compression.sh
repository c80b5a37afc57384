#!/usr/bin/env bash
# compression.sh — zlib, ISA-L and libdeflate on the benchmarks' inputs, one
# core each: MB/s of input per CPU second and the size against gzip -6 of the
# same file (the table of scripts/bench/COMPRESSION.md).
#
#   scripts/bench/compression.sh FILE...
#
# The inputs of COMPRESSION.md: rotate.sh's generated access log
# (BENCH_DIR/master/log1.log), a pg_dump of backup.sh's database, and a tar of
# backup.sh's file tree, the last two cut to three 16 MiB slices (start,
# middle, end) to keep the run short. Needs libisal-dev and libdeflate-dev
# (scripts/bootstrap bench).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
(($# > 0)) || { echo "usage: compression.sh FILE..." >&2; exit 3; }
bin=$repo/build-bench/deflate_codecs
mkdir -p "$repo/build-bench"
# libcommon (Release) for its scan of a deflate stream, as the gzip writer runs it.
cmake -S "$repo" -B "$repo/build-bench" -DCMAKE_BUILD_TYPE=Release -DOPS_BUILD_TESTS=OFF >/dev/null
cmake --build "$repo/build-bench" -j"$(nproc)" --target common >/dev/null
g++ -O2 -std=c++20 -I"$repo/libcommon/src" -I"$repo/libcommon/include" "$here/deflate_codecs.cpp" \
  "$repo/build-bench/libcommon/libopscommon.a" -lfmt -lz -lisal -ldeflate -o "$bin"

refs=()
for f; do
  refs+=("$(basename "$f")=$(gzip -6 -c "$f" | wc -c)")
  for l in 1 9; do echo "$(basename "$f") gzip -$l: $(gzip -$l -c "$f" | wc -c) bytes"; done
done
"$bin" "$@" | awk -v refs="${refs[*]}" 'BEGIN { n = split(refs, r, " "); for (i = 1; i <= n; i++) { split(r[i], kv, "="); ref[kv[1]] = kv[2] } }
  NR == 1 { print $0 "\tvs gzip -6"; next }
  { printf "%s\t%+.1f%%\n", $0, ($5 - ref[$1]) * 100 / ref[$1] }'
