#!/usr/bin/env bash
# opshealth backup on stores that opsbackup itself made from a SQLite
# database: a fresh verified backup is OK, a stale one (OPS_NOW moved ahead)
# CRITICAL, a never verified one a WARNING, one whose file was altered and
# then failed `opsbackup verify` CRITICAL, a failed run CRITICAL with its
# reason, no backup CRITICAL; the store found as opsbackup finds it ([backup]
# dir of ops.conf, OPS_BACKUP_DIR) or given with --dir.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

while read -r var; do unset "$var"; done < <(compgen -e | grep -E '^OPS_(HEALTH|BACKUP)_' || true)
export TZ=UTC
B=$SCRATCH/backups
tsv_field() {  # tsv_field COLUMN [ROW]: a column of a row of the last run's --format tsv
  awk -F'\t' -v col="$1" -v row="${2:-1}" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
    NR == row + 1 { print $c }' "$OUT_FILE"
}

sqlite3 "$SCRATCH/notes.db" "CREATE TABLE n (x); INSERT INTO n VALUES (1), (2), (3);"
cat >"$SCRATCH/ops.conf" <<CONF
[backup]
dir = $B

[backup.notes]
database = sqlite://$SCRATCH/notes.db
CONF
export OPS_CONFIG=$SCRATCH/ops.conf

# --- fresh: opsbackup run backs up and verifies -------------------------------------------
run env OPS_NOW=2026-05-01T01:00:00Z "$OPSBACKUP" run --quiet
assert_rc 0
run env OPS_NOW=2026-05-01T02:30:00Z "$OPSHEALTH" --format tsv backup notes
assert_rc 0
assert_eq "$(tsv_field check)" "backup notes"
assert_eq "$(tsv_field value)" "1h30min old"
assert_eq "$(tsv_field thresholds)" "max age 26h"
assert_out_contains "newest backup 2026-05-01"
assert_out_contains "verified (checksum)"
run env OPS_NOW=2026-05-01T02:30:00Z "$OPSHEALTH" --format prometheus backup notes
assert_out_contains 'ops_health_backup_age_seconds{check="backup notes",name="notes"} 5400'
assert_out_contains 'ops_health_backup_verified{check="backup notes",name="notes"} 1'
cp "$OUT_FILE" "$SCRATCH/metrics.prom"
run sh -c 'promtool check metrics <"$1"' sh "$SCRATCH/metrics.prom"
assert_rc 0

# The store as opsbackup finds it: OPS_BACKUP_DIR before ops.conf; --dir before both.
: >"$SCRATCH/empty.conf"
run env OPS_CONFIG="$SCRATCH/empty.conf" OPS_BACKUP_DIR="$B" OPS_NOW=2026-05-01T02:30:00Z "$OPSHEALTH" backup notes
assert_rc 0
run env OPS_CONFIG="$SCRATCH/empty.conf" OPS_NOW=2026-05-01T02:30:00Z "$OPSHEALTH" backup notes --dir "$B"
assert_rc 0
(cd "$SCRATCH" && OPS_CONFIG=empty.conf OPS_NOW=2026-05-01T02:30:00Z "$OPSHEALTH" -q backup notes --dir backups) ||
  fail "a relative --dir is read against the current directory"
run env OPS_CONFIG="$SCRATCH/empty.conf" "$OPSHEALTH" backup notes
assert_rc 3
assert_out_contains "no backup directory given (give --dir DIR, or dir = DIR in [backup] of ops.conf)"

# --- stale: 27 hours later ----------------------------------------------------------------
run env OPS_NOW=2026-05-02T04:00:00Z "$OPSHEALTH" --format tsv backup notes
assert_rc 2
assert_eq "$(tsv_field message)" "the newest backup (2026-05-01T01:00:00Z) is 27h old, more than 26h"
run env OPS_NOW=2026-05-02T04:00:00Z "$OPSHEALTH" backup notes --max-age 2d
assert_rc 0
run env OPS_NOW=2026-05-02T04:00:00Z "$OPSHEALTH" --format nagios backup notes
assert_out_contains "'age'=97200s;;93600;0 "

# --- never verified: opsbackup db alone does not verify; opsbackup verify then does --------
run env OPS_NOW=2026-05-01T01:00:00Z "$OPSBACKUP" db --quiet --dir "$B" --name single "sqlite://$SCRATCH/notes.db"
assert_rc 0
run env OPS_NOW=2026-05-01T02:00:00Z "$OPSHEALTH" --format tsv backup single
assert_rc 1
assert_eq "$(tsv_field message)" "the newest backup was never verified (opsbackup verify)"
run "$OPSBACKUP" verify --dir "$B" single
assert_rc 0
run env OPS_NOW=2026-05-01T02:00:00Z "$OPSHEALTH" --format tsv backup single
assert_rc 0

# --- failed verification: the backup file altered, opsbackup verify says so ---------------
DATA=$(ls "$B"/single/single-*.sql* | grep -v manifest)
printf 'X' | dd of="$DATA" bs=1 seek=20 conv=notrunc status=none
run "$OPSBACKUP" verify --dir "$B" single
assert_rc 2
run env OPS_NOW=2026-05-01T02:00:00Z "$OPSHEALTH" --format tsv backup single
assert_rc 2
assert_out_contains "the newest backup failed verification (checksum, "
assert_eq "$(tsv_field value)" "1h old" "its age is still reported"

# --- a failed run: the source is no database any more -------------------------------------
echo "not a database" >"$SCRATCH/notes.db"
run env OPS_NOW=2026-05-01T03:00:00Z "$OPSBACKUP" run --quiet
assert_rc 2
REASON=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"])' "$B/notes/.last-run.json")
[[ -n $REASON ]] || fail "opsbackup recorded no reason for the failed run"
run env OPS_NOW=2026-05-01T03:30:00Z "$OPSHEALTH" --format tsv backup notes
assert_rc 2
assert_out_contains "the last run (2026-05-01T03:00:00Z) failed: $REASON"
assert_eq "$(tsv_field value)" "2h30min old" "the older backup is still there, and said"

# --- no backup at all ---------------------------------------------------------------------
run "$OPSHEALTH" --format tsv backup nothing
assert_rc 2
assert_eq "$(tsv_field message)" "no complete backup in $B/nothing"

# --- no NAME: every NAME of the store, a row each, worst first ----------------------------
run env OPS_NOW=2026-05-01T03:30:00Z "$OPSHEALTH" --format tsv backup
assert_rc 2
assert_out_matches "^backup notes	CRITICAL	"
assert_out_matches "^backup single	CRITICAL	"
run "$OPSHEALTH" --format tsv backup --dir "$SCRATCH/nowhere"
assert_rc 2
assert_out_contains "the backup directory $SCRATCH/nowhere is not there"

run "$OPSHEALTH" backup ../etc
assert_rc 3

# --- a [health.NAME] section of check = backup -------------------------------------------
cat >>"$SCRATCH/ops.conf" <<CONF

[health.nightly]
check = backup
target = single
max_age = 2d
CONF
run env OPS_NOW=2026-05-01T02:00:00Z "$OPSHEALTH" --format tsv
assert_rc 2
assert_out_contains "failed verification"

finish
