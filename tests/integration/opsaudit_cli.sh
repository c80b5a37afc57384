#!/usr/bin/env bash
# opsaudit's frame: `run` as one report of the audits [audit] names, the
# three formats, --fail-on deciding the exit status, -q for cron, an audit
# that cannot run reported without holding the others hostage, and refusals
# of bad configuration by opsaudit and by its peers.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_AUDIT_' || true)
export OPS_NOW=2026-12-06T12:00:00Z

# --- nothing configured, logins left out: an empty report, exit 0 -------------------
run "$OPSAUDIT" run --auth-log none
assert_rc 0
assert_out_eq "0 findings: 0 critical, 0 warning, 0 info"
run "$OPSAUDIT" --format json run --auth-log none
assert_rc 0
assert_eq "$(jq -c '.audits' <<<"$OUT")" "[]" "JSON: no audits run"
run "$OPSAUDIT" -q run --auth-log none
assert_rc 0
assert_out_eq ""

# --- bad usage and bad configuration: exit 3, one line naming the value or line -----
run "$OPSAUDIT" run --auth-log none --fail-on sometimes
assert_rc 3
assert_err_contains "sometimes"

printf '[audit]\nfail_on = never\n' >"$SCRATCH/bad-fail-on.conf"
run "$OPSAUDIT" -c "$SCRATCH/bad-fail-on.conf" run --auth-log none
assert_rc 3
assert_err_contains "bad-fail-on.conf:2"

printf '[audit]\nthreshhold = 5\n' >"$SCRATCH/typo.conf"
run "$OPSAUDIT" -c "$SCRATCH/typo.conf" run --auth-log none
assert_rc 3
assert_err_contains "typo.conf:2"
assert_err_contains "threshhold"

# An [audit.NAME] without its query is refused whole, by opsaudit and by every
# tool of the suite that reads the same file.
printf '[audit.casework]\ndb = casework\n' >"$SCRATCH/no-sql.conf"
run "$OPSAUDIT" -c "$SCRATCH/no-sql.conf" run --auth-log none
assert_rc 3
assert_err_contains "no-sql.conf:1"
assert_err_contains "sql"
run "$OPSDF" -c "$SCRATCH/no-sql.conf" /
assert_rc 3
assert_err_contains "no-sql.conf:1"
printf '[audit.casework]\ndb = casework\nsql = SELECT 1\ncolour = blue\n' >"$SCRATCH/unknown-key.conf"
run "$OPSHEALTH" -c "$SCRATCH/unknown-key.conf" memory
assert_rc 3
assert_err_contains "unknown-key.conf:4"

run "$OPSAUDIT" frobnicate
assert_rc 3

# --- real findings: the exit status follows --fail-on, -q keeps what matters ---------
T=$SCRATCH/tree
mkdir -p "$T/shared" "$T/bin"
chmod 0777 "$T/shared"             # critical: anyone may replace what is in it
printf 'x' >"$T/bin/tool"
chmod 2755 "$T/bin/tool"           # warning: setgid
run "$OPSAUDIT" run --auth-log none --perms "$T"
assert_rc 2
assert_out_matches "CRITICAL +world_writable +$T/shared"
assert_out_contains "chmod o-w $T/shared"
assert_out_contains "chmod g-s $T/bin/tool"
assert_eq "$(tail -1 <<<"$OUT")" "2 findings: 1 critical, 1 warning, 0 info" "the last line counts the findings"
run "$OPSAUDIT" run --auth-log none --perms "$T" --fail-on critical
assert_rc 2
chmod 0755 "$T/shared"
run "$OPSAUDIT" run --auth-log none --perms "$T"
assert_rc 1
run "$OPSAUDIT" run --auth-log none --perms "$T" --fail-on critical
assert_rc 0
assert_out_matches "WARNING +setgid +$T/bin/tool"
run "$OPSAUDIT" -q run --auth-log none --perms "$T" --fail-on critical
assert_rc 0
assert_out_eq ""
run "$OPSAUDIT" -q run --auth-log none --perms "$T"
assert_rc 1
assert_out_contains "setgid"
printf '[audit]\nperms = %s\nfail_on = critical\n' "$T" >"$SCRATCH/perms.conf"
run "$OPSAUDIT" -c "$SCRATCH/perms.conf" --format tsv run --auth-log none
assert_rc 0
assert_eq "$(wc -l <<<"$OUT")" 2 "TSV: a header and the one finding (fail_on does not filter the report)"
assert_eq "$(head -1 <<<"$OUT")" "$(printf 'audit\tseverity\tkind\tsubject\tdetail\tfix')" "TSV header"
assert_eq "$(tail -1 <<<"$OUT" | cut -f1-4,6)" "$(printf 'perms\twarning\tsetgid\t%s\tchmod g-s %s' "$T/bin/tool" "$T/bin/tool")" "TSV row"

# --- an audit that cannot run: a critical finding, the others still reported --------
run "$OPSAUDIT" --format json run --auth-log none --perms "$T" --logs "$SCRATCH/no-such.log" --changes "$T" --baseline "$SCRATCH/no-baseline"
assert_rc 2
assert_eq "$(jq -r '[.audits[].audit] | join(" ")' <<<"$OUT")" "perms changes logs" "every audit has its section"
assert_eq "$(jq -r '.audits[] | select(.audit == "perms") | .findings[].kind' <<<"$OUT")" "setgid" "perms is reported"
assert_eq "$(jq -r '.audits[] | select(.audit == "changes") | .findings[] | .severity + " " + .kind' <<<"$OUT")" \
  "critical not_audited" "changes without its baseline is not audited"
assert_err_contains "opsaudit: error: changes: "
assert_err_contains "no-baseline"
# Of several trees, a missing one is a finding and the others are audited.
run "$OPSAUDIT" run --auth-log none --perms "$SCRATCH/gone" --perms "$T"
assert_rc 2
assert_out_matches "CRITICAL +not_audited +$SCRATCH/gone"
assert_out_contains "$SCRATCH/gone"
assert_out_matches "WARNING +setgid +$T/bin/tool"
