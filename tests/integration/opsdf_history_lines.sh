#!/usr/bin/env bash
# Issue 14, item 10: `opsdf record` never appends a line that `opsdf forecast`
# refuses, and `forecast` skips a bad line (naming FILE:LINE and what is wrong)
# and forecasts from the good ones instead of refusing the whole history.
# shellcheck source=tests/integration/lib.sh
. "$OPS_SOURCE_DIR/tests/integration/lib.sh"

export OPS_NOW=2026-01-31T00:00:00Z
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
TAB=$'\t'
H=$SCRATCH/h.tsv

# --- forecast: bad lines in the middle are skipped and named --------------------------
# / grows 1 GiB a day with 100 GiB left: OK at the default thresholds, so the
# exit status 1 below comes from the skipped lines alone.
{
  printf 'time\tkind\tseries\tused\tavail\n'
  printf '2026-01-26T00:00:00Z\tfs\t/\t%d\t%d\n' $((50 << 30)) $((105 << 30))
  printf '2026-01-27T00:00:00Z\tfs\t/\tNaN\t%d\n' $((104 << 30))              # line 3
  printf '2026-01-28T00:00:00Z\tfs\t/\t%d\t%d\n' $((52 << 30)) $((103 << 30))
  printf 'garbage from an editor\n'                                            # line 5
  printf '2026-01-29T00:00:00Z\tfs\t/\tinf\t-1\n'                              # line 6
  printf '2026-01-30T00:00:00Z\tfs\t/\t%d\t%d\n' $((54 << 30)) $((101 << 30))
  printf '2026-01-30T12:00:00Z\tfs\t/\t1e3\t1\n'                               # line 8
  printf '2026-01-31T00:00:00Z\tfs\t/\t%d\t%d\n' $((55 << 30)) $((100 << 30))
  printf '2026-01-31T00:00:00Z\tfs\t/\t5'                                      # line 10: a killed writer's tail
} >"$H"
cp "$H" "$SCRATCH/before"
run timeout 10 opsdf forecast --history "$H" --format tsv
assert_rc 1
assert_out_eq "kind${TAB}series${TAB}used${TAB}avail${TAB}growth_per_day${TAB}full_date${TAB}days_left${TAB}status
fs${TAB}/${TAB}$((55 << 30))${TAB}$((100 << 30))${TAB}1073741824${TAB}2026-05-11${TAB}100.0${TAB}OK"
assert_err_contains "opsdf: warning: $H:3: ignoring a bad line: bad byte count 'NaN'"
assert_err_contains "opsdf: warning: $H:5: ignoring a bad line: expected 5 tab-separated fields (time, kind, series, used, avail), found 1"
assert_err_contains "opsdf: warning: $H:6: ignoring a bad line: bad byte count 'inf'"
assert_err_contains "opsdf: warning: $H:8: ignoring a bad line: bad byte count '1e3'"
assert_err_contains "opsdf: warning: $H:10: ignoring an incomplete last line (an interrupted write?): '2026-01-31T00:00:00Z\\tfs\\t/\\t5'"
assert_eq "$(grep -c 'warning:' "$ERR_FILE")" 5 "one warning a bad line"
assert_eq "$(grep -vc 'warning:' "$ERR_FILE" || true)" 0 "nothing but the warnings on stderr"
cmp -s "$H" "$SCRATCH/before" || fail "forecast changed the history"

# A history whose every line is bad has nothing to forecast from: exit 3 (as
# for an empty history), each line still named.
printf 'time\tkind\tseries\tused\tavail\nx\ny\n' >"$SCRATCH/all-bad.tsv"
run timeout 10 opsdf forecast --history "$SCRATCH/all-bad.tsv"
assert_rc 3
assert_err_contains "all-bad.tsv:2: ignoring a bad line"
assert_err_contains "all-bad.tsv:3: ignoring a bad line"
assert_err_contains "opsdf: error: "

# Not a history at all is still refused whole.
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$SCRATCH/passwd"
run timeout 10 opsdf forecast --history "$SCRATCH/passwd"
assert_rc 3
assert_err_contains "passwd:1: not an opsdf history"

# --- record: the next record cuts the torn tail, appends after the bad lines ----------
mkdir "$SCRATCH/data"
run timeout 10 opsdf record --history "$H" "$SCRATCH/data"
assert_rc 1
assert_err_contains "removed an incomplete last line"
assert_eq "$(tail -c 1 "$H" | od -An -c | tr -d ' ')" '\n' "the history ends with a newline"
run timeout 10 opsdf forecast --history "$H" --format tsv
assert_err_not_contains "incomplete"
assert_err_contains "$H:3: ignoring a bad line"

# --- record: a time the history cannot hold is refused, nothing written ---------------
# Before the fix this appended "-001-12-31T…" (or "10000-01-01T…") lines that
# every later forecast refused with exit 3.
for now in 0000-01-01T00:00:00+00:30 9999-12-31T23:59:00-01:00; do
  cp "$SCRATCH/before" "$SCRATCH/h2.tsv"
  OPS_NOW=$now run timeout 10 opsdf record --history "$SCRATCH/h2.tsv" "$SCRATCH/data"
  assert_rc 3
  assert_eq "$(grep -c . "$ERR_FILE")" 1 "one line on stderr for OPS_NOW=$now"
  assert_err_matches "^opsdf: error: cannot record at .*: the history holds times from year 0000 to 9999$"
  cmp -s "$SCRATCH/h2.tsv" "$SCRATCH/before" || fail "record at OPS_NOW=$now changed the history"
  OPS_NOW=$now run timeout 10 opsdf record --history "$SCRATCH/new.tsv" "$SCRATCH/data"
  assert_rc 3
  assert_no_file "$SCRATCH/new.tsv"
done

# --- record → forecast round trip: every recorded line reads back --------------------
mkdir "$SCRATCH/odd"$'\t'"dir" "$SCRATCH/back\\slash"
run timeout 10 opsdf record --history "$SCRATCH/rt.tsv" "$SCRATCH/odd"$'\t'"dir" "$SCRATCH/back\\slash"
assert_rc 0
OPS_NOW=2026-02-01T00:00:00Z run timeout 10 opsdf record --history "$SCRATCH/rt.tsv" "$SCRATCH/data"
run timeout 10 opsdf forecast --history "$SCRATCH/rt.tsv" --format tsv
assert_err_not_contains "ignoring"
assert_out_contains "dir${TAB}$(cd "$SCRATCH" && pwd -P)/odd\\tdir${TAB}"
