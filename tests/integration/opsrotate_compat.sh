#!/usr/bin/env bash
# opsrotate against logrotate, case by case: each tests/integration/rotate/*.case
# names a configuration, a prepared tree and a series of dates. The driver
# appends a line to each log before each date, runs opsrotate (OPS_NOW) on one
# copy of the tree and logrotate (under faketime) on another, and then
#   - asserts the exact files opsrotate left (names, modes, compressed or not,
#     contents) and its state file against the case's EXPECTED listing, and
#   - asserts logrotate left the same — unless the case documents, in
#     DIFFERS, which improvement of opsrotate makes them differ; then the
#     listing of logrotate's tree must equal LOGROTATE_EXPECTED instead, so the
#     documented difference is the only one.
# logrotate and faketime are installed by scripts/bootstrap; without them the
# test fails rather than passing on half its checks.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

command -v logrotate >/dev/null || PATH=$PATH:/usr/sbin
command -v logrotate >/dev/null || fail "logrotate is not installed (scripts/bootstrap installs it)"
command -v faketime >/dev/null || fail "faketime is not installed (scripts/bootstrap installs it)"
export TZ=UTC
# faketime's stat() would report files' times shifted too, so logrotate's
# maxage and minage would judge ages by nonsense (maxage expired a one-day-old
# rotation): only the clock is faked.
export NO_FAKE_STAT=1
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf

CASES_DIR=$OPS_SOURCE_DIR/tests/integration/rotate
only=${OPS_ROTATE_CASE:-}

# listing DIR: one line per file under DIR, sorted:
#   PATH MODE gz|bz2|plain CONTENT   (content decompressed, newlines shown as '|', DIR as @DIR@,
#                                     NULs dropped)
# then, only for a file that has them, its ACL entries beyond the mode
# (" acl=user:nobody:rwx,mask::rwx") and, for a sparse file, " sparse=SIZE".
listing() {
  (cd "$1" && find . -type f ! -name '*.state' ! -name '*.conf' ! -name '*.lock' ! -name 'scripts.out' -printf '%P\n' | LC_ALL=C sort) |
    while IFS= read -r f; do
      local kind=plain content
      if gzip -t "$1/$f" 2>/dev/null; then kind=gz; content=$(gzip -dc "$1/$f" | tr '\n' '|')
      elif bzip2 -t "$1/$f" 2>/dev/null; then kind=bz2; content=$(bzip2 -dc "$1/$f" | tr '\n' '|')
      else content=$(tr '\n' '|' <"$1/$f" | tr -d '\0'); fi
      content=${content//$1/@DIR@}
      # Long contents by size and checksum, so a listing stays readable.
      ((${#content} <= 200)) || content="<${#content} bytes, cksum $(printf '%s' "$content" | cksum | cut -d' ' -f1)>"
      local extra="" acl
      acl=$(getfacl -cp --skip-base "$1/$f" 2>/dev/null | grep -v '^#' | grep . | paste -sd, -)
      [[ -z $acl ]] || extra+=" acl=$acl"
      (($(stat -c '%b * %B' "$1/$f") < $(stat -c %s "$1/$f"))) && extra+=" sparse=$(stat -c %s "$1/$f")"
      printf '%s %s %s %s%s\n' "$f" "$(stat -c %a "$1/$f")" "$kind" "$content" "$extra"
    done
}

# state_of FILE DIR: the state file with DIR shown as @DIR@, header dropped,
# seconds dropped (faketime's clock moves while logrotate runs), sorted.
state_of() {
  [[ -f $1 ]] || return 0
  tail -n +2 "$1" | sed "s|$2|@DIR@|g" | without_seconds | LC_ALL=C sort
}
without_seconds() { sed -E 's/(-[0-9]+:[0-9]+):[0-9]+$/\1/'; }

# Runs one case in $SCRATCH/NAME/{ops,lr}; sets OPS_LISTING, LR_LISTING, OPS_STATE, LR_STATE.
run_case() {
  local case_file=$1 name
  name=$(basename "$case_file" .case)
  # Case variables, reset for each case.
  LOGS="app.log" DATES="" FORCE_DATES="" DIFFERS="" STATE_START="" EXPECTED="" EXPECTED_STATE=""
  LOGROTATE_EXPECTED="" HOUR="03:00:00" ARGS="" EXPECT_RC=""
  setup() { :; }
  config() { :; }
  # shellcheck disable=SC1090
  . "$case_file"
  local tool dir
  for tool in ops lr; do
    dir=$SCRATCH/$name/$tool
    mkdir -p "$dir"
    (cd "$dir" && setup)
    config | sed "s|@DIR@|$dir|g" >"$dir/rotate.conf"
    if [[ -n $STATE_START ]]; then
      { echo "logrotate state -- version 2"; printf '%s\n' "$STATE_START" | sed "s|@DIR@|$dir|g"; } >"$dir/rotate.state"
    fi
  done
  local d log force rc
  for d in $DATES; do
    force=""
    [[ " $FORCE_DATES " == *" $d "* ]] && force=-f
    for tool in ops lr; do
      dir=$SCRATCH/$name/$tool
      for log in $LOGS; do
        [[ -d $(dirname "$dir/$log") ]] || continue
        printf '%s %s\n' "$log" "$d" >>"$dir/$log"
        touch -d "$d $HOUR" "$dir/$log"
      done
    done
    dir=$SCRATCH/$name/ops
    rc=0
    # shellcheck disable=SC2086
    OPS_NOW="${d}T${HOUR}Z" "$OPSROTATE" $force ${ARGS//@DIR@/$dir} -s "$dir/rotate.state" "$dir/rotate.conf" \
      >"$SCRATCH/$name/ops.out" 2>"$SCRATCH/$name/ops.err" || rc=$?
    if [[ -n $EXPECT_RC ]]; then
      ((rc == EXPECT_RC)) || { cat "$SCRATCH/$name/ops.err" >&2; fail "$name: opsrotate exited $rc on $d, not $EXPECT_RC"; }
    else
      ((rc <= 1)) || { cat "$SCRATCH/$name/ops.err" >&2; fail "$name: opsrotate exited $rc on $d"; }
    fi
    dir=$SCRATCH/$name/lr
    # shellcheck disable=SC2086
    faketime "$d $HOUR" logrotate $force ${ARGS//@DIR@/$dir} -s "$dir/rotate.state" "$dir/rotate.conf" \
      >"$SCRATCH/$name/lr.out" 2>&1 || true
  done
  OPS_LISTING=$(listing "$SCRATCH/$name/ops")
  LR_LISTING=$(listing "$SCRATCH/$name/lr")
  OPS_STATE=$(state_of "$SCRATCH/$name/ops/rotate.state" "$SCRATCH/$name/ops")
  LR_STATE=$(state_of "$SCRATCH/$name/lr/rotate.state" "$SCRATCH/$name/lr")
}

cases=0 compared=0 differing=0
for case_file in "$CASES_DIR"/*.case; do
  name=$(basename "$case_file" .case)
  [[ -z $only || $only == "$name" ]] || continue
  run_case "$case_file"
  cases=$((cases + 1))
  if [[ -n ${OPS_ROTATE_PRINT:-} ]]; then  # for writing a new case: show, don't judge
    printf '== %s\n-- opsrotate\n%s\n-- state\n%s\n-- logrotate\n%s\n-- state\n%s\n' \
      "$name" "$OPS_LISTING" "$OPS_STATE" "$LR_LISTING" "$LR_STATE"
    continue
  fi
  assert_eq "$OPS_LISTING" "$EXPECTED" "$name: the files opsrotate left"
  [[ -z $EXPECTED_STATE ]] || assert_eq "$OPS_STATE" "$(without_seconds <<<"$EXPECTED_STATE")" "$name: opsrotate's state file"
  if [[ -z $DIFFERS ]]; then
    assert_eq "$LR_LISTING" "$OPS_LISTING" "$name: logrotate left the same files"
    assert_eq "$LR_STATE" "$OPS_STATE" "$name: logrotate's state file is the same"
    compared=$((compared + 1))
  else
    assert_eq "$LR_LISTING" "$LOGROTATE_EXPECTED" "$name: logrotate differs only as documented ($DIFFERS)"
    differing=$((differing + 1))
  fi
done
((cases > 0)) || fail "no case ran (OPS_ROTATE_CASE=$only)"
echo "opsrotate_compat: $cases cases, $compared identical to logrotate, $differing with a documented improvement"
finish
