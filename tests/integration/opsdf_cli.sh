#!/usr/bin/env bash
# opsdf's command line, as every ops tool has it: usage errors, --help and
# --version, ops.conf and OPS_DF_* with their precedence, --metrics-dir,
# --quiet and --lock-file.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_DF_' || true)

# --- usage errors: exit 3 and a message that says what to do ----------------------
run opsdf --bogus
assert_rc 3
assert_err_matches "^opsdf: error: .*'--bogus'"
assert_err_contains "opsdf: hint: see 'opsdf --help'"
assert_out_eq ""

run opsdf fs --bogus "$SCRATCH"
assert_rc 3
assert_err_contains '--bogus'

run opsdf fz
assert_rc 3
assert_err_contains "opsdf: error: unknown subcommand 'fz'"
assert_err_contains "opsdf: hint: did you mean 'opsdf fs'?"

run opsdf help fz
assert_rc 3
assert_err_contains "did you mean 'opsdf fs'?"

run opsdf --format yaml
assert_rc 3
assert_err_contains "'yaml'"

run opsdf -c "$SCRATCH/missing.conf"
assert_rc 3
assert_err_contains "$SCRATCH/missing.conf"

run opsdf fs --quiet --verbose
assert_rc 3

# --- --help and --version ---------------------------------------------------------
run opsdf --version
assert_rc 0
assert_out_matches '^opsdf \(ops\) [0-9]+\.[0-9]+\.[0-9]+$'
assert_eq "$ERR" "" "--version writes nothing on stderr"

run opsdf --help
assert_rc 0
assert_out_contains 'Usage: opsdf [OPTIONS] [SUBCOMMAND] [ARGS]'
assert_out_matches '^  fs +.*\(default\)$'
assert_out_contains '--metrics-dir'
assert_eq "$ERR" "" "--help writes nothing on stderr"

run opsdf fs --help
assert_rc 0
assert_out_contains 'Usage: opsdf fs [OPTIONS] [PATH...]'
assert_out_contains '--warn'
assert_out_contains '--inode-crit'

run opsdf help fs
assert_rc 0
assert_out_contains 'Usage: opsdf fs'

# --- ops.conf -----------------------------------------------------------------------
cat >bad-key.conf <<'EOF'
# opsdf settings
[df]
warn = 80%
wran = 90%
EOF
run opsdf -c bad-key.conf fs "$SCRATCH"
assert_rc 3
assert_err_contains "opsdf: error: bad-key.conf:4: unknown key 'wran' in [df]"
assert_out_eq ""

printf '[df]\nwarn = 80%%\n[df\n' >bad-syntax.conf
run opsdf -c bad-syntax.conf
assert_rc 3
assert_err_contains 'bad-syntax.conf:3: '

# OPS_CONFIG names the file when -c does not.
printf '[df]\nwarn = 0%%\n' >always-warn.conf
run env OPS_CONFIG="$SCRATCH/always-warn.conf" opsdf fs "$SCRATCH"
assert_rc 1

# --- precedence: --warn > OPS_DF_WARN > ops.conf > default --------------------------
# 0% always warns; 100% (or 1B free) only when the disk is full.
printf '[df]\nwarn = 0%%\n' >warn.conf
run opsdf fs "$SCRATCH"
assert_rc 0
run opsdf -c warn.conf fs "$SCRATCH"
assert_rc 1
run env OPS_DF_WARN=100% opsdf -c warn.conf fs "$SCRATCH"
assert_rc 0
run env OPS_DF_WARN=100% opsdf -c warn.conf fs --warn 0% "$SCRATCH"
assert_rc 1
run env OPS_DF_WARN=0% opsdf -c warn.conf fs --warn 100% "$SCRATCH"
assert_rc 0

# A bad value is reported with where it came from, which shows who won.
printf '[df]\n\nwarn = from-file\n' >bad-value.conf
run opsdf -c bad-value.conf fs "$SCRATCH"
assert_rc 3
assert_err_contains "opsdf: error: bad-value.conf:3 (warn): invalid threshold 'from-file'"
run env OPS_DF_WARN=from-env opsdf -c bad-value.conf fs "$SCRATCH"
assert_rc 3
assert_err_contains "opsdf: error: OPS_DF_WARN: invalid threshold 'from-env'"
run env OPS_DF_WARN=from-env opsdf -c bad-value.conf fs --warn from-cli "$SCRATCH"
assert_rc 3
assert_err_contains "opsdf: error: --warn: invalid threshold 'from-cli'"

# Repeatable options: the command line replaces what the file says.
printf '[df]\nexclude_type = proc\nexclude_type = sysfs\n' >types.conf
fstype=$(opsdf --format tsv fs "$SCRATCH" | awk -F'\t' 'NR == 2 { print $3 }')
run opsdf -c types.conf --format tsv --all
assert_rc 0
assert_eq "$(awk -F'\t' 'NR > 1 && ($3 == "proc" || $3 == "sysfs")' "$OUT_FILE")" "" "both types from the file excluded"
run opsdf -c types.conf --format tsv --all --exclude-type "$fstype"
assert_rc 0
assert_out_matches $'^/proc\tproc\tproc\t'
assert_eq "$(awk -F'\t' -v t="$fstype" 'NR > 1 && $3 == t' "$OUT_FILE")" "" "the command line's type excluded"
# OPS_DF_<NAME> with '_' for '-'; it too replaces the file's list.
run env OPS_DF_EXCLUDE_TYPE="$fstype" opsdf -c types.conf --format tsv --all
assert_rc 0
assert_out_matches $'^/proc\tproc\tproc\t'
assert_eq "$(awk -F'\t' -v t="$fstype" 'NR > 1 && $3 == t' "$OUT_FILE")" "" "OPS_DF_EXCLUDE_TYPE excluded"

# --- --metrics-dir ----------------------------------------------------------------------
mkdir metrics
run opsdf --metrics-dir metrics fs "$SCRATCH"
assert_rc 0
assert_file_exists metrics/opsdf.prom
prom=$(cat metrics/opsdf.prom)
[[ $prom == *$'\nops_df_exit_status 0\n'* ]] || fail "no ops_df_exit_status 0 in: $prom"
[[ $prom == *$'\nops_df_filesystems 1\n'* ]] || fail "no ops_df_filesystems 1 in: $prom"
grep -Eq '^ops_df_last_run_timestamp_seconds [0-9]{10}$' metrics/opsdf.prom || fail "no last_run in: $prom"
grep -Eq '^ops_df_last_success_timestamp_seconds [0-9]{10}$' metrics/opsdf.prom || fail "no last_success in: $prom"
grep -q '^# TYPE ops_df_exit_status gauge$' metrics/opsdf.prom || fail "no TYPE line in: $prom"
assert_eq "$(stat -c %a metrics/opsdf.prom)" 644 "node_exporter can read it"
success=$(awk '$1 == "ops_df_last_success_timestamp_seconds" { print $2 }' metrics/opsdf.prom)

run opsdf --metrics-dir metrics fs --crit 0% "$SCRATCH"
assert_rc 2
grep -q '^ops_df_exit_status 2$' metrics/opsdf.prom || fail "exit status 2 not recorded"

run opsdf --metrics-dir metrics --warn=bad fs "$SCRATCH"
assert_rc 3
grep -q '^ops_df_exit_status 3$' metrics/opsdf.prom || fail "exit status 3 not recorded"
assert_eq "$(awk '$1 == "ops_df_last_success_timestamp_seconds" { print $2 }' metrics/opsdf.prom)" "$success" \
  "a failed run keeps the last success time"
assert_eq "$(ls -A metrics)" "opsdf.prom" "no temporary files left"

# In ops.conf, as node_exporter setups do.
mkdir metrics2
printf '[df]\nmetrics_dir = %s\n' "$SCRATCH/metrics2" >metrics.conf
run opsdf -c metrics.conf fs "$SCRATCH"
assert_rc 0
assert_file_exists metrics2/opsdf.prom

# --- --quiet -------------------------------------------------------------------------------
run opsdf --quiet fs "$SCRATCH"
assert_rc 0
assert_out_eq ""
assert_eq "$ERR" "" "stderr with --quiet on success"
run opsdf -q fs --warn 0% "$SCRATCH"
assert_rc 1
assert_out_contains 'WARNING'
run opsdf -q fs --crit 0% "$SCRATCH"
assert_rc 2
assert_out_contains 'CRITICAL'

# --- --lock-file -------------------------------------------------------------------------
lock=$SCRATCH/opsdf.lock
flock "$lock" sleep 5 &
holder=$!
for _ in $(seq 100); do
  flock -n "$lock" true || break  # held by the background flock
  sleep 0.05
done
flock -n "$lock" true && fail "the background flock did not take $lock"
run opsdf --lock-file "$lock" fs "$SCRATCH"
assert_rc 1
assert_err_contains "opsdf: warning: another opsdf run holds $lock; skipping this run"
assert_out_eq ""
wait "$holder"
run opsdf --lock-file "$lock" fs "$SCRATCH"
assert_rc 0
assert_out_contains 'MOUNTED ON'
