#!/usr/bin/env bash
# opsdf record / opsdf forecast: exact forecasts of the prepared histories in
# tests/fixtures/df-history at a fixed OPS_NOW, exit status by threshold, the
# errors for a missing or damaged history, and record → forecast round trips.
# shellcheck source=tests/integration/lib.sh
. "$OPS_SOURCE_DIR/tests/integration/lib.sh"

H=$FIXTURES/df-history
export OPS_NOW=2026-01-31T00:00:00Z
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf   # no [df] section from the host's /etc/ops/ops.conf
TAB=$'\t'

# --- forecast of a prepared history: exact TSV -----------------------------------------
run opsdf forecast --history "$H/growth.tsv" --format tsv
assert_rc 1  # / is full in 10 days: within --warn-days 30, not --crit-days 7
assert_out_eq "kind${TAB}series${TAB}used${TAB}avail${TAB}growth_per_day${TAB}full_date${TAB}days_left${TAB}status
fs${TAB}/${TAB}53687091200${TAB}10737418240${TAB}1073741824${TAB}2026-02-10${TAB}10.0${TAB}WARNING
fs${TAB}/boot${TAB}104857600${TAB}419430400${TAB}${TAB}${TAB}${TAB}OK
fs${TAB}/srv${TAB}104228454400${TAB}56832819200${TAB}-104857600${TAB}${TAB}${TAB}OK
dir${TAB}/var/log${TAB}3720347648${TAB}10737418240${TAB}52428800${TAB}2026-08-23${TAB}204.8${TAB}OK
db${TAB}app${TAB}838860800${TAB}${TAB}10485760${TAB}${TAB}${TAB}OK"
assert_out_not_contains /old  # only samples from before the window
assert_eq "$ERR" "" "stderr of a clean forecast"

# --- the thresholds set the exit status ------------------------------------------------
run opsdf forecast --history "$H/growth.tsv" --format tsv --warn-days 5 --crit-days 2
assert_rc 0
assert_out_matches "^fs${TAB}/${TAB}.*${TAB}10\.0${TAB}OK$"

run opsdf forecast --history "$H/growth.tsv" --format tsv --crit-days 12
assert_rc 2
assert_out_matches "^fs${TAB}/${TAB}.*${TAB}2026-02-10${TAB}10\.0${TAB}CRITICAL$"

run opsdf forecast --history "$H/growth.tsv" --format tsv --warn-days 300
assert_rc 1
assert_out_matches "^dir${TAB}/var/log${TAB}.*${TAB}204\.8${TAB}WARNING$"

# A shorter window sees fewer samples; on these straight lines, the same forecast.
run opsdf forecast --history "$H/growth.tsv" --format tsv --window 7d
assert_rc 1
assert_out_matches "^fs${TAB}/${TAB}53687091200${TAB}10737418240${TAB}1073741824${TAB}2026-02-10${TAB}10\.0${TAB}WARNING$"

# Later, nothing is in the window: that is unknown, not fine.
OPS_NOW=2026-06-01T00:00:00Z run opsdf forecast --history "$H/growth.tsv" --format tsv
assert_rc 3
assert_err_contains "no sample in the last 30d"

# --- text output: sizes for people, the date, a sparkline, the crossed row marked -----
run opsdf forecast --history "$H/growth.tsv"
assert_rc 1
assert_out_matches '^fs +/ +50G +10G +\+1\.0G +2026-02-10 \(in 10 days\) +▁.*█ +WARNING$'
assert_out_matches '^fs +/srv +97G +53G +-100M +never +█.*▁$'
assert_out_matches '^fs +/boot +100M +400M +- +- +▄$'
assert_out_matches '^db +app +800M +- +\+10M +- +▁.*█$'

run opsdf forecast --history "$H/growth.tsv" --format json
assert_rc 1
assert_out_contains '"full_date": "2026-02-10"'

# --- a damaged history -------------------------------------------------------------------
run opsdf forecast --history "$H/torn.tsv" --format tsv
assert_rc 1  # the warning about the cut line
assert_err_matches '^opsdf: warning: .*/torn\.tsv:9: ignoring an incomplete last line'
assert_out_matches "^fs${TAB}/${TAB}53687091200${TAB}"

# A bad line is skipped and named, the others forecast (issue 14, item 10: it
# used to refuse the whole history with exit 3; see opsdf_history_lines.sh).
run opsdf forecast --history "$H/malformed.tsv" --format tsv
assert_rc 1
assert_err_matches "^opsdf: warning: .*/df-history/malformed\.tsv:5: ignoring a bad line: bad byte count '5368709I20'$"
assert_out_matches "^fs${TAB}/${TAB}53687091200${TAB}10737418240${TAB}"

run opsdf forecast --history "$SCRATCH/missing.tsv"
assert_rc 3
assert_eq "$(head -n 1 "$ERR_FILE")" "opsdf: error: cannot read history $SCRATCH/missing.tsv: No such file or directory"
assert_eq "$(grep -c 'error:' "$ERR_FILE")" 1 "error lines"
assert_err_contains "opsdf record"

run opsdf forecast --history "$H/growth.tsv" --warn-days 5
assert_rc 3  # --crit-days 7 above --warn-days 5 can only be a mistake

# --- record, then forecast what was recorded ---------------------------------------------
mkdir "$SCRATCH/data"
head -c 100000 /dev/urandom >"$SCRATCH/data/a"
OPS_NOW=2026-01-30T00:00:00Z run opsdf record --history "$SCRATCH/state/h.tsv" "$SCRATCH/data"
assert_rc 0
assert_eq "$OUT" "" "record prints nothing"
assert_file_exists "$SCRATCH/state/h.tsv"
assert_eq "$(head -n 1 "$SCRATCH/state/h.tsv")" "time${TAB}kind${TAB}series${TAB}used${TAB}avail" "history header"

head -c 2000000 /dev/urandom >"$SCRATCH/data/b"
OPS_NOW=2026-01-31T00:00:00Z run opsdf record --history "$SCRATCH/state/h.tsv" "$SCRATCH/data"
assert_rc 0
data=$(cd "$SCRATCH/data" && pwd -P)
dir_rows() { grep -cF -e "${TAB}dir${TAB}${data}${TAB}" -e "${TAB}dir${TAB}${SCRATCH}/data${TAB}" "$SCRATCH/state/h.tsv"; }
assert_eq "$(dir_rows)" 2 "dir rows recorded"
assert_eq "$(grep -c "^2026-01-30T00:00:00Z${TAB}fs${TAB}/${TAB}" "$SCRATCH/state/h.tsv")" 1 "fs / recorded once a run"
assert_eq "$(grep -c "^2026-01-31T00:00:00Z${TAB}fs${TAB}/${TAB}" "$SCRATCH/state/h.tsv")" 1 "fs / recorded once a run"

# Statuses of real filesystems depend on the host; the growth of our directory does not.
run opsdf forecast --history "$SCRATCH/state/h.tsv" --format tsv
assert_out_matches "^dir${TAB}(${data}|${SCRATCH}/data)${TAB}[0-9]+${TAB}[0-9]+${TAB}[1-9][0-9]{5,}${TAB}"
assert_out_matches "^fs${TAB}/${TAB}"
[[ $RC == [012] ]] || fail "forecast of a recorded history exited $RC"

# A record killed in the middle of its write: the next one repairs the file.
printf '2026-01-31T12:00:00Z\tfs\t/\t12' >>"$SCRATCH/state/h.tsv"
run opsdf forecast --history "$SCRATCH/state/h.tsv" --format tsv
assert_err_contains "ignoring an incomplete last line"
OPS_NOW=2026-02-01T00:00:00Z run opsdf record --history "$SCRATCH/state/h.tsv" "$SCRATCH/data"
assert_err_contains "removed an incomplete last line"
assert_eq "$(tail -c 1 "$SCRATCH/state/h.tsv" | od -An -c | tr -d ' ')" '\n' "history ends with a newline"
OPS_NOW=2026-02-01T00:00:00Z run opsdf forecast --history "$SCRATCH/state/h.tsv" --format tsv
assert_err_not_contains "incomplete"
assert_eq "$(dir_rows)" 3 "dir rows after the repair"

# Never write into a file that is not a history.
printf 'precious\n' >"$SCRATCH/notes.txt"
run opsdf record --history "$SCRATCH/notes.txt"
assert_rc 3
assert_err_contains "is not an opsdf history"
assert_eq "$(cat "$SCRATCH/notes.txt")" "precious" "the other file is untouched"
