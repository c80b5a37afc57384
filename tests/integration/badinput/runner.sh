# shellcheck shell=bash
# badinput/runner.sh — the table-driven bad-input suite's runner (issue 14, "Proof").
#
# Source it after lib.sh from tests/integration/badinput_<tool>.sh. Each case of
# the table is one line:
#
#   bad STATUS 'ERE' 'label: what it tests' CMD [ARG...]
#
# runs `timeout 20 CMD...` with stdin /dev/null and the cwd $SCRATCH, and checks
#   - the exit status is STATUS (124, a hang, never passes);
#   - stderr is one line "$BAD_TOOL: error: ..." (or "warning:" when STATUS is
#     0 or 1) that matches ERE — the culprit: the bad value, option, file or key —
#     optionally followed by "$BAD_TOOL: hint: ..." lines (ops(7): "followed, when
#     there is an obvious fix, by a line starting with tool: hint:");
#   - no raw control byte reaches stderr (anything below 0x20 but tab and the
#     newlines ending lines, and DEL), and stderr is under $BAD_MAX_ERR bytes;
#   - nothing changed on disk: the state of $SCRATCH (names, types, modes,
#     sizes, contents, symlink targets, no times; see tree_state in lib.sh)
#     equals the one taken before the case, and so does the output of the function bad_db_state when
#     the script defines one (the rows of the tables its cases touch);
#   - with BAD_ERR_NOT=STR before `bad`, STR (a password) is not on stderr.
# Every case runs, failed or not; each prints "ok N label" or "FAIL N label" with
# its reasons, command, status and stderr. The script fails at the end if any
# case failed, with the list.
#
# One tool's suite: ctest --test-dir build-test -R integration.badinput_opsdf --output-on-failure
# (ctest shows the output only at the end; through run-with-servers, as the
# header of each badinput_<tool>.sh says, it streams).
#
#   BAD_ONLY=ERE   run only the cases whose label matches ERE (to work on a few)
#   BAD_LIST=1     print the cases (number, status, label) without running them
#
# Fixtures every tool shares are made by bad_common_fixtures (called below);
# the scripts add their own before their table. Fixtures are made once: a case
# must leave them as they were, that is what it checks.

BAD_N=0
BAD_FAILED=()
BAD_MAX_ERR=${BAD_MAX_ERR:-4096}
: "${BAD_TOOL:?set BAD_TOOL before sourcing badinput/runner.sh}"
: "${BAD_SECTION:?set BAD_SECTION (the ops.conf section of the tool) before sourcing}"
: "${BAD_HUGE_KEY:?set BAD_HUGE_KEY (a key of BAD_SECTION that refuses aaaa...) before sourcing}"
# A 100 KB argument (one argument may be 128 KB at most on Linux).
# shellcheck disable=SC2034 # used by the tables
BAD_LONG_ARG=$(head -c 100000 /dev/zero | tr '\0' a)

# The state the cases must not change: the tree and, if defined, the databases.
_bad_state() {
  tree_state "$SCRATCH"
  if declare -F bad_db_state >/dev/null; then
    echo "--- databases"
    bad_db_state
  fi
}

_BAD_STATE_FILE=$_T_LIB/bad-state
_BAD_STATE_NOW=$_T_LIB/bad-state-now
_bad_baseline_taken=0

# The baseline: the state, and a copy of the tree to put back after a case that
# changed it, so that each case starts from the same fixtures.
_bad_take_baseline() {
  _bad_state >"$_BAD_STATE_FILE"
  cp -a "$SCRATCH" "$_T_LIB/pristine"
  _bad_baseline_taken=1
}

_bad_restore_tree() {
  find "$SCRATCH" -mindepth 1 -delete
  cp -a "$_T_LIB/pristine/." "$SCRATCH/"
  _bad_state >"$_BAD_STATE_FILE"
}

# One case of the table. STATUS ERE LABEL CMD...
bad() {
  local status=$1 pat=$2 label=$3 reasons=() first others nlines ctl
  shift 3
  BAD_N=$((BAD_N + 1))
  if [[ -n ${BAD_LIST:-} ]]; then
    printf '%3d  %s  %s\n' "$BAD_N" "$status" "$label"
    return 0
  fi
  if [[ -n ${BAD_ONLY:-} && ! $label =~ $BAD_ONLY ]]; then return 0; fi
  ((_bad_baseline_taken)) || _bad_take_baseline

  run timeout -k 5 20 "$@"
  LAST_CMD=$(_t_quote "$@")

  ASSERTIONS=$((ASSERTIONS + 1))
  if [[ $RC == 124 || $RC == 137 ]]; then
    reasons+=("hang: killed by timeout 20 (exit $RC)")
  elif [[ $RC != "$status" ]]; then
    reasons+=("exit status $RC, expected $status")
  fi

  # stderr: one error line naming the culprit, then only hint lines.
  ASSERTIONS=$((ASSERTIONS + 1))
  local kind=error
  [[ $status == 0 || $status == 1 ]] && kind='(error|warning)'
  nlines=$(awk 'END { print NR }' "$ERR_FILE")
  first=$(head -n 1 "$ERR_FILE" | tr -d '\0')
  others=$(tail -n +2 "$ERR_FILE" | tr -d '\0' | grep -Ecv "^$BAD_TOOL: hint: " || true)
  if ((nlines == 0)); then
    reasons+=("stderr is empty")
  else
    [[ $first =~ ^$BAD_TOOL:\ $kind:\  ]] || reasons+=("first stderr line is not '$BAD_TOOL: ${kind//[()]/}: ...'")
    ((others == 0)) || reasons+=("stderr has $nlines lines, $others of them neither the error line nor a hint")
  fi
  ASSERTIONS=$((ASSERTIONS + 1))
  if ! grep -Eq -- "$pat" <<<"$first"; then
    reasons+=("the error line does not name the culprit: no match for /$pat/")
  fi

  # Message quality: no raw control byte, a bounded size.
  ASSERTIONS=$((ASSERTIONS + 1))
  ctl=$(LC_ALL=C tr -d '\n\t\040-\176\200-\377' <"$ERR_FILE" | od -An -c | tr -s ' ' | head -c 80)
  [[ -z $ctl ]] || reasons+=("raw control bytes on stderr:$ctl")
  ASSERTIONS=$((ASSERTIONS + 1))
  local size
  size=$(stat -c %s "$ERR_FILE")
  ((size < BAD_MAX_ERR)) || reasons+=("stderr is $size bytes (limit $BAD_MAX_ERR)")
  # BAD_ERR_NOT=STR bad ...: STR (a password, say) must not reach stderr.
  if [[ -n ${BAD_ERR_NOT:-} ]]; then
    ASSERTIONS=$((ASSERTIONS + 1))
    ! grep -qF -- "$BAD_ERR_NOT" "$ERR_FILE" || reasons+=("stderr shows '$BAD_ERR_NOT'")
  fi

  # Nothing changed on disk or in the databases.
  ASSERTIONS=$((ASSERTIONS + 1))
  _bad_state >"$_BAD_STATE_NOW"
  if ! cmp -s "$_BAD_STATE_FILE" "$_BAD_STATE_NOW"; then
    reasons+=("changed on disk / in the database: $(diff "$_BAD_STATE_FILE" "$_BAD_STATE_NOW" | grep '^[<>]' | head -n 6 | tr "\n" ";" | cut -c1-600 || true)")
    _bad_restore_tree   # the next case starts from the fixtures again
  fi

  _bad_verdict "$label" "${reasons[@]}"
}

# _bad_verdict LABEL [REASON...]: one case's result line; with reasons, a
# FAIL with them, the command, its exit status and the start of its stderr.
_bad_verdict() {
  local label=$1
  shift
  if (($# == 0)); then
    printf 'ok %d %s\n' "$BAD_N" "$label"
    return 0
  fi
  BAD_FAILED+=("$BAD_N $label")
  {
    printf 'FAIL %d %s\n' "$BAD_N" "$label"
    printf '  - %s\n' "$@"
    printf '  command: %s\n  exit status: %s\n  stderr (%s bytes, first 4 lines, escaped):\n' \
      "$(cut -c1-300 <<<"$LAST_CMD" | LC_ALL=C cat -v)" "$RC" "$(stat -c %s "$ERR_FILE")"
    head -n 4 "$ERR_FILE" | cut -c1-300 | LC_ALL=C cat -v | sed 's/^/    | /'
  } >&2
}

# Run at the end of the table: the summary, and the script's verdict.
bad_finish() {
  [[ -n ${BAD_LIST:-} ]] && { echo "$BAD_N cases"; ASSERTIONS=$((ASSERTIONS + 1)); finish; }
  echo "$BAD_TOOL bad-input suite: $BAD_N cases, ${#BAD_FAILED[@]} failed"
  if ((${#BAD_FAILED[@]} > 0)); then
    printf '  failed: %s\n' "${BAD_FAILED[@]}" >&2
    LAST_CMD=
    _t_fail "${#BAD_FAILED[@]} of $BAD_N bad-input cases failed"
  fi
  finish
}

# A command prefix that runs as nobody (the tests run as root, for whom no file
# is unreadable): "${AS_NOBODY[@]}" opsdf -c unreadable.conf
# shellcheck disable=SC2034 # used by the tables
AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --)

# Fixtures for every tool, in $SCRATCH (relative names work: the cwd is $SCRATCH).
bad_common_fixtures() {
  : >empty.conf
  mkfifo fifo
  mkdir adir
  chmod 755 adir "$SCRATCH"
  chmod o+x "$SCRATCH/.." "$SCRATCH/../.." 2>/dev/null || true
  ln -s adir link-to-dir
  ln -s missing-target dangling
  printf '[x]\n' >unreadable.conf
  chmod 000 unreadable.conf
  : >$'new\nline.conf'
  : >$'esc\e[31mred.conf'
  # ops.conf files that are wrong in every way ops.conf(5) names.
  printf '[%s]\nbogus_key = 1\n' "$BAD_SECTION" >unknown-key.conf
  printf '[%s]\n[%s]\n' "$BAD_SECTION" "$BAD_SECTION" >dup-section.conf
  printf '[%s\nx = 1\n' "$BAD_SECTION" >bad-syntax.conf
  printf '[%s]\nthis line has no equals sign\n' "$BAD_SECTION" >no-equals.conf
  printf 'key_before_section = 1\n' >no-section.conf
  head -c 4096 /dev/urandom | tr -d '\n' >garbage.conf
  # A NUL inside a value: cut there, the value would read as a valid other one.
  printf '[db.x]\ndsn = sqlite:///tmp/x.db\x00hidden\n' >nul.conf
  printf '[db.x]\ndsn = notadsn://foo\n' >bad-dsn.conf
  printf '[db.x]\ndsn = postgresql://u:secret@localhost/db\n' >dsn-password.conf
  printf '[db.x]\npassword_file = /nonexistent\n' >db-no-dsn.conf
  printf '[db.x]\ndsn = sqlite:///tmp/x.db\ndsn = sqlite:///tmp/y.db\n' >dup-key.conf
  # A 10 MB bad value of a key of the tool's section ($BAD_HUGE_KEY).
  { printf '[%s]\n%s = ' "$BAD_SECTION" "$BAD_HUGE_KEY"; head -c 10000000 /dev/zero | tr '\0' a; printf '\n'; } >huge-value.conf
  printf '[db.x]\ndsn = sqlite:///tmp/\e[31mred\x01.db?sslmode=\x07\n' >ctl-value.conf
  printf '[db.x]\ndsn = postgresql://u@h/db?sslmode=bogus\n' >bad-sslmode.conf
}
bad_common_fixtures
export OPS_CONFIG=$SCRATCH/empty.conf   # never the host's /etc/ops/ops.conf
unset OPS_NOW
