# shellcheck shell=bash
# refused.sh — one helper for the bad-input tests of issue 14 (items 13, 15),
# sourced after lib.sh:
#
#   refused 'CULPRIT[;CULPRIT...]' CMD...
#       runs CMD under `timeout 20` and asserts: exit status 3; nothing on
#       stdout; exactly one "error:" line on stderr, naming every CULPRIT
#       (';'-separated: the key, the value, the option, the path…), and no
#       other line than one hint; and $SCRATCH unchanged (names, types, sizes,
#       modes, mtimes, symlink targets and contents of everything under it:
#       tree_state --mtime, lib.sh).

refused() {
  local expect=$1 before part first
  shift
  before=$(tree_state --mtime "$SCRATCH")
  run timeout 20 "$@"
  assert_rc 3
  assert_out_eq ""
  first=$(head -n 1 "$ERR_FILE")
  IFS=';' read -ra _refused_parts <<<"$expect"
  for part in "${_refused_parts[@]}"; do
    ASSERTIONS=$((ASSERTIONS + 1))
    [[ $first == *": error: "*"$part"* ]] || fail "the error line does not name '$part'"
  done
  assert_eq "$(grep -c ': error: ' "$ERR_FILE" || true)" 1 "error lines on stderr"
  assert_eq "$(grep -vc ': hint: ' "$ERR_FILE" || true)" 1 "lines on stderr other than one hint"
  assert_eq "$(wc -l <"$ERR_FILE")" "$((1 + $(grep -c ': hint: ' "$ERR_FILE" || true)))" "lines on stderr"
  ((_refused_hints = $(grep -c ': hint: ' "$ERR_FILE" || true), _refused_hints <= 1)) ||
    fail "more than one hint line"
  assert_tree_unchanged "$before" "$SCRATCH" "the scratch tree after '$LAST_CMD'"
}
