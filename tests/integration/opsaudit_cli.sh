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
