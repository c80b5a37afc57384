#!/usr/bin/env bash
# opshealth's frame: the host checks with no configuration, [health.NAME]
# sections, thresholds in the range syntax, the five formats (Prometheus
# output checked by promtool), --metrics-dir, -q, the exit status as the
# worst check's, and refusals of bad configuration by opshealth and its peers.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_HEALTH_' || true)
command -v promtool >/dev/null || fail "promtool is not installed (Debian's prometheus package; scripts/bootstrap)"

# The status column's worst, as the exit status must be: 0 ok, 1 warning, 2 critical, 3 unknown.
worst_of_json() { jq -r '[.checks[].status] | if index("critical") then 2 elif index("unknown") then 3 elif index("warning") then 1 else 0 end' "$1"; }

# --- no configuration: the host checks with the guides' limits ---------------------
run "$OPSHEALTH" --format json
printf '%s\n' "$OUT" >"$SCRATCH/host.json"
assert_eq "$(jq -r '[.checks[].check | split(" ")[0]] | unique | join(",")' "$SCRATCH/host.json")" \
  "cpu,disk,load,memory,swap" "the five host checks run"
assert_eq "$RC" "$(worst_of_json "$SCRATCH/host.json")" "the exit status is the worst check's"
assert_eq "$(jq -r '.checks[] | select(.check=="cpu") | .thresholds' "$SCRATCH/host.json")" "warn 80% crit 90%"
assert_eq "$(jq -r '[.checks[] | select(.check|startswith("disk /")) | .thresholds] | unique | join(",")' "$SCRATCH/host.json")" \
  "warn 80% crit 90%" "the guides' free disk below 20%"
assert_eq "$(jq -r '.checks[] | select(.check=="disk /") | .value' "$SCRATCH/host.json")" \
  "$(df --output=pcent / | tail -1 | tr -d ' ')" "the root filesystem's use% as df prints it"

run "$OPSHEALTH"
assert_out_matches '^CHECK +STATUS +VALUE +THRESHOLDS +MESSAGE$'
assert_out_matches '^memory +(OK|WARNING|CRITICAL) +[0-9]+% '

# --- one check, thresholds that force each state ----------------------------------
run "$OPSHEALTH" memory --warn '@0%:100%'
assert_rc 1
assert_out_matches '^memory +WARNING +[0-9]+% +warn @0%:100% '
run "$OPSHEALTH" memory --warn '@0%:100%' --crit '@0%:100%'
assert_rc 2
run "$OPSHEALTH" memory --warn 100% --crit 100%
assert_rc 0
run "$OPSHEALTH" memory --crit 1T:
assert_rc 2
assert_out_contains "available"
run "$OPSHEALTH" load --crit '@0:1000000'
assert_rc 2
run "$OPSHEALTH" disk / --crit '@0%:100%' --format tsv
assert_rc 2
assert_out_matches $'^disk /\tCRITICAL\t[0-9]+%\t'
run "$OPSHEALTH" disk --path / --crit '@0%:100%' --format tsv
assert_rc 2
assert_out_matches $'^disk /\tCRITICAL\t'
run "$OPSHEALTH" disk / --warn 1P
assert_rc 1
assert_out_contains "warn 1P"

# A path that does not exist is the check's UNKNOWN, as check_disk -p says it:
# a row that names it (with the other checks of a run still reported).
run "$OPSHEALTH" disk "$SCRATCH/nx" --format tsv
assert_rc 3
assert_out_matches $'^disk '"$SCRATCH"$'/nx\tUNKNOWN\t\t\t.*nx'

# A unit the check does not measure in, and a malformed range: exit 3, the value named.
run "$OPSHEALTH" memory --warn 500ms
assert_rc 3
assert_err_matches "^opshealth: error: --warn: .*500ms"
run "$OPSHEALTH" load --warn 5,4
assert_rc 3
assert_err_contains "'5,4'"
run "$OPSHEALTH" disk --crit 80
assert_rc 3
assert_out_eq ""

# --- -q: nothing when all is well; only the problems otherwise ---------------------
run "$OPSHEALTH" -q memory --warn 100% --crit 100%
assert_rc 0
assert_out_eq ""
run "$OPSHEALTH" -q --format nagios memory --warn 100% --crit 100%
assert_rc 0
assert_out_eq ""

# --- [health.NAME] sections --------------------------------------------------------
cat >"$SCRATCH/health.conf" <<'CONF'
[health]
timeout = 20s

[health.mem]
check = memory
crit = @0%:100%

[health.root]
check = disk
target = /

[health.cpu]
check = cpu
interval = 200ms
warn = 100%
crit = 100%
CONF
run "$OPSHEALTH" -c "$SCRATCH/health.conf" --format json
assert_rc 2
assert_eq "$(jq -r '.checks[0].check' <<<"$OUT")" "memory mem" "the worst first, named KIND NAME"
assert_eq "$(jq -r '.checks[0].status' <<<"$OUT")" "critical"
assert_eq "$(jq -r '[.checks[].check] | sort | join(",")' <<<"$OUT")" "cpu,disk root /,memory mem" \
  "only the configured checks, not the host defaults; [health.cpu] is 'cpu'"
assert_eq "$(jq -r '.checks[] | select(.check=="cpu") | .message' <<<"$OUT" | grep -c 'over 0.2s')" 1 \
  "the section's interval is used"

# --- Nagios: the first line names the problem; perfdata labels unique --------------
run "$OPSHEALTH" -c "$SCRATCH/health.conf" --format nagios
assert_rc 2
first=$(head -1 <<<"$OUT")
[[ $first =~ ^OPSHEALTH\ CRITICAL\ -\ 1\ critical,\ 2\ ok:\ memory\ mem:\ .*in\ use ]] || fail "first line: $first"
perf=${OUT##*| }
assert_eq "$(grep -o "'[^']*'=" <<<"$perf" | sort | uniq -d | wc -l)" 0 "no perfdata label twice"
grep -q "'memory_mem::used'=[0-9.]*%;90;@100;0;100" <<<"$perf" || fail "memory perfdata: $perf"
grep -q "'disk_root_/::used'=" <<<"$perf" || fail "disk perfdata: $perf"

# --- Prometheus: on stdout and in --metrics-dir, both accepted by promtool ---------
run "$OPSHEALTH" -c "$SCRATCH/health.conf" --format prometheus
assert_rc 2
printf '%s\n' "$OUT" >"$SCRATCH/out.prom"
run promtool check metrics <"$SCRATCH/out.prom"
assert_rc 0
assert_eq "$(grep -c '^ops_health_status{check="memory mem"} 2$' "$SCRATCH/out.prom")" 1
assert_eq "$(grep -v '^#' "$SCRATCH/out.prom" | cut -d' ' -f1 | sort | uniq -d | wc -l)" 0 "no series twice"
grep -q '^ops_health_disk_used_percent{check="disk root /",mount="/"} [0-9]' "$SCRATCH/out.prom" || fail "disk gauge"

mkdir "$SCRATCH/metrics"
run "$OPSHEALTH" -q -c "$SCRATCH/health.conf" --metrics-dir "$SCRATCH/metrics"
assert_rc 2
run promtool check metrics <"$SCRATCH/metrics/opshealth.prom"
assert_rc 0
assert_eq "$(grep -c '^ops_health_status{check="memory mem"} 2$' "$SCRATCH/metrics/opshealth.prom")" 1
assert_eq "$(grep -c '^ops_health_exit_status 2$' "$SCRATCH/metrics/opshealth.prom")" 1

# --- formats: what other tools refuse, opshealth takes; a typo is refused ----------
run "$OPSHEALTH" --format nagois
assert_rc 3
assert_err_contains "expected text, tsv, json, nagios or prometheus"
run "${OPSDF:?}" --format nagios
assert_rc 3
assert_err_contains "expected text, tsv or json"

# --- bad [health.NAME] sections: exit 3 naming file and line, for every tool -------
bad_conf() { printf '%s\n' "$@" >"$SCRATCH/bad.conf"; }
bad_conf "[health.x]" "target = /"
run "$OPSHEALTH" -c "$SCRATCH/bad.conf"
assert_rc 3
assert_err_contains "bad.conf:1: [health.x] has no 'check' key"
bad_conf "[health.x]" "check = dsk"
run "$OPSHEALTH" -c "$SCRATCH/bad.conf"
assert_rc 3
assert_err_contains "bad.conf:2: unknown check 'dsk' in [health.x]"
bad_conf "[health.x]" "check = memory" "contains = Login"
run "$OPSHEALTH" -c "$SCRATCH/bad.conf" memory
assert_rc 3
assert_err_contains "bad.conf:3"
assert_err_contains "'contains'"
bad_conf "[health.x]" "check = disk" "warn = 80"
run "$OPSHEALTH" -c "$SCRATCH/bad.conf"
assert_rc 3
assert_err_contains "bad.conf:3"
bad_conf "[health.x]" "check = memory" "target = /"
run "$OPSHEALTH" -c "$SCRATCH/bad.conf"
assert_rc 3
assert_err_contains "'target'"
# The file is one: opsdf refuses it too, though it reads no [health.*].
bad_conf "[health.x]" "check = dsk"
run "$OPSDF" -c "$SCRATCH/bad.conf"
assert_rc 3
assert_err_contains "unknown check 'dsk'"

# --- the deadline: a long --interval is cut short, not reported as a hang ----------
run timeout 60 "$OPSHEALTH" cpu --interval 30s --timeout 2s --warn 100% --crit 100% --format json
assert_rc 0
assert_eq "$(jq -r '.checks[0].status' <<<"$OUT")" "ok" "the cpu sample ends before the deadline"
assert_eq "$(jq -r '.checks[0].message' <<<"$OUT" | grep -cE 'over 1\.[0-9]+s')" 1 "it says how long it measured"


# --- the example configuration is one every tool accepts --------------------------
run "$OPSHEALTH" -c "$OPS_SOURCE_DIR/packaging/ops.conf.example" --format json
[[ $RC -le 2 ]] || fail "opshealth refuses packaging/ops.conf.example: $ERR"
assert_eq "$(jq -r '[.checks[].check] | sort | join(",")' <<<"$OUT")" "disk root /,load" "its [health.NAME] checks run"
run "$OPSDF" -c "$OPS_SOURCE_DIR/packaging/ops.conf.example" fs /
[[ $RC -le 2 ]] || fail "opsdf refuses packaging/ops.conf.example: $ERR"

# --- a password in a URL is refused, and never printed --------------------------
run "$OPSHEALTH" http 'https://u:s3cret@127.0.0.1:1/' --format nagios
assert_rc 3
assert_out_contains "carries a password"
assert_out_contains "u:***@127.0.0.1"
assert_out_not_contains "s3cret"
assert_err_not_contains "s3cret"

# --- -q leaves the Prometheus output whole: an OK check's series stays -----------
run "$OPSHEALTH" -q -c "$SCRATCH/health.conf" --format prometheus
assert_rc 2
assert_out_contains 'ops_health_status{check="disk root /"} 0'
assert_out_contains 'ops_health_status{check="memory mem"} 2'

# --- whose timeout wins: a section's own over [health]; the environment and the
# command line over both. The cpu sample shows it: it is cut to 9/10 of the time left.
cat >"$SCRATCH/timeouts.conf" <<'CONF'
[health]
timeout = 20s

[health.cpu]
check = cpu
interval = 3s
timeout = 1s
warn = 100%
crit = 100%
CONF
run timeout 60 "$OPSHEALTH" -c "$SCRATCH/timeouts.conf" --format json
assert_rc 0
jq -r '.checks[0].message' <<<"$OUT" | grep -qE 'over 0\.[0-9]+s' || fail "the section's 1s timeout lost to [health]'s 20s: $OUT"
sed -i 's/^timeout = 1s$/timeout = 20s/' "$SCRATCH/timeouts.conf"
run timeout 60 env OPS_HEALTH_TIMEOUT=1s "$OPSHEALTH" -c "$SCRATCH/timeouts.conf" --format json
assert_rc 0
jq -r '.checks[0].message' <<<"$OUT" | grep -qE 'over 0\.[0-9]+s' || fail "OPS_HEALTH_TIMEOUT lost to the section: $OUT"
run timeout 60 "$OPSHEALTH" -c "$SCRATCH/timeouts.conf" --timeout 1s --format json
assert_rc 0
jq -r '.checks[0].message' <<<"$OUT" | grep -qE 'over 0\.[0-9]+s' || fail "--timeout lost to the section: $OUT"
