#!/usr/bin/env bash
# Fault test: `opsdf record` killed with SIGKILL at random moments, many times
# over, never leaves a history that the next record or forecast cannot use.
# Every line in the file is whole (the torn tail of a killed write is cut off
# by the next record), and the series of every completed run are all there.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
TAB=$'\t'

# A directory big enough that a record takes a while, so kills land mid-run.
mkdir -p "$SCRATCH/tree"
for d in $(seq 1 40); do
  mkdir "$SCRATCH/tree/$d"
  (cd "$SCRATCH/tree/$d" && touch $(seq -f 'f%g' 1 200))
done
H=$SCRATCH/h.tsv

# Time one undisturbed run, so the kills spread over 0 to 1.5 times its length
# whatever the build (a sanitizer build is several times slower).
start=${EPOCHREALTIME/./}
opsdf record --history "$H" "$SCRATCH/tree" || fail "the first record failed"
run_us=$((${EPOCHREALTIME/./} - start))
complete=1
killed_running=0
for i in $(seq 1 60); do
  opsdf record --history "$H" "$SCRATCH/tree" 2>/dev/null &
  pid=$!
  # Before, during and after the scan and the write.
  delay_us=$(((RANDOM * 32768 + RANDOM) % (run_us * 3 / 2 + 1)))
  sleep "$(printf '%d.%06d' $((delay_us / 1000000)) $((delay_us % 1000000)))"
  kill -KILL "$pid" 2>/dev/null || true
  rc=0
  wait "$pid" 2>/dev/null || rc=$?
  # 137: the kill landed while it ran; 0: it had finished (its zombie took the signal).
  case $rc in
    0) complete=$((complete + 1)) ;;
    137) killed_running=$((killed_running + 1)) ;;
    *) fail "record exited $rc" ;;
  esac
done
echo "record: $killed_running of 60 runs killed while running, $((complete - 1)) completed (one run takes $((run_us / 1000)) ms)"
((killed_running >= 10)) || fail "only $killed_running kills landed while record ran: the test proves nothing"

# Simulate the narrow window a kill rarely hits: half a line written.
printf '2026-01-31T12:00:00Z\tfs\t/\t12' >>"$H"
run opsdf record --history "$H" "$SCRATCH/tree"
assert_rc 1
assert_err_contains "removed an incomplete last line"

run opsdf forecast --history "$H" --format tsv --window 1y
[[ $RC == [012] ]] || fail "forecast after the kills exited $RC"
assert_err_not_contains "incomplete"
assert_eq "$(awk -F'\t' 'NF != 5' "$H" | wc -l)" 0 "every line has five fields"
assert_eq "$(tail -c 1 "$H" | od -An -c | tr -d ' ')" '\n' "the history ends with a newline"
tree=$(cd "$SCRATCH/tree" && pwd -P)
dir_rows=$(grep -c "${TAB}dir${TAB}$tree${TAB}" "$H" || true)
((dir_rows >= complete + 1)) || fail "$dir_rows dir rows for $((complete + 1)) completed records"
assert_eq "$(awk -F'\t' -v d="$tree" '$3 == d { print $4 }' "$H" | sort -u | wc -l)" 1 \
  "every recorded size of the unchanged tree is the same"
