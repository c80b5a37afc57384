#!/usr/bin/env bash
# Fault test: `opsaudit changes --init` and `--update` killed with SIGKILL at
# random moments leave the old baseline or the new one, never half of one:
# after every kill the baseline is absent (a first --init) or has exactly the
# SHA-256 of a complete baseline, and the next run clears what the killed one
# left beside it.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
A=$OPSAUDIT

# A tree big enough that a run takes a while, so kills land mid-run.
T=$SCRATCH/tree
for d in $(seq 1 10); do
  mkdir -p "$T/$d"
  (cd "$T/$d" && for f in $(seq 1 100); do echo "$d/$f" >"f$f"; done)
done
mkdir "$SCRATCH/state"
B=$SCRATCH/state/baseline

# Kills spread over 0 to 1.5 times the length of one undisturbed run.
start=${EPOCHREALTIME/./}
"$A" changes "$T" --baseline "$SCRATCH/timing" --init >/dev/null || fail "the timing run failed"
run_us=$((${EPOCHREALTIME/./} - start))
rm "$SCRATCH/timing"
pause() {
  local us=$(((RANDOM * 32768 + RANDOM) % (run_us * 3 / 2 + 1)))
  sleep "$(printf '%d.%06d' $((us / 1000000)) $((us % 1000000)))"
}
killed=0

# --init: no baseline, or a whole one.
for _ in $(seq 1 15); do
  rm -f "$B"
  "$A" changes "$T" --baseline "$B" --init >/dev/null 2>&1 &
  pid=$!
  pause
  kill -KILL "$pid" 2>/dev/null || true
  rc=0
  wait "$pid" 2>/dev/null || rc=$?
  [[ $rc == 137 ]] && killed=$((killed + 1))
  [[ $rc == 0 || $rc == 137 ]] || fail "--init exited $rc"
  if [[ -e $B ]]; then
    run "$A" changes --baseline "$B"
    assert_rc 0   # whole, and the tree unchanged
  fi
done

# --update: the old baseline or the new one, by their SHA-256.
rm -f "$B"
"$A" changes "$T" --baseline "$B" --init >/dev/null
old=$(sha256sum "$B" | cut -d' ' -f1)
for i in $(seq 1 15); do
  echo "change $i" >"$T/1/f1"
  "$A" changes --baseline "$B" --update >"$SCRATCH/update.out" 2>&1 &
  pid=$!
  pause
  kill -KILL "$pid" 2>/dev/null || true
  rc=0
  wait "$pid" 2>/dev/null || rc=$?
  [[ $rc == 137 ]] && killed=$((killed + 1))
  [[ $rc == 0 || $rc == 137 ]] || fail "--update exited $rc"
  now=$(sha256sum "$B" | cut -d' ' -f1)
  if [[ $now != "$old" ]]; then
    # The new one: complete, it says the tree as it is now, and --update printed its SHA-256.
    run "$A" changes --baseline "$B" --expect-sha256 "$now"
    assert_rc 0
    [[ $rc == 0 ]] && assert_eq "$(grep -o 'its sha256 [0-9a-f]*' "$SCRATCH/update.out")" "its sha256 $now"
    old=$now
  else
    run "$A" changes --baseline "$B" --expect-sha256 "$old"
    [[ $RC == 1 ]] || fail "the old baseline after a killed --update: exit $RC"
    assert_out_contains "content_changed"
  fi
done
echo "$killed of 30 runs killed while running (one run takes $((run_us / 1000)) ms)"
((killed >= 6)) || fail "only $killed kills landed while opsaudit ran: the test proves nothing"

# What the killed runs left beside the baseline goes with the next --update.
run "$A" changes --baseline "$B" --update
assert_rc 0
assert_eq "$(find "$SCRATCH/state" -mindepth 1 | wc -l)" 1 "only the baseline is left in its directory"
