#!/usr/bin/env bash
# logrotate's own test suite, run against opsrotate: the test/test-NNNN.sh
# scripts of logrotate's Debian source package (fetched through apt at test
# time by scripts/logrotate-suite, cached in the build directory, never kept
# in this repository), each with LOGROTATE=opsrotate. Every test must pass,
# be skipped by the suite itself (exit 77: SELinux), or be listed in
# rotate/logrotate-suite.known with its reason; a listed test that passes
# fails this test too, so the list only shrinks.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

known_list=$OPS_SOURCE_DIR/tests/integration/rotate/logrotate-suite.known
cache=$(dirname "$OPSROTATE")/../../logrotate-suite
suite=$("$OPS_SOURCE_DIR/scripts/logrotate-suite" "$cache") || fail "logrotate's test suite could not be fetched (see above)"

cp -r "$suite" "$SCRATCH/suite"
cd "$SCRATCH/suite"
ls test-[0-9]*.sh >tests
assert_eq "$(wc -l <tests)" "102" "logrotate 3.21.0's suite has 102 tests"

# Two at a time (each test works in its own test-NNNN/ directory); each
# result is the test's exit status in results/NNNN, its output in logs/NNNN.
mkdir results logs
export LOGROTATE=$OPSROTATE
xargs -P 2 -I{} sh -c 'n=$(basename {} .sh); n=${n#test-}; timeout 300 sh ./{} >logs/$n 2>&1; echo $? >results/$n' <tests

passed=0 skipped=0 failed=()
for r in results/*; do
  n=$(basename "$r")
  case $(cat "$r") in
    0) passed=$((passed + 1)) ;;
    77) skipped=$((skipped + 1)) ;;
    *) failed+=("$n") ;;
  esac
done
echo "opsrotate passes $passed of logrotate's $(wc -l <tests) tests ($skipped skipped by the suite, ${#failed[@]} fail)"

known=$(grep -Eo '^[0-9]{4}' "$known_list" | sort)
for n in "${failed[@]}"; do
  if ! grep -qx "$n" <<<"$known"; then
    sed -n '1,200p' "logs/$n" | tail -n 40 >&2
    fail "logrotate's test-$n.sh fails against opsrotate and is not in rotate/logrotate-suite.known"
  fi
done
for n in $known; do
  [[ -f results/$n ]] || fail "rotate/logrotate-suite.known lists $n, which the suite does not have"
  [[ $(cat "results/$n") != 0 ]] || fail "logrotate's test-$n.sh now passes: take it off rotate/logrotate-suite.known"
done
assert_eq "$skipped" "1" "the suite skips only its SELinux test"
assert_eq "$((passed + skipped + ${#failed[@]}))" "$(wc -l <tests)" "every test ran"
